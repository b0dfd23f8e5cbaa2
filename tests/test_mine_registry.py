"""The mine registry: registering mines with their licences, who may, what is refused, and
reading mines one at a time or a page at a time, with filters, sorts and DataLoaders."""

from __future__ import annotations

from typing import Any

import pytest

from graph import audit, roundtrips
from graph.engine import Engine
from resolvers.auth import Role
from tests.conftest import GraphQLClient, TokenFactory
from tests.factories import REGISTER, MineFactory, mine_input

MINE = """
query($l: String!) {
  mine(licenceNumber: $l) {
    licenceNumber name company mineral scale stage county productionStart status onList synthetic
    prefecture { code divisionCode nameZh nameEn }
    licences { kind nameZh number validFrom validUntil revokedOn standing }
  }
}
"""

UPDATE = """
mutation($input: UpdateMineLicencesInput!) {
  updateMineLicences(input: $input) { licenceNumber licences { kind number validUntil standing } }
}
"""

PAGE = """
query($first: Int, $after: String, $filter: MineFilter, $sort: MineSort!) {
  mines(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    edges { cursor node { licenceNumber name productionStart status } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


@pytest.fixture
async def admin(tokens: TokenFactory) -> str:
    return await tokens(Role.ADMIN, "natural_resources")


@pytest.fixture
def mines(gql: GraphQLClient, admin: str) -> MineFactory:
    return MineFactory(gql, admin)


async def test_the_fourteen_prefectures_are_graph_data_with_codes_and_names(
    gql: GraphQLClient,
) -> None:
    result = await gql("{ prefectures { code divisionCode nameZh nameEn } }")
    assert result.data is not None
    prefectures = result.data["prefectures"]
    assert [p["nameZh"] for p in prefectures] == [
        "兰州市", "嘉峪关市", "金昌市", "白银市", "天水市", "武威市", "张掖市", "平凉市", "酒泉市",
        "庆阳市", "定西市", "陇南市", "临夏回族自治州", "甘南藏族自治州",
    ]  # fmt: skip
    assert all(
        p["code"] and p["nameEn"] and p["divisionCode"].startswith("62") for p in prefectures
    )


async def test_an_admin_registers_a_mine_with_its_three_licences(
    gql: GraphQLClient, mines: MineFactory, admin: str
) -> None:
    licence = await mines.register(prefectureCode="jinchang", mineral="镍矿", county="金川区")
    result = await gql(MINE, {"l": licence}, token=admin)
    assert result.errors == []
    assert result.data is not None
    mine = result.data["mine"]
    assert mine["status"] == "NOT_APPLIED" and mine["onList"] is False
    assert mine["prefecture"]["nameZh"] == "金昌市" and mine["mineral"] == "镍矿"
    kinds = {lic["kind"]: lic for lic in mine["licences"]}
    assert set(kinds) == {"MINING", "SAFETY_PRODUCTION", "BUSINESS"}
    assert kinds["MINING"]["number"] == licence and kinds["MINING"]["nameZh"] == "采矿许可证"
    assert kinds["BUSINESS"]["validUntil"] is None and kinds["BUSINESS"]["standing"] == "VALID"


async def test_registration_is_audited_in_the_graph(
    mines: MineFactory, seeded_graph: Engine
) -> None:
    licence = await mines.register()
    entries = await audit.recent(seeded_graph, since="2000-01-01", limit=500)
    entry = next(e for e in entries if e.operation == "registerMine" and licence in e.summary)
    assert entry.actor == "admin@natural_resources" and entry.department == "natural_resources"
    assert licence in entry.changes and "SAFETY_PRODUCTION" in entry.changes


async def test_an_officer_of_natural_resources_may_register_but_not_of_water_resources(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    officer = await tokens(Role.OFFICER, "natural_resources")
    ok = await gql(REGISTER, {"input": mine_input()}, token=officer)
    assert ok.errors == []
    water = await tokens(Role.OFFICER, "water_resources")
    refused = await gql(REGISTER, {"input": mine_input()}, token=water)
    assert refused.codes == ["FORBIDDEN"]
    assert "natural_resources" in refused.errors[0]["message"]
    assert refused.errors[0]["extensions"]["field"] == "input"


async def test_anonymous_callers_and_analysts_cannot_register(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    assert (await gql(REGISTER, {"input": mine_input()})).codes == ["UNAUTHENTICATED"]
    analyst = await tokens(Role.ANALYST, "natural_resources")
    assert (await gql(REGISTER, {"input": mine_input()}, token=analyst)).codes == ["FORBIDDEN"]


async def test_a_duplicate_licence_number_is_a_conflict_and_writes_nothing(
    gql: GraphQLClient, mines: MineFactory, admin: str
) -> None:
    licence = await mines.register(name="原矿")
    again = await gql(
        REGISTER, {"input": mine_input(licenceNumber=licence, name="重复")}, token=admin
    )
    assert again.codes == ["CONFLICT"]
    assert again.errors[0]["extensions"]["field"] == "input.licenceNumber"
    check = await gql(MINE, {"l": licence}, token=admin)
    assert check.data is not None and check.data["mine"]["name"] == "原矿"


@pytest.mark.parametrize(
    ("overrides", "code", "field"),
    [
        ({"prefectureCode": "xian"}, "NOT_FOUND", "input.prefectureCode"),
        ({"licenceNumber": "采矿证1"}, "BAD_USER_INPUT", "input.licenceNumber"),
        ({"name": "  "}, "BAD_USER_INPUT", "input.name"),
        ({"productionStart": "2027-01-01"}, "BAD_USER_INPUT", "input.productionStart"),
        ({"licences": [{"kind": "SAFETY_PRODUCTION", "number": "x", "validUntil": "2030-01-01"}]},
         "BAD_USER_INPUT", "input.licences"),
        ({"licences": [{"kind": "MINING", "validFrom": "2030-01-01", "validUntil": "2020-01-01"}]},
         "BAD_USER_INPUT", "input.licences[0].validUntil"),
        ({"licences": [{"kind": "MINING", "number": "C999999", "validUntil": "2030-01-01"}]},
         "BAD_USER_INPUT", "input.licences[0].number"),
        ({"licences": [{"kind": "MINING", "validUntil": "2030-01-01"},
                       {"kind": "MINING", "validUntil": "2031-01-01"}]},
         "BAD_USER_INPUT", "input.licences[1].kind"),
    ],
)  # fmt: skip
async def test_bad_registrations_name_the_field_and_write_nothing(
    gql: GraphQLClient, admin: str, overrides: dict[str, Any], code: str, field: str
) -> None:
    data = mine_input(**overrides)
    result = await gql(REGISTER, {"input": data}, token=admin)
    assert result.codes == [code], result.errors
    assert result.errors[0]["extensions"]["field"] == field
    number = data["licenceNumber"].strip().upper()
    assert (await gql(MINE, {"l": number}, token=admin)).codes == ["NOT_FOUND"]


async def test_each_licence_is_renewed_by_the_department_that_issues_it(
    gql: GraphQLClient, mines: MineFactory, tokens: TokenFactory
) -> None:
    licence = await mines.register()
    safety = {"kind": "SAFETY_PRODUCTION", "number": "(甘)FM安许证字[2026]9999号",
              "validFrom": "2026-01-01", "validUntil": "2029-01-01"}  # fmt: skip
    emergency = await tokens(Role.OFFICER, "emergency_management")
    renewed = await gql(UPDATE, {"input": {"licenceNumber": licence, "licences": [safety]}},
                        token=emergency)  # fmt: skip
    assert renewed.errors == []
    assert renewed.data is not None
    after = {x["kind"]: x for x in renewed.data["updateMineLicences"]["licences"]}
    assert after["SAFETY_PRODUCTION"]["number"] == safety["number"]
    mining = {"kind": "MINING", "validFrom": "2020-01-01", "validUntil": "2040-01-01"}
    refused = await gql(UPDATE, {"input": {"licenceNumber": licence, "licences": [mining]}},
                        token=emergency)  # fmt: skip
    assert refused.codes == ["FORBIDDEN"]
    assert refused.errors[0]["extensions"]["field"] == "input.licences[0].kind"


async def test_a_licence_update_for_an_unknown_mine_is_not_found(
    gql: GraphQLClient, admin: str
) -> None:
    body = {"licenceNumber": "C0000000000", "licences": [
        {"kind": "BUSINESS", "number": "91620000X", "validFrom": "2020-01-01"}]}  # fmt: skip
    result = await gql(UPDATE, {"input": body}, token=admin)
    assert result.codes == ["NOT_FOUND"]
    assert result.errors[0]["extensions"]["field"] == "input.licenceNumber"


async def test_a_revoked_licence_stands_revoked(
    gql: GraphQLClient, mines: MineFactory, admin: str
) -> None:
    licence = await mines.register()
    revoked = {"kind": "BUSINESS", "number": "916200001", "validFrom": "2010-01-01",
               "revokedOn": "2026-10-01"}  # fmt: skip
    result = await gql(UPDATE, {"input": {"licenceNumber": licence, "licences": [revoked]}},
                       token=admin)  # fmt: skip
    assert result.data is not None
    business = next(x for x in result.data["updateMineLicences"]["licences"]
                    if x["kind"] == "BUSINESS")  # fmt: skip
    assert business["standing"] == "REVOKED"


# -- reading: the published list, pages, filters ------------------------------------------


async def test_anonymous_callers_see_only_the_published_list(
    gql: GraphQLClient, mines: MineFactory
) -> None:
    listed = await mines.listed()
    unlisted = await mines.register()
    assert (await gql(MINE, {"l": unlisted})).codes == ["NOT_FOUND"]
    public = await gql("query($l: String!) { mine(licenceNumber: $l) { status onList } }",
                       {"l": listed})  # fmt: skip
    assert public.data == {"mine": {"status": "LISTED", "onList": True}}
    private = await gql("query($l: String!) { mine(licenceNumber: $l) { licences { kind } } }",
                        {"l": listed})  # fmt: skip
    assert private.codes == ["UNAUTHENTICATED"]
    page = await gql(PAGE, {"first": 100, "sort": "LICENCE_NUMBER_ASC"})
    assert page.data is not None
    statuses = {e["node"]["status"] for e in page.data["mines"]["edges"]}
    assert statuses <= {"LISTED", "UNDER_RECTIFICATION"}
    hidden = await gql(PAGE, {"sort": "NAME_ASC", "filter": {"statuses": ["APPLIED"]}})
    assert hidden.codes == ["FORBIDDEN"]
    assert hidden.errors[0]["extensions"]["field"] == "filter.statuses"


async def test_pages_walk_the_whole_list_once_in_order(
    gql: GraphQLClient, mines: MineFactory, admin: str
) -> None:
    mine_ids = {await mines.register(prefectureCode="gannan", mineral="金矿") for _ in range(7)}
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        result = await gql(PAGE, {"first": 3, "after": after, "sort": "LICENCE_NUMBER_ASC",
                                  "filter": {"prefectures": ["gannan"]}}, token=admin)  # fmt: skip
        assert result.errors == []
        assert result.data is not None
        connection = result.data["mines"]
        seen += [e["node"]["licenceNumber"] for e in connection["edges"]]
        pages += 1
        assert connection["totalCount"] == len(mine_ids)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == sorted(mine_ids) and pages == 3


async def test_each_edges_cursor_continues_the_list_after_its_mine(
    gql: GraphQLClient, mines: MineFactory, admin: str
) -> None:
    for _ in range(4):
        await mines.register(prefectureCode="wuwei", mineral="金矿")
    variables = {"first": 4, "sort": "LICENCE_NUMBER_ASC", "filter": {"prefectures": ["wuwei"]}}
    first = await gql(PAGE, variables, token=admin)
    assert first.errors == [] and first.data is not None
    edges = first.data["mines"]["edges"]
    licences = [e["node"]["licenceNumber"] for e in edges]
    assert edges[-1]["cursor"] == first.data["mines"]["pageInfo"]["endCursor"]
    for i, edge in enumerate(edges[:-1]):
        rest = await gql(PAGE, {**variables, "after": edge["cursor"]}, token=admin)
        assert rest.data is not None
        assert [e["node"]["licenceNumber"] for e in rest.data["mines"]["edges"]][: 3 - i] == (
            licences[i + 1 :]
        )


async def test_a_descending_sort_with_ties_pages_without_gaps(
    gql: GraphQLClient, mines: MineFactory, admin: str
) -> None:
    starts = ["2011-01-01", "2011-01-01", "2012-06-01", "2010-03-01", "2011-01-01"]
    made = [await mines.register(prefectureCode="linxia", productionStart=s) for s in starts]
    seen: list[tuple[str, str]] = []
    after = None
    while True:
        result = await gql(PAGE, {"first": 2, "after": after, "sort": "PRODUCTION_START_DESC",
                                  "filter": {"prefectures": ["linxia"]}}, token=admin)  # fmt: skip
        assert result.data is not None
        connection = result.data["mines"]
        seen += [(e["node"]["productionStart"], e["node"]["licenceNumber"])
                 for e in connection["edges"]]  # fmt: skip
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert sorted(n for _, n in seen) == sorted(made)
    assert seen == sorted(seen, key=lambda x: (_neg(x[0]), x[1]))


def _neg(day: str) -> tuple[int, ...]:
    return tuple(-int(p) for p in day.split("-"))


async def test_filters_combine_and_dates_out_of_order_name_the_field(
    gql: GraphQLClient, mines: MineFactory, admin: str
) -> None:
    large = await mines.register(prefectureCode="jiayuguan", scale="LARGE", mineral="铁矿",
                                 productionStart="2005-05-05")  # fmt: skip
    await mines.register(prefectureCode="jiayuguan", scale="SMALL", mineral="铁矿")
    result = await gql(PAGE, {"sort": "NAME_ASC", "filter": {
        "prefectures": ["jiayuguan"], "scales": ["LARGE"], "mineral": "铁矿",
        "productionStartFrom": "2005-01-01", "productionStartTo": "2005-12-31"}}, token=admin)  # fmt: skip
    assert result.data is not None
    assert [e["node"]["licenceNumber"] for e in result.data["mines"]["edges"]] == [large]
    backwards = await gql(PAGE, {"sort": "NAME_ASC", "filter": {
        "productionStartFrom": "2010-01-01", "productionStartTo": "2005-01-01"}}, token=admin)  # fmt: skip
    assert backwards.codes == ["BAD_USER_INPUT"]
    assert backwards.errors[0]["extensions"]["field"] == "filter.productionStartTo"
    unknown = await gql(PAGE, {"sort": "NAME_ASC", "filter": {"prefectures": ["atlantis"]}})
    assert unknown.codes == ["NOT_FOUND"]


async def test_a_page_larger_than_the_cap_is_refused(gql: GraphQLClient) -> None:
    result = await gql(PAGE, {"first": 500, "sort": "NAME_ASC"})
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "first"


NESTED = """
query($first: Int!) {
  mines(first: $first, sort: LICENCE_NUMBER_ASC, filter: {prefectures: ["qingyang"]}) {
    edges { node { licenceNumber prefecture { nameZh } licences { kind validUntil }
                   history { seq action clause { ref } } } }
  }
}
"""


async def test_nested_lists_cost_one_round_trip_per_level_whatever_the_page_size(
    gql: GraphQLClient, mines: MineFactory, admin: str
) -> None:
    for _ in range(12):
        await mines.register(prefectureCode="qingyang", mineral="煤", appliedOn="2026-02-01")
    costs = {}
    for first in (3, 12):
        with roundtrips.counting() as counter:
            result = await gql(NESTED, {"first": first}, token=admin)
        assert result.errors == []
        assert result.data is not None and len(result.data["mines"]["edges"]) == first
        costs[first] = counter.statements
    # token, page, prefectures, licences, history, clauses
    assert costs[3] == costs[12]
    assert len(costs[12]) == 6, costs[12]


async def test_checking_several_filter_codes_costs_one_round_trip(gql: GraphQLClient) -> None:
    with roundtrips.counting() as counter:
        result = await gql(
            PAGE, {"sort": "NAME_ASC", "filter": {"prefectures": ["lanzhou", "gannan", "linxia"]}}
        )
    assert result.errors == []
    assert counter.statements.count("prefectures.by_code") == 1
