"""GraphQL types of mines and what hangs off them: licences, lifecycle history, objections,
rectifications, spot-check draws and results. Nested lists load through the per-request
DataLoaders in `info.context.mines`; fields that are not public check the caller first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

import strawberry

from graph.cases import CaseSort
from graph.document import RuleRecord
from graph.lifecycle import ObjectionRecord, RectificationRecord
from graph.makers import maker
from graph.mine_model import EventBrief, EventRecord, LicenceRecord, MineRecord
from graph.prefectures import PrefectureRecord
from graph.spot_checks import DrawRecord, ResultRecord
from resolvers import lifecycle, sampling
from resolvers.lifecycle import Action, CheckOutcome, ListStatus, Transition
from resolvers.mine_access import LICENCE_NAMES_ZH, LicenceKind, require_signed_in, signed_in
from resolvers.mines import LicenceStanding, MineScale, MineStage, standing
from resolvers.pagination import MAX_PAGE_SIZE
from resolvers.ready import MaybeAwaitable, as_caller, ready, then
from schema.access import SIGNED_IN
from schema.case_types import (
    DEFAULT_MINE_CASES,
    Case,
    CaseFilter,
    Penalty,
    mine_cases,
    mine_penalties,
)
from schema.document import Clause as ClauseType
from schema.document import Ctx, Department, RemovalCondition, Rule, _clause
from schema.pagination import Connection
from schema.selections import names_below

E = TypeVar("E", bound=Enum)

ListStatusType = strawberry.enum(
    ListStatus, name="ListStatus", description="Where a mine stands on the green-mine list."
)
LifecycleActionType = strawberry.enum(
    Action, name="LifecycleAction", description="A step of the list lifecycle."
)
CheckOutcomeType = strawberry.enum(
    CheckOutcome, name="CheckOutcome", description="The result of an on-site check."
)
LicenceKindType = strawberry.enum(
    LicenceKind,
    name="LicenceKind",
    description="采矿许可证 (MINING), 安全生产许可证 (SAFETY_PRODUCTION), 营业执照 (BUSINESS).",
)
LicenceStandingType = strawberry.enum(
    LicenceStanding, name="LicenceStanding", description="A licence's standing on a given day."
)
MineScaleType = strawberry.enum(MineScale, name="MineScale")
MineStageType = strawberry.enum(
    MineStage,
    name="MineStage",
    description="新建 (NEW), 改扩建 (RECONSTRUCTION_EXPANSION), 生产 (PRODUCING) — see 一.",
)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _by_value(enum: type[E]) -> Callable[[str], E]:
    """`enum(value)` by dictionary: a page makes some 800 members from the records' strings,
    and the Enum call costs several times the look-up. Anything else raises as the call does."""
    members = {member.value: member for member in enum}

    def member(value: str) -> E:
        found = members.get(value)
        return found if found is not None else enum(value)

    return member


_scale = _by_value(MineScale)
_stage = _by_value(MineStage)
_status = _by_value(ListStatus)
_action = _by_value(Action)
_licence_kind = _by_value(LicenceKind)


async def _mine(info: Ctx, licence: str) -> Mine | None:
    record = await info.context.mines.mine.load(licence)
    return Mine.from_record(record) if record else None


async def _department(info: Ctx, code: str | None) -> Department | None:
    if code is None:
        return None
    record = await info.context.loaders.department.load(code)
    return Department.from_record(record) if record else None


async def _departments(info: Ctx, codes: list[str]) -> list[Department]:
    records = await info.context.loaders.department.load_many(codes)
    return [Department.from_record(r) for r in records if r is not None]


async def _condition(info: Ctx, number: int | None) -> RemovalCondition | None:
    if number is None:
        return None
    record = await info.context.loaders.condition.load(number)
    return RemovalCondition.from_record(record) if record else None


async def _rule(info: Ctx, code: str | None) -> Rule | None:
    if code is None:
        return None
    record: RuleRecord | None = await info.context.mines.rule.load(code)
    return Rule.from_record(record) if record else None


@strawberry.type(description="One of Gansu's 14 prefecture-level divisions (地级行政区).")
class Prefecture:
    code: str = strawberry.field(description="Stable id, e.g. jinchang.")
    division_code: str = strawberry.field(description="National division code (GB/T 2260).")
    name_zh: str
    name_en: str

    @classmethod
    def from_record(cls, r: PrefectureRecord) -> Prefecture:
        return cls(code=r.code, division_code=r.division_code, name_zh=r.name_zh, name_en=r.name_en)


def _prefecture_of(record: PrefectureRecord | None) -> Prefecture | None:
    return Prefecture.from_record(record) if record else None


async def _prefecture(info: Ctx, code: str) -> Prefecture | None:
    return _prefecture_of(await info.context.mines.prefecture.load(code))


@strawberry.type(description="A step of the lifecycle: from which states, to which, under what.")
class LifecycleTransition:
    action: Action
    mutation: str = strawberry.field(description="The mutation that performs it.")
    from_statuses: list[ListStatus]
    to_status: ListStatus | None = strawberry.field(
        description="Null when the step keeps the mine's status (an objection, a passed check)."
    )
    clause_ref: str | None
    rule_code: str | None
    description_zh: str
    description_en: str

    @classmethod
    def from_transition(cls, t: Transition) -> LifecycleTransition:
        return cls(
            action=t.action,
            mutation=t.mutation,
            from_statuses=[s for s in ListStatus if s in t.sources],
            to_status=t.target,
            clause_ref=t.clause_ref or None,
            rule_code=t.rule_code,
            description_zh=t.description_zh,
            description_en=t.description_en,
        )

    @strawberry.field
    async def clause(self, info: Ctx) -> ClauseType | None:
        return await _clause(info, self.clause_ref)


@strawberry.type(description="One of a mine's three licences.")
class Licence:
    kind: LicenceKind
    number: str
    valid_from: dt.date | None
    valid_until: dt.date | None = strawberry.field(description="Null: no end date (长期).")
    revoked_on: dt.date | None
    record: strawberry.Private[LicenceRecord]

    @classmethod
    def from_record(cls, r: LicenceRecord) -> Licence:
        return _make_licence(
            {
                "kind": _licence_kind(r.kind),
                "number": r.number,
                "valid_from": _date(r.valid_from),
                "valid_until": _date(r.valid_until),
                "revoked_on": _date(r.revoked_on),
                "record": r,
            }
        )

    @strawberry.field
    def name_zh(self) -> str:
        return LICENCE_NAMES_ZH[self.kind]

    @strawberry.field(description="Its standing on `asOf` (default today).")
    def standing(self, info: Ctx, as_of: dt.date | None = None) -> LicenceStanding:
        return standing(self.record, as_of or info.context.today())


_make_licence = maker(Licence)


def _step(r: EventRecord | EventBrief) -> dict[str, Any]:
    """A `LifecycleEvent`'s step fields, which both kinds of record hold."""
    return {
        "seq": r.seq,
        "action": _action(r.action),
        "from_status": _status(r.from_status) if r.from_status else None,
        "to_status": _status(r.to_status),
        "occurred_on": dt.date.fromisoformat(r.occurred_on),
    }


#: the fields of a `Mine` answered from a `MineBrief`'s record (what they read is in it; the
#: rest, `productionStart`, `synthetic` and `listing`, read the columns a brief leaves empty)
MINE_BRIEF = frozenset(
    {
        "licenceNumber", "name", "company", "mineral", "scale", "stage", "county", "status",
        "statusSince", "listedOn", "prefectureCode", "onList", "prefecture", "licences",
        "history", "objections", "rectifications", "spotCheckResults", "allowedTransitions",
        "cases", "penalties", "__typename",
    }
)  # fmt: skip

#: the fields of a `LifecycleEvent` that an `EventBrief` holds
EVENT_BRIEF = frozenset({"seq", "action", "fromStatus", "toStatus", "occurredOn", "__typename"})


@strawberry.type(description="One entry of a mine's history: a lifecycle step, who took it, why.")
class LifecycleEvent:
    seq: int = strawberry.field(description="Order within the mine's history, from 1.")
    action: Action
    from_status: ListStatus | None
    to_status: ListStatus
    occurred_on: dt.date
    actor: str
    role: str
    department_code: str | None
    details: str | None
    clause_ref: str | None
    rule_code: str | None
    condition_number: int | None
    department_codes: list[str] = strawberry.field(
        description="Departments that took part (a verification, a check)."
    )
    recorded_at: str = strawberry.field(description="When it was recorded (ISO 8601, UTC).")

    @classmethod
    def from_record(cls, r: EventRecord) -> LifecycleEvent:
        return cls(
            **_step(r),
            actor=r.actor,
            role=r.role,
            department_code=r.department,
            details=r.details,
            clause_ref=r.clause_ref,
            rule_code=r.rule_code,
            condition_number=r.condition_number,
            department_codes=list(r.departments),
            recorded_at=r.recorded_at,
        )

    @classmethod
    def from_brief(cls, r: EventBrief) -> LifecycleEvent:
        """The event for a selection within `EVENT_BRIEF` (the caller checks it): the fields
        beyond it were not read, are left empty and are never shown."""
        step = _step(r)
        step.update(BLANK_EVENT)
        step["department_codes"] = []
        return _make_event(step)

    @strawberry.field(description="The department that acted.")
    async def department(self, info: Ctx) -> Department | None:
        return await _department(info, self.department_code)

    @strawberry.field
    async def departments(self, info: Ctx) -> list[Department]:
        return await _departments(info, self.department_codes)

    @strawberry.field(description="The clause the step applies.")
    async def clause(self, info: Ctx) -> ClauseType | None:
        return await _clause(info, self.clause_ref)

    @strawberry.field(description="The Rule the step applies, when one is seeded.")
    async def rule(self, info: Ctx) -> Rule | None:
        return await _rule(info, self.rule_code)

    @strawberry.field(description="The removal condition cited, for a removal.")
    async def removal_condition(self, info: Ctx) -> RemovalCondition | None:
        return await _condition(info, self.condition_number)


_make_event = maker(LifecycleEvent)
#: what a brief event holds beyond its step (its `department_codes` is a list of its own)
BLANK_EVENT: dict[str, Any] = {
    "actor": "",
    "role": "",
    "department_code": None,
    "details": None,
    "clause_ref": None,
    "rule_code": None,
    "condition_number": None,
    "recorded_at": "",
}


@strawberry.type(description="An objection to a mine's public notice (公示异议).")
class Objection:
    id: str
    received_on: dt.date
    objector: str
    summary: str
    resolved_on: dt.date | None
    upheld: bool | None
    resolution: str | None

    @classmethod
    def from_record(cls, r: ObjectionRecord) -> Objection:
        return cls(
            id=r.id,
            received_on=dt.date.fromisoformat(r.received_on),
            objector=r.objector,
            summary=r.summary,
            resolved_on=_date(r.resolved_on),
            upheld=r.upheld,
            resolution=r.resolution,
        )

    @strawberry.field(description="True until resolved; an open objection blocks listing.")
    def open(self) -> bool:
        return self.resolved_on is None


@strawberry.type(description="A rectification ordered after a failed check (限期整改).")
class Rectification:
    id: str
    found_on: dt.date
    deadline: dt.date
    findings: str | None
    measures: str | None
    closed_on: dt.date | None
    outcome: str | None = strawberry.field(
        description="PASSED, FAILED, OVERDUE or SUPERSEDED_BY_REMOVAL once closed."
    )
    completed_on: dt.date | None
    check_result_id: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, r: RectificationRecord) -> Rectification:
        return cls(
            id=r.id,
            found_on=dt.date.fromisoformat(r.found_on),
            deadline=dt.date.fromisoformat(r.deadline),
            findings=r.findings,
            measures=r.measures,
            closed_on=_date(r.closed_on),
            outcome=r.outcome,
            completed_on=_date(r.completed_on),
            check_result_id=r.check_result_id,
        )

    @strawberry.field(description="Open and past its deadline on `asOf` (default today).")
    def overdue(self, info: Ctx, as_of: dt.date | None = None) -> bool:
        day = as_of or info.context.today()
        return self.deadline < day and (self.closed_on is None or self.closed_on > day)

    @strawberry.field
    async def spot_check_result(self, info: Ctx) -> SpotCheckResult | None:
        if self.check_result_id is None:
            return None
        record = await info.context.mines.result.load(self.check_result_id)
        return SpotCheckResult.from_record(record) if record else None


@strawberry.type(description="A sampled mine's spot-check result.")
class SpotCheckResult:
    id: str
    year: int
    checked_on: dt.date
    outcome: CheckOutcome
    findings: str | None
    department_codes: list[str]
    mine_licence: strawberry.Private[str]
    draw_id: strawberry.Private[str]
    rectification_id: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, r: ResultRecord) -> SpotCheckResult:
        return cls(
            id=r.id,
            year=r.year,
            checked_on=dt.date.fromisoformat(r.checked_on),
            outcome=CheckOutcome(r.outcome),
            findings=r.findings,
            department_codes=list(r.departments),
            mine_licence=r.mine,
            draw_id=r.draw_id,
            rectification_id=r.rectification_id,
        )

    @strawberry.field
    async def mine(self, info: Ctx) -> Mine | None:
        return await _mine(info, self.mine_licence)

    @strawberry.field
    async def draw(self, info: Ctx) -> SpotCheckDraw | None:
        record = await info.context.mines.draw.load(self.draw_id)
        return SpotCheckDraw.from_record(record) if record else None

    @strawberry.field
    async def departments(self, info: Ctx) -> list[Department]:
        return await _departments(info, self.department_codes)

    @strawberry.field(description="The rectification a fixable failure required.")
    async def rectification(self, info: Ctx) -> Rectification | None:
        if self.rectification_id is None:
            return None
        records = await info.context.mines.rectifications.load(self.mine_licence)
        found = next((r for r in records if r.id == self.rectification_id), None)
        return Rectification.from_record(found) if found else None


def _licences_of(records: list[LicenceRecord]) -> list[Licence]:
    return [Licence.from_record(r) for r in records]


def _events_of(records: list[EventRecord]) -> list[LifecycleEvent]:
    return [LifecycleEvent.from_record(r) for r in records]


def _briefs_of(records: list[EventBrief]) -> list[LifecycleEvent]:
    return [LifecycleEvent.from_brief(r) for r in records]


@strawberry.type(description="A yearly random spot-check sample (随机抽查名单), re-drawable.")
class SpotCheckDraw:
    id: str = strawberry.field(description="<year>-<n>: the n-th draw of that year.")
    year: int
    number: int
    seed: str
    algorithm: str = strawberry.field(description="See resolvers/sampling.py (sha256-rank-v1).")
    share: float = strawberry.field(description="Rule yearly_spot_check_share when drawn.")
    drawn_on: dt.date
    drawn_at: str
    actor: str
    population: list[str] = strawberry.field(
        description="Licence numbers of the LISTED mines it was drawn from, sorted."
    )
    sample: list[str] = strawberry.field(description="Licence numbers drawn, in draw order.")
    current: bool = strawberry.field(description="False once replaced by a later draw.")
    replaces_id: strawberry.Private[str | None]
    replaced_by_id: strawberry.Private[str | None]

    @classmethod
    def from_record(cls, r: DrawRecord) -> SpotCheckDraw:
        return cls(
            id=r.id,
            year=r.year,
            number=r.number,
            seed=r.seed,
            algorithm=r.algorithm,
            share=r.share,
            drawn_on=dt.date.fromisoformat(r.drawn_on),
            drawn_at=r.drawn_at,
            actor=r.actor,
            population=list(r.population),
            sample=list(r.sample),
            current=r.current,
            replaces_id=r.replaces_id,
            replaced_by_id=r.replaced_by_id,
        )

    @strawberry.field
    def population_size(self) -> int:
        return len(self.population)

    @strawberry.field
    def sample_size(self) -> int:
        return len(self.sample)

    @strawberry.field(description="Re-drawing from the recorded population and seed gives this.")
    def reproducible(self) -> bool:
        recorded = sampling.Sample(
            self.algorithm, self.seed, self.share, tuple(self.population), tuple(self.sample)
        )
        return sampling.verify(recorded)

    @strawberry.field
    async def sampled_mines(self, info: Ctx) -> list[Mine]:
        records = await info.context.mines.mine.load_many(self.sample)
        return [Mine.from_record(r) for r in records if r is not None]

    @strawberry.field
    async def results(self, info: Ctx) -> list[SpotCheckResult]:
        records = await info.context.mines.draw_results.load(self.id)
        return [SpotCheckResult.from_record(r) for r in records]

    @strawberry.field(description="The draw this one replaced.")
    async def replaces(self, info: Ctx) -> SpotCheckDraw | None:
        return await _draw(info, self.replaces_id)

    @strawberry.field(description="The draw that replaced this one.")
    async def replaced_by(self, info: Ctx) -> SpotCheckDraw | None:
        return await _draw(info, self.replaced_by_id)


async def _draw(info: Ctx, draw_id: str | None) -> SpotCheckDraw | None:
    if draw_id is None:
        return None
    record = await info.context.mines.draw.load(draw_id)
    return SpotCheckDraw.from_record(record) if record else None


@strawberry.type(description="Where a mine is in the listing process (needs a token).")
class ListingDetails:
    applied_on: dt.date | None
    evaluator: str | None
    evaluated_on: dt.date | None
    verified_on: dt.date | None = strawberry.field(
        description="The first day it passed verification (核查验收)."
    )
    notice_start: dt.date | None
    notice_end: dt.date | None
    removed_on: dt.date | None
    rectification_deadline: dt.date | None
    open_objections: int

    @classmethod
    def from_record(cls, r: MineRecord) -> ListingDetails:
        return cls(
            applied_on=_date(r.applied_on),
            evaluator=r.evaluator,
            evaluated_on=_date(r.evaluated_on),
            verified_on=_date(r.verified_on),
            notice_start=_date(r.notice_start),
            notice_end=_date(r.notice_end),
            removed_on=_date(r.removed_on),
            rectification_deadline=_date(r.rectification_deadline),
            open_objections=r.open_objections,
        )


@strawberry.type(description="A mine, identified by its mining-licence number (采矿许可证号).")
class Mine:
    licence_number: str
    name: str
    company: str
    mineral: str
    scale: MineScale
    stage: MineStage
    county: str
    production_start: dt.date | None = strawberry.field(description="Formal production start.")
    status: ListStatus
    status_since: dt.date | None
    listed_on: dt.date | None
    synthetic: bool = strawberry.field(description="True for the demo province's made-up mines.")
    prefecture_code: str
    record: strawberry.Private[MineRecord]

    @classmethod
    def from_record(cls, r: MineRecord) -> Mine:
        return cls(
            licence_number=r.licence_number,
            name=r.name,
            company=r.company,
            mineral=r.mineral,
            scale=_scale(r.scale),
            stage=_stage(r.stage),
            county=r.county,
            production_start=_date(r.production_start),
            status=_status(r.status),
            status_since=_date(r.status_since),
            listed_on=_date(r.listed_on),
            synthetic=r.synthetic,
            prefecture_code=r.prefecture,
            record=r,
        )

    @strawberry.field(description="On the provincial list (LISTED or UNDER_RECTIFICATION).")
    def on_list(self) -> bool:
        return self.status in lifecycle.ON_LIST

    @strawberry.field(graphql_type=Prefecture | None)
    def prefecture(self, info: Ctx) -> MaybeAwaitable[Prefecture | None]:
        return then(ready(info.context.mines.prefecture, self.prefecture_code), _prefecture_of)

    @strawberry.field(
        description="Dates of the listing process (needs a token).", directives=[SIGNED_IN]
    )
    async def listing(self, info: Ctx) -> ListingDetails:
        await signed_in(info.context, "reading a mine's listing details")
        return ListingDetails.from_record(self.record)

    @strawberry.field(
        description="The three licences (needs a token).",
        directives=[SIGNED_IN],
        graphql_type=list[Licence],
    )
    def licences(self, info: Ctx) -> MaybeAwaitable[list[Licence]]:
        loader = info.context.mines.licences
        return as_caller(
            info.context,
            lambda actor: require_signed_in(actor, "reading a mine's licences"),
            lambda: then(ready(loader, self.licence_number), _licences_of),
        )

    @strawberry.field(
        description="Every lifecycle step, oldest first (needs a token).",
        directives=[SIGNED_IN],
        graphql_type=list[LifecycleEvent],
    )
    def history(self, info: Ctx) -> MaybeAwaitable[list[LifecycleEvent]]:
        loaders = info.context.mines
        # a list of mines shows the steps only: then only they are read (and loaded with it)
        brief = names_below(info) <= EVENT_BRIEF

        def events() -> MaybeAwaitable[list[LifecycleEvent]]:
            if brief:
                return then(ready(loaders.history_briefs, self.licence_number), _briefs_of)
            return then(ready(loaders.history, self.licence_number), _events_of)

        return as_caller(
            info.context,
            lambda actor: require_signed_in(actor, "reading a mine's history"),
            events,
        )

    @strawberry.field(
        description="Objections to its public notices (needs a token).", directives=[SIGNED_IN]
    )
    async def objections(self, info: Ctx) -> list[Objection]:
        await signed_in(info.context, "reading a mine's objections")
        records = await info.context.mines.objections.load(self.licence_number)
        return [Objection.from_record(r) for r in records]

    @strawberry.field(
        description="Rectifications ordered, oldest first (needs a token).", directives=[SIGNED_IN]
    )
    async def rectifications(self, info: Ctx) -> list[Rectification]:
        await signed_in(info.context, "reading a mine's rectifications")
        records = await info.context.mines.rectifications.load(self.licence_number)
        return [Rectification.from_record(r) for r in records]

    @strawberry.field(description="Its spot-check results (needs a token).", directives=[SIGNED_IN])
    async def spot_check_results(self, info: Ctx) -> list[SpotCheckResult]:
        await signed_in(info.context, "reading a mine's spot-check results")
        records = await info.context.mines.check_results.load(self.licence_number)
        return [SpotCheckResult.from_record(r) for r in records]

    @strawberry.field(
        description="The steps its status allows now (needs a token).", directives=[SIGNED_IN]
    )
    async def allowed_transitions(self, info: Ctx) -> list[LifecycleTransition]:
        await signed_in(info.context, "reading a mine's allowed transitions")
        return [LifecycleTransition.from_transition(t) for t in lifecycle.allowed_from(self.status)]

    @strawberry.field(
        description=f"Cases filed against it that you may read (≤ {MAX_PAGE_SIZE}).",
        directives=[SIGNED_IN],
        graphql_type=Connection[Case],
    )
    def cases(
        self,
        info: Ctx,
        first: int | None = DEFAULT_MINE_CASES,
        after: str | None = None,
        filter: CaseFilter | None = None,
        sort: CaseSort = CaseSort.FILED_AT_DESC,
    ) -> MaybeAwaitable[Connection[Case]]:
        return mine_cases(
            info, self.licence_number, first=first, after=after, filter=filter, sort=sort
        )

    @strawberry.field(
        description="Administrative penalties imposed on it (needs a token).",
        directives=[SIGNED_IN],
    )
    async def penalties(self, info: Ctx) -> list[Penalty]:
        return await mine_penalties(info, self.licence_number)
