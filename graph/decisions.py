"""Joint-meeting sessions and the decisions Natural Resources takes on referred cases (二(一),
二(四)).

    (:JointMeetingSession {id, heldOn, departments, agenda, agendaItems, summary, ...})
        -[:SESSION_OF]->(:JointMeeting {code: 'joint_meeting'})
    (:JointMeetingSession)-[:ATTENDED_BY]->(:Department), -[:COVERED]->(:AgendaItem)
    (:JointMeetingSession)-[:DECIDED]->(:Decision {outcome, decidedOn, meetingOpinion, ...})
    (:Decision)-[:DECIDES]->(:Case), -[:CITES]->(:RemovalCondition), -[:REQUIRED]->(:Rectification)
    (:LifecycleEvent)-[:ABOUT]->(:Decision)          -- the mine's removal or rectification

A decision is one statement per outcome: KEEP changes the case only; REMOVE and RECTIFY also move
the mine through its lifecycle with `graph/mine_model.py`'s fragments, guarded on both the case's
state and the mine's status, so the decision, the mine's transition, both histories and the audit
land together or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph import statements
from graph.audit import AUDIT_CREATE, AuditEntry
from graph.case_model import CASE_COLUMNS, CASE_EVENT_CREATE, CASE_LOCK, CaseRecord, StepParams
from graph.document import AgendaItemRecord, JointMeetingRecord
from graph.engine import Engine
from graph.keyset import sorted_page
from graph.mine_model import (
    EVENT_CARRY,
    EVENT_CREATE,
    EVENT_REFS,
    MINE_LOCK,
    EventParams,
)
from graph.statements import Statement
from graph.values import camel_params


class SessionSort(StrEnum):
    HELD_ON_DESC = "HELD_ON_DESC"
    HELD_ON_ASC = "HELD_ON_ASC"


@dataclass(frozen=True)
class SessionRecord:
    id: str
    held_on: str
    body: str
    convener: str
    departments: list[str]
    agenda: list[str]
    agenda_items: list[int]
    summary: str | None
    actor: str
    recorded_at: str
    synthetic: bool


@dataclass(frozen=True)
class DecisionRecord:
    id: str
    case: str
    mine: str
    meeting: str
    outcome: str
    decided_on: str
    meeting_opinion: str
    reason: str
    condition_number: int | None
    clause_ref: str | None
    rectification_deadline: str | None
    actor: str
    recorded_at: str


@dataclass(frozen=True)
class SessionFilter:
    held_from: str | None = None
    held_to: str | None = None
    departments: list[str] | None = None
    synthetic: bool | None = None

    def params(self) -> dict[str, object]:
        return camel_params(self)


SESSION_COLUMNS = """
    s.id AS id, s.heldOn AS held_on, s.body AS body, s.convener AS convener,
    coalesce(s.departments, []) AS departments, coalesce(s.agenda, []) AS agenda,
    coalesce(s.agendaItems, []) AS agenda_items, s.summary AS summary, s.actor AS actor,
    s.recordedAt AS recorded_at, coalesce(s.synthetic, false) AS synthetic
"""

DECISION_COLUMNS = """
    d.id AS id, d.case AS case, d.mine AS mine, d.meeting AS meeting, d.outcome AS outcome,
    d.decidedOn AS decided_on, d.meetingOpinion AS meeting_opinion, d.reason AS reason,
    d.conditionNumber AS condition_number, d.clauseRef AS clause_ref,
    d.rectificationDeadline AS rectification_deadline, d.actor AS actor,
    d.recordedAt AS recorded_at
"""

_SESSION_FILTER = """
    ($heldFrom IS NULL OR s.heldOn >= $heldFrom)
    AND ($heldTo IS NULL OR s.heldOn <= $heldTo)
    AND ($departments IS NULL OR any(x IN $departments WHERE x IN s.departments))
    AND ($synthetic IS NULL OR coalesce(s.synthetic, false) = $synthetic)
"""

RECORD_SESSION = statements.write(
    "decisions.record_session",
    f"""
    MATCH (body:JointMeeting {{code: $session.body}})
    OPTIONAL MATCH (member:Department)-[:MEMBER_OF]->(body)
    WHERE member.code IN $session.departments
    WITH body, collect(DISTINCT member) AS attending
    WHERE size(attending) = size($session.departments)
    OPTIONAL MATCH (body)-[:HAS_AGENDA_ITEM]->(item:AgendaItem)
    WHERE item.number IN $session.agendaItems
    WITH body, attending, collect(DISTINCT item) AS items
    CREATE (s:JointMeetingSession {{id: $session.id, heldOn: $session.heldOn,
            body: $session.body, convener: $session.convener,
            departments: $session.departments, agenda: $session.agenda,
            agendaItems: $session.agendaItems, summary: $session.summary,
            actor: $session.actor, recordedAt: $session.recordedAt, synthetic: false}})
    CREATE (s)-[:SESSION_OF]->(body)
    FOREACH (x IN attending | CREATE (s)-[:ATTENDED_BY]->(x))
    FOREACH (x IN items | CREATE (s)-[:COVERED]->(x))
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(s)
    RETURN {SESSION_COLUMNS}
    """,
)

_DECISION_CREATE = """
CREATE (d:Decision {id: $decision.id, case: c.id, mine: m.licenceNumber, meeting: s.id,
        outcome: $decision.outcome, decidedOn: $decision.decidedOn,
        meetingOpinion: $decision.meetingOpinion, reason: $decision.reason,
        conditionNumber: $decision.conditionNumber, clauseRef: $decision.clauseRef,
        rectificationDeadline: $decision.rectificationDeadline, actor: $decision.actor,
        recordedAt: $decision.recordedAt, synthetic: coalesce(c.synthetic, false)})
CREATE (s)-[:DECIDED]->(d)
CREATE (d)-[:DECIDES]->(c)
FOREACH (_ IN CASE WHEN cited IS NULL THEN [] ELSE [1] END | CREATE (d)-[:CITES]->(cited))
"""


def _decision_end(*, with_mine: bool) -> str:
    """The case's step, the audit (of the case, the decision and, if it moved, the mine)."""
    mine = "CREATE (audit)-[:CHANGED]->(m)" if with_mine else ""
    return f"""
    {CASE_EVENT_CREATE}
    CREATE (step)-[:ABOUT]->(d)
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(c)
    CREATE (audit)-[:CHANGED]->(d)
    {mine}
    RETURN {CASE_COLUMNS}
    """


_HEAD = """
MATCH (c:Case {id: $caseId})-[:AGAINST]->(m:Mine), (s:JointMeetingSession {id: $decision.meeting})
"""

DECIDE_KEEP = statements.write(
    "decisions.decide.keep",
    f"""
    {_HEAD}
    {CASE_LOCK}
    WITH c, m, s
    WHERE c.state IN $expected
    OPTIONAL MATCH (cited:RemovalCondition {{number: $decision.conditionNumber}})
    WITH c, m, s, cited
    {_DECISION_CREATE}
    {_decision_end(with_mine=False)}
    """,
)

DECIDE_REMOVE = statements.write(
    "decisions.decide.remove",
    f"""
    {_HEAD}
    {CASE_LOCK}
    {MINE_LOCK}
    WITH c, m, s
    WHERE c.state IN $expected AND m.status = $expectedStatus
    OPTIONAL MATCH (cited:RemovalCondition {{number: $decision.conditionNumber}})
    OPTIONAL MATCH (m)-[:HAS_RECTIFICATION]->(open:Rectification)
    WHERE open.closedOn IS NULL
    {EVENT_REFS}
    WITH c, m, s, cited, collect(DISTINCT open) AS openRectifications, {EVENT_CARRY}
    {_DECISION_CREATE}
    SET m += $set
    FOREACH (r IN openRectifications |
        SET r.closedOn = $close.closedOn, r.outcome = $close.outcome,
            r.completedOn = $close.completedOn)
    {EVENT_CREATE}
    FOREACH (r IN openRectifications | CREATE (event)-[:ABOUT]->(r))
    CREATE (event)-[:ABOUT]->(d)
    {_decision_end(with_mine=True)}
    """,
)

DECIDE_RECTIFY = statements.write(
    "decisions.decide.rectify",
    f"""
    {_HEAD}
    {CASE_LOCK}
    {MINE_LOCK}
    WITH c, m, s
    WHERE c.state IN $expected AND m.status = $expectedStatus
    OPTIONAL MATCH (cited:RemovalCondition {{number: $decision.conditionNumber}})
    {EVENT_REFS}
    WITH c, m, s, cited, {EVENT_CARRY}
    {_DECISION_CREATE}
    SET m += $set
    CREATE (m)-[:HAS_RECTIFICATION]->(r:Rectification {{id: $rectification.id,
            foundOn: $rectification.foundOn, deadline: $rectification.deadline,
            findings: $rectification.findings, measures: $rectification.measures,
            synthetic: coalesce(m.synthetic, false)}})
    CREATE (d)-[:REQUIRED]->(r)
    {EVENT_CREATE}
    CREATE (event)-[:ABOUT]->(r)
    CREATE (event)-[:ABOUT]->(d)
    {_decision_end(with_mine=True)}
    """,
)

SESSIONS_BY_ID = statements.read(
    "decisions.sessions_by_id",
    f"""
    UNWIND $ids AS sessionId
    MATCH (s:JointMeetingSession {{id: sessionId}})
    RETURN {SESSION_COLUMNS}
    """,
)

DECISIONS_OF_SESSIONS = statements.read(
    "decisions.of_sessions",
    f"""
    UNWIND $ids AS sessionId
    MATCH (:JointMeetingSession {{id: sessionId}})-[:DECIDED]->(d:Decision)
    RETURN {DECISION_COLUMNS}
    ORDER BY d.decidedOn, d.id
    """,
)

DECISIONS_OF_CASES = statements.read(
    "decisions.of_cases",
    f"""
    UNWIND $ids AS caseId
    MATCH (d:Decision)-[:DECIDES]->(:Case {{id: caseId}})
    RETURN {DECISION_COLUMNS}
    """,
)


BODIES_BY_CODE = statements.read(
    "decisions.bodies_by_code",
    """
    UNWIND $codes AS code
    MATCH (j:JointMeeting {code: code})-[:CONVENED_BY]->(d:Department)
    OPTIONAL MATCH (j)-[:FROM_CLAUSE]->(c:Clause)
    RETURN j.code AS code, j.nameZh AS name_zh, j.nameEn AS name_en,
           j.attendanceZh AS attendance_zh, d.code AS convener_code, c.ref AS clause_ref
    """,
)

AGENDA_OF_BODIES = statements.read(
    "decisions.agenda_of_bodies",
    """
    UNWIND $codes AS code
    MATCH (:JointMeeting {code: code})-[:HAS_AGENDA_ITEM]->(a:AgendaItem)
    RETURN code AS body, a.number AS number, a.textZh AS text_zh, a.textEn AS text_en
    ORDER BY a.number
    """,
)


def _session_page(sort: SessionSort) -> Statement:
    tail = sorted_page(
        carry="s",
        key="s.heldOn",
        identity="s.id",
        identity_column="id",
        descending=sort is SessionSort.HELD_ON_DESC,
        columns=SESSION_COLUMNS,
    )
    return statements.read(
        f"decisions.sessions.page.{sort.value.lower()}",
        f"""
        MATCH (s:JointMeetingSession)
        WHERE {_SESSION_FILTER}
        {tail}
        """,
    )


SESSION_PAGES: dict[SessionSort, Statement] = {s: _session_page(s) for s in SessionSort}

SESSION_COUNT = statements.read(
    "decisions.sessions.count",
    f"""
    MATCH (s:JointMeetingSession)
    WHERE {_SESSION_FILTER}
    RETURN count(s) AS n
    """,
)


@dataclass(frozen=True)
class SessionRow:
    session: SessionRecord
    sort_key: str


@dataclass(frozen=True)
class NewRectification:
    id: str
    found_on: str
    deadline: str
    findings: str | None
    measures: str | None

    def params(self) -> dict[str, object]:
        return camel_params(self)


async def record_session(
    engine: Engine, session: Mapping[str, Any], audit: AuditEntry
) -> SessionRecord | None:
    """The session; None (nothing written) when the body is missing or one of the departments
    is not a member of it."""
    result = await engine.write(RECORD_SESSION, {"session": dict(session), "audit": audit.params()})
    row = result.single()
    return SessionRecord(**row) if row else None


async def decide(
    engine: Engine,
    *,
    case_id: str,
    expected: Sequence[str],
    decision: Mapping[str, Any],
    step: StepParams,
    audit: AuditEntry,
    mine_status: str | None = None,
    event: EventParams | None = None,
    set_properties: Mapping[str, Any] | None = None,
    close: Mapping[str, Any] | None = None,
    rectification: NewRectification | None = None,
) -> CaseRecord | None:
    """Record the decision (and the mine's transition, for REMOVE and RECTIFY); None if a guard
    refused it (the case's state or the mine's status changed since they were read)."""
    params: dict[str, object] = {
        "caseId": case_id,
        "expected": list(expected),
        "decision": dict(decision),
        "step": step.params(),
        "audit": audit.params(),
    }
    outcome = str(decision["outcome"])
    if outcome == "KEEP":
        statement = DECIDE_KEEP
    else:
        assert event is not None and mine_status is not None
        params |= {
            "expectedStatus": mine_status,
            "event": event.params(),
            "set": dict(set_properties or {}),
        }
        if outcome == "REMOVE":
            statement = DECIDE_REMOVE
            params["close"] = dict(close or {})
        else:
            assert rectification is not None
            statement = DECIDE_RECTIFY
            params["rectification"] = rectification.params()
    row = (await engine.write(statement, params)).single()
    return CaseRecord(**row) if row else None


async def bodies_by_code(engine: Engine, codes: Sequence[str]) -> dict[str, JointMeetingRecord]:
    result = await engine.read(BODIES_BY_CODE, {"codes": list(codes)})
    return {r.code: r for r in (JointMeetingRecord(**row) for row in result.records)}


async def agenda_of_bodies(
    engine: Engine, codes: Sequence[str]
) -> dict[str, list[AgendaItemRecord]]:
    grouped: dict[str, list[AgendaItemRecord]] = defaultdict(list)
    for row in (await engine.read(AGENDA_OF_BODIES, {"codes": list(codes)})).records:
        body = str(row.pop("body"))
        grouped[body].append(AgendaItemRecord(**row))
    return grouped


async def sessions_by_id(engine: Engine, ids: Sequence[str]) -> dict[str, SessionRecord]:
    result = await engine.read(SESSIONS_BY_ID, {"ids": list(ids)})
    return {r.id: r for r in (SessionRecord(**row) for row in result.records)}


async def decisions_of_sessions(
    engine: Engine, ids: Sequence[str]
) -> dict[str, list[DecisionRecord]]:
    grouped: dict[str, list[DecisionRecord]] = defaultdict(list)
    for row in (await engine.read(DECISIONS_OF_SESSIONS, {"ids": list(ids)})).records:
        record = DecisionRecord(**row)
        grouped[record.meeting].append(record)
    return grouped


async def decisions_of_cases(engine: Engine, ids: Sequence[str]) -> dict[str, DecisionRecord]:
    result = await engine.read(DECISIONS_OF_CASES, {"ids": list(ids)})
    return {r.case: r for r in (DecisionRecord(**row) for row in result.records)}


async def session_page(
    engine: Engine,
    session_filter: SessionFilter,
    sort: SessionSort,
    *,
    after_key: object,
    after_id: str | None,
    limit: int,
) -> list[SessionRow]:
    params = {
        **session_filter.params(),
        "afterKey": after_key,
        "afterId": after_id,
        "limit": limit,
    }
    rows = []
    for row in (await engine.read(SESSION_PAGES[sort], params)).records:
        key = row.pop("sort_key")
        rows.append(SessionRow(SessionRecord(**row), key))
    return rows


async def session_count(engine: Engine, session_filter: SessionFilter) -> int:
    row = (await engine.read(SESSION_COUNT, session_filter.params())).single()
    return int(row["n"]) if row else 0
