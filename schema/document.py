"""GraphQL types of the document graph and the queries that read it."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph.document import (
    AgendaItemRecord,
    AssignmentRecord,
    ClauseRecord,
    DepartmentRecord,
    DocumentRecord,
    DutyRecord,
    JointMeetingRecord,
    LiaisonRecord,
    MetricRecord,
    PrincipleRecord,
    ProcedureRecord,
    ProcedureStepRecord,
    RegisterRecord,
    RemovalConditionRecord,
    RuleRecord,
    WorkRequirementRecord,
)
from resolvers import document
from resolvers.context import Context

Ctx = Info[Context, None]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


async def _clause(info: Ctx, ref: str | None) -> Clause | None:
    if ref is None:
        return None
    record = await info.context.loaders.clause.load(ref)
    return Clause.from_record(record) if record else None


async def _departments(info: Ctx, codes: list[str]) -> list[Department]:
    records = await info.context.loaders.department.load_many(codes)
    return [Department.from_record(r) for r in records if r is not None]


@strawberry.type(description="A section, paragraph or numbered item of the document (条款).")
class Clause:
    ref: str = strawberry.field(description="Stable reference, e.g. 一, 二(二), 二(四)5, 三(四).")
    title_zh: str
    title_en: str
    heading: str = strawberry.field(description="The heading line as printed, if any.")
    marker: str = strawberry.field(description="The item number as printed, e.g. '5.'.")
    text_zh: str = strawberry.field(description="Full Chinese text, sub-items included.")
    parent_ref: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, r: ClauseRecord) -> Clause:
        return cls(
            ref=r.ref, title_zh=r.title_zh, title_en=r.title_en, heading=r.heading,
            marker=r.marker, text_zh=r.text_zh, parent_ref=r.parent_ref,
        )  # fmt: skip

    @strawberry.field
    async def parent(self, info: Ctx) -> Clause | None:
        return await _clause(info, self.parent_ref)

    @strawberry.field
    async def children(self, info: Ctx) -> list[Clause]:
        records = await info.context.loaders.clause_children.load(self.ref)
        return [Clause.from_record(r) for r in records]


@strawberry.type(description="Something taken from the document, with the clause it comes from.")
class Cited:
    clause_ref: strawberry.Private[str | None]

    @strawberry.field(description="The clause of the document this comes from.")
    async def clause(self, info: Ctx) -> Clause | None:
        return await _clause(info, self.clause_ref)


@strawberry.type(description="A person named as a department's joint-meeting liaison (联络人).")
class Liaison:
    name: str
    phone: str | None
    since: dt.date | None = strawberry.field(description="First day of this liaison's term.")
    until: dt.date | None = strawberry.field(
        description="The day a successor took over (the term ends before it); null while current."
    )
    department_code: strawberry.Private[str]

    @classmethod
    def from_record(cls, r: LiaisonRecord) -> Liaison:
        return cls(
            name=r.name, phone=r.phone, since=_date(r.since), until=_date(r.until),
            department_code=r.department_code,
        )  # fmt: skip

    @strawberry.field(description="True while this person is the department's liaison.")
    def current(self) -> bool:
        return self.until is None

    @strawberry.field
    async def department(self, info: Ctx) -> Department | None:
        record = await info.context.loaders.department.load(self.department_code)
        return Department.from_record(record) if record else None


@strawberry.enum(description="Why a department is linked to a duty or a removal condition.")
class Basis(Enum):
    CLAUSE = "clause"
    INFERRED = "inferred"


@strawberry.type(description="A department's link to a duty or removal condition, with its basis.")
class Assignment(Cited):
    basis: Basis
    reason_zh: str = strawberry.field(description="Why, when the link is inferred.")
    department_code: strawberry.Private[str]

    @classmethod
    def from_record(cls, r: AssignmentRecord) -> Assignment:
        return cls(
            basis=Basis(r.basis), reason_zh=r.reason_zh or "",
            department_code=r.department_code, clause_ref=r.clause_ref,
        )  # fmt: skip

    @strawberry.field
    async def department(self, info: Ctx) -> Department | None:
        record = await info.context.loaders.department.load(self.department_code)
        return Department.from_record(record) if record else None


@strawberry.type(description='A measured rate, e.g. one of the "three rates" (三率).')
class Metric:
    code: str
    name_zh: str
    name_en: str

    @classmethod
    def from_record(cls, r: MetricRecord) -> Metric:
        return cls(code=r.code, name_zh=r.name_zh, name_en=r.name_en)


@strawberry.type(description="A responsibility assigned by 二(二) (部门职责).")
class Duty(Cited):
    code: str
    title_zh: str
    title_en: str
    text_zh: str = strawberry.field(description="The document's words assigning the duty.")

    @classmethod
    def from_record(cls, r: DutyRecord) -> Duty:
        return cls(
            code=r.code, title_zh=r.title_zh, title_en=r.title_en, text_zh=r.text_zh,
            clause_ref=r.clause_ref,
        )  # fmt: skip

    @strawberry.field(description="Departments responsible, named ones first.")
    async def departments(self, info: Ctx) -> list[Department]:
        links = await info.context.loaders.assignments_of_duty.load(self.code)
        return await _departments(info, [a.department_code for a in links])

    @strawberry.field(description="Each responsible department with the basis of the link.")
    async def assignments(self, info: Ctx) -> list[Assignment]:
        links = await info.context.loaders.assignments_of_duty.load(self.code)
        return [Assignment.from_record(a) for a in links]

    @strawberry.field
    async def metrics(self, info: Ctx) -> list[Metric]:
        records = await info.context.loaders.metrics_of_duty.load(self.code)
        return [Metric.from_record(m) for m in records]


@strawberry.type(description="One of the 14 conditions for removal from the green-mine list.")
class RemovalCondition(Cited):
    number: int
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str

    @classmethod
    def from_record(cls, r: RemovalConditionRecord) -> RemovalCondition:
        return cls(
            number=r.number, title_zh=r.title_zh, title_en=r.title_en, text_zh=r.text_zh,
            text_en=r.text_en, clause_ref=r.clause_ref,
        )  # fmt: skip

    @strawberry.field(description="Departments competent to establish the condition.")
    async def departments(self, info: Ctx) -> list[Department]:
        links = await info.context.loaders.competence_for_condition.load(self.number)
        return await _departments(info, [a.department_code for a in links])

    @strawberry.field(description="Each competent department with the basis of the link.")
    async def competence(self, info: Ctx) -> list[Assignment]:
        links = await info.context.loaders.competence_for_condition.load(self.number)
        return [Assignment.from_record(a) for a in links]

    @strawberry.field(description="Duties whose supervision brings the condition to light.")
    async def duties(self, info: Ctx) -> list[Duty]:
        records = await info.context.loaders.duties_of_condition.load(self.number)
        return [Duty.from_record(r) for r in records]


@strawberry.type(description="One of the 18 co-building departments (共建部门).")
class Department(Cited):
    code: str
    name_zh: str
    name_en: str
    short_name_zh: str = strawberry.field(description="The name as the document writes it.")
    sector_zh: str = strawberry.field(description="How 二(二) names this kind of department.")

    @classmethod
    def from_record(cls, r: DepartmentRecord) -> Department:
        return cls(
            code=r.code, name_zh=r.name_zh, name_en=r.name_en, short_name_zh=r.short_name_zh,
            sector_zh=r.sector_zh, clause_ref=r.clause_ref,
        )  # fmt: skip

    @strawberry.field(description="The current liaison.")
    async def liaison(self, info: Ctx) -> Liaison | None:
        record = await info.context.loaders.current_liaison.load(self.code)
        return Liaison.from_record(record) if record else None

    @strawberry.field(description="Every liaison, oldest first.")
    async def liaisons(self, info: Ctx) -> list[Liaison]:
        records = await info.context.loaders.liaison_history.load(self.code)
        return [Liaison.from_record(r) for r in records]

    @strawberry.field
    async def duties(self, info: Ctx) -> list[Duty]:
        records = await info.context.loaders.duties_of_department.load(self.code)
        return [Duty.from_record(r) for r in records]

    @strawberry.field(description="Removal conditions this department is competent to establish.")
    async def removal_conditions(self, info: Ctx) -> list[RemovalCondition]:
        records = await info.context.loaders.conditions_of_department.load(self.code)
        return [RemovalCondition.from_record(r) for r in records]


@strawberry.type(description="An agenda item of the joint meeting (联席会议主要内容).")
class AgendaItem:
    number: int
    text_zh: str
    text_en: str

    @classmethod
    def from_record(cls, r: AgendaItemRecord) -> AgendaItem:
        return cls(number=r.number, text_zh=r.text_zh, text_en=r.text_en)


@strawberry.type(description="The joint meeting (联席会议) of 二(一).")
class JointMeeting(Cited):
    code: str
    name_zh: str
    name_en: str
    attendance_zh: str
    convener_code: strawberry.Private[str]

    @classmethod
    def from_record(cls, r: JointMeetingRecord) -> JointMeeting:
        return cls(
            code=r.code, name_zh=r.name_zh, name_en=r.name_en, attendance_zh=r.attendance_zh,
            convener_code=r.convener_code, clause_ref=r.clause_ref,
        )  # fmt: skip

    @strawberry.field
    async def convener(self, info: Ctx) -> Department | None:
        record = await info.context.loaders.department.load(self.convener_code)
        return Department.from_record(record) if record else None

    @strawberry.field
    async def members(self, info: Ctx) -> list[Department]:
        records = await document.joint_meeting_members(info.context, self.code)
        return [Department.from_record(r) for r in records]

    @strawberry.field
    async def agenda(self, info: Ctx) -> list[AgendaItem]:
        records = await document.agenda(info.context, self.code)
        return [AgendaItem.from_record(r) for r in records]


@strawberry.type(description="A numeric rule or target of the document, with its clause.")
class Rule(Cited):
    code: str
    kind: str = strawberry.field(
        description="deadline, target, minimum_share, guidance or condition."
    )
    text_zh: str
    text_en: str
    value: float | None
    unit: str
    scale: str | None = strawberry.field(description="LARGE, MEDIUM or SMALL, for targets.")
    stage: str | None
    year: int | None
    due: dt.date | None

    @classmethod
    def from_record(cls, r: RuleRecord) -> Rule:
        return cls(
            code=r.code, kind=r.kind, text_zh=r.text_zh, text_en=r.text_en, value=r.value,
            unit=r.unit, scale=r.scale, stage=r.stage, year=r.year, due=_date(r.due),
            clause_ref=r.clause_ref,
        )  # fmt: skip


@strawberry.type(description="One of the four work requirements of 三.")
class WorkRequirement(Cited):
    number: int
    title_zh: str
    title_en: str
    text_zh: str

    @classmethod
    def from_record(cls, r: WorkRequirementRecord) -> WorkRequirement:
        return cls(
            number=r.number, title_zh=r.title_zh, title_en=r.title_en, text_zh=r.text_zh,
            clause_ref=r.clause_ref,
        )  # fmt: skip


@strawberry.type(description="A step of a procedure the document prescribes.")
class ProcedureStep:
    order: int
    text_zh: str
    text_en: str
    actor_role_zh: str = strawberry.field(description="Who acts, as the document puts it.")
    actor_code: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, r: ProcedureStepRecord) -> ProcedureStep:
        return cls(
            order=r.order, text_zh=r.text_zh, text_en=r.text_en, actor_role_zh=r.actor_role_zh,
            actor_code=r.actor_code,
        )  # fmt: skip

    @strawberry.field(description="The department that acts, when the document names one.")
    async def actor(self, info: Ctx) -> Department | None:
        if self.actor_code is None:
            return None
        record = await info.context.loaders.department.load(self.actor_code)
        return Department.from_record(record) if record else None


@strawberry.type(description="A procedure: listing, yearly spot checks, or referral of problems.")
class Procedure(Cited):
    code: str
    name_zh: str
    name_en: str

    @classmethod
    def from_record(cls, r: ProcedureRecord) -> Procedure:
        return cls(code=r.code, name_zh=r.name_zh, name_en=r.name_en, clause_ref=r.clause_ref)

    @strawberry.field
    async def steps(self, info: Ctx) -> list[ProcedureStep]:
        records = await info.context.loaders.procedure_steps.load(self.code)
        return [ProcedureStep.from_record(r) for r in records]


@strawberry.type(description="A list, library, platform or system the document names.")
class Register(Cited):
    code: str
    name_zh: str
    name_en: str
    external: bool = strawberry.field(description="Kept outside the province's co-building work.")
    keeper_codes: strawberry.Private[list[str]]

    @classmethod
    def from_record(cls, r: RegisterRecord) -> Register:
        return cls(
            code=r.code, name_zh=r.name_zh, name_en=r.name_en, external=bool(r.external),
            keeper_codes=list(r.keeper_codes), clause_ref=r.clause_ref,
        )  # fmt: skip

    @strawberry.field
    async def maintained_by(self, info: Ctx) -> list[Department]:
        return await _departments(info, self.keeper_codes)


@strawberry.type(description="One of the five attributes of a green mine (序).")
class Principle:
    code: str
    name_zh: str
    name_en: str

    @classmethod
    def from_record(cls, r: PrincipleRecord) -> Principle:
        return cls(code=r.code, name_zh=r.name_zh, name_en=r.name_en)


@strawberry.type(description="The source document: 附件2《绿色矿山建设工作机制》.")
class Document:
    code: str
    title_zh: str
    title_en: str
    attachment_zh: str

    @classmethod
    def from_record(cls, r: DocumentRecord) -> Document:
        return cls(
            code=r.code, title_zh=r.title_zh, title_en=r.title_en, attachment_zh=r.attachment_zh
        )

    @strawberry.field(description="Top-level clauses, in order.")
    async def clauses(self, info: Ctx) -> list[Clause]:
        records = await document.clauses(info.context)
        return [Clause.from_record(r) for r in records if r.parent_ref is None]


@strawberry.type
class DocumentQuery:
    @strawberry.field(description="The source document and its top-level clauses.")
    async def document(self, info: Ctx) -> Document:
        return Document.from_record(await document.the_document(info.context))

    @strawberry.field(description="Every clause, in document order.")
    async def clauses(self, info: Ctx) -> list[Clause]:
        return [Clause.from_record(r) for r in await document.clauses(info.context)]

    @strawberry.field(description="A clause by its ref, e.g. 二(四)8.")
    async def clause(self, info: Ctx, ref: str) -> Clause:
        return Clause.from_record(await document.clause(info.context, ref))

    @strawberry.field(description="The 18 co-building departments, in the document's order.")
    async def departments(self, info: Ctx) -> list[Department]:
        return [Department.from_record(r) for r in await document.departments(info.context)]

    @strawberry.field(description="A department by its code, e.g. water_resources.")
    async def department(self, info: Ctx, code: str) -> Department:
        return Department.from_record(await document.department(info.context, code))

    @strawberry.field(description="Every duty of 二(二).")
    async def duties(self, info: Ctx) -> list[Duty]:
        return [Duty.from_record(r) for r in await document.duties(info.context)]

    @strawberry.field(description="A duty by its code.")
    async def duty(self, info: Ctx, code: str) -> Duty:
        return Duty.from_record(await document.duty(info.context, code))

    @strawberry.field(description="The 14 removal conditions of 二(四).")
    async def removal_conditions(self, info: Ctx) -> list[RemovalCondition]:
        records = await document.removal_conditions(info.context)
        return [RemovalCondition.from_record(r) for r in records]

    @strawberry.field(description="A removal condition by number (1-14).")
    async def removal_condition(
        self, info: Ctx, number: Annotated[int, strawberry.argument(description="1 to 14")]
    ) -> RemovalCondition:
        return RemovalCondition.from_record(await document.removal_condition(info.context, number))

    @strawberry.field(description="The joint meeting: convener, members, agenda.")
    async def joint_meeting(self, info: Ctx) -> JointMeeting:
        return JointMeeting.from_record(await document.joint_meeting(info.context))

    @strawberry.field(description="Numeric rules and targets: 1 year, 6 months, 10%, 2028 targets.")
    async def rules(self, info: Ctx) -> list[Rule]:
        return [Rule.from_record(r) for r in await document.rules(info.context)]

    @strawberry.field(description="The four work requirements of 三.")
    async def work_requirements(self, info: Ctx) -> list[WorkRequirement]:
        records = await document.work_requirements(info.context)
        return [WorkRequirement.from_record(r) for r in records]

    @strawberry.field(description="Procedures: listing, yearly spot checks, referral.")
    async def procedures(self, info: Ctx) -> list[Procedure]:
        return [Procedure.from_record(r) for r in await document.procedures(info.context)]

    @strawberry.field(description="Lists, libraries and systems the document names.")
    async def registers(self, info: Ctx) -> list[Register]:
        return [Register.from_record(r) for r in await document.registers(info.context)]

    @strawberry.field(description="The five attributes of a green mine.")
    async def principles(self, info: Ctx) -> list[Principle]:
        return [Principle.from_record(r) for r in await document.principles(info.context)]
