"""Filing, classifying and referring cases over GraphQL: a cited condition or routing's
suggestion (kept with its score and matched terms) and what the officer chose; evidence; the
workflow's states enforced and named; bad input refused naming the field, writing nothing; who
reads which cases; cases and referrals as Relay connections; a mine's cases through one
DataLoader round trip for a whole page of mines."""

from __future__ import annotations

from typing import Any

import pytest

from graph import roundtrips
from graph.engine import Engine
from resolvers.auth import Role
from tests.case_factories import CLASSIFY, EVIDENCE, FILE, REFER, WITHDRAW, CaseFactory
from tests.conftest import GraphQLClient, TokenFactory
from tests.factories import MineFactory, data

SUGGESTIONS = """
query($id: String!) { case(id: $id) {
  classification conditionNumber competentDepartmentCodes
  routingSuggestions { rank departmentCode score matchedTerms conditionNumber chosen }
  evidence { seq text reference addedOn addedBy departmentCode }
  history { seq action details } } }
"""
CASES = """
query($first: Int, $after: String, $filter: CaseFilter, $sort: CaseSort) {
  cases(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id foundOn state reportingDepartmentCode } } } }
"""
NESTED = """
query($first: Int) { mines(first: $first, filter: {text: "案件金矿"}) { edges { node {
  licenceNumber cases(first: 2, sort: FOUND_ON_ASC) { totalCount pageInfo { hasNextPage endCursor }
    edges { node { id foundOn evidence { seq } history { seq } referral { id } } } } } } } }
"""


@pytest.fixture
def cases(gql: GraphQLClient, tokens: TokenFactory) -> CaseFactory:
    return CaseFactory(gql, tokens)


@pytest.fixture
async def admin(cases: CaseFactory) -> str:
    return await cases.admin()


@pytest.fixture
async def licence(gql: GraphQLClient, admin: str) -> str:
    return await MineFactory(gql, admin).listed()


def file_input(licence: str, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "licenceNumber": licence, "reportingDepartmentCode": "ecology_environment",
        "foundOn": "2026-05-06", "description": "尾矿库防渗没做，污染地下水",
        "evidence": [{"text": "现场检查笔录", "reference": "甘环检〔2026〕7号"}],
    }  # fmt: skip
    values.update(overrides)
    return values


async def test_an_anonymous_caller_cannot_file_a_case(
    gql: GraphQLClient, licence: str, seeded_graph: Engine
) -> None:
    result = await gql(FILE, {"input": file_input(licence)})
    assert result.codes == ["UNAUTHENTICATED"]
    assert result.data is None
    count = await seeded_graph.read_only_text(
        "MATCH (c:Case {mine: $l}) RETURN count(c) AS n", {"l": licence}
    )
    assert count.records == [{"n": 0}]


async def test_a_cited_condition_takes_its_competent_departments_without_routing(
    gql: GraphQLClient, cases: CaseFactory, licence: str, admin: str
) -> None:
    case = await cases.file(licence, department="emergency_management", conditionNumber=5,
                            description="发生较大安全生产事故")  # fmt: skip
    assert case["classification"] == "CITED" and case["conditionNumber"] == 5
    assert case["competentDepartmentCodes"][0] == "emergency_management"
    found = data(await gql(SUGGESTIONS, {"id": case["id"]}, token=admin), "case")
    assert found["routingSuggestions"] == []
    assert found["evidence"][0]["departmentCode"] == "emergency_management"
    assert found["evidence"][0]["addedOn"] == "2026-11-25"


async def test_free_text_keeps_routings_suggestions_beside_the_officers_choice(
    gql: GraphQLClient, cases: CaseFactory, licence: str, admin: str
) -> None:
    case = await cases.file(licence, competentDepartmentCodes=["ecology_environment", "water_resources"])  # fmt: skip
    assert case["classification"] == "OFFICER" and case["conditionNumber"] == 8
    found = data(await gql(SUGGESTIONS, {"id": case["id"]}, token=admin), "case")
    best = found["routingSuggestions"][0]
    assert best["rank"] == 1 and best["departmentCode"] == "ecology_environment"
    assert best["conditionNumber"] == 8 and best["score"] > 0 and best["matchedTerms"]
    assert best["chosen"] is True
    # the officer re-classifies after reading the suggestions; they stay as they were
    officer = await cases.token(Role.OFFICER, "ecology_environment")
    changed = await gql(CLASSIFY, {"input": {"caseId": case["id"], "conditionNumber": 7}},
                        token=officer)  # fmt: skip
    classified = data(changed, "classifyCase")
    assert classified["conditionNumber"] == 7 and classified["classification"] == "OFFICER"
    assert classified["competentDepartmentCodes"] == ["ecology_environment"]
    after = data(await gql(SUGGESTIONS, {"id": case["id"]}, token=admin), "case")
    assert after["routingSuggestions"][0]["conditionNumber"] == 8
    assert [h["action"] for h in after["history"]] == ["FILE", "CLASSIFY"]


async def test_bad_filings_are_refused_naming_the_field_and_write_nothing(
    gql: GraphQLClient, cases: CaseFactory, licence: str, seeded_graph: Engine
) -> None:
    officer = await cases.token(Role.OFFICER, "ecology_environment")
    bad: list[tuple[dict[str, Any], str]] = [
        ({"licenceNumber": "C6299999999999999999"}, "input.licenceNumber"),
        ({"foundOn": "2026-12-01"}, "input.foundOn"),
        ({"evidence": []}, "input.evidence"),
        ({"evidence": [{"text": " "}]}, "input.evidence[0].text"),
        ({"conditionNumber": 15}, "input.conditionNumber"),
        ({"description": "食堂饭菜太咸"}, "input.conditionNumber"),
        ({"description": "x" * 2001}, "input.description"),
        ({"competentDepartmentCodes": ["ecology_environment", "nope"]},
         "input.competentDepartmentCodes[1]"),
    ]  # fmt: skip
    for extra, field in bad:
        result = await gql(FILE, {"input": file_input(licence, **extra)}, token=officer)
        assert result.codes == ["BAD_USER_INPUT"], (extra, result.errors)
        assert result.errors[0]["extensions"]["field"] == field
    for_other = await gql(FILE, {"input": file_input(licence, reportingDepartmentCode="audit")},
                          token=officer)  # fmt: skip
    assert for_other.codes == ["FORBIDDEN"]
    assert for_other.errors[0]["extensions"]["field"] == "input.reportingDepartmentCode"
    count = await seeded_graph.read_only_text(
        "MATCH (c:Case {mine: $l}) RETURN count(c) AS n", {"l": licence}
    )
    assert count.records == [{"n": 0}]


async def test_the_workflow_refuses_steps_its_state_does_not_allow_naming_the_states(
    gql: GraphQLClient, cases: CaseFactory, licence: str
) -> None:
    officer = await cases.token(Role.OFFICER, "ecology_environment")
    case = await cases.file(licence)
    referred = await cases.refer(case["id"])
    assert referred["state"] == "REFERRED" and referred["referral"]["referredOn"] == "2026-11-25"
    again = await gql(REFER, {"input": {"caseId": case["id"], "referredOn": "2026-11-25",
                                        "recommendation": "再次"}}, token=officer)  # fmt: skip
    assert again.codes == ["CONFLICT"]
    extensions = again.errors[0]["extensions"]
    assert extensions["current"] == "REFERRED"
    assert extensions["allowed"] == ["REFERRED", "DECIDED", "WITHDRAWN"]
    assert "referCase needs it OPEN" in again.errors[0]["message"]
    classify = await gql(CLASSIFY, {"input": {"caseId": case["id"], "conditionNumber": 3}},
                         token=officer)  # fmt: skip
    assert classify.codes == ["CONFLICT"]
    added = await gql(EVIDENCE, {"input": {"caseId": case["id"], "evidence": [
        {"text": "补充监测报告", "reference": "监测〔2026〕3号"}]}}, token=officer)  # fmt: skip
    assert [e["seq"] for e in data(added, "addCaseEvidence")["evidence"]] == [1, 2]
    withdrawn = await gql(WITHDRAW, {"input": {"caseId": case["id"], "withdrawnOn": "2026-11-25",
                                               "reason": "重复报送"}}, token=officer)  # fmt: skip
    assert data(withdrawn, "withdrawCase")["state"] == "WITHDRAWN"
    late = await gql(EVIDENCE, {"input": {"caseId": case["id"], "evidence": [{"text": "x"}]}},
                     token=officer)  # fmt: skip
    assert late.codes == ["CONFLICT"] and late.errors[0]["extensions"]["allowed"] == []


async def test_a_referral_is_dated_after_the_problem_was_found_and_not_in_the_future(
    gql: GraphQLClient, cases: CaseFactory, licence: str
) -> None:
    officer = await cases.token(Role.OFFICER, "ecology_environment")
    case = await cases.file(licence)
    for day in ("2026-11-24", "2026-11-26"):  # before filing (the last change), in the future
        result = await gql(REFER, {"input": {"caseId": case["id"], "referredOn": day,
                                             "recommendation": "建议"}}, token=officer)  # fmt: skip
        assert result.codes == ["BAD_USER_INPUT"], day
        assert result.errors[0]["extensions"]["field"] == "input.referredOn"
    missing = await gql(REFER, {"input": {"caseId": "nope", "referredOn": "2026-11-25",
                                          "recommendation": "建议"}}, token=officer)  # fmt: skip
    assert missing.codes == ["NOT_FOUND"]


async def test_officers_read_their_own_and_referred_cases_admins_and_analysts_all(
    gql: GraphQLClient, cases: CaseFactory, tokens: TokenFactory, licence: str
) -> None:
    kept = await cases.file(licence, department="audit", conditionNumber=11)
    referred = await cases.referred(licence, department="audit", conditionNumber=11)
    readers = {
        "audit": await cases.token(Role.OFFICER, "audit"),
        "natural_resources": await cases.token(Role.OFFICER, "natural_resources"),
        "taxation": await cases.token(Role.OFFICER, "taxation"),
        "analyst": await tokens(Role.ANALYST, "audit"),
        "admin": await cases.admin(),
    }
    visible = {}
    for who, token in readers.items():
        page = data(await gql(CASES, {"first": 100, "filter": {"mines": [licence]}}, token=token),
                    "cases")  # fmt: skip
        visible[who] = {e["node"]["id"] for e in page["edges"]}
    both = {kept["id"], referred["id"]}
    assert visible == {
        "audit": both, "natural_resources": {referred["id"]}, "taxation": set(),
        "analyst": both, "admin": both,
    }  # fmt: skip


async def test_cases_page_with_a_filter_and_a_sort(
    gql: GraphQLClient, cases: CaseFactory, licence: str, admin: str
) -> None:
    days = ["2026-03-01", "2026-01-15", "2026-02-10", "2026-01-15"]
    filed = [await cases.file(licence, department="finance", conditionNumber=14, foundOn=d)
             for d in days]  # fmt: skip
    query = {"first": 3, "sort": "FOUND_ON_ASC",
             "filter": {"mines": [licence], "reportingDepartments": ["finance"]}}  # fmt: skip
    first = data(await gql(CASES, query, token=admin), "cases")
    assert first["totalCount"] == 4 and first["pageInfo"]["hasNextPage"]
    rest = data(await gql(CASES, {**query, "after": first["pageInfo"]["endCursor"]}, token=admin),
                "cases")  # fmt: skip
    seen = [e["node"]["foundOn"] for e in first["edges"] + rest["edges"]]
    assert seen == sorted(days) and not rest["pageInfo"]["hasNextPage"]
    ids = {e["node"]["id"] for e in first["edges"] + rest["edges"]}
    assert ids == {c["id"] for c in filed}
    between = data(await gql(CASES, {"filter": {"mines": [licence], "foundFrom": "2026-02-01",
                                                "foundTo": "2026-02-28"}}, token=admin), "cases")  # fmt: skip
    assert [e["node"]["foundOn"] for e in between["edges"]] == ["2026-02-10"]
    wrong = await gql(CASES, {"filter": {"foundFrom": "2026-03-01", "foundTo": "2026-02-01"}},
                      token=admin)  # fmt: skip
    assert wrong.codes == ["BAD_USER_INPUT"]
    assert wrong.errors[0]["extensions"]["field"] == "filter.foundTo"
    other_sort = await gql(CASES, {**query, "sort": "FILED_AT_DESC",
                                   "after": first["pageInfo"]["endCursor"]}, token=admin)  # fmt: skip
    assert other_sort.codes == ["BAD_USER_INPUT"]
    capped = await gql(CASES, {"first": 101}, token=admin)
    assert capped.codes == ["BAD_USER_INPUT"] and capped.errors[0]["extensions"]["field"] == "first"


async def test_a_page_of_mines_loads_its_cases_in_one_round_trip_per_level(
    gql: GraphQLClient, cases: CaseFactory, admin: str
) -> None:
    mines = MineFactory(gql, admin)
    licences = [await mines.register(name=f"案件金矿{i}") for i in range(4)]
    for licence in licences:
        for day in ("2026-01-05", "2026-02-05", "2026-03-05"):
            case = await cases.file(licence, department="finance", conditionNumber=14,
                                    foundOn=day)  # fmt: skip
        await cases.refer(case["id"], department="finance")
    costs = {}
    for first in (2, 4):
        with roundtrips.counting() as counter:
            result = await gql(NESTED, {"first": first}, token=admin)
        assert result.errors == []
        assert result.data is not None
        edges = result.data["mines"]["edges"]
        assert len(edges) == first
        for edge in edges:
            mine_cases = edge["node"]["cases"]
            assert mine_cases["totalCount"] == 3 and mine_cases["pageInfo"]["hasNextPage"]
            assert [c["node"]["foundOn"] for c in mine_cases["edges"]] == ["2026-01-05",
                                                                           "2026-02-05"]  # fmt: skip
        costs[first] = counter.statements
    assert costs[2] == costs[4]
    assert costs[4].count("cases.of_mines") == 1
    assert costs[4].count("cases.evidence_of") == 1 and costs[4].count("cases.history_of") == 1
    # the next page of one mine's cases continues from its cursor
    assert result.data is not None
    edge = result.data["mines"]["edges"][0]["node"]
    after = edge["cases"]["pageInfo"]["endCursor"]
    query = """query($l: String!, $after: String) { mine(licenceNumber: $l) {
        cases(first: 2, after: $after, sort: FOUND_ON_ASC) { edges { node { foundOn } }
                                                             pageInfo { hasNextPage } } } }"""
    rest = data(await gql(query, {"l": edge["licenceNumber"], "after": after}, token=admin), "mine")
    assert [c["node"]["foundOn"] for c in rest["cases"]["edges"]] == ["2026-03-05"]
    assert rest["cases"]["pageInfo"]["hasNextPage"] is False


TWO_FILINGS = """
mutation($a: FileCaseInput!, $b: FileCaseInput!) {
  a: fileCase(input: $a) { mine { cases { totalCount } } }
  b: fileCase(input: $b) { mine { cases { totalCount } } }
}
"""


async def test_a_mine_filed_against_twice_in_one_request_shows_both_cases_after_the_second(
    gql: GraphQLClient, cases: CaseFactory, licence: str
) -> None:
    second = file_input(licence, evidence=[{"text": "复查笔录", "reference": "甘环检〔2026〕8号"}])
    result = await gql(
        TWO_FILINGS,
        {"a": file_input(licence), "b": second},
        token=await cases.token(department="ecology_environment"),
    )
    assert result.errors == [] and result.data is not None
    assert result.data["a"]["mine"]["cases"]["totalCount"] == 1
    assert result.data["b"]["mine"]["cases"]["totalCount"] == 2
