"""Joint-meeting sessions and decisions on referred cases: who may decide, what each outcome
does to the mine (REMOVE, KEEP, RECTIFY within the Rule's 6 months), dates in order, invalid
steps refused naming the states, nothing written on failure, and the guard against two
decisions at once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from graph import decisions
from graph.engine import Engine
from resolvers import case_workflow
from resolvers.auth import SYSTEM, Role, audit_entry
from resolvers.case_steps import case_step
from resolvers.case_workflow import CaseAction, CaseState
from tests.case_factories import DECIDE, MEETING, CaseFactory
from tests.conftest import FIXED_NOW, GraphQLClient, TokenFactory
from tests.factories import MineFactory, data

MINE = """
query($l: String!) { mine(licenceNumber: $l) {
  status listing { rectificationDeadline removedOn }
  history { action fromStatus toStatus occurredOn ruleCode clauseRef conditionNumber }
  rectifications { foundOn deadline findings measures closedOn outcome }
  cases { totalCount edges { node { id state decision { outcome } } } } } }
"""
CASE = "query($id: String!) { case(id: $id) { state history { action } decision { id } } }"
RECHECK = """
mutation($input: RecordRecheckInput!) { recordRecheck(input: $input) { status } }
"""
CLOSE = "mutation($input: CloseCaseInput!) { closeCase(input: $input) { state stateSince } }"


@pytest.fixture
def cases(gql: GraphQLClient, tokens: TokenFactory) -> CaseFactory:
    return CaseFactory(gql, tokens)


@pytest.fixture
async def admin(cases: CaseFactory) -> str:
    return await cases.admin()


@pytest.fixture
def mines(gql: GraphQLClient, admin: str) -> MineFactory:
    return MineFactory(gql, admin)


async def mine(gql: GraphQLClient, token: str, licence: str) -> dict[str, Any]:
    return data(await gql(MINE, {"l": licence}, token=token), "mine")


async def decide(
    gql: GraphQLClient, token: str, case_id: str, meeting_id: str, outcome: str, **extra: Any
) -> Any:
    values = {"caseId": case_id, "meetingId": meeting_id, "outcome": outcome,
              "decidedOn": "2026-11-25", "meetingOpinion": "同意", "reason": "经研究决定", **extra}  # fmt: skip
    return await gql(DECIDE, {"input": values}, token=token)


async def test_an_officer_of_water_resources_cannot_decide_a_removal(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    case = await cases.referred(licence, department="water_resources", conditionNumber=14)
    meeting = await cases.meeting()
    water = await cases.token(Role.OFFICER, "water_resources")
    result = await decide(gql, water, case["id"], meeting["id"], "REMOVE")
    assert result.codes == ["FORBIDDEN"]
    assert "admin" in result.errors[0]["message"]
    after = await mine(gql, admin, licence)
    assert after["status"] == "LISTED"
    assert after["cases"]["edges"][0]["node"] == {"id": case["id"], "state": "REFERRED",
                                                  "decision": None}  # fmt: skip


async def test_rectify_puts_the_mine_under_rectification_and_a_passed_recheck_lists_it_again(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    case = await cases.referred(licence, conditionNumber=7)
    meeting = await cases.meeting()
    decided = await cases.decide(
        case["id"], meeting["id"], "RECTIFY", rectificationDeadline="2027-05-25",
        rectificationMeasures="完善排污许可手续",
    )  # fmt: skip
    assert decided["decision"]["outcome"] == "RECTIFY"
    rectifying = await mine(gql, admin, licence)
    assert rectifying["status"] == "UNDER_RECTIFICATION"
    assert rectifying["listing"]["rectificationDeadline"] == "2027-05-25"
    step = rectifying["history"][-1]
    assert (step["action"], step["fromStatus"], step["toStatus"]) == (
        "RECTIFY_BY_DECISION", "LISTED", "UNDER_RECTIFICATION")  # fmt: skip
    assert step["ruleCode"] == "rectification_max_months" and step["conditionNumber"] == 7
    assert step["clauseRef"] == "二(四)7"
    [rectification] = rectifying["rectifications"]
    assert rectification["deadline"] == "2027-05-25" and rectification["closedOn"] is None
    assert rectification["measures"] == "完善排污许可手续"
    # the lifecycle's own re-check closes it
    recheck = {"licenceNumber": licence, "recheckedOn": "2026-11-25", "passed": True,
               "rectificationCompletedOn": "2026-11-25"}  # fmt: skip
    assert data(await gql(RECHECK, {"input": recheck}, token=admin), "recordRecheck") == {
        "status": "LISTED"
    }


async def test_a_rectification_deadline_of_seven_months_is_refused_and_nothing_is_written(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    case = await cases.referred(licence, conditionNumber=7)
    meeting = await cases.meeting()
    result = await decide(
        gql, admin, case["id"], meeting["id"], "RECTIFY", rectificationDeadline="2027-06-25"
    )
    assert result.codes == ["BAD_USER_INPUT"]
    error = result.errors[0]
    assert error["extensions"]["field"] == "input.rectificationDeadline"
    assert "6 months" in error["message"] and "2027-05-25" in error["message"]
    assert (await mine(gql, admin, licence))["status"] == "LISTED"
    assert data(await gql(CASE, {"id": case["id"]}, token=admin), "case")["state"] == "REFERRED"


async def test_keep_leaves_the_mine_listed_and_the_case_is_closed_afterwards(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    case = await cases.referred(licence, conditionNumber=12)
    meeting = await cases.meeting()
    kept = await cases.decide(case["id"], meeting["id"], "KEEP")
    assert kept["state"] == "DECIDED" and kept["decision"]["outcome"] == "KEEP"
    assert (await mine(gql, admin, licence))["status"] == "LISTED"
    early = await gql(CLOSE, {"input": {"caseId": case["id"], "closedOn": "2026-11-24",
                                        "note": "结案"}}, token=admin)  # fmt: skip
    assert early.codes == ["BAD_USER_INPUT"]
    assert early.errors[0]["extensions"]["field"] == "input.closedOn"
    closed = await gql(CLOSE, {"input": {"caseId": case["id"], "closedOn": "2026-11-25",
                                         "note": "结案"}}, token=admin)  # fmt: skip
    assert data(closed, "closeCase") == {"state": "CLOSED", "stateSince": "2026-11-25"}
    history = data(await gql(CASE, {"id": case["id"]}, token=admin), "case")["history"]
    assert [h["action"] for h in history] == ["FILE", "REFER", "DECIDE", "CLOSE"]


async def test_a_decision_before_the_referral_or_on_an_earlier_meeting_is_refused(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    case = await cases.referred(licence, conditionNumber=4)  # referred on 2026-11-25
    meeting = await cases.meeting()
    before = await decide(gql, admin, case["id"], meeting["id"], "REMOVE", decidedOn="2026-11-24")
    assert before.codes == ["BAD_USER_INPUT"]
    assert before.errors[0]["extensions"]["field"] == "input.decidedOn"
    assert "referral" in before.errors[0]["message"]
    earlier = await cases.meeting(heldOn="2026-11-01")
    stale = await decide(gql, admin, case["id"], earlier["id"], "REMOVE")
    assert stale.codes == ["BAD_USER_INPUT"]
    assert stale.errors[0]["extensions"]["field"] == "input.meetingId"
    unknown = await decide(gql, admin, case["id"], "no-such-session", "REMOVE")
    assert unknown.codes == ["BAD_USER_INPUT"]
    assert (await mine(gql, admin, licence))["status"] == "LISTED"


async def test_removing_a_mine_that_is_not_on_the_list_is_a_conflict_naming_its_status(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.register()
    case = await cases.referred(licence, conditionNumber=4)
    meeting = await cases.meeting()
    result = await decide(gql, admin, case["id"], meeting["id"], "REMOVE")
    assert result.codes == ["CONFLICT"]
    extensions = result.errors[0]["extensions"]
    assert extensions["current"] == "NOT_APPLIED" and extensions["allowed"] == ["APPLIED"]
    assert extensions["field"] == "input.outcome"
    assert data(await gql(CASE, {"id": case["id"]}, token=admin), "case")["decision"] is None


async def test_a_decided_case_cannot_be_decided_again(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    case = await cases.referred(licence, conditionNumber=12)
    meeting = await cases.meeting()
    await cases.decide(case["id"], meeting["id"], "KEEP")
    again = await decide(gql, admin, case["id"], meeting["id"], "REMOVE")
    assert again.codes == ["CONFLICT"]
    extensions = again.errors[0]["extensions"]
    assert extensions["current"] == "DECIDED" and extensions["allowed"] == ["DECIDED", "CLOSED"]
    assert "decideCase needs it REFERRED" in again.errors[0]["message"]


async def test_removal_needs_a_condition_when_the_case_has_none(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    # routes to water_resources without a removal condition
    case = await cases.referred(licence, department="water_resources",
                                description="排土场水土流失严重，水土保持方案没落实")  # fmt: skip
    assert case["conditionNumber"] is None
    meeting = await cases.meeting()
    result = await decide(gql, admin, case["id"], meeting["id"], "REMOVE")
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "input.conditionNumber"
    cited = await decide(gql, admin, case["id"], meeting["id"], "REMOVE", conditionNumber=14)
    assert data(cited, "decideCase")["decision"]["clauseRef"] == "二(四)14"


async def test_removal_of_a_mine_under_rectification_closes_the_rectification(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    first = await cases.referred(licence, conditionNumber=7)
    meeting = await cases.meeting()
    await cases.decide(first["id"], meeting["id"], "RECTIFY", rectificationDeadline="2027-03-01")
    second = await cases.referred(licence, conditionNumber=5)
    await cases.decide(second["id"], meeting["id"], "REMOVE")
    removed = await mine(gql, admin, licence)
    assert removed["status"] == "REMOVED" and removed["listing"]["removedOn"] == "2026-11-25"
    assert removed["listing"]["rectificationDeadline"] is None
    [rectification] = removed["rectifications"]
    assert rectification["outcome"] == "SUPERSEDED_BY_REMOVAL"
    assert rectification["closedOn"] == "2026-11-25"
    assert removed["cases"]["totalCount"] == 2


async def test_two_decisions_at_once_apply_once(
    gql: GraphQLClient, cases: CaseFactory, mines: MineFactory, admin: str, seeded_graph: Engine
) -> None:
    licence = await mines.listed()
    case = await cases.referred(licence, conditionNumber=4)
    meeting = await cases.meeting()
    results = await asyncio.gather(
        decide(gql, admin, case["id"], meeting["id"], "REMOVE"),
        decide(gql, admin, case["id"], meeting["id"], "KEEP"),
    )
    assert sorted(r.codes == [] for r in results) == [False, True]
    [refused] = [r for r in results if r.codes]
    assert refused.codes == ["CONFLICT"]
    decisions = await seeded_graph.read_only_text(
        "MATCH (d:Decision)-[:DECIDES]->(:Case {id: $id}) RETURN count(d) AS n", {"id": case["id"]}
    )
    assert decisions.records == [{"n": 1}]


async def test_a_joint_meeting_is_convened_by_natural_resources_with_co_building_departments(
    gql: GraphQLClient, admin: str
) -> None:
    base = {"heldOn": "2026-11-20", "agenda": ["研究移出事项"]}
    cases_: list[tuple[dict[str, Any], str]] = [
        ({"attendingDepartmentCodes": ["ecology_environment", "water_resources"]},
         "input.attendingDepartmentCodes"),
        ({"attendingDepartmentCodes": ["natural_resources"]}, "input.attendingDepartmentCodes"),
        ({"attendingDepartmentCodes": ["natural_resources", "no_such_department"]},
         "input.attendingDepartmentCodes[1]"),
        ({"attendingDepartmentCodes": ["natural_resources", "audit"], "agendaItemNumbers": [9]},
         "input.agendaItemNumbers[0]"),
        ({"attendingDepartmentCodes": ["natural_resources", "audit"], "heldOn": "2026-12-01"},
         "input.heldOn"),
        ({"attendingDepartmentCodes": ["natural_resources", "audit"], "agenda": []},
         "input.agenda"),
    ]  # fmt: skip
    for extra, field in cases_:
        result = await gql(MEETING, {"input": {**base, **extra}}, token=admin)
        assert result.codes == ["BAD_USER_INPUT"], (extra, result.errors)
        assert result.errors[0]["extensions"]["field"] == field
    ok = await gql(MEETING, {"input": {**base, "attendingDepartmentCodes": [
        "natural_resources", "audit", "taxation"]}}, token=admin)  # fmt: skip
    assert data(ok, "recordJointMeeting")["departmentCodes"] == [
        "natural_resources", "audit", "taxation"]  # fmt: skip


async def test_a_stale_decision_is_refused_by_the_guard_and_writes_nothing(
    cases: CaseFactory, mines: MineFactory, seeded_graph: Engine
) -> None:
    licence = await mines.listed()
    case = await cases.referred(licence, conditionNumber=4)
    meeting = await cases.meeting()
    await cases.decide(case["id"], meeting["id"], "KEEP")
    # what a request that read the case while it was still REFERRED would write
    step = case_step(case_workflow.step(CaseAction.DECIDE), current=CaseState.REFERRED,
                     occurred_on=FIXED_NOW.date(), actor=SYSTEM, at=FIXED_NOW)  # fmt: skip
    decision = {"id": "stale-decision", "meeting": meeting["id"], "outcome": "KEEP",
                "decidedOn": "2026-11-25", "meetingOpinion": "x", "reason": "x",
                "conditionNumber": 4, "clauseRef": "二(四)4", "rectificationDeadline": None,
                "actor": "x", "recordedAt": "2026-11-25T00:00:00+00:00"}  # fmt: skip
    written = await decisions.decide(
        seeded_graph, case_id=case["id"], expected=["REFERRED"], decision=decision, step=step,
        audit=audit_entry(SYSTEM, "decideCase", "stale", {}),
    )  # fmt: skip
    assert written is None
    count = await seeded_graph.read_only_text(
        "MATCH (d:Decision {id: 'stale-decision'}) RETURN count(d) AS n"
    )
    assert count.records == [{"n": 0}]
