"""Administrative penalties (二(四)): imposed on a mine by a department, with a performance
deadline, carried out or not, and marked for publication in the national enterprise credit
information publicity system (the seeded Register `national_credit_publicity_system`).

    (:Penalty {id, decisionNumber, mine, prefecture, company, issuingDepartment, decidedOn,
               performanceDeadline, description, amount, case, executedOn, publication,
               publishedOn, publicationReference, ...})
    (:Penalty)-[:IMPOSED_ON]->(:Mine), -[:ISSUED_BY]->(:Department)
    (:Penalty)-[:TO_BE_PUBLISHED_IN]->(:Register), later also -[:PUBLISHED_IN {on, reference}]->
    (:Case)-[:RESULTED_IN]->(:Penalty)         -- when the penalty came out of a case

A penalty not carried out by its deadline is removal condition 2 (二(四)2); screening reads it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph import statements
from graph.audit import AUDIT_CREATE, AuditEntry
from graph.document import RegisterRecord
from graph.engine import Engine
from graph.keyset import sorted_page
from graph.statements import Statement
from graph.values import camel_params


class PenaltySort(StrEnum):
    DECIDED_ON_DESC = "DECIDED_ON_DESC"
    DECIDED_ON_ASC = "DECIDED_ON_ASC"
    DEADLINE_ASC = "DEADLINE_ASC"


@dataclass(frozen=True)
class PenaltyRecord:
    id: str
    decision_number: str
    mine: str
    prefecture: str
    company: str
    issuing_department: str
    decided_on: str
    performance_deadline: str
    description: str
    amount: float | None
    case: str | None
    executed_on: str | None
    publication: str
    published_on: str | None
    publication_reference: str | None
    register: str
    actor: str
    recorded_at: str
    synthetic: bool


@dataclass(frozen=True)
class PenaltyFilter:
    mines: list[str] | None = None
    prefectures: list[str] | None = None
    issuing_departments: list[str] | None = None
    publication: list[str] | None = None
    execution: list[str] | None = None
    decided_from: str | None = None
    decided_to: str | None = None
    #: the day execution states are judged on (OVERDUE: past its deadline, not carried out)
    today: str = ""
    synthetic: bool | None = None

    def params(self) -> dict[str, object]:
        return camel_params(self)


PENALTY_COLUMNS = """
    p.id AS id, p.decisionNumber AS decision_number, p.mine AS mine,
    p.prefecture AS prefecture, p.company AS company,
    p.issuingDepartment AS issuing_department, p.decidedOn AS decided_on,
    p.performanceDeadline AS performance_deadline, p.description AS description,
    p.amount AS amount, p.case AS case, p.executedOn AS executed_on,
    p.publication AS publication, p.publishedOn AS published_on,
    p.publicationReference AS publication_reference, p.register AS register,
    p.actor AS actor, p.recordedAt AS recorded_at, coalesce(p.synthetic, false) AS synthetic
"""

#: the penalty's execution state on `$today` (resolvers/penalties.py computes the same)
EXECUTION_STATE = """
    CASE WHEN p.executedOn IS NOT NULL AND p.executedOn <= p.performanceDeadline THEN 'EXECUTED'
         WHEN p.executedOn IS NOT NULL AND p.executedOn <= $today THEN 'EXECUTED_LATE'
         WHEN p.performanceDeadline < $today THEN 'OVERDUE'
         ELSE 'PENDING' END
"""

_FILTER = f"""
    ($mines IS NULL OR p.mine IN $mines)
    AND ($prefectures IS NULL OR p.prefecture IN $prefectures)
    AND ($issuingDepartments IS NULL OR p.issuingDepartment IN $issuingDepartments)
    AND ($publication IS NULL OR p.publication IN $publication)
    AND ($execution IS NULL OR {EXECUTION_STATE} IN $execution)
    AND ($decidedFrom IS NULL OR p.decidedOn >= $decidedFrom)
    AND ($decidedTo IS NULL OR p.decidedOn <= $decidedTo)
    AND ($synthetic IS NULL OR coalesce(p.synthetic, false) = $synthetic)
"""

RECORD = statements.write(
    "penalties.record",
    f"""
    MATCH (m:Mine {{licenceNumber: $penalty.mine}}),
          (issuer:Department {{code: $penalty.issuingDepartment}}),
          (register:Register {{code: $penalty.register}})
    OPTIONAL MATCH (c:Case {{id: $caseId}})
    FOREACH (x IN CASE WHEN c IS NULL THEN [] ELSE [c] END | SET x.state = x.state)
    WITH m, issuer, register, c
    WHERE $caseId IS NULL
       OR (c IS NOT NULL AND c.state IN $expected AND c.mine = m.licenceNumber)
    CREATE (p:Penalty {{id: $penalty.id, numberKey: $penalty.numberKey,
            decisionNumber: $penalty.decisionNumber,
            mine: m.licenceNumber, prefecture: m.prefecture, company: m.company,
            issuingDepartment: $penalty.issuingDepartment, decidedOn: $penalty.decidedOn,
            performanceDeadline: $penalty.performanceDeadline,
            description: $penalty.description, amount: $penalty.amount, case: $caseId,
            publication: $penalty.publication, register: $penalty.register,
            actor: $penalty.actor, recordedAt: $penalty.recordedAt, synthetic: false}})
    CREATE (p)-[:IMPOSED_ON]->(m)
    CREATE (p)-[:ISSUED_BY]->(issuer)
    CREATE (p)-[:TO_BE_PUBLISHED_IN]->(register)
    FOREACH (x IN CASE WHEN c IS NULL THEN [] ELSE [c] END |
        CREATE (x)-[:RESULTED_IN]->(p)
        SET x.departments = coalesce(x.departments, []) +
                [y IN [$penalty.issuingDepartment] WHERE NOT y IN coalesce(x.departments, [])],
            x.eventCount = coalesce(x.eventCount, 0) + 1
        CREATE (x)-[:HAS_EVENT]->(e:CaseEvent {{id: $step.id, seq: x.eventCount,
                action: $step.action, fromState: x.state, toState: x.state,
                occurredOn: $step.occurredOn, actor: $step.actor, role: $step.role,
                department: $step.department, details: $step.details,
                clauseRef: $step.clauseRef, recordedAt: $step.recordedAt, synthetic: false}})
        CREATE (e)-[:ABOUT]->(p))
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(p)
    FOREACH (x IN CASE WHEN c IS NULL THEN [] ELSE [c] END | CREATE (audit)-[:CHANGED]->(x))
    RETURN {PENALTY_COLUMNS}
    """,
)

#: `publication` is never null: setting it to itself takes the penalty's write lock (Neo4j)
_LOCK = "SET p.publication = p.publication"

RECORD_EXECUTION = statements.write(
    "penalties.record_execution",
    f"""
    MATCH (p:Penalty {{id: $id}})
    {_LOCK}
    WITH p
    WHERE p.executedOn IS NULL
    SET p.executedOn = $executedOn
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(p)
    RETURN {PENALTY_COLUMNS}
    """,
)

RECORD_PUBLICATION = statements.write(
    "penalties.record_publication",
    f"""
    MATCH (p:Penalty {{id: $id}})-[:TO_BE_PUBLISHED_IN]->(register:Register)
    {_LOCK}
    WITH p, register
    WHERE p.publication = $pending
    SET p.publication = $published, p.publishedOn = $publishedOn,
        p.publicationReference = $reference
    CREATE (p)-[:PUBLISHED_IN {{on: $publishedOn, reference: $reference}}]->(register)
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(p)
    RETURN {PENALTY_COLUMNS}
    """,
)

BY_ID = statements.read(
    "penalties.by_id",
    f"""
    UNWIND $ids AS penaltyId
    MATCH (p:Penalty {{id: penaltyId}})
    RETURN {PENALTY_COLUMNS}
    """,
)

OF_MINES = statements.read(
    "penalties.of_mines",
    f"""
    UNWIND $licences AS licence
    MATCH (p:Penalty {{mine: licence}})
    RETURN {PENALTY_COLUMNS}
    ORDER BY p.decidedOn, p.id
    """,
)

OF_CASES = statements.read(
    "penalties.of_cases",
    f"""
    UNWIND $ids AS caseId
    MATCH (:Case {{id: caseId}})-[:RESULTED_IN]->(p:Penalty)
    RETURN {PENALTY_COLUMNS}
    ORDER BY p.decidedOn, p.id
    """,
)

REGISTERS_BY_CODE = statements.read(
    "penalties.registers_by_code",
    """
    UNWIND $codes AS code
    MATCH (x:Register {code: code})
    OPTIONAL MATCH (x)-[:FROM_CLAUSE]->(c:Clause)
    OPTIONAL MATCH (x)-[:MAINTAINED_BY]->(d:Department)
    WITH x, c, d ORDER BY d.order
    RETURN x.code AS code, x.nameZh AS name_zh, x.nameEn AS name_en, x.external AS external,
           collect(d.code) AS keeper_codes, c.ref AS clause_ref
    """,
)

_SORTS: dict[PenaltySort, tuple[str, bool]] = {
    PenaltySort.DECIDED_ON_DESC: ("p.decidedOn", True),
    PenaltySort.DECIDED_ON_ASC: ("p.decidedOn", False),
    PenaltySort.DEADLINE_ASC: ("p.performanceDeadline", False),
}


def _page(sort: PenaltySort) -> Statement:
    key, descending = _SORTS[sort]
    tail = sorted_page(
        carry="p",
        key=key,
        identity="p.id",
        identity_column="id",
        descending=descending,
        columns=PENALTY_COLUMNS,
    )
    return statements.read(
        f"penalties.page.{sort.value.lower()}",
        f"""
        MATCH (p:Penalty)
        WHERE {_FILTER}
        {tail}
        """,
    )


PAGES: dict[PenaltySort, Statement] = {s: _page(s) for s in PenaltySort}

COUNT = statements.read(
    "penalties.count",
    f"""
    MATCH (p:Penalty)
    WHERE {_FILTER}
    RETURN count(p) AS n
    """,
)


@dataclass(frozen=True)
class PenaltyRow:
    penalty: PenaltyRecord
    sort_key: str


def _record(row: Mapping[str, Any] | None) -> PenaltyRecord | None:
    if row is None:
        return None
    values = dict(row)
    if values["amount"] is not None:
        values["amount"] = float(values["amount"])
    return PenaltyRecord(**values)


async def record(
    engine: Engine,
    *,
    penalty: Mapping[str, Any],
    case_id: str | None,
    expected: Sequence[str],
    step: Mapping[str, Any],
    audit: AuditEntry,
) -> PenaltyRecord | None:
    """Create the penalty (and its case's step); None if the case's guard refused it."""
    result = await engine.write(
        RECORD,
        {
            "penalty": dict(penalty),
            "caseId": case_id,
            "expected": list(expected),
            "step": dict(step),
            "audit": audit.params(),
        },
    )
    return _record(result.single())


async def record_execution(
    engine: Engine, penalty_id: str, executed_on: str, audit: AuditEntry
) -> PenaltyRecord | None:
    result = await engine.write(
        RECORD_EXECUTION, {"id": penalty_id, "executedOn": executed_on, "audit": audit.params()}
    )
    return _record(result.single())


async def record_publication(
    engine: Engine,
    penalty_id: str,
    *,
    pending: str,
    published: str,
    published_on: str,
    reference: str | None,
    audit: AuditEntry,
) -> PenaltyRecord | None:
    result = await engine.write(
        RECORD_PUBLICATION,
        {
            "id": penalty_id,
            "pending": pending,
            "published": published,
            "publishedOn": published_on,
            "reference": reference,
            "audit": audit.params(),
        },
    )
    return _record(result.single())


async def by_id(engine: Engine, ids: Sequence[str]) -> dict[str, PenaltyRecord]:
    found: dict[str, PenaltyRecord] = {}
    for row in (await engine.read(BY_ID, {"ids": list(ids)})).records:
        record_ = _record(row)
        assert record_ is not None
        found[record_.id] = record_
    return found


async def registers_by_code(engine: Engine, codes: Sequence[str]) -> dict[str, RegisterRecord]:
    result = await engine.read(REGISTERS_BY_CODE, {"codes": list(codes)})
    return {r.code: r for r in (RegisterRecord(**row) for row in result.records)}


async def _grouped(
    engine: Engine, statement: Statement, params: Mapping[str, Any], key: str
) -> dict[str, list[PenaltyRecord]]:
    grouped: dict[str, list[PenaltyRecord]] = defaultdict(list)
    for row in (await engine.read(statement, params)).records:
        record_ = _record(row)
        assert record_ is not None
        grouped[str(getattr(record_, key))].append(record_)
    return grouped


async def of_mines(engine: Engine, licences: Sequence[str]) -> dict[str, list[PenaltyRecord]]:
    return await _grouped(engine, OF_MINES, {"licences": list(licences)}, "mine")


async def of_cases(engine: Engine, ids: Sequence[str]) -> dict[str, list[PenaltyRecord]]:
    return await _grouped(engine, OF_CASES, {"ids": list(ids)}, "case")


async def page(
    engine: Engine,
    penalty_filter: PenaltyFilter,
    sort: PenaltySort,
    *,
    after_key: object,
    after_id: str | None,
    limit: int,
) -> list[PenaltyRow]:
    params = {
        **penalty_filter.params(),
        "afterKey": after_key,
        "afterId": after_id,
        "limit": limit,
    }
    rows = []
    for row in (await engine.read(PAGES[sort], params)).records:
        key = row.pop("sort_key")
        record_ = _record(row)
        assert record_ is not None
        rows.append(PenaltyRow(record_, key))
    return rows


async def count(engine: Engine, penalty_filter: PenaltyFilter) -> int:
    row = (await engine.read(COUNT, penalty_filter.params())).single()
    return int(row["n"]) if row else 0
