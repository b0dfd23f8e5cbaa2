"""Use cases of the list lifecycle (二(三), 二(四)): apply, evaluate, verify, notice, objections,
list, re-check after rectification, removal for one of the 14 conditions.

Each one: checks the caller (an admin of Natural Resources), reads the mine, asks the state
machine (`resolvers/lifecycle.py`) whether the step is allowed from the mine's status, checks
the dates (never before the mine's last change, never in the future), and writes one guarded
statement. If the mine changed in between, the guard writes nothing and the caller gets a
CONFLICT naming the new state.

`plan()` is public so that other use cases (decisions on cases) can drive a transition from
their own write statement, composed from `graph/mine_model.py`'s fragments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph import lifecycle as graph_lifecycle
from graph.lifecycle import CloseRectification, NewObjection, ObjectionResolution
from graph.mine_model import EventParams, MineRecord
from resolvers import dates, document
from resolvers.auth import Actor, audit_entry
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.events import lifecycle_event, new_id
from resolvers.lifecycle import (
    Action,
    ListStatus,
    Transition,
    check_condition_number,
    recheck_action,
    removal_clause,
    require,
)
from resolvers.mine_access import REGISTRY_DEPARTMENT, list_admin
from resolvers.mines import existing

MAX_TEXT = 2000
MAX_NAME = 200
SUPERSEDED_NOTE = "公示未通过（另一异议成立），本异议随之了结"


@dataclass(frozen=True)
class Planned:
    """A transition checked against the mine as read, ready to be written."""

    mine: MineRecord
    current: ListStatus
    transition: Transition
    event: EventParams
    actor: Actor


def text(
    value: str | None, *, field: str, required: bool = False, maximum: int = MAX_TEXT
) -> str | None:
    cleaned = value.strip() if value is not None else ""
    if not cleaned:
        if required:
            raise BadUserInput(f"{field} is required", field=field)
        return None
    if len(cleaned) > maximum:
        raise BadUserInput(f"{field} must be at most {maximum} characters", field=field)
    return cleaned


async def departments(ctx: Context, codes: Sequence[str], *, field: str) -> list[str]:
    """Known department codes, each checked (NOT_FOUND names the one at fault)."""
    found = await ctx.loaders.department.load_many(list(codes))
    for i, (code, record) in enumerate(zip(codes, found, strict=True)):
        if record is None:
            await document.department(ctx, code, field=f"{field}[{i}]")  # raises, naming codes
    return list(dict.fromkeys(codes))


async def plan(
    ctx: Context,
    actor: Actor,
    licence_number: str,
    action: Action,
    *,
    occurred_on: dt.date,
    date_field: str,
    details: str | None = None,
    clause_ref: str | None = None,
    condition_number: int | None = None,
    department_codes: Sequence[str] = (),
) -> Planned:
    """Read the mine, check the step and its date, and build its event (nothing is written)."""
    mine = await existing(ctx, licence_number.strip().upper(), field="input.licenceNumber")
    current = ListStatus(mine.status)
    step = require(current, action, licence_number=mine.licence_number)
    dates.not_after_today(occurred_on, ctx.today(), field=date_field)
    dates.not_before(
        occurred_on,
        dates.parse(mine.status_since),
        field=date_field,
        what=f"the mine's last change of status (to {mine.status})",
    )
    event = lifecycle_event(
        step,
        current=current,
        occurred_on=occurred_on,
        actor=actor,
        at=ctx.clock(),
        details=details,
        clause_ref=clause_ref,
        condition_number=condition_number,
        departments=department_codes,
    )
    return Planned(mine, current, step, event, actor)


def audit_for(ctx: Context, planned: Planned, changes: Mapping[str, Any]) -> Any:
    mine = planned.mine.licence_number
    return audit_entry(
        planned.actor,
        planned.transition.mutation,
        f"mine {mine}: {planned.event.action} {planned.current.value} -> "
        f"{planned.event.to_status} on {planned.event.occurred_on}",
        {
            "mine": mine,
            "action": planned.event.action,
            "from": planned.current.value,
            "to": planned.event.to_status,
            "on": planned.event.occurred_on,
            **changes,
        },
        at=ctx.clock(),
    )


async def settled(ctx: Context, planned: Planned, written: MineRecord | None) -> MineRecord:
    """The mine after a guarded write; a CONFLICT naming its state if the guard refused it."""
    licence = planned.mine.licence_number
    ctx.mines.forget_mine(licence)
    if written is not None:
        ctx.mines.mine.prime(licence, written)
        return written
    fresh = await existing(ctx, licence, field="input.licenceNumber")
    status = ListStatus(fresh.status)
    require(status, planned.transition.action, licence_number=licence)
    raise Conflict(
        f"mine {licence} changed while this request was being handled (it is {status.value}); "
        "nothing was written; read it again and retry",
        field="input.licenceNumber",
        current=status.value,
        allowed=[],
    )


async def _transition(
    ctx: Context,
    planned: Planned,
    *,
    changes: Mapping[str, Any],
    set_properties: Mapping[str, Any] | None = None,
    no_open_objections: bool = False,
    close: CloseRectification | None = None,
) -> MineRecord:
    written = await graph_lifecycle.transition(
        ctx.engine,
        licence=planned.mine.licence_number,
        expected=planned.current.value,
        event=planned.event,
        audit=audit_for(ctx, planned, changes),
        set_properties=set_properties,
        no_open_objections=no_open_objections,
        close=close,
    )
    return await settled(ctx, planned, written)


# -- the steps -----------------------------------------------------------------------------


async def apply_for_listing(
    ctx: Context, licence_number: str, *, applied_on: dt.date, details: str | None
) -> MineRecord:
    actor = await list_admin(ctx, "applying a mine for the list")
    note = text(details, field="input.details")
    planned = await plan(
        ctx,
        actor,
        licence_number,
        Action.APPLY,
        occurred_on=applied_on,
        date_field="input.appliedOn",
        details=note,
    )
    # a new round: what belonged to an earlier application is cleared (the history keeps it)
    reset = {
        "appliedOn": applied_on.isoformat(),
        "evaluator": None,
        "evaluatedOn": None,
        "noticeStart": None,
        "noticeEnd": None,
        "listedOn": None,
        "removedOn": None,
        "rectificationDeadline": None,
        "openObjections": 0,
    }
    return await _transition(ctx, planned, changes={"details": note}, set_properties=reset)


async def record_evaluation(
    ctx: Context,
    licence_number: str,
    *,
    evaluator: str,
    report_date: dt.date,
    passed: bool,
    details: str | None,
) -> MineRecord:
    actor = await list_admin(ctx, "recording a third-party evaluation")
    who = text(evaluator, field="input.evaluator", required=True, maximum=MAX_NAME)
    note = text(details, field="input.details")
    action = Action.PASS_EVALUATION if passed else Action.FAIL_EVALUATION
    planned = await plan(
        ctx,
        actor,
        licence_number,
        action,
        occurred_on=report_date,
        date_field="input.reportDate",
        details=f"第三方评估机构：{who}" + (f"；{note}" if note else ""),
    )
    return await _transition(
        ctx,
        planned,
        changes={"evaluator": who, "reportDate": report_date.isoformat(), "passed": passed},
        set_properties={"evaluator": who, "evaluatedOn": report_date.isoformat()},
    )


async def record_verification(
    ctx: Context,
    licence_number: str,
    *,
    verified_on: dt.date,
    passed: bool,
    department_codes: Sequence[str],
    details: str | None,
) -> MineRecord:
    actor = await list_admin(ctx, "recording a verification")
    codes = await departments(ctx, department_codes, field="input.departmentCodes")
    if not [c for c in codes if c != REGISTRY_DEPARTMENT]:
        raise BadUserInput(
            "input.departmentCodes must name the co-building departments that took part "
            "(二(三)1: 省自然资源厅会同其他绿色矿山共建部门), "
            "at least one besides natural_resources",
            field="input.departmentCodes",
        )
    note = text(details, field="input.details")
    action = Action.PASS_VERIFICATION if passed else Action.FAIL_VERIFICATION
    planned = await plan(
        ctx,
        actor,
        licence_number,
        action,
        occurred_on=verified_on,
        date_field="input.verifiedOn",
        details=note,
        department_codes=[REGISTRY_DEPARTMENT, *codes],
    )
    first = planned.mine.verified_on or verified_on.isoformat()
    return await _transition(
        ctx,
        planned,
        changes={"verifiedOn": verified_on.isoformat(), "passed": passed, "departments": codes},
        set_properties={"verifiedOn": first} if passed else {},
    )


async def start_public_notice(
    ctx: Context,
    licence_number: str,
    *,
    starts_on: dt.date,
    ends_on: dt.date,
    details: str | None,
) -> MineRecord:
    actor = await list_admin(ctx, "starting a public notice")
    dates.range_in_order(starts_on, ends_on, start_field="input.startsOn", end_field="input.endsOn")
    note = text(details, field="input.details")
    planned = await plan(
        ctx,
        actor,
        licence_number,
        Action.START_NOTICE,
        occurred_on=starts_on,
        date_field="input.startsOn",
        details=note,
    )
    period = {"noticeStart": starts_on.isoformat(), "noticeEnd": ends_on.isoformat()}
    return await _transition(ctx, planned, changes=period, set_properties=period)


async def record_objection(
    ctx: Context,
    licence_number: str,
    *,
    received_on: dt.date,
    objector: str,
    summary: str,
) -> MineRecord:
    actor = await list_admin(ctx, "recording an objection")
    who = text(objector, field="input.objector", required=True, maximum=MAX_NAME)
    what = text(summary, field="input.summary", required=True)
    assert who is not None and what is not None
    planned = await plan(
        ctx,
        actor,
        licence_number,
        Action.RECORD_OBJECTION,
        occurred_on=received_on,
        date_field="input.receivedOn",
        details=what,
    )
    notice_end = dates.parse(planned.mine.notice_end)
    if notice_end is not None and received_on > notice_end:
        raise BadUserInput(
            f"input.receivedOn ({received_on.isoformat()}) is after the public notice ended "
            f"({notice_end.isoformat()}); only objections to the notice are recorded here",
            field="input.receivedOn",
        )
    objection = NewObjection(new_id(), received_on.isoformat(), who, what)
    written = await graph_lifecycle.record_objection(
        ctx.engine,
        licence=planned.mine.licence_number,
        expected=planned.current.value,
        objection=objection,
        event=planned.event,
        audit=audit_for(ctx, planned, {"objection": objection.params()}),
    )
    return await settled(ctx, planned, written)


async def resolve_objection(
    ctx: Context,
    licence_number: str,
    *,
    objection_id: str,
    resolved_on: dt.date,
    upheld: bool,
    resolution: str,
) -> MineRecord:
    actor = await list_admin(ctx, "resolving an objection")
    reason = text(resolution, field="input.resolution", required=True)
    assert reason is not None
    licence = licence_number.strip().upper()
    objections = await ctx.mines.objections.load(licence)
    objection = next((o for o in objections if o.id == objection_id), None)
    if objection is None:
        raise NotFound(
            f"mine {licence} has no objection with id {objection_id!r}", field="input.objectionId"
        )
    if objection.resolved_on is not None:
        raise Conflict(
            f"objection {objection_id} was already resolved on {objection.resolved_on}",
            field="input.objectionId",
        )
    dates.not_before(
        resolved_on,
        dates.parse(objection.received_on),
        field="input.resolvedOn",
        what="the day the objection was received",
    )
    action = Action.UPHOLD_OBJECTION if upheld else Action.DISMISS_OBJECTION
    planned = await plan(
        ctx,
        actor,
        licence,
        action,
        occurred_on=resolved_on,
        date_field="input.resolvedOn",
        details=reason,
    )
    decision = ObjectionResolution(
        objection_id, resolved_on.isoformat(), upheld, reason, SUPERSEDED_NOTE
    )
    written = await graph_lifecycle.resolve_objection(
        ctx.engine,
        licence=planned.mine.licence_number,
        expected=planned.current.value,
        resolution=decision,
        event=planned.event,
        audit=audit_for(ctx, planned, {"objection": decision.params()}),
    )
    return await settled(ctx, planned, written)


async def list_mine(
    ctx: Context, licence_number: str, *, listed_on: dt.date, details: str | None
) -> MineRecord:
    actor = await list_admin(ctx, "listing a mine")
    note = text(details, field="input.details")
    planned = await plan(
        ctx,
        actor,
        licence_number,
        Action.LIST,
        occurred_on=listed_on,
        date_field="input.listedOn",
        details=note,
    )
    notice_end = dates.parse(planned.mine.notice_end)
    dates.not_before(
        listed_on,
        notice_end,
        field="input.listedOn",
        what="the end of the public notice",
        strictly=True,
    )
    if planned.mine.open_objections:
        open_ids = [
            o.id
            for o in await ctx.mines.objections.load(planned.mine.licence_number)
            if o.resolved_on is None
        ]
        raise Conflict(
            f"mine {planned.mine.licence_number} has {len(open_ids)} unresolved objection(s) to "
            f"its public notice ({', '.join(open_ids)}); 二(三)1 lists a mine only when the "
            "notice draws no objection: resolve them first (resolveObjection)",
            field="input.licenceNumber",
            current=planned.current.value,
            allowed=[ListStatus.PUBLIC_NOTICE.value, ListStatus.REJECTED.value],
        )
    return await _transition(
        ctx,
        planned,
        changes={"listedOn": listed_on.isoformat()},
        set_properties={"listedOn": listed_on.isoformat(), "removedOn": None},
        no_open_objections=True,
    )


async def record_recheck(
    ctx: Context,
    licence_number: str,
    *,
    rechecked_on: dt.date,
    passed: bool,
    completed_on: dt.date | None,
    department_codes: Sequence[str],
    details: str | None,
) -> MineRecord:
    actor = await list_admin(ctx, "recording a re-check")
    codes = await departments(ctx, department_codes, field="input.departmentCodes")
    note = text(details, field="input.details")
    licence = licence_number.strip().upper()
    # the action depends on the rectification; plan with a placeholder, then re-plan
    mine = await existing(ctx, licence, field="input.licenceNumber")
    require(ListStatus(mine.status), Action.PASS_RECHECK, licence_number=licence)
    rectification = next(
        (r for r in await ctx.mines.rectifications.load(licence) if r.closed_on is None), None
    )
    if rectification is None:
        raise Conflict(
            f"mine {licence} has no open rectification to re-check",
            field="input.licenceNumber",
            current=mine.status,
            allowed=[],
        )
    found_on = dt.date.fromisoformat(rectification.found_on)
    deadline = dt.date.fromisoformat(rectification.deadline)
    if completed_on is not None:
        dates.not_before(
            completed_on,
            found_on,
            field="input.rectificationCompletedOn",
            what="the finding that required it",
        )
        if completed_on > rechecked_on:
            raise BadUserInput(
                f"input.rectificationCompletedOn ({completed_on.isoformat()}) is after "
                f"input.recheckedOn ({rechecked_on.isoformat()})",
                field="input.rectificationCompletedOn",
            )
    action = recheck_action(passed, completed_on, deadline)
    planned = await plan(
        ctx,
        actor,
        licence,
        action,
        occurred_on=rechecked_on,
        date_field="input.recheckedOn",
        details=note,
        department_codes=[REGISTRY_DEPARTMENT, *codes],
    )
    outcome = {
        Action.PASS_RECHECK: "PASSED",
        Action.FAIL_RECHECK: "FAILED",
        Action.RECTIFICATION_OVERDUE: "OVERDUE",
    }[action]
    removed = planned.transition.target is ListStatus.REMOVED
    return await _transition(
        ctx,
        planned,
        changes={
            "rectification": rectification.id,
            "deadline": rectification.deadline,
            "completedOn": completed_on.isoformat() if completed_on else None,
            "passed": passed,
            "outcome": outcome,
        },
        set_properties={
            "rectificationDeadline": None,
            **({"removedOn": rechecked_on.isoformat()} if removed else {}),
        },
        close=CloseRectification(
            rechecked_on.isoformat(), outcome, completed_on.isoformat() if completed_on else None
        ),
    )


async def remove_for_condition(
    ctx: Context,
    licence_number: str,
    *,
    condition_number: int,
    decided_on: dt.date,
    reason: str,
    department_codes: Sequence[str] = (),
) -> MineRecord:
    """二(四): Natural Resources removes a listed mine on one of the 14 conditions. A decision on
    a case can call this directly, or compose the same transition into its own statement."""
    actor = await list_admin(ctx, "removing a mine from the list")
    check_condition_number(condition_number, field="input.conditionNumber")
    why = text(reason, field="input.reason", required=True)
    codes = await departments(ctx, department_codes, field="input.departmentCodes")
    planned = await plan(
        ctx,
        actor,
        licence_number,
        Action.REMOVE_FOR_CONDITION,
        occurred_on=decided_on,
        date_field="input.decidedOn",
        details=why,
        clause_ref=removal_clause(condition_number),
        condition_number=condition_number,
        department_codes=codes,
    )
    return await _transition(
        ctx,
        planned,
        changes={"condition": condition_number, "reason": why},
        set_properties={"removedOn": decided_on.isoformat(), "rectificationDeadline": None},
        close=CloseRectification(decided_on.isoformat(), "SUPERSEDED_BY_REMOVAL", None),
    )
