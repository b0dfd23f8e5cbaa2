"""Leads on illegal acts handed to the competent department and onwards: the path is kept in the
graph and read in order with who acted and when; only the department holding the lead passes it
on; the departments it reaches may read the case."""

from __future__ import annotations

import asyncio

import pytest

from graph import cases as graph_cases
from graph.case_model import LeadTransferRecord
from graph.engine import Engine
from resolvers.auth import SYSTEM, Role, audit_entry
from resolvers.case_steps import case_step
from resolvers.case_workflow import CaseAction, CaseState, step
from tests.case_factories import TRANSFER, CaseFactory
from tests.conftest import FIXED_NOW, GraphQLClient, TokenFactory
from tests.factories import MineFactory, data

CHAIN = """
query($id: String!) { case(id: $id) {
  leadHolderCode leadHolder { code }
  leadChain { seq fromDepartmentCode toDepartmentCode transferredOn summary actor role
              actingDepartmentCode fromDepartment { nameZh } toDepartment { code } }
  history { action details occurredOn } } }
"""
PATH = """
MATCH p = (:Case {id: $id})-[:LEAD]->(:LeadTransfer)-[:NEXT*0..]->(last:LeadTransfer)
WHERE NOT (last)-[:NEXT]->()
RETURN [n IN nodes(p)[1..] | n.toDepartment] AS path
"""


@pytest.fixture
def cases(gql: GraphQLClient, tokens: TokenFactory) -> CaseFactory:
    return CaseFactory(gql, tokens)


@pytest.fixture
async def licence(gql: GraphQLClient, cases: CaseFactory) -> str:
    return await MineFactory(gql, await cases.admin()).listed()


async def test_a_lead_transferred_twice_shows_its_chain_in_order_with_who_and_when(
    gql: GraphQLClient, cases: CaseFactory, licence: str, seeded_graph: Engine
) -> None:
    case = await cases.file(licence, department="water_resources", conditionNumber=14)
    first = await cases.transfer(case["id"], "ecology_environment", by="water_resources",
                                 transferredOn="2026-06-01", summary="疑似违法排污")  # fmt: skip
    second = await cases.transfer(case["id"], "emergency_management", by="ecology_environment",
                                  transferredOn="2026-06-15", summary="涉及尾矿库安全")  # fmt: skip
    assert (first["seq"], second["seq"]) == (1, 2)
    found = data(await gql(CHAIN, {"id": case["id"]}, token=await cases.admin()), "case")
    chain = found["leadChain"]
    assert [(t["seq"], t["fromDepartmentCode"], t["toDepartmentCode"], t["transferredOn"])
            for t in chain] == [
        (1, "water_resources", "ecology_environment", "2026-06-01"),
        (2, "ecology_environment", "emergency_management", "2026-06-15"),
    ]  # fmt: skip
    assert chain[0]["actor"] == "officer@water_resources" and chain[0]["role"] == "officer"
    assert chain[1]["actingDepartmentCode"] == "ecology_environment"
    assert chain[0]["fromDepartment"]["nameZh"] == "甘肃省水利厅"
    assert found["leadHolder"] == {"code": "emergency_management"}
    assert [h["action"] for h in found["history"]] == ["FILE", "TRANSFER_LEAD", "TRANSFER_LEAD"]
    # the path in the graph, walked from the case
    rows = await seeded_graph.read_only_text(PATH, {"id": case["id"]})
    assert rows.records == [{"path": ["ecology_environment", "emergency_management"]}]


async def test_only_the_department_holding_the_lead_passes_it_on(
    gql: GraphQLClient, cases: CaseFactory, licence: str
) -> None:
    case = await cases.file(licence, department="water_resources", conditionNumber=14)
    await cases.transfer(case["id"], "ecology_environment", by="water_resources")
    reporter = await cases.token(Role.OFFICER, "water_resources")
    again = await gql(TRANSFER, {"input": {"caseId": case["id"], "toDepartmentCode": "audit",
                                           "transferredOn": "2026-11-21", "summary": "x"}},
                      token=reporter)  # fmt: skip
    assert again.codes == ["FORBIDDEN"]
    assert "ecology_environment" in again.errors[0]["message"]
    holder = await cases.token(Role.OFFICER, "ecology_environment")
    to_itself = await gql(TRANSFER, {"input": {"caseId": case["id"],
                                               "toDepartmentCode": "ecology_environment",
                                               "transferredOn": "2026-11-21", "summary": "x"}},
                          token=holder)  # fmt: skip
    assert to_itself.codes == ["BAD_USER_INPUT"]
    assert to_itself.errors[0]["extensions"]["field"] == "input.toDepartmentCode"
    backwards = await gql(TRANSFER, {"input": {"caseId": case["id"], "toDepartmentCode": "audit",
                                               "transferredOn": "2026-11-19", "summary": "x"}},
                          token=holder)  # fmt: skip
    assert backwards.codes == ["BAD_USER_INPUT"]
    assert "previous transfer" in backwards.errors[0]["message"]
    unknown = await gql(TRANSFER, {"input": {"caseId": case["id"], "toDepartmentCode": "nobody",
                                             "transferredOn": "2026-11-21", "summary": "x"}},
                        token=holder)  # fmt: skip
    assert unknown.codes == ["BAD_USER_INPUT"]
    assert unknown.errors[0]["extensions"]["field"] == "input.toDepartmentCode"


async def test_the_departments_a_lead_reaches_may_read_the_case_and_others_may_not(
    gql: GraphQLClient, cases: CaseFactory, licence: str
) -> None:
    case = await cases.file(licence, department="water_resources", conditionNumber=14)
    query = "query($id: String!) { case(id: $id) { id } }"
    ecology = await cases.token(Role.OFFICER, "ecology_environment")
    assert (await gql(query, {"id": case["id"]}, token=ecology)).codes == ["NOT_FOUND"]
    await cases.transfer(case["id"], "ecology_environment", by="water_resources")
    assert data(await gql(query, {"id": case["id"]}, token=ecology), "case") == {"id": case["id"]}
    audit = await cases.token(Role.OFFICER, "audit")
    assert (await gql(query, {"id": case["id"]}, token=audit)).codes == ["NOT_FOUND"]


async def test_a_stale_transfer_is_refused_by_the_guard_and_writes_nothing(
    cases: CaseFactory, licence: str, seeded_graph: Engine
) -> None:
    case = await cases.file(licence, department="water_resources", conditionNumber=14)
    await cases.transfer(case["id"], "ecology_environment", by="water_resources")

    async def transfer_as_if_unmoved(to: str) -> LeadTransferRecord | None:
        # what a request that read the case before the first transfer would write
        moved = case_step(step(CaseAction.TRANSFER_LEAD), current=CaseState.OPEN,
                          occurred_on=FIXED_NOW.date(), actor=SYSTEM, at=FIXED_NOW)  # fmt: skip
        return await graph_cases.transfer_lead(
            seeded_graph,
            case_id=case["id"],
            expected=["OPEN"],
            lead_count=0,
            last_lead_id=None,
            lead={"id": f"stale-{to}", "fromDepartment": "water_resources", "toDepartment": to,
                  "transferredOn": "2026-11-25", "summary": "x", "actor": "x", "role": "admin",
                  "actingDepartment": None, "recordedAt": "2026-11-25T00:00:00+00:00"},
            step=moved,
            audit=audit_entry(SYSTEM, "transferLead", "stale", {}),
        )  # fmt: skip

    results = await asyncio.gather(
        transfer_as_if_unmoved("audit"), transfer_as_if_unmoved("taxation")
    )
    assert list(results) == [None, None]
    count = await seeded_graph.read_only_text(
        "MATCH (t:LeadTransfer) WHERE t.id STARTS WITH 'stale-' RETURN count(t) AS n"
    )
    assert count.records == [{"n": 0}]
