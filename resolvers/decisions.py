"""Joint meetings and decisions (二(一), 二(四)): Natural Resources convenes the joint meeting of
the co-building departments, records each session (date, who attended, agenda), and decides the
referred cases on the feedback and the meeting's opinion: REMOVE the mine from the list citing a
removal condition, KEEP it, or have it RECTIFY by a deadline at most `rectification_max_months`
(Rule) after the decision.

A decision rests on a session held after the case was referred, and comes on or after that
session. REMOVE and RECTIFY move the mine through its lifecycle (`resolvers/lifecycle.py`:
REMOVE_FOR_CONDITION, RECTIFY_BY_DECISION) in the same statement as the decision, guarded on the
case's state and the mine's status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from graph import decisions
from graph.case_model import CaseRecord
from graph.decisions import (
    NewRectification,
    SessionFilter,
    SessionRecord,
    SessionSort,
)
from graph.mine_model import EventParams
from resolvers import dates, document, rules
from resolvers.auth import Actor, audit_entry, now_iso
from resolvers.case_access import acts_for, authorize
from resolvers.case_steps import (
    case_step,
    check_condition,
    existing_case,
    known_departments,
    required_text,
    settled,
    text,
)
from resolvers.case_workflow import CaseAction, CaseState, DecisionOutcome, require
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.events import new_id
from resolvers.lifecycle import (
    RECTIFICATION_RULE,
    Action,
    check_rectification_deadline,
    removal_clause,
)
from resolvers.listing import plan
from resolvers.loaders import forget
from resolvers.mine_access import REGISTRY_DEPARTMENT, signed_in
from resolvers.pagination import Page, make_page, page_request

MAX_TOPIC = 500
MAX_TOPICS = 20
SESSIONS_LIST = "jointMeetingSessions"
CASE_CLAUSE = "二(四)"
SUPERSEDED = "SUPERSEDED_BY_REMOVAL"


@dataclass(frozen=True)
class Meeting:
    held_on: dt.date
    department_codes: Sequence[str]
    agenda: Sequence[str]
    agenda_item_numbers: Sequence[int]
    summary: str | None


@dataclass(frozen=True)
class Ruling:
    case_id: str
    meeting_id: str
    outcome: DecisionOutcome
    decided_on: dt.date
    meeting_opinion: str
    reason: str
    condition_number: int | None = None
    rectification_deadline: dt.date | None = None
    measures: str | None = None


async def record_joint_meeting(ctx: Context, meeting: Meeting) -> SessionRecord:
    actor = await authorize(ctx, "recordJointMeeting")
    acts_for(actor, "recordJointMeeting", REGISTRY_DEPARTMENT, field="input")
    dates.not_after_today(meeting.held_on, ctx.today(), field="input.heldOn")
    body = await document.joint_meeting(ctx)
    codes = await known_departments(
        ctx, meeting.department_codes, field="input.attendingDepartmentCodes"
    )
    members = {d.code for d in await document.joint_meeting_members(ctx, body.code)}
    for i, code in enumerate(codes):
        if code not in members:
            raise BadUserInput(
                f"input.attendingDepartmentCodes[{i}] {code} is not a co-building department "
                f"of the joint meeting ({body.code})",
                field=f"input.attendingDepartmentCodes[{i}]",
            )
    if body.convener_code not in codes:
        raise BadUserInput(
            f"input.attendingDepartmentCodes must include {body.convener_code}: the joint "
            "meeting is convened by it (二(一): 由省自然资源厅召集)",
            field="input.attendingDepartmentCodes",
        )
    if len(codes) < 2:
        raise BadUserInput(
            "input.attendingDepartmentCodes must name the other co-building departments that "
            "attended (二(一): 其他绿色矿山共建部门指定专人参加), at least one",
            field="input.attendingDepartmentCodes",
        )
    if len(meeting.agenda) > MAX_TOPICS:
        raise BadUserInput(f"input.agenda has more than {MAX_TOPICS} items", field="input.agenda")
    topics = [
        required_text(t, field=f"input.agenda[{i}]", maximum=MAX_TOPIC)
        for i, t in enumerate(meeting.agenda)
    ]
    standing = {a.number for a in await document.agenda(ctx, body.code)}
    for i, number in enumerate(meeting.agenda_item_numbers):
        if number not in standing:
            raise BadUserInput(
                f"input.agendaItemNumbers[{i}] {number} is not an agenda item of the joint "
                f"meeting (二(一) names {', '.join(str(n) for n in sorted(standing))})",
                field=f"input.agendaItemNumbers[{i}]",
            )
    if not topics and not meeting.agenda_item_numbers:
        raise BadUserInput(
            "input.agenda or input.agendaItemNumbers must say what the session discussed",
            field="input.agenda",
        )
    session = {
        "id": new_id(),
        "heldOn": meeting.held_on.isoformat(),
        "body": body.code,
        "convener": body.convener_code,
        "departments": codes,
        "agenda": topics,
        "agendaItems": sorted(set(meeting.agenda_item_numbers)),
        "summary": text(meeting.summary, field="input.summary"),
        "actor": actor.user,
        "recordedAt": now_iso(ctx.clock()),
    }
    audit = audit_entry(
        actor,
        "recordJointMeeting",
        f"joint meeting session {session['id']} held on {session['heldOn']}",
        {"session": session},
        at=ctx.clock(),
    )
    record = await decisions.record_session(ctx.engine, session, audit)
    if record is None:  # the graph changed since the members were read; nothing was written
        raise Conflict(
            f"the joint meeting {body.code} or its members changed while this request was being "
            "handled; nothing was written; try again",
            field="input.attendingDepartmentCodes",
        )
    ctx.cases.session.prime(record.id, record, force=True)
    return record


@dataclass(frozen=True)
class _MineStep:
    """What a REMOVE or RECTIFY decision does to the mine, checked against it as read."""

    status: str
    event: EventParams
    set_properties: dict[str, object]
    rectification: NewRectification | None


async def _session_for(ctx: Context, case: CaseRecord, ruling: Ruling) -> SessionRecord:
    """The session the decision rests on: held on or after the referral, on or before the
    decision, which is itself on or after the referral and not in the future."""
    session = await ctx.cases.session.load(ruling.meeting_id.strip())
    if session is None:
        raise BadUserInput(
            f"input.meetingId: there is no joint-meeting session with id {ruling.meeting_id!r} "
            "(record it first with recordJointMeeting)",
            field="input.meetingId",
        )
    referral = await ctx.cases.referral.load(case.id)
    referred_on = dates.parse(referral.referred_on if referral else case.state_since)
    held_on = dt.date.fromisoformat(session.held_on)
    if referred_on is not None and held_on < referred_on:
        raise BadUserInput(
            f"input.meetingId: the session of {held_on.isoformat()} was held before the case "
            f"was referred ({referred_on.isoformat()}), so it cannot have given its opinion on "
            "the feedback",
            field="input.meetingId",
        )
    dates.not_after_today(ruling.decided_on, ctx.today(), field="input.decidedOn")
    dates.not_before(ruling.decided_on, referred_on, field="input.decidedOn", what="the referral")
    dates.not_before(
        ruling.decided_on, held_on, field="input.decidedOn", what="the joint meeting's session"
    )
    return session


def _condition_for(case: CaseRecord, ruling: Ruling) -> int | None:
    """The condition the decision cites (the case's unless given), and what each outcome needs."""
    condition = ruling.condition_number
    if condition is not None:
        check_condition(condition, field="input.conditionNumber")
    else:
        condition = case.condition_number
    if ruling.outcome is not DecisionOutcome.RECTIFY and (
        ruling.rectification_deadline is not None or ruling.measures
    ):
        raise BadUserInput(
            "input.rectificationDeadline and input.rectificationMeasures are for RECTIFY, "
            f"not {ruling.outcome.value}",
            field="input.rectificationDeadline",
        )
    if ruling.outcome is DecisionOutcome.REMOVE and condition is None:
        raise BadUserInput(
            "input.conditionNumber: a removal cites one of the 14 removal conditions of 二(四), "
            "and the case has none; give it",
            field="input.conditionNumber",
        )
    return condition


async def _mine_step(
    ctx: Context,
    actor: Actor,
    case: CaseRecord,
    ruling: Ruling,
    *,
    condition: int | None,
    reason: str,
    departments: Sequence[str],
) -> _MineStep | None:
    """The mine's lifecycle step for REMOVE or RECTIFY (None for KEEP), planned by the list's
    own rules (`resolvers.listing.plan`): a mine not in a state that allows it is a CONFLICT."""
    outcome, deadline, on = ruling.outcome, ruling.rectification_deadline, ruling.decided_on
    if outcome is DecisionOutcome.KEEP:
        return None
    if outcome is DecisionOutcome.RECTIFY:
        if deadline is None:
            raise BadUserInput(
                "input.rectificationDeadline is required to RECTIFY (明确整改期限)",
                field="input.rectificationDeadline",
            )
        months = int(await rules.value(ctx, RECTIFICATION_RULE))
        check_rectification_deadline(
            on, deadline, months, field="input.rectificationDeadline", found_field="input.decidedOn"
        )
    removing = outcome is DecisionOutcome.REMOVE
    action = Action.REMOVE_FOR_CONDITION if removing else Action.RECTIFY_BY_DECISION
    try:
        planned = await plan(
            ctx,
            actor,
            case.mine,
            action,
            occurred_on=on,
            date_field="input.decidedOn",
            details=reason,
            # the condition's clause; a rectification without one cites 二(四)
            clause_ref=removal_clause(condition) if condition is not None else None,
            condition_number=condition,
            department_codes=departments,
        )
    except Conflict as refused:
        raise Conflict(
            f"case {case.id}: {outcome.value} cannot be applied to its mine: {refused.message}",
            field="input.outcome",
            current=refused.current,
            allowed=refused.allowed,
        ) from None
    if removing:
        return _MineStep(
            planned.current.value,
            planned.event,
            {"removedOn": on.isoformat(), "rectificationDeadline": None},
            None,
        )
    assert deadline is not None
    measures = text(ruling.measures, field="input.rectificationMeasures")
    rectification = NewRectification(
        new_id(), on.isoformat(), deadline.isoformat(), reason, measures
    )
    return _MineStep(
        planned.current.value,
        planned.event,
        {"rectificationDeadline": deadline.isoformat()},
        rectification,
    )


async def decide_case(ctx: Context, ruling: Ruling) -> CaseRecord:
    actor = await authorize(ctx, "decideCase")
    case = await existing_case(ctx, ruling.case_id)
    acts_for(actor, "decideCase", REGISTRY_DEPARTMENT, field="input.caseId")
    current = CaseState(case.state)
    chosen = require(current, CaseAction.DECIDE, case_id=case.id)
    session = await _session_for(ctx, case, ruling)
    opinion = required_text(ruling.meeting_opinion, field="input.meetingOpinion")
    reason = required_text(ruling.reason, field="input.reason")
    condition = _condition_for(case, ruling)
    mine_step = await _mine_step(
        ctx, actor, case, ruling, condition=condition, reason=reason,
        departments=session.departments,
    )  # fmt: skip
    clause = removal_clause(condition) if condition is not None else CASE_CLAUSE
    deadline = ruling.rectification_deadline
    decision = {
        "id": new_id(),
        "meeting": session.id,
        "outcome": ruling.outcome.value,
        "decidedOn": ruling.decided_on.isoformat(),
        "meetingOpinion": opinion,
        "reason": reason,
        "conditionNumber": condition,
        "clauseRef": clause,
        "rectificationDeadline": deadline.isoformat() if deadline else None,
        "actor": actor.user,
        "recordedAt": now_iso(ctx.clock()),
    }
    decided = case_step(
        chosen,
        current=current,
        occurred_on=ruling.decided_on,
        actor=actor,
        at=ctx.clock(),
        details=f"{ruling.outcome.value}：{reason}",
        clause_ref=clause,
    )
    moved = (
        {"mine": case.mine, "from": mine_step.status, "to": mine_step.event.to_status,
         "action": mine_step.event.action,
         "rectification": mine_step.rectification.params() if mine_step.rectification else None}
        if mine_step else None
    )  # fmt: skip
    audit = audit_entry(
        actor,
        chosen.mutation,
        f"case {case.id} decided: {ruling.outcome.value} (mine {case.mine}, clause {clause})",
        {"case": case.id, "decision": decision, "mineTransition": moved},
        at=ctx.clock(),
    )
    written = await decisions.decide(
        ctx.engine,
        case_id=case.id,
        expected=[s.value for s in chosen.sources],
        decision=decision,
        step=decided,
        audit=audit,
        mine_status=mine_step.status if mine_step else None,
        event=mine_step.event if mine_step else None,
        set_properties=mine_step.set_properties if mine_step else None,
        close={"closedOn": ruling.decided_on.isoformat(), "outcome": SUPERSEDED,
               "completedOn": None},
        rectification=mine_step.rectification if mine_step else None,
    )  # fmt: skip
    ctx.mines.forget_mine(case.mine)
    forget(ctx.cases.session_decisions, session.id)
    if written is None and mine_step is not None:
        await _mine_unchanged(ctx, case.mine, mine_step.status)
    return await settled(ctx, case.id, CaseAction.DECIDE, written)


async def _mine_unchanged(ctx: Context, licence: str, status: str) -> None:
    """After a refused write: a CONFLICT naming the mine's state if that is what moved."""
    mine = await ctx.mines.mine.load(licence)
    if mine is not None and mine.status != status:
        raise Conflict(
            f"mine {licence} changed while this request was being handled (it is "
            f"{mine.status}); nothing was written; read it again and retry",
            field="input.outcome",
            current=mine.status,
            allowed=[],
        )


# -- reads ---------------------------------------------------------------------------------


async def session(ctx: Context, session_id: str) -> SessionRecord:
    await signed_in(ctx, "reading joint-meeting sessions")
    record = await ctx.cases.session.load(session_id.strip())
    if record is None:
        raise NotFound(f"there is no joint-meeting session with id {session_id!r}", field="id")
    return record


async def page_of_sessions(
    ctx: Context,
    *,
    first: int | None,
    after: str | None,
    held_from: dt.date | None,
    held_to: dt.date | None,
    departments: list[str] | None,
    sort: SessionSort,
) -> Page[SessionRecord]:
    await signed_in(ctx, "reading joint-meeting sessions")
    request = page_request(first, after, list_name=SESSIONS_LIST, sort=sort.value)
    dates.range_in_order(
        held_from, held_to, start_field="filter.heldFrom", end_field="filter.heldTo"
    )
    if departments:
        await known_departments(ctx, departments, field="filter.departments")
    session_filter = SessionFilter(
        held_from=held_from.isoformat() if held_from else None,
        held_to=held_to.isoformat() if held_to else None,
        departments=departments,
    )
    rows = await decisions.session_page(
        ctx.engine,
        session_filter,
        sort,
        after_key=request.after_key,
        after_id=request.after_id,
        limit=request.limit,
    )
    for row in rows:
        ctx.cases.session.prime(row.session.id, row.session)

    async def total() -> int:
        return await decisions.session_count(ctx.engine, session_filter)

    page = make_page(
        rows,
        request,
        list_name=SESSIONS_LIST,
        sort=sort.value,
        key_of=lambda r: r.sort_key,
        id_of=lambda r: r.session.id,
        total=total,
    )
    return Page(
        [r.session for r in page.items], page.cursors, page.has_next, page.has_previous, page.total
    )
