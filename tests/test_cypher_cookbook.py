"""Every query of docs/cypher-cookbook.md, read from the file itself, runs through the analyst
endpoint and answers what its heading asks: each answer is checked against the typed GraphQL
API (an independent path to the same facts), and each query passes Neo4j's linter.

The graph: the document, a synthetic demo province generated for FIXED_NOW (its cases, referrals,
leads, decisions, penalties and spot checks), one liaison succeeded and one case filed and
referred through the API. A query whose parameter names one case gets a case of this data (the
cookbook's example id is from another demo load); every other query gets the cookbook's own."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from graph.engine import Engine
from graph.statements import Mode, Statement
from greenmine.config import Settings
from resolvers.auth import Role
from tests.api import Api, serving
from tests.case_factories import CaseFactory
from tests.conftest import FIXED_NOW, TokenFactory
from tests.factories import MineFactory, demo_province
from tests.test_cypher_lint import lint

COOKBOOK = Path(__file__).resolve().parent.parent / "docs" / "cypher-cookbook.md"
CYPHER = "query($q: String!, $p: JSON) { cypher(query: $q, params: $p) { columns rows truncated } }"
SUCCESSOR = "李明"


@dataclass(frozen=True)
class Recipe:
    title: str
    text: str
    params: dict[str, Any]


def recipes() -> list[Recipe]:
    found: list[Recipe] = []
    for section in re.split(r"^## ", COOKBOOK.read_text(encoding="utf-8"), flags=re.M)[1:]:
        title = section.splitlines()[0].strip()
        for block in re.findall(r"```cypher\n(.*?)```", section, flags=re.S):
            params = re.match(r"//\s*params:\s*(\{.*\})\s*$", block.splitlines()[0])
            found.append(Recipe(title, block.strip(), json.loads(params[1]) if params else {}))
    return found


Rows = list[dict[str, Any]]


@dataclass
class Ask:
    """What a check may use: the answer's rows and the typed API."""

    api: Api
    token: str
    #: a demo case that was referred, decided and whose lead went through several departments
    travelled_case: str = ""
    #: the case filed and referred through the API (so it has audit entries)
    api_case: str = ""

    async def graphql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        reply = await self.api.graphql(query, variables, token=self.token)
        assert reply.errors == [], reply.errors
        data: dict[str, Any] = reply.data
        return data

    async def every(self, field: str, query: str, **variables: Any) -> list[dict[str, Any]]:
        """Every node of a connection (`query` takes $after and selects pageInfo and edges)."""
        nodes: list[dict[str, Any]] = []
        after = None
        while True:
            page = (await self.graphql(query, {**variables, "after": after}))[field]
            nodes += [e["node"] for e in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                return nodes
            after = page["pageInfo"]["endCursor"]


Check = Callable[[Rows, Ask], Awaitable[None]]
CHECKS: dict[str, Check] = {}


def check(title: str) -> Callable[[Check], Check]:
    def register(function: Check) -> Check:
        CHECKS[title] = function
        return function

    return register


@check("Which departments share a duty?")
async def _shared_duties(rows: Rows, ask: Ask) -> None:
    data = await ask.graphql("{ duties { code departments { code } } }")
    expected = {
        (duty["code"], frozenset((a["code"], b["code"])))
        for duty in data["duties"]
        for i, a in enumerate(duty["departments"])
        for b in duty["departments"][i + 1 :]
    }
    got = [(r["duty"], frozenset((r["department"], r["partner"]))) for r in rows]
    assert len(got) == len(set(got)) and set(got) == expected
    assert expected, "the document has duties shared by several departments"


@check("Which removal conditions is each department competent for, and on what basis?")
async def _competence(rows: Rows, ask: Ask) -> None:
    data = await ask.graphql(
        "{ removalConditions { number competence { basis reasonZh department { code } clause { ref } } } }"
    )
    expected = {
        (
            c["department"]["code"],
            x["number"],
            c["basis"].lower(),
            c["clause"]["ref"],
            c["reasonZh"],
        )
        for x in data["removalConditions"]
        for c in x["competence"]
    }
    got = {
        (r["department"], r["condition"], r["basis"], r["clause"], r["reason"] or "") for r in rows
    }
    assert len(rows) == len(got) and got == expected


@check("Who has been a department's liaison?")
async def _liaisons(rows: Rows, ask: Ask) -> None:
    data = await ask.graphql(
        '{ department(code: "water_resources") { liaisons { name since until } } }'
    )
    expected = [(x["name"], x["since"], x["until"]) for x in data["department"]["liaisons"]]
    assert [(r["name"], r["since"], r["until"]) for r in rows] == expected
    assert [r["name"] for r in rows][-1] == SUCCESSOR and len(rows) == 2


@check("Which duties bring which removal conditions to light?")
async def _brought_to_light(rows: Rows, ask: Ask) -> None:
    data = await ask.graphql(
        "{ removalConditions { number duties { code departments { code } } } }"
    )
    expected = {
        (x["number"], u["code"], frozenset(d["code"] for d in u["departments"]))
        for x in data["removalConditions"]
        for u in x["duties"]
    }
    assert {(r["condition"], r["duty"], frozenset(r["departments"])) for r in rows} == expected


CITED = """{
  departments { clause { ref } }
  duties { clause { ref } assignments { clause { ref } } }
  removalConditions { clause { ref } competence { clause { ref } } }
  rules { clause { ref } } workRequirements { clause { ref } }
  procedures { clause { ref } } registers { clause { ref } } jointMeeting { clause { ref } }
  clauses { ref children { ref } }
}"""


@check("Which clauses does nothing in the graph rest on?")
async def _uncited_clauses(rows: Rows, ask: Ask) -> None:
    data = await ask.graphql(CITED)
    cited = set(
        re.findall(r"'ref': '([^']+)'", str({k: v for k, v in data.items() if k != "clauses"}))
    )
    leaves = {c["ref"] for c in data["clauses"] if not c["children"]}
    got = {r["ref"] for r in rows}
    assert got <= leaves, "only leaf clauses"
    assert not got & cited, "none that a fact or link visible in the API cites"


@check("How many duties does each department hold, and on what basis?")
async def _duty_counts(rows: Rows, ask: Ask) -> None:
    data = await ask.graphql(
        "{ departments { code } duties { code assignments { basis department { code } } } }"
    )
    counts = {d["code"]: [0, 0] for d in data["departments"]}
    for duty in data["duties"]:
        for link in duty["assignments"]:
            counts[link["department"]["code"]][0] += 1
            counts[link["department"]["code"]][1] += link["basis"] == "CLAUSE"
    assert {r["department"]: [r["duties"], r["named"]] for r in rows} == counts
    order = [(r["duties"], r["named"], r["department"]) for r in rows]
    assert order == sorted(order)


@check("What does the graph infer beyond the text, and why?")
async def _inferred(rows: Rows, ask: Ask) -> None:
    data = await ask.graphql(
        "{ duties { code assignments { basis reasonZh department { code } } }"
        "  removalConditions { number competence { basis reasonZh department { code } } } }"
    )
    expected = {
        ("RESPONSIBLE_FOR", a["department"]["code"], duty["code"], a["reasonZh"])
        for duty in data["duties"]
        for a in duty["assignments"]
        if a["basis"] == "INFERRED"
    } | {
        ("COMPETENT_FOR", a["department"]["code"], str(x["number"]), a["reasonZh"])
        for x in data["removalConditions"]
        for a in x["competence"]
        if a["basis"] == "INFERRED"
    }
    assert {(r["link"], r["department"], r["key"], r["reason"]) for r in rows} == expected
    assert all(r["reason"] for r in rows), "every inference says why"


@check("Who acts at each step of the procedures?")
async def _procedure_steps(rows: Rows, ask: Ask) -> None:
    data = await ask.graphql("{ procedures { code steps { order actorRoleZh actor { code } } } }")
    expected = [
        (p["code"], s["order"], s["actorRoleZh"], (s["actor"] or {}).get("code"))
        for p in data["procedures"]
        for s in p["steps"]
    ]
    got = [(r["procedure"], r["step"], r["actor"], r["department"]) for r in rows]
    assert sorted(got, key=str) == sorted(expected, key=str)


@check("Which words send a problem to a department?")
async def _routing_terms(rows: Rows, ask: Ask) -> None:
    assert rows, "the seeded vocabulary points to water_resources"
    mine = await ask.graphql(
        '{ department(code: "water_resources") { duties { code } removalConditions { number } } }'
    )
    reach = {("Department", "water_resources")}
    reach |= {("Duty", d["code"]) for d in mine["department"]["duties"]}
    reach |= {
        ("RemovalCondition", str(x["number"])) for x in mine["department"]["removalConditions"]
    }
    assert {(r["via"], r["key"]) for r in rows} <= reach
    weights = [r["weight"] for r in rows]
    assert weights == sorted(weights, reverse=True)
    for row in rows[:5]:
        term = await ask.graphql(
            f"{{ routingTerm(text: {json.dumps(row['term'])}) {{ active links {{ weight active "
            "duty { code } removalCondition { number } department { code } } } }"
        )
        assert term["routingTerm"]["active"]
        targets = {
            (
                "Duty"
                if link["duty"]
                else "RemovalCondition"
                if link["removalCondition"]
                else "Department",
                (link["duty"] or {}).get("code")
                or str((link["removalCondition"] or {}).get("number") or "")
                or (link["department"] or {}).get("code"),
                link["weight"],
            )
            for link in term["routingTerm"]["links"]
            if link["active"]
        }
        assert (row["via"], row["key"], row["weight"]) in targets


@check("Where in the document does a removal condition come from?")
async def _provenance(rows: Rows, ask: Ask) -> None:
    data = await ask.graphql(
        "{ removalCondition(number: 8) { clause { ref parent { ref parent { ref parent { ref } } } } } }"
    )
    chain, clause = [], data["removalCondition"]["clause"]
    while clause:
        chain.append(clause["ref"])
        clause = clause.get("parent")
    [row] = rows
    assert row["clauses"] == chain
    nodes = row["path"]["nodes"]
    assert nodes[0]["labels"] == ["RemovalCondition"] and nodes[0]["properties"]["number"] == 8
    assert nodes[-1]["labels"] == ["Document"]
    assert {r["type"] for r in row["path"]["relationships"]} == {"FROM_CLAUSE", "PART_OF"}


@check("What changed recently, and who changed it?")
async def _audit_trail(rows: Rows, ask: Ask) -> None:
    appointment = [r for r in rows if r["operation"] == "appointLiaison"]
    assert len(appointment) == 1
    assert appointment[0]["actor"] == "admin@natural_resources"
    assert appointment[0]["role"] == "admin" and SUCCESSOR in appointment[0]["summary"]
    assert [r["at"] for r in rows] == sorted((r["at"] for r in rows), reverse=True)


AS_OF = FIXED_NOW.date()
PageParams = Callable[[Ask], dict[str, Any]]
#: parameters a query gets from the test's own data instead of the cookbook's example
PARAMS: dict[str, PageParams] = {
    "How did a case travel, step by step?": lambda ask: {"case": ask.travelled_case},
    "Where did a case's lead go, in order?": lambda ask: {"case": ask.travelled_case},
    "Who changed a case, and when?": lambda ask: {"case": ask.api_case},
}

REFERRALS = """
query($after: String, $filter: ReferralFilter) {
  referrals(first: 100, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    edges { node { caseId licenceNumber fromDepartmentCode referredOn recommendedOutcome } }
  }
}
"""


@check("Which mines have referrals open for more than 90 days?")
async def _open_referrals(rows: Rows, ask: Ask) -> None:
    last_day = AS_OF - dt.timedelta(days=91)
    old = await ask.every(
        "referrals", REFERRALS,
        filter={"caseStates": ["REFERRED"], "referredTo": last_day.isoformat()},
    )  # fmt: skip
    expected = {(n["licenceNumber"], n["caseId"], n["fromDepartmentCode"], n["referredOn"])
                for n in old}  # fmt: skip
    got = [(r["licence"], r["case"], r["referredBy"], r["referredOn"]) for r in rows]
    assert len(got) == len(set(got)) and set(got) == expected and expected
    assert [r["referredOn"] for r in rows] == sorted(r["referredOn"] for r in rows)
    recent = await ask.every("referrals", REFERRALS, filter={"caseStates": ["REFERRED"]})
    assert ask.api_case in {n["caseId"] for n in recent}, "a referral open for days, not months"
    assert ask.api_case not in {r["case"] for r in rows}


CASE_CHAIN = """
query($id: String!) {
  case(id: $id) {
    history { seq occurredOn action departmentCode fromState toState }
    referral { toDepartmentCode } decision { id }
    leadChain { seq fromDepartmentCode toDepartmentCode transferredOn summary }
  }
}
"""


@check("How did a case travel, step by step?")
async def _case_chain(rows: Rows, ask: Ask) -> None:
    case = (await ask.graphql(CASE_CHAIN, {"id": ask.travelled_case}))["case"]
    expected = [
        (e["seq"], e["occurredOn"], e["action"], e["departmentCode"], e["fromState"], e["toState"])
        for e in case["history"]
    ]
    got = [(r["seq"], r["occurredOn"], r["action"], r["department"], r["fromState"],
            r["toState"]) for r in rows]  # fmt: skip
    assert got == expected
    by_record: dict[str | None, list[str | None]] = defaultdict(list)
    for row in rows:
        by_record[row["record"]].append(row["toDepartment"])
    assert by_record["LeadTransfer"] == [t["toDepartmentCode"] for t in case["leadChain"]]
    assert by_record["Referral"] == [case["referral"]["toDepartmentCode"]]
    assert len(by_record["Decision"]) == 1 and case["decision"] is not None


@check("Where did a case's lead go, in order?")
async def _lead_path(rows: Rows, ask: Ask) -> None:
    chain = (await ask.graphql(CASE_CHAIN, {"id": ask.travelled_case}))["case"]["leadChain"]
    expected = [(t["seq"], t["fromDepartmentCode"], t["toDepartmentCode"], t["transferredOn"],
                 t["summary"]) for t in chain]  # fmt: skip
    got = [(r["step"], r["fromDepartment"], r["toDepartment"], r["transferredOn"], r["summary"])
           for r in rows]  # fmt: skip
    assert got == expected and len(got) >= 2


SCREENING = """
query($after: String, $asOf: Date) {
  screening(first: 100, after: $after, asOf: $asOf, filter: {kinds: [LICENCE_EXPIRED]}) {
    pageInfo { hasNextPage endCursor }
    edges { node { licenceNumber prefectureCode } }
  }
}
"""


@check("Which mines does removal condition 1 flag for expired licences, per prefecture?")
async def _expired_licences(rows: Rows, ask: Ask) -> None:
    flagged = await ask.every("screening", SCREENING, asOf=AS_OF.isoformat())
    expected: dict[str, set[str]] = defaultdict(set)
    for mine in flagged:
        expected[mine["prefectureCode"]].add(mine["licenceNumber"])
    assert {r["prefecture"]: set(r["licences"]) for r in rows} == expected and expected
    assert all(r["mines"] == len(r["licences"]) for r in rows)
    order = [(-r["mines"], r["prefecture"]) for r in rows]
    assert order == sorted(order)


PENALTIES = """
query($after: String) {
  penalties(first: 100, after: $after, filter: {publication: [PENDING]}) {
    pageInfo { hasNextPage endCursor }
    edges { node { issuingDepartmentCode decisionNumber decidedOn } }
  }
}
"""


@check("Which penalties are still to be published, per issuing department?")
async def _pending_penalties(rows: Rows, ask: Ask) -> None:
    pending = await ask.every("penalties", PENALTIES)
    expected: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for penalty in pending:
        expected[penalty["issuingDepartmentCode"]].append(penalty)
    assert {r["department"] for r in rows} == set(expected) and expected
    for row in rows:
        mine = expected[row["department"]]
        assert row["pending"] == len(mine)
        assert row["oldestDecidedOn"] == min(p["decidedOn"] for p in mine)
        assert sorted(row["decisionNumbers"]) == sorted(p["decisionNumber"] for p in mine)


@check("Which mines were drawn for a year's spot checks, and how did they fare?")
async def _spot_checks(rows: Rows, ask: Ask) -> None:
    draws = await ask.graphql(
        "{ spotCheckDraws(year: 2025) { current sample sampledMines { licenceNumber status } "
        "results { checkedOn outcome mine { licenceNumber } } } }"
    )
    [draw] = [d for d in draws["spotCheckDraws"] if d["current"]]
    results = {r["mine"]["licenceNumber"]: (r["checkedOn"], r["outcome"]) for r in draw["results"]}
    status = {m["licenceNumber"]: m["status"] for m in draw["sampledMines"]}
    assert [r["licence"] for r in rows] == sorted(draw["sample"]) and rows
    for row in rows:
        assert (row["checkedOn"], row["outcome"]) == results.get(row["licence"], (None, None))
        assert row["statusNow"] == status[row["licence"]]
    assert results, "the demo's 2025 sample was checked"


@check("How far is each prefecture from the 2028 targets?")
async def _targets(rows: Rows, ask: Ask) -> None:
    data = await ask.graphql(
        "query($d: Date) { targets(asOf: $d) { byPrefecture { prefectureCode "
        "byScale { scale licensedProducing meetingStandard target } } } }",
        {"d": AS_OF.isoformat()},
    )
    expected = {
        (p["prefectureCode"], line["scale"], line["licensedProducing"], line["meetingStandard"])
        for p in data["targets"]["byPrefecture"]
        for line in p["byScale"]
        if line["scale"] in ("LARGE", "MEDIUM") and line["licensedProducing"]
    }
    got = [(r["prefecture"], r["scale"], r["licensedProducing"], r["listed"]) for r in rows]
    assert set(got) == expected and len(got) == len(expected) and expected
    for row in rows:
        assert row["percent"] == round(1000 * row["listed"] / row["licensedProducing"]) / 10
        assert row["targetPercent"] == {"LARGE": 90, "MEDIUM": 80}[row["scale"]]


@check("Who changed a case, and when?")
async def _case_audit(rows: Rows, ask: Ask) -> None:
    trail = await ask.graphql(
        "query($id: String) { auditTrail(first: 100, sort: AT_ASC, filter: {caseId: $id}) "
        "{ edges { node { at operation actor role departmentCode } } } }",
        {"id": ask.api_case},
    )
    expected = sorted(
        (n["at"], n["operation"], n["actor"], n["role"].lower(), n["departmentCode"])
        for n in (e["node"] for e in trail["auditTrail"]["edges"])
    )
    got = [(r["at"], r["operation"], r["actor"], r["role"], r["department"]) for r in rows]
    assert got == expected
    assert [g[1] for g in got] == ["fileCase", "referCase"]


TRAVELLED = """
{ cases(first: 100, filter: {states: [DECIDED, CLOSED]}) {
    edges { node { id referral { id } decision { id } leadChain { seq } } } } }
"""


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def ask(seeded_graph: Engine, settings: Settings) -> AsyncIterator[Ask]:
    """The analyst endpoint over a demo province, where one liaison has been succeeded and one
    case filed and referred through the API."""
    await demo_province(seeded_graph)
    tokens = TokenFactory(seeded_graph)
    admin = await tokens(Role.ADMIN, "natural_resources")
    async with serving(settings) as api:
        appointed = await api.graphql(
            "mutation($i: AppointLiaisonInput!) { appointLiaison(input: $i) { code } }",
            {"i": {"departmentCode": "water_resources", "name": SUCCESSOR, "since": "2026-12-01"}},
            token=admin,
        )
        assert appointed.errors == []
        licence = await MineFactory(api.graphql, admin).listed()  # type: ignore[arg-type]
        cases = CaseFactory(api.graphql, tokens)  # type: ignore[arg-type]
        filed = await cases.file(licence, conditionNumber=8)
        # the app runs on the real clock, which files the case today
        today = dt.datetime.now(dt.UTC).date().isoformat()
        referred = await cases.refer(filed["id"], referredOn=today)
        ask = Ask(api, await tokens(Role.ANALYST, "natural_resources"), api_case=referred["id"])
        decided = [e["node"] for e in (await ask.graphql(TRAVELLED))["cases"]["edges"]]
        ask.travelled_case = next(
            c["id"] for c in decided if c["referral"] and c["decision"] and len(c["leadChain"]) >= 2
        )
        yield ask


def test_the_cookbook_has_queries_and_each_has_a_check() -> None:
    titles = [r.title for r in recipes()]
    assert len(titles) >= 8
    assert len(titles) == len(set(titles)), "one query per heading"
    assert set(titles) == set(CHECKS), "every cookbook query needs a check here, and vice versa"
    assert set(PARAMS) <= set(titles)


@pytest.mark.parametrize("recipe", recipes(), ids=lambda r: r.title)
async def test_a_cookbook_query_answers_its_question(ask: Ask, recipe: Recipe) -> None:
    params = recipe.params
    if "asOf" in params:  # the checks compare with the typed API as of the same day
        assert params["asOf"] == AS_OF.isoformat(), "the book's asOf is the demo's today"
    if recipe.title in PARAMS:
        params = PARAMS[recipe.title](ask)
        assert set(params) == set(recipe.params), "the test sends the parameters the book shows"
    reply = await ask.api.graphql(CYPHER, {"q": recipe.text, "p": params}, token=ask.token)
    assert reply.errors == [], reply.errors
    answer = reply.data["cypher"]
    assert answer["truncated"] is False
    rows = [dict(zip(answer["columns"], row, strict=True)) for row in answer["rows"]]
    await CHECKS[recipe.title](rows, ask)


def test_every_cookbook_query_passes_neo4js_linter() -> None:
    statements = [Statement(f"cookbook.{i}", r.text, Mode.READ) for i, r in enumerate(recipes())]
    report = lint(statements)
    assert {r["name"]: r["errors"] for r in report if r["errors"]} == {}
