"""Who may do what with mines: every mine mutation refuses anonymous callers and the wrong
department; private reads need a token; an analyst reads everything and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from resolvers.auth import Role
from schema.listing import ListingMutations
from schema.mines import MineMutations
from schema.spot_checks import SpotCheckMutations
from tests.conftest import GraphQLClient, TokenFactory
from tests.factories import MineFactory, mine_input

L = "C62000000000000000"  # any licence number: access is checked before the mine is looked up

#: every mutation of the mines work, with an input of the right shape, and the input type
MUTATIONS: dict[str, tuple[str, dict[str, Any]]] = {
    "registerMine": ("RegisterMineInput", mine_input()),
    "updateMineLicences": ("UpdateMineLicencesInput", {"licenceNumber": L, "licences": [
        {"kind": "MINING", "validFrom": "2020-01-01", "validUntil": "2040-01-01"}]}),
    "applyForListing": ("ApplyForListingInput", {"licenceNumber": L, "appliedOn": "2026-01-01"}),
    "recordEvaluation": ("RecordEvaluationInput",
                         {"licenceNumber": L, "evaluator": "x", "reportDate": "2026-01-01"}),
    "recordVerification": ("RecordVerificationInput", {
        "licenceNumber": L, "verifiedOn": "2026-01-01", "departmentCodes": ["audit"]}),
    "startPublicNotice": ("StartPublicNoticeInput",
                          {"licenceNumber": L, "startsOn": "2026-01-01", "endsOn": "2026-01-10"}),
    "recordObjection": ("RecordObjectionInput", {
        "licenceNumber": L, "receivedOn": "2026-01-02", "objector": "x", "summary": "y"}),
    "resolveObjection": ("ResolveObjectionInput", {
        "licenceNumber": L, "objectionId": "o", "resolvedOn": "2026-01-03", "upheld": False,
        "resolution": "z"}),
    "listMine": ("ListMineInput", {"licenceNumber": L, "listedOn": "2026-01-20"}),
    "recordRecheck": ("RecordRecheckInput",
                      {"licenceNumber": L, "recheckedOn": "2026-01-01", "passed": True}),
    "removeMine": ("RemoveMineInput", {
        "licenceNumber": L, "conditionNumber": 3, "decidedOn": "2026-01-01", "reason": "x"}),
    "drawSpotCheckSample": ("DrawSpotCheckSampleInput", {"year": 2026, "seed": "s"}),
    "recordSpotCheckResult": ("RecordSpotCheckResultInput", {
        "year": 2026, "licenceNumber": L, "checkedOn": "2026-01-01", "outcome": "PASSED"}),
}  # fmt: skip

#: what an officer of water_resources may do among them: nothing (it issues no licence and
#: does not run the list)
WATER_MAY: set[str] = set()


def mutation(name: str) -> str:
    input_type, _ = MUTATIONS[name]
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ __typename }} }}"


def test_the_table_covers_every_mutation_of_the_mines_work() -> None:
    declared = set()
    for cls in (MineMutations, ListingMutations, SpotCheckMutations):
        for field in cls.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            declared.add(field.graphql_name or _camel(field.python_name))
    assert declared == set(MUTATIONS)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
async def test_an_anonymous_caller_cannot_call_it(gql: GraphQLClient, name: str) -> None:
    result = await gql(mutation(name), {"input": MUTATIONS[name][1]})
    assert result.codes == ["UNAUTHENTICATED"], result.errors
    assert result.data is None


@pytest.mark.parametrize("name", sorted(MUTATIONS))
async def test_an_officer_of_water_resources_is_forbidden(
    gql: GraphQLClient, tokens: TokenFactory, name: str
) -> None:
    water = await tokens(Role.OFFICER, "water_resources")
    result = await gql(mutation(name), {"input": MUTATIONS[name][1]}, token=water)
    assert result.codes == ["FORBIDDEN"], result.errors


@pytest.mark.parametrize("name", sorted(MUTATIONS))
async def test_an_analyst_reads_but_cannot_change(
    gql: GraphQLClient, tokens: TokenFactory, name: str
) -> None:
    analyst = await tokens(Role.ANALYST, "natural_resources")
    result = await gql(mutation(name), {"input": MUTATIONS[name][1]}, token=analyst)
    assert result.codes == ["FORBIDDEN"], result.errors


PRIVATE_FIELDS = [
    "listing { evaluator }", "licences { kind }", "history { action }", "objections { id }",
    "rectifications { id }", "spotCheckResults { id }", "allowedTransitions { action }",
]  # fmt: skip
PRIVATE = f"""
query($l: String!) {{ mine(licenceNumber: $l) {{ {" ".join(PRIVATE_FIELDS)} }} }}
"""


async def test_private_details_of_a_listed_mine_need_a_token_of_any_role(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    admin = await tokens(Role.ADMIN, "natural_resources")
    licence = await MineFactory(gql, admin).listed()
    for field in PRIVATE_FIELDS:
        query = f"query($l: String!) {{ mine(licenceNumber: $l) {{ name {field} }} }}"
        assert (await gql(query, {"l": licence})).codes == ["UNAUTHENTICATED"], field
    for role, department in [(Role.OFFICER, "taxation"), (Role.ANALYST, "audit")]:
        token = await tokens(role, department)
        result = await gql(PRIVATE, {"l": licence}, token=token)
        assert result.errors == []
        assert result.data is not None
        assert [e["action"] for e in result.data["mine"]["history"]][-1] == "LIST"


async def test_the_published_list_and_the_lifecycle_are_public(gql: GraphQLClient) -> None:
    result = await gql(
        "{ lifecycleTransitions { action mutation fromStatuses toStatus clause { ref } }"
        "  prefectures { code } mines(first: 1) { totalCount } }"
    )
    assert result.errors == []
    assert result.data is not None
    steps = {t["action"]: t for t in result.data["lifecycleTransitions"]}
    assert steps["LIST"]["fromStatuses"] == ["PUBLIC_NOTICE"]
    assert steps["LIST"]["clause"] == {"ref": "二(三)1"}
    assert steps["REMOVE_FOR_CONDITION"]["fromStatuses"] == ["LISTED", "UNDER_RECTIFICATION"]
