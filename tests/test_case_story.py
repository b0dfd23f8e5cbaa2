"""A case's whole story over GraphQL: filed as free text (routing suggests the department and the
condition), referred with a recommendation, decided on a joint meeting's opinion — and the mine's
own history shows the removal citing the condition and its clause."""

from __future__ import annotations

import pytest

from graph.engine import Engine
from resolvers.auth import Role
from tests.case_factories import CaseFactory
from tests.conftest import GraphQLClient, TokenFactory
from tests.factories import MineFactory, data

CASE = """
query($id: String!) {
  case(id: $id) {
    id state classification conditionNumber competentDepartmentCodes
    clause { ref } removalCondition { number }
    routingSuggestions { rank score matchedTerms departmentCode conditionNumber chosen
                         department { code } explanationZh }
    evidence { seq text reference }
    referral { referredOn recommendation recommendedOutcome fromDepartment { code } toDepartment { code } }
    decision { outcome decidedOn meetingOpinion conditionNumber clauseRef
               meeting { id heldOn attendingDepartments { code } } }
    history { seq action fromState toState occurredOn actor departmentCode clauseRef }
    mine { licenceNumber status
           history { action fromStatus toStatus occurredOn conditionNumber clauseRef
                     clause { ref } removalCondition { number } departmentCodes } }
  }
}
"""
SESSIONS = """
{ jointMeetingSessions(first: 5) { totalCount
    edges { node { id heldOn convener { code } agendaItems { number textZh }
                   body { code } decisions { outcome licenceNumber case { id } } } } } }
"""
REFERRALS = """
query($mine: String!) { referrals(filter: {mines: [$mine]}) { totalCount
    edges { node { caseId recommendation fromDepartmentCode toDepartmentCode } } } }
"""


@pytest.fixture
async def admin(tokens: TokenFactory) -> str:
    return await tokens(Role.ADMIN, "natural_resources")


async def test_a_free_text_case_is_routed_referred_decided_and_removes_the_mine(
    gql: GraphQLClient, tokens: TokenFactory, admin: str, seeded_graph: Engine
) -> None:
    licence = await MineFactory(gql, admin).listed()
    cases = CaseFactory(gql, tokens)

    filed = await cases.file(licence, description="尾矿库防渗没做，污染地下水")
    assert filed["state"] == "OPEN" and filed["classification"] == "ROUTING"
    assert filed["conditionNumber"] == 8
    assert filed["competentDepartmentCodes"][0] == "ecology_environment"

    await cases.refer(filed["id"], recommendation="建议移出名录并移交线索",
                      recommendedOutcome="REMOVE")  # fmt: skip
    meeting = await cases.meeting()
    decided = await cases.decide(filed["id"], meeting["id"], "REMOVE")
    assert decided["state"] == "DECIDED"
    assert decided["decision"]["clauseRef"] == "二(四)8"

    case = data(await gql(CASE, {"id": filed["id"]}, token=admin), "case")
    best = case["routingSuggestions"][0]
    assert best["departmentCode"] == "ecology_environment" and best["conditionNumber"] == 8
    assert best["score"] > 0 and "尾矿库防渗" in best["matchedTerms"] and best["chosen"]
    assert best["explanationZh"]
    assert case["clause"] == {"ref": "二(四)8"} and case["removalCondition"] == {"number": 8}
    assert case["referral"]["recommendedOutcome"] == "REMOVE"
    assert case["referral"]["fromDepartment"] == {"code": "ecology_environment"}
    assert case["referral"]["toDepartment"] == {"code": "natural_resources"}
    assert case["decision"]["meeting"]["id"] == meeting["id"]
    assert case["decision"]["meetingOpinion"] == "联席会议同意报送部门意见"
    steps = [(e["seq"], e["action"], e["fromState"], e["toState"]) for e in case["history"]]
    assert steps == [
        (1, "FILE", None, "OPEN"),
        (2, "REFER", "OPEN", "REFERRED"),
        (3, "DECIDE", "REFERRED", "DECIDED"),
    ]
    assert case["history"][0]["departmentCode"] == "ecology_environment"
    assert case["history"][2]["actor"] == "admin@natural_resources"

    mine = case["mine"]
    assert mine["status"] == "REMOVED"
    removal = mine["history"][-1]
    assert removal["action"] == "REMOVE_FOR_CONDITION"
    assert (removal["fromStatus"], removal["toStatus"]) == ("LISTED", "REMOVED")
    assert removal["conditionNumber"] == 8 and removal["clauseRef"] == "二(四)8"
    assert removal["clause"] == {"ref": "二(四)8"} and removal["removalCondition"] == {"number": 8}
    assert removal["departmentCodes"] == meeting["departmentCodes"]

    sessions = data(await gql(SESSIONS, token=admin), "jointMeetingSessions")
    [session] = [e["node"] for e in sessions["edges"] if e["node"]["id"] == meeting["id"]]
    assert session["convener"] == {"code": "natural_resources"}
    assert session["body"] == {"code": "joint_meeting"}
    assert [a["number"] for a in session["agendaItems"]] == [2]
    assert session["decisions"] == [
        {"outcome": "REMOVE", "licenceNumber": licence, "case": {"id": filed["id"]}}
    ]
    referrals = data(await gql(REFERRALS, {"mine": licence}, token=admin), "referrals")
    assert referrals["totalCount"] == 1
    assert referrals["edges"][0]["node"]["caseId"] == filed["id"]

    # every step was audited in the statement that made it, linked to what it changed
    audited = await seeded_graph.read_only_text(
        "MATCH (a:AuditEntry)-[:CHANGED]->(:Case {id: $id}) RETURN a.operation AS op ORDER BY op",
        {"id": filed["id"]},
    )
    assert [r["op"] for r in audited.records] == ["decideCase", "fileCase", "referCase"]
    mine_audit = await seeded_graph.read_only_text(
        "MATCH (a:AuditEntry {operation: 'decideCase'})-[:CHANGED]->(:Mine {licenceNumber: $l}) "
        "RETURN count(a) AS n",
        {"l": licence},
    )
    assert mine_audit.records == [{"n": 1}]
