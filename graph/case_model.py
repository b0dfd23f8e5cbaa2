"""Shapes of cases in the graph, and the Cypher fragments every case write is composed of.

    (:Case {id, state, stateSince, mine, prefecture, reportingDepartment, foundOn, filedOn,
            filedAt, description, conditionNumber, classification, competentDepartments,
            departments, eventCount, evidenceCount, leadCount, lastLeadId, leadHolder})
    (:Case)-[:AGAINST]->(:Mine), -[:REPORTED_BY]->(:Department), -[:CITES]->(:RemovalCondition)
    (:Case)-[:HAS_EVIDENCE]->(:Evidence {seq, text, reference, addedOn, ...})
    (:Case)-[:HAS_SUGGESTION]->(:CaseSuggestion {rank, score, matchedTerms, ...})
    (:CaseSuggestion)-[:SUGGESTS]->(:Department)
    (:Case)-[:HAS_EVENT]->(:CaseEvent {seq, action, fromState, toState, occurredOn, ...})
    (:CaseEvent)-[:ABOUT]->(what it concerns: a referral, a decision, a lead transfer, a penalty)
    (:Case)-[:REFERRED_AS]->(:Referral)-[:FROM_DEPARTMENT|TO_DEPARTMENT]->(:Department)
    (:Case)-[:LEAD]->(:LeadTransfer)-[:NEXT]->(:LeadTransfer)...   -- the lead's path, in order
    (:JointMeetingSession)-[:DECIDED]->(:Decision)-[:DECIDES]->(:Case)
    (:Case)-[:RESULTED_IN]->(:Penalty)-[:IMPOSED_ON]->(:Mine)

`departments` lists every department that is part of the case (reporting, referred to, on the
lead's path, imposing a penalty in it): it is what an officer's read access is checked against.
Some properties repeat the mine's (`mine`, `prefecture`) so lists filter without a join.

A statement that changes a case's state is written as:

    MATCH (c:Case {id: $caseId}) ...
    {CASE_LOCK}                          -- lock the case, then guard on its state
    WITH c ... WHERE c.state IN $expected
    ... its own SETs and CREATEs ...
    {CASE_EVENT_CREATE}                  -- binds `step`
    {AUDIT_CREATE}                       -- binds `audit`
    CREATE (audit)-[:CHANGED]->(c)
    RETURN {CASE_COLUMNS}
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.values import camel_params

#: like MINE_LOCK: take the case's write lock before its state is read by the guard (Neo4j)
CASE_LOCK = "SET c.state = c.state"

CASE_EVENT_CREATE = """
SET c.eventCount = coalesce(c.eventCount, 0) + 1, c.state = $step.toState,
    c.stateSince = coalesce($step.stateSince, c.stateSince)
CREATE (c)-[:HAS_EVENT]->(step:CaseEvent {id: $step.id, seq: c.eventCount,
        action: $step.action, fromState: $step.fromState, toState: $step.toState,
        occurredOn: $step.occurredOn, actor: $step.actor, role: $step.role,
        department: $step.department, details: $step.details, clauseRef: $step.clauseRef,
        recordedAt: $step.recordedAt, synthetic: coalesce(c.synthetic, false)})
"""

#: adds the departments in `$joining` to the case's `departments` (who may read it)
CASE_JOIN = """
SET c.departments = coalesce(c.departments, []) +
    [x IN $joining WHERE NOT x IN coalesce(c.departments, [])]
"""

CASE_COLUMNS = """
    c.id AS id, c.state AS state, c.stateSince AS state_since, c.mine AS mine,
    c.prefecture AS prefecture, c.reportingDepartment AS reporting_department,
    c.foundOn AS found_on, c.filedOn AS filed_on, c.filedAt AS filed_at,
    c.description AS description, c.conditionNumber AS condition_number,
    c.classification AS classification,
    coalesce(c.competentDepartments, []) AS competent_departments,
    coalesce(c.departments, []) AS departments, coalesce(c.eventCount, 0) AS event_count,
    coalesce(c.evidenceCount, 0) AS evidence_count, coalesce(c.leadCount, 0) AS lead_count,
    c.lastLeadId AS last_lead_id, c.leadHolder AS lead_holder,
    coalesce(c.synthetic, false) AS synthetic
"""


@dataclass(frozen=True)
class CaseRecord:
    id: str
    state: str
    state_since: str
    mine: str
    prefecture: str
    reporting_department: str
    found_on: str
    filed_on: str
    filed_at: str
    description: str
    condition_number: int | None
    classification: str
    competent_departments: list[str]
    departments: list[str]
    event_count: int
    evidence_count: int
    lead_count: int
    last_lead_id: str | None
    #: who holds the lead on illegal acts now: the last transfer's receiver, else the reporter
    lead_holder: str
    synthetic: bool


@dataclass(frozen=True)
class StepParams:
    """One CaseEvent as the `$step` parameter of CASE_EVENT_CREATE."""

    id: str
    action: str
    from_state: str | None
    to_state: str
    occurred_on: str
    #: the new `stateSince`: the step's date when the state changes, else None
    state_since: str | None
    actor: str
    role: str
    department: str | None
    details: str | None
    clause_ref: str | None
    recorded_at: str

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class CaseEventRecord:
    case: str
    id: str
    seq: int
    action: str
    from_state: str | None
    to_state: str
    occurred_on: str
    actor: str
    role: str
    department: str | None
    details: str | None
    clause_ref: str | None
    recorded_at: str


CASE_EVENT_COLUMNS = """
    e.id AS id, e.seq AS seq, e.action AS action, e.fromState AS from_state,
    e.toState AS to_state, e.occurredOn AS occurred_on, e.actor AS actor, e.role AS role,
    e.department AS department, e.details AS details, e.clauseRef AS clause_ref,
    e.recordedAt AS recorded_at
"""


@dataclass(frozen=True)
class EvidenceRecord:
    case: str
    id: str
    seq: int
    text: str
    reference: str | None
    added_on: str
    added_by: str
    department: str | None


@dataclass(frozen=True)
class SuggestionRecord:
    case: str
    rank: int
    department: str
    score: float
    matched_terms: list[str]
    condition_number: int | None
    duty: str | None
    clause_ref: str | None
    explanation_zh: str
    explanation_en: str


@dataclass(frozen=True)
class ReferralRecord:
    id: str
    case: str
    mine: str
    prefecture: str
    from_department: str
    to_department: str
    referred_on: str
    recommendation: str
    recommended_outcome: str | None
    condition_number: int | None
    actor: str
    recorded_at: str


REFERRAL_COLUMNS = """
    r.id AS id, r.case AS case, r.mine AS mine, r.prefecture AS prefecture,
    r.fromDepartment AS from_department, r.toDepartment AS to_department,
    r.referredOn AS referred_on, r.recommendation AS recommendation,
    r.recommendedOutcome AS recommended_outcome, r.conditionNumber AS condition_number,
    r.actor AS actor, r.recordedAt AS recorded_at
"""


@dataclass(frozen=True)
class LeadTransferRecord:
    case: str
    id: str
    seq: int
    from_department: str
    to_department: str
    transferred_on: str
    summary: str
    actor: str
    role: str
    acting_department: str | None
    recorded_at: str


LEAD_COLUMNS = """
    t.id AS id, t.seq AS seq, t.fromDepartment AS from_department,
    t.toDepartment AS to_department, t.transferredOn AS transferred_on, t.summary AS summary,
    t.actor AS actor, t.role AS role, t.actingDepartment AS acting_department,
    t.recordedAt AS recorded_at
"""
