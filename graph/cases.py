"""Cases (二(四)): filing, classifying, evidence, referral to Natural Resources, withdrawing and
closing, the lead's path through the departments; batched reads for DataLoaders and keyset pages
of cases and referrals (one statement per sort order, see `resolvers/pagination.py`).

Each write is one guarded statement (see `graph/case_model.py`) returning the case's row (or the
new lead transfer's), or no row when its guard failed; then nothing was written.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from graph import statements
from graph.audit import AUDIT_CREATE, AuditEntry
from graph.case_model import (
    CASE_COLUMNS,
    CASE_EVENT_COLUMNS,
    CASE_EVENT_CREATE,
    CASE_JOIN,
    CASE_LOCK,
    LEAD_COLUMNS,
    REFERRAL_COLUMNS,
    CaseEventRecord,
    CaseRecord,
    EvidenceRecord,
    LeadTransferRecord,
    ReferralRecord,
    StepParams,
    SuggestionRecord,
)
from graph.engine import Engine
from graph.keyset import sorted_page, window_starts
from graph.statements import Statement
from graph.values import Result, camel_params

R = TypeVar("R")


class CaseSort(StrEnum):
    FILED_AT_DESC = "FILED_AT_DESC"
    FILED_AT_ASC = "FILED_AT_ASC"
    FOUND_ON_DESC = "FOUND_ON_DESC"
    FOUND_ON_ASC = "FOUND_ON_ASC"
    STATE_SINCE_DESC = "STATE_SINCE_DESC"


class ReferralSort(StrEnum):
    REFERRED_ON_DESC = "REFERRED_ON_DESC"
    REFERRED_ON_ASC = "REFERRED_ON_ASC"


@dataclass(frozen=True)
class _Sort:
    key: str
    #: the CaseRecord / ReferralRecord attribute the key is read from (to sort in Python alike)
    attribute: str
    descending: bool


_CASE_SORTS: dict[CaseSort, _Sort] = {
    CaseSort.FILED_AT_DESC: _Sort("c.filedAt", "filed_at", True),
    CaseSort.FILED_AT_ASC: _Sort("c.filedAt", "filed_at", False),
    CaseSort.FOUND_ON_DESC: _Sort("c.foundOn", "found_on", True),
    CaseSort.FOUND_ON_ASC: _Sort("c.foundOn", "found_on", False),
    CaseSort.STATE_SINCE_DESC: _Sort("c.stateSince", "state_since", True),
}
_REFERRAL_SORTS: dict[ReferralSort, _Sort] = {
    ReferralSort.REFERRED_ON_DESC: _Sort("r.referredOn", "referred_on", True),
    ReferralSort.REFERRED_ON_ASC: _Sort("r.referredOn", "referred_on", False),
}


def case_sort_key(sort: CaseSort, record: CaseRecord) -> str:
    return str(getattr(record, _CASE_SORTS[sort].attribute))


def case_sort_descending(sort: CaseSort) -> bool:
    return _CASE_SORTS[sort].descending


@dataclass(frozen=True)
class CaseFilter:
    """What cases may be filtered by; None means "any". Dates are ISO strings.

    `viewer`: an officer's department, which must be part of the case; None for admins and
    analysts, who read every case."""

    viewer: str | None = None
    mines: list[str] | None = None
    prefectures: list[str] | None = None
    reporting_departments: list[str] | None = None
    departments: list[str] | None = None
    states: list[str] | None = None
    conditions: list[int] | None = None
    found_from: str | None = None
    found_to: str | None = None
    filed_from: str | None = None
    filed_to: str | None = None
    synthetic: bool | None = None

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class ReferralFilter:
    viewer: str | None = None
    mines: list[str] | None = None
    prefectures: list[str] | None = None
    from_departments: list[str] | None = None
    conditions: list[int] | None = None
    case_states: list[str] | None = None
    referred_from: str | None = None
    referred_to: str | None = None

    def params(self) -> dict[str, object]:
        return camel_params(self)


_CASE_FILTER = """
    ($viewer IS NULL OR $viewer IN c.departments)
    AND ($mines IS NULL OR c.mine IN $mines)
    AND ($prefectures IS NULL OR c.prefecture IN $prefectures)
    AND ($reportingDepartments IS NULL OR c.reportingDepartment IN $reportingDepartments)
    AND ($departments IS NULL OR any(d IN $departments WHERE d IN c.departments))
    AND ($states IS NULL OR c.state IN $states)
    AND ($conditions IS NULL OR c.conditionNumber IN $conditions)
    AND ($foundFrom IS NULL OR c.foundOn >= $foundFrom)
    AND ($foundTo IS NULL OR c.foundOn <= $foundTo)
    AND ($filedFrom IS NULL OR c.filedOn >= $filedFrom)
    AND ($filedTo IS NULL OR c.filedOn <= $filedTo)
    AND ($synthetic IS NULL OR coalesce(c.synthetic, false) = $synthetic)
"""

_REFERRAL_FILTER = """
    ($viewer IS NULL OR $viewer IN c.departments)
    AND ($mines IS NULL OR r.mine IN $mines)
    AND ($prefectures IS NULL OR r.prefecture IN $prefectures)
    AND ($fromDepartments IS NULL OR r.fromDepartment IN $fromDepartments)
    AND ($conditions IS NULL OR r.conditionNumber IN $conditions)
    AND ($caseStates IS NULL OR c.state IN $caseStates)
    AND ($referredFrom IS NULL OR r.referredOn >= $referredFrom)
    AND ($referredTo IS NULL OR r.referredOn <= $referredTo)
"""


# -- writes --------------------------------------------------------------------------------

FILE = statements.write(
    "cases.file",
    f"""
    MATCH (m:Mine {{licenceNumber: $case.mine}}),
          (reporter:Department {{code: $case.reportingDepartment}})
    OPTIONAL MATCH (cited:RemovalCondition {{number: $case.conditionNumber}})
    OPTIONAL MATCH (suggested:Department) WHERE suggested.code IN $suggestedDepartments
    WITH m, reporter, cited, collect(DISTINCT suggested) AS suggestedDepartments
    CREATE (c:Case)
    SET c = $case
    CREATE (c)-[:AGAINST]->(m)
    CREATE (c)-[:REPORTED_BY]->(reporter)
    FOREACH (_ IN CASE WHEN cited IS NULL THEN [] ELSE [1] END | CREATE (c)-[:CITES]->(cited))
    FOREACH (e IN $evidence |
        CREATE (c)-[:HAS_EVIDENCE]->(:Evidence {{id: e.id, seq: e.seq, text: e.text,
                reference: e.reference, addedOn: e.addedOn, addedBy: e.addedBy,
                department: e.department, synthetic: false}}))
    FOREACH (s IN $suggestions |
        CREATE (c)-[:HAS_SUGGESTION]->(x:CaseSuggestion {{rank: s.rank, department: s.department,
                score: s.score, matchedTerms: s.matchedTerms, conditionNumber: s.conditionNumber,
                duty: s.duty, clauseRef: s.clauseRef, explanationZh: s.explanationZh,
                explanationEn: s.explanationEn, synthetic: false}})
        FOREACH (d IN [y IN suggestedDepartments WHERE y.code = s.department] |
            CREATE (x)-[:SUGGESTS]->(d)))
    {CASE_EVENT_CREATE}
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(c)
    RETURN {CASE_COLUMNS}
    """,
)

CLASSIFY = statements.write(
    "cases.classify",
    f"""
    MATCH (c:Case {{id: $caseId}})
    {CASE_LOCK}
    WITH c
    WHERE c.state IN $expected
    OPTIONAL MATCH (c)-[old:CITES]->(:RemovalCondition)
    OPTIONAL MATCH (cited:RemovalCondition {{number: $conditionNumber}})
    WITH c, cited, collect(old) AS previous
    FOREACH (x IN previous | DELETE x)
    SET c.conditionNumber = $conditionNumber, c.classification = $classification,
        c.competentDepartments = $competentDepartments
    FOREACH (_ IN CASE WHEN cited IS NULL THEN [] ELSE [1] END | CREATE (c)-[:CITES]->(cited))
    {CASE_EVENT_CREATE}
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(c)
    RETURN {CASE_COLUMNS}
    """,
)

ADD_EVIDENCE = statements.write(
    "cases.add_evidence",
    f"""
    MATCH (c:Case {{id: $caseId}})
    {CASE_LOCK}
    WITH c
    WHERE c.state IN $expected
    WITH c, coalesce(c.evidenceCount, 0) AS before
    FOREACH (e IN $evidence |
        CREATE (c)-[:HAS_EVIDENCE]->(:Evidence {{id: e.id, seq: before + e.seq, text: e.text,
                reference: e.reference, addedOn: e.addedOn, addedBy: e.addedBy,
                department: e.department, synthetic: coalesce(c.synthetic, false)}}))
    SET c.evidenceCount = before + size($evidence)
    {CASE_EVENT_CREATE}
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(c)
    RETURN {CASE_COLUMNS}
    """,
)

REFER = statements.write(
    "cases.refer",
    f"""
    MATCH (c:Case {{id: $caseId}}), (sender:Department {{code: $referral.fromDepartment}}),
          (receiver:Department {{code: $referral.toDepartment}})
    {CASE_LOCK}
    WITH c, sender, receiver
    WHERE c.state IN $expected
    CREATE (c)-[:REFERRED_AS]->(r:Referral {{id: $referral.id, case: c.id, mine: c.mine,
            prefecture: c.prefecture, fromDepartment: $referral.fromDepartment,
            toDepartment: $referral.toDepartment, referredOn: $referral.referredOn,
            recommendation: $referral.recommendation,
            recommendedOutcome: $referral.recommendedOutcome,
            conditionNumber: c.conditionNumber, actor: $referral.actor,
            recordedAt: $referral.recordedAt, synthetic: coalesce(c.synthetic, false)}})
    CREATE (r)-[:FROM_DEPARTMENT]->(sender)
    CREATE (r)-[:TO_DEPARTMENT]->(receiver)
    {CASE_JOIN}
    {CASE_EVENT_CREATE}
    CREATE (step)-[:ABOUT]->(r)
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(c)
    CREATE (audit)-[:CHANGED]->(r)
    RETURN {CASE_COLUMNS}
    """,
)

STEP = statements.write(
    "cases.step",
    f"""
    MATCH (c:Case {{id: $caseId}})
    {CASE_LOCK}
    WITH c
    WHERE c.state IN $expected
    {CASE_EVENT_CREATE}
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(c)
    RETURN {CASE_COLUMNS}
    """,
)

TRANSFER_LEAD = statements.write(
    "cases.transfer_lead",
    f"""
    MATCH (c:Case {{id: $caseId}}), (sender:Department {{code: $lead.fromDepartment}}),
          (receiver:Department {{code: $lead.toDepartment}})
    {CASE_LOCK}
    WITH c, sender, receiver
    WHERE c.state IN $expected AND coalesce(c.leadCount, 0) = $leadCount
      AND c.leadHolder = $lead.fromDepartment
    OPTIONAL MATCH (last:LeadTransfer {{id: $lastLeadId}})
    WITH c, sender, receiver, last
    CREATE (t:LeadTransfer {{id: $lead.id, seq: $leadCount + 1, case: c.id,
            fromDepartment: $lead.fromDepartment, toDepartment: $lead.toDepartment,
            transferredOn: $lead.transferredOn, summary: $lead.summary, actor: $lead.actor,
            role: $lead.role, actingDepartment: $lead.actingDepartment,
            recordedAt: $lead.recordedAt, synthetic: coalesce(c.synthetic, false)}})
    CREATE (t)-[:FROM_DEPARTMENT]->(sender)
    CREATE (t)-[:TO_DEPARTMENT]->(receiver)
    FOREACH (_ IN CASE WHEN last IS NULL THEN [1] ELSE [] END | CREATE (c)-[:LEAD]->(t))
    FOREACH (x IN CASE WHEN last IS NULL THEN [] ELSE [last] END | CREATE (x)-[:NEXT]->(t))
    SET c.leadCount = $leadCount + 1, c.lastLeadId = $lead.id,
        c.leadHolder = $lead.toDepartment
    {CASE_JOIN}
    {CASE_EVENT_CREATE}
    CREATE (step)-[:ABOUT]->(t)
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(c)
    CREATE (audit)-[:CHANGED]->(t)
    RETURN c.id AS case, {LEAD_COLUMNS}
    """,
)


# -- reads ---------------------------------------------------------------------------------

BY_ID = statements.read(
    "cases.by_id",
    f"""
    UNWIND $ids AS caseId
    MATCH (c:Case {{id: caseId}})
    RETURN {CASE_COLUMNS}
    """,
)

# the cases of each of `$licences` that the filter lets through: read by OF_MINES, counted by
# COUNTS_OF_MINES, which must agree
_CASES_OF_MINES = f"""
    UNWIND $licences AS licence
    MATCH (c:Case {{mine: licence}})
    WHERE {_CASE_FILTER}
"""

OF_MINES = statements.read(
    "cases.of_mines",
    f"""{_CASES_OF_MINES}
    RETURN licence AS owner, {CASE_COLUMNS}
    """,
)

COUNTS_OF_MINES = statements.read(
    "cases.counts_of_mines",
    f"""{_CASES_OF_MINES}
    RETURN licence AS owner, count(c) AS cases
    """,
)

EVIDENCE_OF = statements.read(
    "cases.evidence_of",
    """
    UNWIND $ids AS caseId
    MATCH (:Case {id: caseId})-[:HAS_EVIDENCE]->(e:Evidence)
    RETURN caseId AS case, e.id AS id, e.seq AS seq, e.text AS text, e.reference AS reference,
           e.addedOn AS added_on, e.addedBy AS added_by, e.department AS department
    ORDER BY e.seq
    """,
)

SUGGESTIONS_OF = statements.read(
    "cases.suggestions_of",
    """
    UNWIND $ids AS caseId
    MATCH (:Case {id: caseId})-[:HAS_SUGGESTION]->(s:CaseSuggestion)
    RETURN caseId AS case, s.rank AS rank, s.department AS department, s.score AS score,
           coalesce(s.matchedTerms, []) AS matched_terms, s.conditionNumber AS condition_number,
           s.duty AS duty, s.clauseRef AS clause_ref, s.explanationZh AS explanation_zh,
           s.explanationEn AS explanation_en
    ORDER BY s.rank
    """,
)

HISTORY_OF = statements.read(
    "cases.history_of",
    f"""
    UNWIND $ids AS caseId
    MATCH (:Case {{id: caseId}})-[:HAS_EVENT]->(e:CaseEvent)
    RETURN caseId AS case, {CASE_EVENT_COLUMNS}
    ORDER BY e.seq
    """,
)

REFERRALS_OF = statements.read(
    "cases.referrals_of",
    f"""
    UNWIND $ids AS caseId
    MATCH (:Case {{id: caseId}})-[:REFERRED_AS]->(r:Referral)
    RETURN {REFERRAL_COLUMNS}
    ORDER BY r.referredOn
    """,
)

# the chain is read by walking its path from the case, so the order is the path's
LEAD_CHAINS = statements.read(
    "cases.lead_chains",
    f"""
    UNWIND $ids AS caseId
    MATCH (:Case {{id: caseId}})-[:LEAD]->(first:LeadTransfer)
    MATCH p = (first)-[:NEXT*0..]->(t:LeadTransfer)
    RETURN caseId AS case, length(p) AS position, {LEAD_COLUMNS}
    ORDER BY case, position
    """,
)


def _page_statement(prefix: str, match: str, where: str, shape: _Sort, columns: str) -> Statement:
    node = shape.key.split(".")[0]
    carry = "c" if node == "c" else f"{node}, c"
    tail = sorted_page(
        carry=carry,
        key=f"coalesce({shape.key}, '')",
        identity=f"{node}.id",
        identity_column="id",
        descending=shape.descending,
        columns=columns,
    )
    return statements.read(
        prefix,
        f"""
        {match}
        WHERE {where}
        {tail}
        """,
    )


CASE_PAGES: dict[CaseSort, Statement] = {
    sort: _page_statement(
        f"cases.page.{sort.value.lower()}", "MATCH (c:Case)", _CASE_FILTER, shape, CASE_COLUMNS
    )
    for sort, shape in _CASE_SORTS.items()
}
REFERRAL_PAGES: dict[ReferralSort, Statement] = {
    sort: _page_statement(
        f"cases.referrals.page.{sort.value.lower()}",
        "MATCH (c:Case)-[:REFERRED_AS]->(r:Referral)",
        _REFERRAL_FILTER,
        shape,
        REFERRAL_COLUMNS,
    )
    for sort, shape in _REFERRAL_SORTS.items()
}


def _window(node: str, shape: _Sort, *, after: bool) -> str:
    """The MATCH of a window of a newest-first page, through the sort key's range index: rows
    from `$from` on, up to the cursor's key on a later page. FalkorDB's index may let rows past
    that upper bound through (FalkorDB/FalkorDB#2239); the page's cursor condition drops them."""
    bound = f"{shape.key} >= $from" + (f" AND {shape.key} <= $afterKey" if after else "")
    return f"MATCH ({node})\n        WHERE {bound}\n        WITH {node.split(':')[0]}"


SortT = TypeVar("SortT", CaseSort, ReferralSort)


def _windows(
    prefix: str, node: str, join: str, where: str, sorts: Mapping[SortT, _Sort], columns: str
) -> dict[tuple[SortT, bool], Statement]:
    """The windows of the newest-first pages (see `graph/keyset.py`) of `sorts`, on a first
    page and after a cursor; `join` matches the rest of the filter's pattern."""
    return {
        (sort, after): _page_statement(
            f"{prefix}.{sort.value.lower()}.window{'_after' if after else ''}",
            _window(node, shape, after=after) + join,
            where,
            shape,
            columns,
        )
        for sort, shape in sorts.items()
        if shape.descending
        for after in (False, True)
    }


CASE_WINDOWS = _windows("cases.page", "c:Case", "", _CASE_FILTER, _CASE_SORTS, CASE_COLUMNS)
REFERRAL_WINDOWS = _windows(
    "cases.referrals.page",
    "r:Referral",
    "\n        MATCH (c:Case)-[:REFERRED_AS]->(r)",
    _REFERRAL_FILTER,
    _REFERRAL_SORTS,
    REFERRAL_COLUMNS,
)

COUNT = statements.read(
    "cases.count",
    f"""
    MATCH (c:Case)
    WHERE {_CASE_FILTER}
    RETURN count(c) AS n
    """,
)

# an unfiltered count (an admin's or analyst's whole list) from the label's own count: the
# generic statement checks every filter's `$x IS NULL OR` on each case (20 ms for 50,000)
COUNT_ALL = statements.read("cases.count_all", "MATCH (c:Case) RETURN count(c) AS n")

REFERRAL_COUNT = statements.read(
    "cases.referrals.count",
    f"""
    MATCH (c:Case)-[:REFERRED_AS]->(r:Referral)
    WHERE {_REFERRAL_FILTER}
    RETURN count(r) AS n
    """,
)


# -- functions -----------------------------------------------------------------------------


def _case(result: Result) -> CaseRecord | None:
    row = result.single()
    return CaseRecord(**row) if row else None


def _grouped(result: Result, key: str, record_type: type[R]) -> dict[str, list[R]]:
    grouped: dict[str, list[R]] = defaultdict(list)
    for row in result.records:
        grouped[str(row[key])].append(record_type(**row))
    return grouped


def _compact(values: Mapping[str, Any]) -> dict[str, Any]:
    """Without nulls: `SET c = $case` on both engines stores no property for a null."""
    return {k: v for k, v in values.items() if v is not None}


async def file(
    engine: Engine,
    *,
    case: Mapping[str, Any],
    evidence: Sequence[Mapping[str, Any]],
    suggestions: Sequence[Mapping[str, Any]],
    step: StepParams,
    audit: AuditEntry,
) -> CaseRecord | None:
    """Create the case; None when its mine or reporting department is not in the graph."""
    result = await engine.write(
        FILE,
        {
            "case": _compact(case),
            "evidence": [dict(e) for e in evidence],
            "suggestions": [dict(s) for s in suggestions],
            "suggestedDepartments": sorted({str(s["department"]) for s in suggestions}),
            "step": step.params(),
            "audit": audit.params(),
        },
    )
    return _case(result)


async def classify(
    engine: Engine,
    *,
    case_id: str,
    expected: Sequence[str],
    condition_number: int | None,
    classification: str,
    competent_departments: Sequence[str],
    step: StepParams,
    audit: AuditEntry,
) -> CaseRecord | None:
    result = await engine.write(
        CLASSIFY,
        {
            "caseId": case_id,
            "expected": list(expected),
            "conditionNumber": condition_number,
            "classification": classification,
            "competentDepartments": list(competent_departments),
            "step": step.params(),
            "audit": audit.params(),
        },
    )
    return _case(result)


async def add_evidence(
    engine: Engine,
    *,
    case_id: str,
    expected: Sequence[str],
    evidence: Sequence[Mapping[str, Any]],
    step: StepParams,
    audit: AuditEntry,
) -> CaseRecord | None:
    result = await engine.write(
        ADD_EVIDENCE,
        {
            "caseId": case_id,
            "expected": list(expected),
            "evidence": [dict(e) for e in evidence],
            "step": step.params(),
            "audit": audit.params(),
        },
    )
    return _case(result)


async def refer(
    engine: Engine,
    *,
    case_id: str,
    expected: Sequence[str],
    referral: Mapping[str, Any],
    step: StepParams,
    audit: AuditEntry,
) -> CaseRecord | None:
    result = await engine.write(
        REFER,
        {
            "caseId": case_id,
            "expected": list(expected),
            "referral": dict(referral),
            "joining": [referral["toDepartment"]],
            "step": step.params(),
            "audit": audit.params(),
        },
    )
    return _case(result)


async def take_step(
    engine: Engine,
    *,
    case_id: str,
    expected: Sequence[str],
    step: StepParams,
    audit: AuditEntry,
) -> CaseRecord | None:
    """A step with nothing but its event (withdraw, close)."""
    result = await engine.write(
        STEP,
        {
            "caseId": case_id,
            "expected": list(expected),
            "step": step.params(),
            "audit": audit.params(),
        },
    )
    return _case(result)


async def transfer_lead(
    engine: Engine,
    *,
    case_id: str,
    expected: Sequence[str],
    lead_count: int,
    last_lead_id: str | None,
    lead: Mapping[str, Any],
    step: StepParams,
    audit: AuditEntry,
) -> LeadTransferRecord | None:
    """Append a transfer to the case's lead path; None if the case or its path moved on."""
    result = await engine.write(
        TRANSFER_LEAD,
        {
            "caseId": case_id,
            "expected": list(expected),
            "leadCount": lead_count,
            "lastLeadId": last_lead_id,
            "lead": dict(lead),
            "joining": [lead["fromDepartment"], lead["toDepartment"]],
            "step": step.params(),
            "audit": audit.params(),
        },
    )
    row = result.single()
    return LeadTransferRecord(**row) if row else None


async def by_id(engine: Engine, ids: Sequence[str]) -> dict[str, CaseRecord]:
    result = await engine.read(BY_ID, {"ids": list(ids)})
    return {r.id: r for r in (CaseRecord(**row) for row in result.records)}


async def of_mines(
    engine: Engine, licences: Sequence[str], case_filter: CaseFilter
) -> dict[str, list[CaseRecord]]:
    """Every case of each mine that the filter lets through (unsorted)."""
    result = await engine.read(OF_MINES, {**case_filter.params(), "licences": list(licences)})
    grouped: dict[str, list[CaseRecord]] = defaultdict(list)
    for row in result.records:
        owner = str(row.pop("owner"))
        grouped[owner].append(CaseRecord(**row))
    return grouped


async def counts_of_mines(
    engine: Engine, licences: Sequence[str], case_filter: CaseFilter
) -> dict[str, int]:
    """How many cases of each mine the filter lets through (mines with none are left out)."""
    params = {**case_filter.params(), "licences": list(licences)}
    result = await engine.read(COUNTS_OF_MINES, params)
    return {str(owner): int(count) for owner, count in result.rows}


async def evidence_of(engine: Engine, ids: Sequence[str]) -> dict[str, list[EvidenceRecord]]:
    return _grouped(await engine.read(EVIDENCE_OF, {"ids": list(ids)}), "case", EvidenceRecord)


async def suggestions_of(engine: Engine, ids: Sequence[str]) -> dict[str, list[SuggestionRecord]]:
    result = await engine.read(SUGGESTIONS_OF, {"ids": list(ids)})
    return _grouped(result, "case", SuggestionRecord)


async def history_of(engine: Engine, ids: Sequence[str]) -> dict[str, list[CaseEventRecord]]:
    return _grouped(await engine.read(HISTORY_OF, {"ids": list(ids)}), "case", CaseEventRecord)


async def referrals_of(engine: Engine, ids: Sequence[str]) -> dict[str, ReferralRecord]:
    result = await engine.read(REFERRALS_OF, {"ids": list(ids)})
    # one referral per case (OPEN -> REFERRED happens once); the latest wins if ever more
    return {r.case: r for r in (ReferralRecord(**row) for row in result.records)}


async def lead_chains(engine: Engine, ids: Sequence[str]) -> dict[str, list[LeadTransferRecord]]:
    result = await engine.read(LEAD_CHAINS, {"ids": list(ids)})
    grouped: dict[str, list[LeadTransferRecord]] = defaultdict(list)
    for row in result.records:
        row.pop("position")
        grouped[str(row["case"])].append(LeadTransferRecord(**row))
    return grouped


@dataclass(frozen=True)
class CaseRow:
    case: CaseRecord
    sort_key: str


@dataclass(frozen=True)
class ReferralRow:
    referral: ReferralRecord
    sort_key: str


async def page(
    engine: Engine,
    case_filter: CaseFilter,
    sort: CaseSort,
    *,
    after_key: object,
    after_id: str | None,
    limit: int,
    newest: dt.date,
) -> list[CaseRow]:
    """`limit` cases after the cursor; a newest-first page reads windows of days back from the
    cursor (or from `newest`) first, and every matching case only if none holds the page."""
    params = {**case_filter.params(), "afterKey": after_key, "afterId": after_id, "limit": limit}
    result = await _windowed(engine, CASE_PAGES[sort], CASE_WINDOWS, sort, params, newest)
    rows = []
    for row in result.records:
        key = row.pop("sort_key")
        rows.append(CaseRow(CaseRecord(**row), key))
    return rows


async def _windowed(
    engine: Engine,
    whole: Statement,
    windows: Mapping[tuple[SortT, bool], Statement],
    sort: SortT,
    params: dict[str, Any],
    newest: dt.date,
) -> Result:
    """The page from the first window that holds it (`params["limit"]` rows), else from the
    `whole` statement. A window holds every matching row from its first day on, and all of
    them sort before any row it leaves out: so its first rows are the page's."""
    after = params["afterId"] is not None
    window = windows.get((sort, after))  # none for an oldest-first sort
    if window is not None:
        for start in window_starts(params["afterKey"] if after else None, newest):
            result = await engine.read(window, {**params, "from": start})
            if len(result.rows) >= params["limit"]:
                return result
    return await engine.read(whole, params)


async def count(engine: Engine, case_filter: CaseFilter) -> int:
    if case_filter == CaseFilter():
        row = (await engine.read(COUNT_ALL)).single()
    else:
        row = (await engine.read(COUNT, case_filter.params())).single()
    return int(row["n"]) if row else 0


async def referral_page(
    engine: Engine,
    referral_filter: ReferralFilter,
    sort: ReferralSort,
    *,
    after_key: object,
    after_id: str | None,
    limit: int,
    newest: dt.date,
) -> list[ReferralRow]:
    """As `page`, for referrals."""
    params = {
        **referral_filter.params(),
        "afterKey": after_key,
        "afterId": after_id,
        "limit": limit,
    }
    result = await _windowed(engine, REFERRAL_PAGES[sort], REFERRAL_WINDOWS, sort, params, newest)
    rows = []
    for row in result.records:
        key = row.pop("sort_key")
        rows.append(ReferralRow(ReferralRecord(**row), key))
    return rows


async def referral_count(engine: Engine, referral_filter: ReferralFilter) -> int:
    row = (await engine.read(REFERRAL_COUNT, referral_filter.params())).single()
    return int(row["n"]) if row else 0
