"""Who may do what with cases: every mutation of the cases work has a rule in one table
(`resolvers/case_access.py`), refuses anonymous callers, an officer of a department it is not for
and an analyst, and writes nothing when it refuses; cases are not public."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio

from graph.engine import Engine
from greenmine.config import Settings
from resolvers.auth import Role
from resolvers.case_access import MUTATION_ACCESS, READ_ACCESS, ActsFor
from schema.cases import CaseMutations, CaseQueries
from tests.case_factories import CaseFactory
from tests.conftest import GraphQLClient, TokenFactory, reseed
from tests.factories import MineFactory


@dataclass
class World:
    """A listed mine, an OPEN case and a REFERRED case reported by water_resources, a joint
    meeting, and a penalty imposed by ecology_environment."""

    licence: str = ""
    open_case: str = ""
    referred_case: str = ""
    meeting: str = ""
    penalty: str = ""
    inputs: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(engine: Engine, settings: Settings) -> AsyncIterator[World]:
    await reseed(engine)
    gql = GraphQLClient(engine, settings)
    tokens = TokenFactory(engine)
    cases = CaseFactory(gql, tokens)
    found = World()
    found.licence = await MineFactory(gql, await cases.admin()).listed()
    water: dict[str, Any] = {"department": "water_resources", "conditionNumber": 14}
    found.open_case = (
        await cases.file(found.licence, department="water_resources", conditionNumber=14)
    )["id"]
    referred = await cases.referred(found.licence, **water)
    found.referred_case = referred["id"]
    found.meeting = (await cases.meeting())["id"]
    found.penalty = (await cases.penalty(found.licence))["id"]
    case, ref = found.open_case, found.referred_case
    found.inputs = {
        "fileCase": ("FileCaseInput", {
            "licenceNumber": found.licence, "reportingDepartmentCode": "water_resources",
            "foundOn": "2026-05-01", "description": "排土场水土流失严重", "conditionNumber": 14,
            "evidence": [{"text": "现场照片"}]}),
        "classifyCase": ("ClassifyCaseInput", {"caseId": case, "conditionNumber": 7}),
        "addCaseEvidence": ("AddCaseEvidenceInput",
                            {"caseId": case, "evidence": [{"text": "补充材料"}]}),
        "referCase": ("ReferCaseInput", {"caseId": case, "referredOn": "2026-11-25",
                                         "recommendation": "建议整改"}),
        "withdrawCase": ("WithdrawCaseInput", {"caseId": case, "withdrawnOn": "2026-11-25",
                                               "reason": "误报"}),
        "recordJointMeeting": ("RecordJointMeetingInput", {
            "heldOn": "2026-11-25", "attendingDepartmentCodes": ["natural_resources",
                                                                 "water_resources"],
            "agendaItemNumbers": [2]}),
        "decideCase": ("DecideCaseInput", {
            "caseId": ref, "meetingId": found.meeting, "outcome": "REMOVE",
            "decidedOn": "2026-11-25", "meetingOpinion": "同意", "reason": "移出"}),
        "closeCase": ("CloseCaseInput", {"caseId": ref, "closedOn": "2026-11-25",
                                         "note": "结案"}),
        "transferLead": ("TransferLeadInput", {
            "caseId": case, "toDepartmentCode": "ecology_environment",
            "transferredOn": "2026-11-25", "summary": "移交"}),
        "recordPenalty": ("RecordPenaltyInput", {
            "licenceNumber": found.licence, "issuingDepartmentCode": "ecology_environment",
            "decisionNumber": "甘环罚〔2026〕999号", "decidedOn": "2026-06-01",
            "performanceDeadline": "2026-07-01", "description": "罚款"}),
        "recordPenaltyExecution": ("RecordPenaltyExecutionInput",
                                   {"penaltyId": found.penalty, "executedOn": "2026-06-20"}),
        "recordPenaltyPublication": ("RecordPenaltyPublicationInput",
                                     {"penaltyId": found.penalty, "publishedOn": "2026-06-10"}),
    }  # fmt: skip
    yield found
    await reseed(engine)


#: an officer of a department none of the inputs are for
WRONG_DEPARTMENT = "taxation"
COUNT_WRITES = "MATCH (a:AuditEntry) RETURN count(a) AS n"


def declared(cls: type) -> set[str]:
    names = set()
    for f in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        head, *rest = f.python_name.split("_")
        names.add(f.graphql_name or head + "".join(p.title() for p in rest))
    return names


def declared_mutations() -> set[str]:
    return declared(CaseMutations)


def test_every_query_of_the_cases_work_has_a_read_rule() -> None:
    assert declared(CaseQueries) | {"Mine.cases", "Mine.penalties"} == set(READ_ACCESS)


def mutation(world: World, name: str) -> tuple[str, dict[str, Any]]:
    input_type, values = world.inputs[name]
    query = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ __typename }} }}"
    return query, {"input": values}


def test_every_mutation_of_the_cases_work_has_one_access_rule() -> None:
    assert set(MUTATION_ACCESS) == declared_mutations()
    for name, rule in MUTATION_ACCESS.items():
        assert Role.ANONYMOUS not in rule.roles and Role.ANALYST not in rule.roles, name
        if rule.acts_for is ActsFor.LIST_KEEPER:
            assert rule.roles == {Role.ADMIN}, name
        assert rule.clause_ref.startswith("二("), name


async def test_the_test_table_covers_every_mutation(world: World) -> None:
    assert set(world.inputs) == declared_mutations()


@pytest.mark.parametrize("name", sorted(MUTATION_ACCESS))
async def test_an_anonymous_caller_cannot_call_it_and_nothing_is_written(
    world: World, engine: Engine, settings: Settings, name: str
) -> None:
    gql = GraphQLClient(engine, settings)
    before = await engine.read_only_text(COUNT_WRITES)
    query, variables = mutation(world, name)
    result = await gql(query, variables)
    assert result.codes == ["UNAUTHENTICATED"], result.errors
    assert result.data is None
    assert (await engine.read_only_text(COUNT_WRITES)).records == before.records


@pytest.mark.parametrize("name", sorted(MUTATION_ACCESS))
async def test_an_officer_of_another_department_is_forbidden(
    world: World, engine: Engine, settings: Settings, name: str
) -> None:
    gql = GraphQLClient(engine, settings)
    officer = await TokenFactory(engine)(Role.OFFICER, WRONG_DEPARTMENT)
    before = await engine.read_only_text(COUNT_WRITES)
    query, variables = mutation(world, name)
    result = await gql(query, variables, token=officer)
    assert result.codes == ["FORBIDDEN"], result.errors
    assert (await engine.read_only_text(COUNT_WRITES)).records == before.records


@pytest.mark.parametrize("name", sorted(MUTATION_ACCESS))
async def test_an_analyst_reads_but_cannot_change(
    world: World, engine: Engine, settings: Settings, name: str
) -> None:
    gql = GraphQLClient(engine, settings)
    analyst = await TokenFactory(engine)(Role.ANALYST, "natural_resources")
    query, variables = mutation(world, name)
    result = await gql(query, variables, token=analyst)
    assert result.codes == ["FORBIDDEN"], result.errors


READS = {
    "case": 'query($id: String!) { case(id: $id) { id } }',
    "cases": "{ cases { totalCount } }",
    "referrals": "{ referrals { totalCount } }",
    "jointMeetingSessions": "{ jointMeetingSessions { totalCount } }",
    "penalties": "{ penalties { totalCount } }",
    "mineCases": 'query($l: String!) { mine(licenceNumber: $l) { name cases { totalCount } } }',
    "minePenalties": 'query($l: String!) { mine(licenceNumber: $l) { name penalties { id } } }',
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(READS))
async def test_cases_and_penalties_are_not_public(
    world: World, engine: Engine, settings: Settings, name: str
) -> None:
    gql = GraphQLClient(engine, settings)
    result = await gql(READS[name], {"id": world.open_case, "l": world.licence})
    assert result.codes == ["UNAUTHENTICATED"], result.errors


async def test_the_workflow_itself_is_public(
    world: World, engine: Engine, settings: Settings
) -> None:
    result = await GraphQLClient(engine, settings)(
        "{ caseTransitions { action mutation fromStates toState } }"
    )
    assert result.errors == []
    assert result.data is not None
    steps = {s["action"]: s for s in result.data["caseTransitions"]}
    assert steps["DECIDE"] == {"action": "DECIDE", "mutation": "decideCase",
                               "fromStates": ["REFERRED"], "toState": "DECIDED"}  # fmt: skip
