"""The case write kind of the durability harness (`tests/durability.py`): writers file cases with
several evidence items each through `fileCase`, and refer some of their acknowledged cases to
Natural Resources through `referCase`.

Every write carries a marker of its own, `W<writer>-<seq>`: a filing in its description and in
each evidence item's reference, a referral in its recommendation. The check reads every case,
evidence item, referral, history event and audit entry of cases back through the analyst Cypher
endpoint and holds each write to what a whole one is:

- a filing: one Case (OPEN, or REFERRED once its referral is in) with every evidence item sent and
  `evidenceCount` equal to their number, linked AGAINST its mine, REPORTED_BY its department and
  CITES its removal condition, with one FILE CaseEvent and one `fileCase` AuditEntry;
- a referral: one Referral linked REFERRED_AS from its case, FROM the reporting department and TO
  natural_resources, the case REFERRED since the referral's day, one REFER CaseEvent ABOUT the
  referral and one `referCase` AuditEntry that CHANGED both the case and the referral.

A write none of whose pieces is in the graph is absent; one with some pieces but not all is
half-written. Pieces that belong to no case (evidence, events, audit entries, referrals) are
reported as broken.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter, deque
from dataclasses import dataclass
from typing import Any

from tests.durability import Outcome, Service, Verdict, Write
from tests.factories import REGISTER, mine_input, next_licence_number

FILE = "mutation($i: FileCaseInput!) { fileCase(input: $i) { id state stateSince evidence { reference } } }"
REFER = "mutation($i: ReferCaseInput!) { referCase(input: $i) { id state referral { id } } }"
MINES = 4
REPORTERS = ["ecology_environment", "water_resources", "emergency_management", "natural_resources"]
REGISTRY = "natural_resources"
#: a writer's third case write refers one of its acknowledged, not yet referred cases
REFER_EVERY = 3
MARKER = re.compile(r"W\d+-\d{4}")


@dataclass(frozen=True)
class _Filed:
    """An acknowledged filing a later referral can build on."""

    marker: str
    case_id: str
    state_since: str


class CaseFilings:
    name = "cases"

    def __init__(self, writers: int, found_on: dt.date) -> None:
        self.found_on = found_on
        self.mines: list[str] = []
        #: per writer: acknowledged filings not yet referred, and how many writes it made
        self._unreferred: dict[int, deque[_Filed]] = {w: deque() for w in range(writers)}
        self._made: Counter[int] = Counter()
        self._lock = threading.Lock()

    def prepare(self, service: Service) -> None:
        """Registers the mines cases are filed against, through the API."""
        for _ in range(MINES):
            mine = mine_input(licenceNumber=next_licence_number())
            answer = service.admin(REGISTER, {"input": mine})
            self.mines.append(answer["registerMine"]["licenceNumber"])

    def next(self, writer: int, seq: int) -> Write:
        marker = f"W{writer}-{seq:04d}"
        with self._lock:
            self._made[writer] += 1
            made = self._made[writer]
            refer = made % REFER_EVERY == 0 and bool(self._unreferred[writer])
            filed = self._unreferred[writer].popleft() if refer else None
        if filed is not None:
            return self._referral(marker, filed)
        return self._filing(marker, writer, made + writer)

    def _filing(self, marker: str, writer: int, n: int) -> Write:
        """`n` varies the mine, department, condition and number of evidence items (2-5)."""
        evidence = [
            {"text": f"现场检查笔录第{i}页", "reference": f"{marker}/证据{i}"}
            for i in range(1, 3 + n % 4)
        ]
        facts = {
            "step": "file",
            "marker": marker,
            "writer": writer,
            "mine": self.mines[n % len(self.mines)],
            "department": REPORTERS[n % len(REPORTERS)],
            "condition": 1 + n % 14,
            "evidence": sorted(e["reference"] for e in evidence),
        }
        values = {
            "licenceNumber": facts["mine"],
            "reportingDepartmentCode": facts["department"],
            "foundOn": self.found_on.isoformat(),
            "description": f"{marker} 尾矿库防渗没做，污染地下水",
            "evidence": evidence,
            "conditionNumber": facts["condition"],
        }
        return Write(self.name, f"fileCase {marker}", FILE, {"i": values}, facts)

    def _referral(self, marker: str, filed: _Filed) -> Write:
        facts = {
            "step": "refer",
            "marker": marker,
            "case": filed.marker,
            # the service's day, as it stamped the filing: a referral may not predate it
            "referredOn": filed.state_since,
        }
        values = {
            "caseId": filed.case_id,
            "referredOn": filed.state_since,
            "recommendation": f"{marker} 建议移出绿色矿山名录",
        }
        return Write(
            self.name, f"referCase {marker} of {filed.marker}", REFER, {"i": values}, facts
        )

    def heard(self, outcome: Outcome) -> None:
        facts = outcome.write.facts
        if facts["step"] != "file" or outcome.answer is None:
            return
        case = outcome.answer["fileCase"]
        with self._lock:
            self._unreferred[facts["writer"]].append(
                _Filed(facts["marker"], case["id"], case["stateSince"])
            )

    # -- the check ---------------------------------------------------------------------------

    def verify(self, service: Service, outcomes: list[Outcome]) -> Verdict:
        graph = _CaseGraph.read(service)
        verdict = Verdict(broken=graph.broken())
        files = [o for o in outcomes if o.write.facts["step"] == "file"]
        refers = [o for o in outcomes if o.write.facts["step"] == "refer"]
        for outcome in files:
            whole, pieces = graph.filing(outcome.write.facts)
            _judge(verdict, outcome, whole=whole, partly=not whole and pieces)
        for outcome in refers:
            whole, pieces = graph.referral(outcome.write.facts)
            _judge(verdict, outcome, whole=whole, partly=not whole and pieces)
        acknowledged = [o for o in files if o.acknowledged]
        verdict.notes.append(
            f"{len(files)} filings ({len(acknowledged)} acknowledged, with "
            f"{sum(len(o.write.facts['evidence']) for o in acknowledged)} evidence items), "
            f"{len(refers)} referrals ({sum(o.acknowledged for o in refers)} acknowledged)"
        )
        return verdict


def _judge(verdict: Verdict, outcome: Outcome, *, whole: bool, partly: bool) -> None:
    if partly:
        verdict.half_written.append(outcome.write.key)
    if outcome.acknowledged:
        verdict.acknowledged += 1
        if not whole:
            verdict.lost.append(outcome.write.key)
    elif whole:
        verdict.unacknowledged_present += 1
    elif not partly:
        verdict.unacknowledged_absent += 1


def _marker(text: str | None) -> str | None:
    found = MARKER.match(text or "")
    return found.group(0) if found else None


@dataclass
class _CaseGraph:
    """Every case, referral and orphan piece, as read back through the analyst endpoint."""

    cases: list[dict[str, Any]]
    referrals: list[dict[str, Any]]
    orphan_evidence: list[dict[str, Any]]
    orphan_events: list[dict[str, Any]]
    orphan_audits: list[dict[str, Any]]

    @classmethod
    def read(cls, service: Service) -> _CaseGraph:
        return cls(
            service.cypher(_CASES),
            service.cypher(_REFERRALS),
            service.cypher(_ORPHAN_EVIDENCE),
            service.cypher(_ORPHAN_EVENTS),
            service.cypher(_ORPHAN_AUDITS),
        )

    def _cases_of(self, marker: str) -> list[dict[str, Any]]:
        return [c for c in self.cases if _marker(c["description"]) == marker]

    def _referrals_of(self, marker: str) -> list[dict[str, Any]]:
        return [r for r in self.referrals if _marker(r["recommendation"]) == marker]

    def broken(self) -> list[str]:
        broken = [f"evidence in {e['cases']} cases: {e['reference']}" for e in self.orphan_evidence]
        broken += [f"a {e['action']} event in {e['cases']} cases" for e in self.orphan_events]
        broken += [
            f"a {a['operation']} audit entry that changed {a['cases']} cases, "
            f"{a['referrals']} referrals"
            for a in self.orphan_audits
        ]
        for marker, n in Counter(_marker(c["description"]) for c in self.cases).items():
            if marker is None or n > 1:
                broken.append(f"{n} cases marked {marker}")
        for referral in self.referrals:
            if len(referral["cases"]) != 1:
                broken.append(f"referral {referral['id']} of {len(referral['cases'])} cases")
        for case in self.cases:
            if (case["state"] == "REFERRED") != (len(case["referrals"]) == 1):
                broken.append(
                    f"case {case['id']} is {case['state']} with {len(case['referrals'])} referrals"
                )
            if case["eventCount"] != len(case["events"]):
                broken.append(
                    f"case {case['id']}: eventCount {case['eventCount']}, "
                    f"{len(case['events'])} events"
                )
        return broken

    def filing(self, facts: dict[str, Any]) -> tuple[bool, bool]:
        """(whole, any piece there) for a filing."""
        marker = facts["marker"]
        cases = self._cases_of(marker)
        stray = [e for e in self.orphan_evidence if (e["reference"] or "").startswith(f"{marker}/")]
        if len(cases) != 1:
            return False, bool(cases or stray)
        case = cases[0]
        whole = (
            case["state"] in ("OPEN", "REFERRED")
            and sorted(case["evidence"]) == facts["evidence"]
            and case["evidenceCount"] == len(facts["evidence"])
            and case["mines"] == [facts["mine"]]
            and case["reporters"] == [facts["department"]]
            and case["conditions"] == [facts["condition"]]
            and Counter(case["events"])["FILE>OPEN"] == 1
            and Counter(case["audits"])["fileCase"] == 1
            and not stray
        )
        return whole, True

    def referral(self, facts: dict[str, Any]) -> tuple[bool, bool]:
        """(whole, any piece there) for a referral; its case's pieces are those it adds."""
        referrals = self._referrals_of(facts["marker"])
        cases = self._cases_of(facts["case"])
        case = cases[0] if len(cases) == 1 else None
        on_case = case is not None and (
            case["state"] == "REFERRED"
            or "REFER>REFERRED" in case["events"]
            or "referCase" in case["audits"]
        )
        if len(referrals) != 1 or case is None:
            return False, bool(referrals) or on_case
        referral = referrals[0]
        whole = (
            referral["cases"] == [case["id"]]
            and case["referrals"] == [referral["id"]]
            and referral["from"] == case["reporters"]
            and referral["to"] == [REGISTRY]
            and referral["referredOn"] == facts["referredOn"]
            and referral["events"] == ["REFER>REFERRED"]
            and referral["audits"] == ["referCase"]
            and case["state"] == "REFERRED"
            and case["stateSince"] == facts["referredOn"]
            and Counter(case["events"])["REFER>REFERRED"] == 1
            and Counter(case["audits"])["referCase"] == 1
        )
        return whole, True


_CASES = """
MATCH (c:Case)
OPTIONAL MATCH (c)-[:HAS_EVIDENCE]->(e:Evidence)
WITH c, collect(e.reference) AS evidence
OPTIONAL MATCH (c)-[:AGAINST]->(m:Mine)
WITH c, evidence, collect(m.licenceNumber) AS mines
OPTIONAL MATCH (c)-[:REPORTED_BY]->(d:Department)
WITH c, evidence, mines, collect(d.code) AS reporters
OPTIONAL MATCH (c)-[:CITES]->(x:RemovalCondition)
WITH c, evidence, mines, reporters, collect(x.number) AS conditions
OPTIONAL MATCH (c)-[:HAS_EVENT]->(s:CaseEvent)
WITH c, evidence, mines, reporters, conditions, collect(s.action + '>' + s.toState) AS events
OPTIONAL MATCH (a:AuditEntry)-[:CHANGED]->(c)
WITH c, evidence, mines, reporters, conditions, events, collect(a.operation) AS audits
OPTIONAL MATCH (c)-[:REFERRED_AS]->(r:Referral)
RETURN c.id AS id, c.description AS description, c.state AS state,
       c.stateSince AS stateSince, c.evidenceCount AS evidenceCount,
       c.eventCount AS eventCount, evidence, mines, reporters, conditions, events, audits,
       collect(r.id) AS referrals
"""

_REFERRALS = """
MATCH (r:Referral)
OPTIONAL MATCH (c:Case)-[:REFERRED_AS]->(r)
WITH r, collect(c.id) AS cases
OPTIONAL MATCH (r)-[:FROM_DEPARTMENT]->(f:Department)
WITH r, cases, collect(f.code) AS senders
OPTIONAL MATCH (r)-[:TO_DEPARTMENT]->(t:Department)
WITH r, cases, senders, collect(t.code) AS receivers
OPTIONAL MATCH (s:CaseEvent)-[:ABOUT]->(r)
WITH r, cases, senders, receivers, collect(s.action + '>' + s.toState) AS events
OPTIONAL MATCH (a:AuditEntry)-[:CHANGED]->(r)
RETURN r.id AS id, r.recommendation AS recommendation, r.referredOn AS referredOn,
       cases, senders AS from, receivers AS to, events, collect(a.operation) AS audits
"""

#: evidence items not in exactly one case
_ORPHAN_EVIDENCE = """
MATCH (e:Evidence)
OPTIONAL MATCH (c:Case)-[:HAS_EVIDENCE]->(e)
WITH e, count(c) AS cases
WHERE cases <> 1
RETURN e.reference AS reference, cases
"""

#: history events not in exactly one case
_ORPHAN_EVENTS = """
MATCH (s:CaseEvent)
OPTIONAL MATCH (c:Case)-[:HAS_EVENT]->(s)
WITH s, count(c) AS cases
WHERE cases <> 1
RETURN s.action AS action, cases
"""

#: audit entries of filings and referrals that did not change exactly their case (and referral)
_ORPHAN_AUDITS = """
MATCH (a:AuditEntry)
WHERE a.operation IN ['fileCase', 'referCase']
OPTIONAL MATCH (a)-[:CHANGED]->(c:Case)
WITH a, count(c) AS cases
OPTIONAL MATCH (a)-[:CHANGED]->(r:Referral)
WITH a, cases, count(r) AS referrals
WHERE cases <> 1 OR referrals <> CASE a.operation WHEN 'referCase' THEN 1 ELSE 0 END
RETURN a.operation AS operation, cases, referrals
"""
