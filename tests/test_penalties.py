"""Administrative penalties: recorded by the department that imposed them and marked for
publication in the national enterprise credit information publicity system; carried out in time,
late or not at all; a penalty not carried out by its deadline is removal condition 2, flagged by
screening (GraphQL and `greenmine screen --json`) and listed as pending publication until
published."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from greenmine.config import EngineKind, Settings
from resolvers.auth import Role
from tests.case_factories import EXECUTE, PENALTY, PUBLISH, CaseFactory
from tests.conftest import GraphQLClient, TokenFactory
from tests.factories import MineFactory, data

ROOT = Path(__file__).resolve().parent.parent

PENDING = """
query($mines: [String!]) {
  penalties(first: 50, filter: {mines: $mines, publication: [PENDING]}, sort: DEADLINE_ASC) {
    totalCount edges { node { id decisionNumber publication executionState
      register { code nameZh } issuingDepartment { code } } } } }
"""
SCREEN = """
query($kinds: [FlagKind!]) { screening(first: 100, filter: {kinds: $kinds}) {
  edges { node { licenceNumber flags { kind conditionNumber clauseRef since detailZh
                                       removalCondition { number } } } } } }
"""
MINE_PENALTIES = """
query($l: String!) { mine(licenceNumber: $l) {
  penalties { decisionNumber executionState meetsRemovalCondition2 executedOn publication } } }
"""


@pytest.fixture
def cases(gql: GraphQLClient, tokens: TokenFactory) -> CaseFactory:
    return CaseFactory(gql, tokens)


@pytest.fixture
async def admin(cases: CaseFactory) -> str:
    return await cases.admin()


@pytest.fixture
def mines(gql: GraphQLClient, admin: str) -> MineFactory:
    return MineFactory(gql, admin)


async def execute(gql: GraphQLClient, token: str, penalty_id: str, on: str) -> Any:
    return await gql(EXECUTE, {"input": {"penaltyId": penalty_id, "executedOn": on}}, token=token)


def screen_cli(settings: Settings, *args: str) -> dict[str, Any]:
    """`greenmine screen` in a subprocess, on the test session's graph (it attaches to the
    embedded server the tests started, or uses the same Neo4j)."""
    env = {**os.environ, "GREENMINE_DATA_DIR": str(settings.data_dir),
           "GREENMINE_GRAPH": settings.graph_name}  # fmt: skip
    if settings.engine_kind is not EngineKind.NEO4J:
        env.pop("NEO4J_URI", None)
    completed = subprocess.run(
        [sys.executable, "-m", "greenmine", "screen", "--json", *args],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    report: dict[str, Any] = json.loads(completed.stdout)
    return report


async def test_a_penalty_past_its_deadline_is_condition_2_and_pending_publication(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str, settings: Settings
) -> None:
    listed = await mines.listed()
    unlisted = await mines.register()
    ecology = await cases.token(Role.OFFICER, "ecology_environment")
    outstanding = await cases.penalty(listed, decisionNumber="甘环罚〔2026〕11号")
    late = await cases.penalty(listed, decisionNumber="甘环罚〔2026〕12号")
    on_time = await cases.penalty(listed, decisionNumber="甘环罚〔2026〕13号")
    not_due = await cases.penalty(listed, decisionNumber="甘环罚〔2026〕14号",
                                  performanceDeadline="2026-12-31")  # fmt: skip
    await cases.penalty(unlisted, decisionNumber="甘环罚〔2026〕15号")  # not on the list
    assert data(await execute(gql, ecology, late["id"], "2026-07-10"),
                "recordPenaltyExecution")["executionState"] == "EXECUTED_LATE"  # fmt: skip
    assert data(await execute(gql, ecology, on_time["id"], "2026-06-20"),
                "recordPenaltyExecution")["executionState"] == "EXECUTED"  # fmt: skip
    assert outstanding["executionState"] == "OVERDUE" and not_due["executionState"] == "PENDING"

    flagged = data(await gql(SCREEN, {"kinds": ["PENALTY_NOT_EXECUTED"]}, token=admin),
                   "screening")  # fmt: skip
    by_mine = {e["node"]["licenceNumber"]: e["node"]["flags"] for e in flagged["edges"]}
    assert listed in by_mine and unlisted not in by_mine
    flags = by_mine[listed]
    assert len(flags) == 2
    assert all(f["conditionNumber"] == 2 and f["clauseRef"] == "二(四)2" for f in flags)
    assert all(f["removalCondition"] == {"number": 2} and f["since"] == "2026-07-02" for f in flags)
    details = sorted(f["detailZh"] for f in flags)
    assert "甘环罚〔2026〕11号" in details[0] and "期满未执行到位" in details[0]
    assert "甘环罚〔2026〕12号" in details[1] and "2026-07-10" in details[1]

    report = screen_cli(settings, "--as-of", "2026-11-25", "--kind", "PENALTY_NOT_EXECUTED")
    [mine] = [m for m in report["mines"] if m["licenceNumber"] == listed]
    assert [(f["kind"], f["conditionNumber"], f["clauseRef"]) for f in mine["flags"]] == [
        ("PENALTY_NOT_EXECUTED", 2, "二(四)2")] * 2  # fmt: skip
    assert unlisted not in {m["licenceNumber"] for m in report["mines"]}

    pending = data(await gql(PENDING, {"mines": [listed]}, token=admin), "penalties")
    assert pending["totalCount"] == 4
    first = pending["edges"][0]["node"]
    assert first["register"] == {"code": "national_credit_publicity_system",
                                 "nameZh": "国家企业信用信息公示系统"}  # fmt: skip
    assert first["issuingDepartment"] == {"code": "ecology_environment"}
    published = await gql(PUBLISH, {"input": {"penaltyId": outstanding["id"],
                                              "publishedOn": "2026-11-20",
                                              "reference": "公示编号 620000-2026-11"}},
                          token=ecology)  # fmt: skip
    assert data(published, "recordPenaltyPublication")["publication"] == "PUBLISHED"
    still = data(await gql(PENDING, {"mines": [listed]}, token=admin), "penalties")
    assert outstanding["id"] not in {e["node"]["id"] for e in still["edges"]}
    assert still["totalCount"] == 3
    twice = await gql(PUBLISH, {"input": {"penaltyId": outstanding["id"],
                                          "publishedOn": "2026-11-21"}}, token=ecology)  # fmt: skip
    assert twice.codes == ["CONFLICT"]
    assert twice.errors[0]["extensions"]["current"] == "PUBLISHED"

    on_mine = data(await gql(MINE_PENALTIES, {"l": listed}, token=admin), "mine")["penalties"]
    assert {p["decisionNumber"]: p["meetsRemovalCondition2"] for p in on_mine} == {
        "甘环罚〔2026〕11号": True, "甘环罚〔2026〕12号": True,
        "甘环罚〔2026〕13号": False, "甘环罚〔2026〕14号": False,
    }  # fmt: skip


async def test_penalty_input_is_checked_and_nothing_is_written_on_failure(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    ecology = await cases.token(Role.OFFICER, "ecology_environment")
    base = {"licenceNumber": licence, "issuingDepartmentCode": "ecology_environment",
            "decisionNumber": "甘环罚〔2026〕21号", "decidedOn": "2026-06-01",
            "performanceDeadline": "2026-07-01", "description": "罚款"}  # fmt: skip
    bad: list[tuple[dict[str, Any], str]] = [
        ({"performanceDeadline": "2026-06-01"}, "input.performanceDeadline"),
        ({"decidedOn": "2026-12-01", "performanceDeadline": "2027-01-01"}, "input.decidedOn"),
        ({"licenceNumber": "C6299999999999999999"}, "input.licenceNumber"),
        ({"amount": -5.0}, "input.amount"),
        ({"caseId": "no-such-case"}, "input.caseId"),
        ({"description": "  "}, "input.description"),
    ]
    for extra, field in bad:
        result = await gql(PENALTY, {"input": {**base, **extra}}, token=ecology)
        assert result.codes == ["BAD_USER_INPUT"], (extra, result.errors)
        assert result.errors[0]["extensions"]["field"] == field
    data(await gql(PENALTY, {"input": base}, token=ecology), "recordPenalty")
    duplicate = await gql(PENALTY, {"input": base}, token=ecology)
    assert duplicate.codes == ["CONFLICT"]
    assert duplicate.errors[0]["extensions"]["field"] == "input.decisionNumber"
    on_mine = data(await gql(MINE_PENALTIES, {"l": licence}, token=admin), "mine")["penalties"]
    assert len(on_mine) == 1
    [penalty] = on_mine
    assert penalty["publication"] == "PENDING"


async def test_execution_is_recorded_once_by_the_issuing_department(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory
) -> None:
    licence = await mines.listed()
    penalty = await cases.penalty(licence)
    ecology = await cases.token(Role.OFFICER, "ecology_environment")
    water = await cases.token(Role.OFFICER, "water_resources")
    assert (await execute(gql, water, penalty["id"], "2026-06-20")).codes == ["FORBIDDEN"]
    early = await execute(gql, ecology, penalty["id"], "2026-05-20")
    assert early.codes == ["BAD_USER_INPUT"]
    assert early.errors[0]["extensions"]["field"] == "input.executedOn"
    assert data(await execute(gql, ecology, penalty["id"], "2026-06-20"),
                "recordPenaltyExecution")["executedOn"] == "2026-06-20"  # fmt: skip
    again = await execute(gql, ecology, penalty["id"], "2026-06-21")
    assert again.codes == ["CONFLICT"] and again.errors[0]["extensions"]["current"] == "EXECUTED"


async def test_a_penalty_in_a_case_is_recorded_by_a_department_the_case_involves(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    case = await cases.file(licence, department="water_resources", conditionNumber=14)
    ecology = await cases.token(Role.OFFICER, "ecology_environment")
    values = {"licenceNumber": licence, "issuingDepartmentCode": "ecology_environment",
              "decisionNumber": "甘环罚〔2026〕31号", "decidedOn": "2026-11-21",
              "performanceDeadline": "2026-12-21", "description": "责令整改并处罚款",
              "caseId": case["id"]}  # fmt: skip
    outside = await gql(PENALTY, {"input": values}, token=ecology)
    assert outside.codes == ["FORBIDDEN"]
    await cases.transfer(case["id"], "ecology_environment", by="water_resources")
    inside = data(await gql(PENALTY, {"input": values}, token=ecology), "recordPenalty")
    assert inside["caseId"] == case["id"]
    query = """query($id: String!) { case(id: $id) { history { action details }
                 penalties { decisionNumber } } }"""
    found = data(await gql(query, {"id": case["id"]}, token=admin), "case")
    assert [h["action"] for h in found["history"]] == ["FILE", "TRANSFER_LEAD", "RECORD_PENALTY"]
    assert found["penalties"] == [{"decisionNumber": "甘环罚〔2026〕31号"}]
    other = await mines.listed()
    wrong_mine = await gql(PENALTY, {"input": {**values, "licenceNumber": other,
                                               "decisionNumber": "甘环罚〔2026〕32号"}},
                           token=ecology)  # fmt: skip
    assert wrong_mine.codes == ["BAD_USER_INPUT"]
