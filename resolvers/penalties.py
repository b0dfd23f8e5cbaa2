"""Administrative penalties (二(四)): the department that imposed one records it (decision date,
performance deadline), then whether and when it was carried out, and when it was published in the
national enterprise credit information publicity system (相关部门将涉企行政处罚信息统一归集至国家
企业信用信息公示系统，记于企业名下并向社会公示). Every penalty is marked for publication when it is
recorded; `penalties(filter: {publication: [PENDING]})` is what still has to be published.

A penalty not carried out by its deadline — still outstanding after it, or carried out late — is
removal condition 2 (二(四)2: 受到行政处罚后在履行期限内未执行到位的); screening flags it.

A penalty may come out of a case; then the issuing department must be part of the case (the lead
reached it), and the case's history records it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from graph import penalties
from graph.errors import ConstraintViolation
from graph.penalties import PenaltyFilter, PenaltyRecord, PenaltySort
from resolvers import dates
from resolvers.auth import Role, audit_entry, now_iso
from resolvers.case_access import acts_for, authorize
from resolvers.case_steps import (
    case_step,
    known_department,
    known_departments,
    required_text,
)
from resolvers.case_workflow import CaseAction, CaseState, require
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, Forbidden, NotFound
from resolvers.events import new_id
from resolvers.mine_access import signed_in
from resolvers.mines import prefectures_exist
from resolvers.pagination import Page, make_page, page_request

CREDIT_REGISTER = "national_credit_publicity_system"
PENALTY_CONDITION = 2
MAX_NUMBER = 100
PENALTIES_LIST = "penalties"


class PublicationStatus(StrEnum):
    PENDING = "PENDING"
    PUBLISHED = "PUBLISHED"


class ExecutionState(StrEnum):
    """A penalty on a given day: not yet due, carried out in time, late, or overdue."""

    PENDING = "PENDING"
    EXECUTED = "EXECUTED"
    EXECUTED_LATE = "EXECUTED_LATE"
    OVERDUE = "OVERDUE"


def execution_state(penalty: PenaltyRecord, day: dt.date) -> ExecutionState:
    """The same rule as `graph.penalties.EXECUTION_STATE`."""
    today = day.isoformat()
    executed = penalty.executed_on
    if executed is not None and executed <= penalty.performance_deadline:
        return ExecutionState.EXECUTED
    if executed is not None and executed <= today:
        return ExecutionState.EXECUTED_LATE
    if penalty.performance_deadline < today:
        return ExecutionState.OVERDUE
    return ExecutionState.PENDING


def meets_condition_2(penalty: PenaltyRecord, day: dt.date) -> bool:
    return execution_state(penalty, day) in (ExecutionState.EXECUTED_LATE, ExecutionState.OVERDUE)


@dataclass(frozen=True)
class NewPenalty:
    licence_number: str
    issuing_department: str
    decision_number: str
    decided_on: dt.date
    performance_deadline: dt.date
    description: str
    amount: float | None = None
    case_id: str | None = None


@dataclass(frozen=True)
class PenaltyQuery:
    mines: list[str] | None = None
    prefectures: list[str] | None = None
    issuing_departments: list[str] | None = None
    publication: list[PublicationStatus] | None = None
    execution: list[ExecutionState] | None = None
    decided_from: dt.date | None = None
    decided_to: dt.date | None = None
    synthetic: bool | None = None


async def existing_penalty(ctx: Context, penalty_id: str) -> PenaltyRecord:
    record = await ctx.cases.penalty.load(penalty_id.strip())
    if record is None:
        raise NotFound(f"there is no penalty with id {penalty_id!r}", field="input.penaltyId")
    return record


async def record_penalty(ctx: Context, new: NewPenalty) -> PenaltyRecord:
    actor = await authorize(ctx, "recordPenalty")
    acts_for(actor, "recordPenalty", new.issuing_department, field="input.issuingDepartmentCode")
    issuer = await known_department(
        ctx, new.issuing_department, field="input.issuingDepartmentCode"
    )
    licence = new.licence_number.strip().upper()
    mine = await ctx.mines.mine.load(licence)
    if mine is None:
        raise BadUserInput(
            f"input.licenceNumber: there is no mine with licence number {licence!r}",
            field="input.licenceNumber",
        )
    number = required_text(new.decision_number, field="input.decisionNumber", maximum=MAX_NUMBER)
    description = required_text(new.description, field="input.description")
    if new.amount is not None and new.amount < 0:
        raise BadUserInput(
            f"input.amount must not be negative, not {new.amount}", field="input.amount"
        )
    dates.not_after_today(new.decided_on, ctx.today(), field="input.decidedOn")
    if new.performance_deadline <= new.decided_on:
        raise BadUserInput(
            f"input.performanceDeadline ({new.performance_deadline.isoformat()}) must be after "
            f"input.decidedOn ({new.decided_on.isoformat()})",
            field="input.performanceDeadline",
        )
    expected: list[str] = []
    step: dict[str, object] = {}
    case_id = new.case_id.strip() if new.case_id else None
    if case_id is not None:
        case = await ctx.cases.case.load(case_id)
        if case is None:
            raise BadUserInput(
                f"input.caseId: there is no case with id {case_id!r}", field="input.caseId"
            )
        if case.mine != licence:
            raise BadUserInput(
                f"input.caseId: case {case_id} is against mine {case.mine}, not {licence}",
                field="input.caseId",
            )
        if actor.role is not Role.ADMIN and issuer not in case.departments:
            raise Forbidden(
                f"{issuer} is not part of case {case_id} (its lead has not reached it); "
                "a penalty is recorded in a case only by a department the case involves",
                field="input.caseId",
            )
        chosen = require(CaseState(case.state), CaseAction.RECORD_PENALTY, case_id=case_id)
        expected = [s.value for s in chosen.sources]
        step = case_step(
            chosen,
            current=CaseState(case.state),
            occurred_on=new.decided_on,
            actor=actor,
            at=ctx.clock(),
            details=f"{issuer}作出行政处罚（{number}），履行期限至{new.performance_deadline}",
        ).params()
    penalty = {
        "id": new_id(),
        "numberKey": f"{issuer}:{number}",
        "decisionNumber": number,
        "mine": licence,
        "issuingDepartment": issuer,
        "decidedOn": new.decided_on.isoformat(),
        "performanceDeadline": new.performance_deadline.isoformat(),
        "description": description,
        "amount": new.amount,
        "publication": PublicationStatus.PENDING.value,
        "register": CREDIT_REGISTER,
        "actor": actor.user,
        "recordedAt": now_iso(ctx.clock()),
    }
    audit = audit_entry(
        actor,
        "recordPenalty",
        f"penalty {number} by {issuer} on mine {licence}",
        {"penalty": penalty, "case": case_id},
        at=ctx.clock(),
    )
    try:
        record = await penalties.record(
            ctx.engine, penalty=penalty, case_id=case_id, expected=expected, step=step, audit=audit
        )
    except ConstraintViolation:
        raise Conflict(
            f"{issuer} already recorded a penalty numbered {number!r}",
            field="input.decisionNumber",
        ) from None
    if record is None:
        if case_id is not None:
            ctx.cases.forget_case(case_id)
            fresh = await ctx.cases.case.load(case_id)
            if fresh is not None:
                require(CaseState(fresh.state), CaseAction.RECORD_PENALTY, case_id=case_id)
        raise Conflict(
            f"the case {case_id} changed while this request was being handled; nothing was "
            "written; read it again and retry",
            field="input.caseId",
        )
    if case_id is not None:
        ctx.cases.forget_case(case_id)
    ctx.cases.forget_penalty(record)
    ctx.cases.penalty.prime(record.id, record, force=True)
    return record


async def record_execution(ctx: Context, penalty_id: str, executed_on: dt.date) -> PenaltyRecord:
    actor = await authorize(ctx, "recordPenaltyExecution")
    penalty = await existing_penalty(ctx, penalty_id)
    acts_for(actor, "recordPenaltyExecution", penalty.issuing_department, field="input.penaltyId")
    if penalty.executed_on is not None:
        raise Conflict(
            f"penalty {penalty.id} was already recorded as carried out on {penalty.executed_on}",
            field="input.penaltyId",
            current=execution_state(penalty, ctx.today()).value,
            allowed=[],
        )
    dates.not_after_today(executed_on, ctx.today(), field="input.executedOn")
    dates.not_before(
        executed_on,
        dates.parse(penalty.decided_on),
        field="input.executedOn",
        what="the penalty decision",
    )
    audit = audit_entry(
        actor,
        "recordPenaltyExecution",
        f"penalty {penalty.decision_number} carried out on {executed_on.isoformat()}"
        + (" (late)" if executed_on.isoformat() > penalty.performance_deadline else ""),
        {
            "penalty": penalty.id,
            "executedOn": executed_on.isoformat(),
            "deadline": penalty.performance_deadline,
        },
        at=ctx.clock(),
    )
    written = await penalties.record_execution(
        ctx.engine, penalty.id, executed_on.isoformat(), audit
    )
    ctx.cases.forget_penalty(penalty)
    if written is None:
        raise Conflict(
            f"penalty {penalty.id} was recorded as carried out while this request was being "
            "handled; nothing was written",
            field="input.penaltyId",
            current=ExecutionState.EXECUTED.value,
            allowed=[],
        )
    ctx.cases.penalty.prime(written.id, written, force=True)
    return written


async def record_publication(
    ctx: Context, penalty_id: str, published_on: dt.date, reference: str | None
) -> PenaltyRecord:
    actor = await authorize(ctx, "recordPenaltyPublication")
    penalty = await existing_penalty(ctx, penalty_id)
    acts_for(actor, "recordPenaltyPublication", penalty.issuing_department, field="input.penaltyId")
    if penalty.publication == PublicationStatus.PUBLISHED.value:
        raise Conflict(
            f"penalty {penalty.id} was already published on {penalty.published_on}",
            field="input.penaltyId",
            current=PublicationStatus.PUBLISHED.value,
            allowed=[],
        )
    dates.not_after_today(published_on, ctx.today(), field="input.publishedOn")
    dates.not_before(
        published_on,
        dates.parse(penalty.decided_on),
        field="input.publishedOn",
        what="the penalty decision",
    )
    ref = reference.strip() if reference and reference.strip() else None
    if ref is not None and len(ref) > MAX_NUMBER * 5:
        raise BadUserInput(
            "input.reference is too long (500 characters at most)", field="input.reference"
        )
    audit = audit_entry(
        actor,
        "recordPenaltyPublication",
        f"penalty {penalty.decision_number} published on {published_on.isoformat()}",
        {
            "penalty": penalty.id,
            "publishedOn": published_on.isoformat(),
            "reference": ref,
            "register": penalty.register,
        },
        at=ctx.clock(),
    )
    written = await penalties.record_publication(
        ctx.engine,
        penalty.id,
        pending=PublicationStatus.PENDING.value,
        published=PublicationStatus.PUBLISHED.value,
        published_on=published_on.isoformat(),
        reference=ref,
        audit=audit,
    )
    ctx.cases.forget_penalty(penalty)
    if written is None:
        raise Conflict(
            f"penalty {penalty.id} was published while this request was being handled; "
            "nothing was written",
            field="input.penaltyId",
            current=PublicationStatus.PUBLISHED.value,
            allowed=[],
        )
    ctx.cases.penalty.prime(written.id, written, force=True)
    return written


# -- reads ---------------------------------------------------------------------------------


async def penalty(ctx: Context, penalty_id: str) -> PenaltyRecord:
    await signed_in(ctx, "reading penalties")
    record = await ctx.cases.penalty.load(penalty_id.strip())
    if record is None:
        raise NotFound(f"there is no penalty with id {penalty_id!r}", field="id")
    return record


async def of_mine(ctx: Context, licence: str) -> list[PenaltyRecord]:
    await signed_in(ctx, "reading penalties")
    return await ctx.cases.mine_penalties.load(licence)


async def of_case(ctx: Context, case_id: str) -> list[PenaltyRecord]:
    await signed_in(ctx, "reading penalties")
    return await ctx.cases.case_penalties.load(case_id)


async def page_of_penalties(
    ctx: Context,
    *,
    first: int | None,
    after: str | None,
    query: PenaltyQuery,
    sort: PenaltySort,
) -> Page[PenaltyRecord]:
    await signed_in(ctx, "reading penalties")
    request = page_request(first, after, list_name=PENALTIES_LIST, sort=sort.value)
    await prefectures_exist(ctx, query.prefectures or [], field="filter.prefectures")
    if query.issuing_departments:
        await known_departments(ctx, query.issuing_departments, field="filter.issuingDepartments")
    dates.range_in_order(
        query.decided_from,
        query.decided_to,
        start_field="filter.decidedFrom",
        end_field="filter.decidedTo",
    )
    penalty_filter = PenaltyFilter(
        mines=[m.strip().upper() for m in query.mines] if query.mines is not None else None,
        prefectures=query.prefectures,
        issuing_departments=query.issuing_departments,
        publication=[p.value for p in query.publication] if query.publication else None,
        execution=[e.value for e in query.execution] if query.execution else None,
        decided_from=query.decided_from.isoformat() if query.decided_from else None,
        decided_to=query.decided_to.isoformat() if query.decided_to else None,
        today=ctx.today().isoformat(),
        synthetic=query.synthetic,
    )
    rows = await penalties.page(
        ctx.engine,
        penalty_filter,
        sort,
        after_key=request.after_key,
        after_id=request.after_id,
        limit=request.limit,
    )
    for row in rows:
        ctx.cases.penalty.prime(row.penalty.id, row.penalty)

    async def total() -> int:
        return await penalties.count(ctx.engine, penalty_filter)

    page = make_page(
        rows,
        request,
        list_name=PENALTIES_LIST,
        sort=sort.value,
        key_of=lambda r: r.sort_key,
        id_of=lambda r: r.penalty.id,
        total=total,
    )
    return Page(
        [r.penalty for r in page.items], page.cursors, page.has_next, page.has_previous, page.total
    )
