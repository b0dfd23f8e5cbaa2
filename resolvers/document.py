"""Reading the document graph: lookups that name what was not found."""

from __future__ import annotations

from graph import document
from graph.document import (
    AgendaItemRecord,
    ClauseRecord,
    DepartmentRecord,
    DocumentRecord,
    DutyRecord,
    JointMeetingRecord,
    PrincipleRecord,
    ProcedureRecord,
    RegisterRecord,
    RemovalConditionRecord,
    RuleRecord,
    WorkRequirementRecord,
)
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound

REMOVAL_CONDITION_COUNT = 14


async def the_document(ctx: Context) -> DocumentRecord:
    record = await document.document(ctx.engine)
    if record is None:
        raise NotFound("the document is not in the graph yet; run `greenmine seed`")
    return record


async def departments(ctx: Context) -> list[DepartmentRecord]:
    return await document.departments(ctx.engine)


async def department(ctx: Context, code: str, *, field: str = "code") -> DepartmentRecord:
    record = await ctx.loaders.department.load(code)
    if record is None:
        known = ", ".join(d.code for d in await document.departments(ctx.engine))
        raise NotFound(
            f"there is no department with code {code!r}; the codes are: {known}", field=field
        )
    return record


async def duties(ctx: Context) -> list[DutyRecord]:
    return await document.duties(ctx.engine)


async def duty(ctx: Context, code: str) -> DutyRecord:
    record = await ctx.loaders.duty.load(code)
    if record is None:
        raise NotFound(f"there is no duty with code {code!r}", field="code")
    return record


async def removal_conditions(ctx: Context) -> list[RemovalConditionRecord]:
    return await document.removal_conditions(ctx.engine)


async def removal_condition(
    ctx: Context, number: int, *, field: str = "number"
) -> RemovalConditionRecord:
    if not 1 <= number <= REMOVAL_CONDITION_COUNT:
        raise BadUserInput(
            f"{field} must be between 1 and {REMOVAL_CONDITION_COUNT}, not {number}", field=field
        )
    record = await ctx.loaders.condition.load(number)
    if record is None:
        raise NotFound(f"removal condition {number} is not in the graph yet", field=field)
    return record


async def clauses(ctx: Context) -> list[ClauseRecord]:
    return await document.clauses(ctx.engine)


async def clause(ctx: Context, ref: str) -> ClauseRecord:
    record = await ctx.loaders.clause.load(ref)
    if record is None:
        raise NotFound(
            f"there is no clause {ref!r}; refs look like 一, 二(二), 二(四)5, 三(四)", field="ref"
        )
    return record


async def joint_meeting(ctx: Context) -> JointMeetingRecord:
    record = await document.joint_meeting(ctx.engine)
    if record is None:
        raise NotFound("the joint meeting is not in the graph yet; run `greenmine seed`")
    return record


async def joint_meeting_members(ctx: Context, code: str) -> list[DepartmentRecord]:
    codes = await document.joint_meeting_members(ctx.engine, code)
    found = await ctx.loaders.department.load_many(codes)
    return [d for d in found if d is not None]


async def agenda(ctx: Context, code: str) -> list[AgendaItemRecord]:
    return await document.agenda(ctx.engine, code)


async def rules(ctx: Context) -> list[RuleRecord]:
    return await document.rules(ctx.engine)


async def work_requirements(ctx: Context) -> list[WorkRequirementRecord]:
    return await document.work_requirements(ctx.engine)


async def procedures(ctx: Context) -> list[ProcedureRecord]:
    return await document.procedures(ctx.engine)


async def registers(ctx: Context) -> list[RegisterRecord]:
    return await document.registers(ctx.engine)


async def principles(ctx: Context) -> list[PrincipleRecord]:
    return await document.principles(ctx.engine)
