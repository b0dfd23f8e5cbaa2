"""Shapes of mines in the graph, and the Cypher fragments every mine write is composed of.

    (:Mine {licenceNumber, ..., status, statusSince, eventCount})-[:IN_PREFECTURE]->(:Prefecture)
    (:Mine)-[:HOLDS]->(:Licence {key, kind, number, validFrom, validUntil, revokedOn})
    (:Mine)-[:HAS_EVENT]->(:LifecycleEvent {seq, action, fromStatus, toStatus, occurredOn, ...})
    (:LifecycleEvent)-[:APPLIES]->(:Clause | :Rule), -[:CITES]->(:RemovalCondition),
    (:LifecycleEvent)-[:WITH_DEPARTMENT]->(:Department), -[:ABOUT]->(what it concerns)
    (:Mine)-[:HAS_OBJECTION]->(:Objection), (:Mine)-[:HAS_RECTIFICATION]->(:Rectification)

A statement that changes a mine's lifecycle is written as:

    MATCH (m:Mine {licenceNumber: $licence})      -- plus whatever else it needs
    {MINE_LOCK}                                   -- lock the mine, then guard on its status
    WITH m WHERE m.status IN $from ...
    {EVENT_REFS}
    WITH m, {EVENT_CARRY}
    ... its own SETs and CREATEs ...
    {EVENT_CREATE}                                -- binds `event`
    {AUDIT_CREATE}                                -- binds `audit` (graph/audit.py)
    CREATE (audit)-[:CHANGED]->(m)
    RETURN {MINE_COLUMNS}

so later work (decisions on cases) can drive a transition in the same single statement as its own
change. Every MATCH comes before the first CREATE (FalkorDB 4.16 mis-plans filters after CREATE).
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.makers import maker
from graph.values import camel_params

#: Neo4j reads committed data; taking the node's write lock before reading its status makes the
#: guard that follows see any transition that committed first, so two requests cannot both pass.
#: (FalkorDB runs writes one at a time, so there it is a no-op.)
MINE_LOCK = "SET m.status = m.status"

EVENT_REFS = """
OPTIONAL MATCH (clause:Clause {ref: $event.clauseRef})
OPTIONAL MATCH (rule:Rule {code: $event.ruleCode})
OPTIONAL MATCH (condition:RemovalCondition {number: $event.conditionNumber})
OPTIONAL MATCH (taking:Department) WHERE taking.code IN $event.departments
"""

EVENT_CARRY = "clause, rule, condition, collect(DISTINCT taking) AS takingPart"

EVENT_CREATE = """
SET m.eventCount = coalesce(m.eventCount, 0) + 1, m.status = $event.toStatus,
    m.statusSince = coalesce($event.statusSince, m.statusSince)
CREATE (m)-[:HAS_EVENT]->(event:LifecycleEvent {id: $event.id, seq: m.eventCount,
        action: $event.action, fromStatus: $event.fromStatus, toStatus: $event.toStatus,
        occurredOn: $event.occurredOn, actor: $event.actor, role: $event.role,
        department: $event.department, details: $event.details, clauseRef: $event.clauseRef,
        ruleCode: $event.ruleCode, conditionNumber: $event.conditionNumber,
        departments: $event.departments, recordedAt: $event.recordedAt,
        synthetic: coalesce(m.synthetic, false)})
FOREACH (_ IN CASE WHEN clause IS NULL THEN [] ELSE [1] END | CREATE (event)-[:APPLIES]->(clause))
FOREACH (_ IN CASE WHEN rule IS NULL THEN [] ELSE [1] END | CREATE (event)-[:APPLIES]->(rule))
FOREACH (_ IN CASE WHEN condition IS NULL THEN [] ELSE [1] END |
    CREATE (event)-[:CITES]->(condition))
FOREACH (d IN takingPart | CREATE (event)-[:WITH_DEPARTMENT]->(d))
"""

#: what a list of mines shows of each mine (`MineBrief`), first in `MINE_COLUMNS`
MINE_BRIEF_COLUMNS = """
    m.licenceNumber AS licence_number, m.name AS name, m.company AS company,
    m.mineral AS mineral, m.scale AS scale, m.stage AS stage, m.prefecture AS prefecture,
    m.county AS county, m.status AS status, m.statusSince AS status_since,
    m.listedOn AS listed_on
"""

MINE_COLUMNS = f"""{MINE_BRIEF_COLUMNS.rstrip()},
    m.productionStart AS production_start, m.appliedOn AS applied_on, m.evaluator AS evaluator,
    m.evaluatedOn AS evaluated_on, m.verifiedOn AS verified_on, m.noticeStart AS notice_start,
    m.noticeEnd AS notice_end, m.removedOn AS removed_on,
    m.rectificationDeadline AS rectification_deadline,
    coalesce(m.openObjections, 0) AS open_objections,
    coalesce(m.eventCount, 0) AS event_count, m.registeredAt AS registered_at,
    coalesce(m.synthetic, false) AS synthetic
"""


@dataclass(frozen=True)
class MineBrief:
    """What a list of mines shows of each mine (`MINE_BRIEF_COLUMNS`): the registry's facts and
    the status, not the listing process's dates."""

    licence_number: str
    name: str
    company: str
    mineral: str
    scale: str
    stage: str
    prefecture: str
    county: str
    status: str
    status_since: str | None
    listed_on: str | None


@dataclass(frozen=True)
class MineRecord(MineBrief):
    """A mine, whole (`MINE_COLUMNS`: its brief's columns, then these)."""

    production_start: str | None
    applied_on: str | None
    evaluator: str | None
    evaluated_on: str | None
    #: the first day the mine passed verification (核查验收), kept across re-applications
    verified_on: str | None
    notice_start: str | None
    notice_end: str | None
    removed_on: str | None
    #: the deadline of the open rectification, while there is one
    rectification_deadline: str | None
    open_objections: int
    event_count: int
    registered_at: str
    synthetic: bool


#: a `MineRecord`'s columns beyond its brief's, left empty
BEYOND_BRIEF: dict[str, object] = dict(
    production_start=None, applied_on=None, evaluator=None, evaluated_on=None,
    verified_on=None, notice_start=None, notice_end=None, removed_on=None,
    rectification_deadline=None, open_objections=0, event_count=0, registered_at="",
    synthetic=False,
)  # fmt: skip

_make_record = maker(MineRecord)


def brief_record(brief: MineBrief) -> MineRecord:
    """A record of a brief, the columns it does not read left empty: only for a selection that
    shows none of them (the caller checks it), and never cached."""
    return _make_record({**vars(brief), **BEYOND_BRIEF})


@dataclass(frozen=True)
class LicenceRecord:
    mine: str
    kind: str
    number: str
    valid_from: str | None
    valid_until: str | None
    revoked_on: str | None


@dataclass(frozen=True)
class EventParams:
    """One LifecycleEvent as the `$event` parameter of EVENT_REFS / EVENT_CREATE."""

    id: str
    action: str
    from_status: str | None
    to_status: str
    occurred_on: str
    #: the new `statusSince` of the mine: the event's date when the status changes, else None
    status_since: str | None
    actor: str
    role: str
    department: str | None
    details: str | None
    clause_ref: str | None
    rule_code: str | None
    condition_number: int | None
    departments: list[str]
    recorded_at: str

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class EventRecord:
    mine: str
    id: str
    seq: int
    action: str
    from_status: str | None
    to_status: str
    occurred_on: str
    actor: str
    role: str
    department: str | None
    details: str | None
    clause_ref: str | None
    rule_code: str | None
    condition_number: int | None
    departments: list[str]
    recorded_at: str


@dataclass(frozen=True)
class EventBrief:
    """What a list of mines shows of each lifecycle step: the step, not who took it or why."""

    mine: str
    seq: int
    action: str
    from_status: str | None
    to_status: str
    occurred_on: str


EVENT_BRIEF_COLUMNS = """
    e.seq AS seq, e.action AS action, e.fromStatus AS from_status, e.toStatus AS to_status,
    e.occurredOn AS occurred_on
"""

EVENT_COLUMNS = """
    e.id AS id, e.seq AS seq, e.action AS action, e.fromStatus AS from_status,
    e.toStatus AS to_status, e.occurredOn AS occurred_on, e.actor AS actor, e.role AS role,
    e.department AS department, e.details AS details, e.clauseRef AS clause_ref,
    e.ruleCode AS rule_code, e.conditionNumber AS condition_number,
    coalesce(e.departments, []) AS departments, e.recordedAt AS recorded_at
"""
