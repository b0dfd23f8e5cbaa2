"""Yearly random spot checks: at least 10% of listed mines (the Rule's share, rounded up), drawn
reproducibly from a seed and recorded with its population; a year is drawn once unless replaced;
results feed the lifecycle."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from graph import seeding
from graph.engine import Engine
from greenmine.config import Settings
from resolvers import sampling
from resolvers.auth import Role
from seed.mechanism import RULES
from tests.conftest import GraphQLClient, TokenFactory, reseed
from tests.factories import DRAW, RESULT, MineFactory, data, demo_province

DRAWS = """
query($year: Int) {
  spotCheckDraws(year: $year) {
    id year number seed algorithm share current populationSize sampleSize population sample
    reproducible replaces { id } replacedBy { id } results { outcome mine { licenceNumber } }
  }
}
"""
LISTED = """
query($after: String) {
  mines(first: 100, after: $after, filter: {statuses: [LISTED]}) {
    totalCount edges { node { licenceNumber } } pageInfo { hasNextPage endCursor }
  }
}
"""
HISTORY = """
query($l: String!) { mine(licenceNumber: $l) { status history { action toStatus } } }
"""


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def demo(engine: Engine) -> AsyncIterator[Engine]:
    await demo_province(engine)
    yield engine
    await reseed(engine)


@pytest.fixture
def client(demo: Engine, settings: Settings) -> GraphQLClient:
    return GraphQLClient(demo, settings)


@pytest.fixture
async def admin(demo: Engine) -> str:
    return await TokenFactory(demo)(Role.ADMIN, "natural_resources")


async def listed_mines(client: GraphQLClient) -> list[str]:
    found: list[str] = []
    after = None
    while True:
        page = data(await client(LISTED, {"after": after}), "mines")
        found += [e["node"]["licenceNumber"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


async def test_a_draw_takes_at_least_ten_percent_of_listed_mines_reproducibly(
    client: GraphQLClient, admin: str
) -> None:
    listed = await listed_mines(client)
    assert len(listed) > 50
    mines = MineFactory(client, admin)
    draw = await mines.draw(2026, seed="2026年度甘肃随机抽查")
    assert draw["populationSize"] == len(listed) and sorted(draw["population"]) == sorted(listed)
    assert draw["sampleSize"] == math.ceil(len(listed) / 10) >= len(listed) / 10
    assert set(draw["sample"]) <= set(listed) and len(set(draw["sample"])) == draw["sampleSize"]
    assert draw["reproducible"] is True
    again = sampling.draw(draw["population"], seed="2026年度甘肃随机抽查", share=0.1)
    assert list(again.sample) == draw["sample"]

    twice = await client(DRAW, {"input": {"year": 2026, "seed": "other"}}, token=admin)
    assert twice.codes == ["CONFLICT"]
    assert twice.errors[0]["extensions"]["field"] == "input.year"
    assert "replace" in twice.errors[0]["message"]

    replaced = await mines.draw(2026, seed="2026年度甘肃随机抽查", replace=True)
    assert replaced["sample"] == draw["sample"] and replaced["id"] == "2026-2"
    draws = data(await client(DRAWS, {"year": 2026}, token=admin), "spotCheckDraws")
    assert [(d["id"], d["current"]) for d in draws] == [("2026-2", True), ("2026-1", False)]
    assert draws[0]["replaces"] == {"id": "2026-1"} and draws[1]["replacedBy"] == {"id": "2026-2"}


async def test_the_demo_provinces_own_draws_verify_against_their_records(
    client: GraphQLClient, admin: str
) -> None:
    draws = data(await client(DRAWS, {"year": None}, token=admin), "spotCheckDraws")
    demo_draws = [d for d in draws if d["year"] < 2026]
    assert [d["year"] for d in demo_draws] == [2025, 2024, 2023]
    for d in demo_draws:
        assert d["reproducible"] is True
        assert d["sampleSize"] == math.ceil(d["populationSize"] * 0.1)
        assert sorted(r["mine"]["licenceNumber"] for r in d["results"]) == sorted(d["sample"])


async def _current_sample(client: GraphQLClient, admin: str) -> list[str]:
    mines = MineFactory(client, admin)
    draw = await mines.draw(2026, seed="results", replace=True)
    sample: list[str] = draw["sample"]
    return sample


async def test_results_keep_rectify_or_remove_the_sampled_mines(
    client: GraphQLClient, admin: str
) -> None:
    first, second, third, *_ = await _current_sample(client, admin)
    mines = MineFactory(client, admin)
    passed = await mines.check(2026, first, "PASSED", checkedOn="2026-11-25")
    assert passed["mine"]["status"] == "LISTED" and passed["rectification"] is None
    fixable = await mines.check(2026, second, "FIXABLE_FAILURE", checkedOn="2026-11-25",
                                findings="粉尘防治设施运行不正常",
                                rectificationDeadline="2027-05-25")  # fmt: skip
    assert fixable["mine"]["status"] == "UNDER_RECTIFICATION"
    assert fixable["mine"]["listing"]["rectificationDeadline"] == "2027-05-25"
    assert fixable["rectification"]["deadline"] == "2027-05-25"
    unfixable = await mines.check(2026, third, "UNFIXABLE_FAILURE", checkedOn="2026-11-25",
                                  findings="资源综合利用指标严重不达标")  # fmt: skip
    assert unfixable["mine"]["status"] == "REMOVED"
    steps = data(await client(HISTORY, {"l": first}, token=admin), "mine")["history"]
    assert steps[-1] == {"action": "PASS_SPOT_CHECK", "toStatus": "LISTED"}


async def test_bad_results_are_refused_and_write_nothing(client: GraphQLClient, admin: str) -> None:
    sample = await _current_sample(client, admin)
    listed = await listed_mines(client)
    outside = next(m for m in listed if m not in sample)
    target = sample[-1]
    base = {"year": 2026, "checkedOn": "2026-11-25", "findings": "复垦滞后"}
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"licenceNumber": outside, "outcome": "PASSED"}, "BAD_USER_INPUT", "input.licenceNumber"),
        ({"licenceNumber": target, "outcome": "FIXABLE_FAILURE"},
         "BAD_USER_INPUT", "input.rectificationDeadline"),
        ({"licenceNumber": target, "outcome": "FIXABLE_FAILURE",
          "rectificationDeadline": "2027-06-26"}, "BAD_USER_INPUT", "input.rectificationDeadline"),
        ({"licenceNumber": target, "outcome": "PASSED", "rectificationDeadline": "2027-01-01"},
         "BAD_USER_INPUT", "input.rectificationDeadline"),
        ({"licenceNumber": target, "outcome": "PASSED", "checkedOn": "2026-11-30"},
         "BAD_USER_INPUT", "input.checkedOn"),
        ({"licenceNumber": target, "outcome": "PASSED", "year": 2022}, "NOT_FOUND", "input.year"),
    ]  # fmt: skip
    for extra, code, field in cases:
        result = await client(RESULT, {"input": {**base, **extra}}, token=admin)
        assert result.codes == [code], (extra, result.errors)
        assert result.errors[0]["extensions"]["field"] == field
    assert data(await client(HISTORY, {"l": target}, token=admin), "mine")["status"] == "LISTED"
    draws = data(await client(DRAWS, {"year": 2026}, token=admin), "spotCheckDraws")
    assert target not in [r["mine"]["licenceNumber"] for r in draws[0]["results"]]

    ok = {**base, "licenceNumber": target, "outcome": "PASSED"}
    assert (await client(RESULT, {"input": ok}, token=admin)).codes == []
    assert (await client(RESULT, {"input": ok}, token=admin)).codes == ["CONFLICT"]


async def test_only_an_admin_draws_and_only_signed_in_callers_read_draws(
    client: GraphQLClient, demo: Engine
) -> None:
    body = {"input": {"year": 2026, "seed": "x", "replace": True}}
    assert (await client(DRAW, body)).codes == ["UNAUTHENTICATED"]
    water = await TokenFactory(demo)(Role.OFFICER, "water_resources")
    assert (await client(DRAW, body, token=water)).codes == ["FORBIDDEN"]
    assert (await client(DRAWS, {"year": 2025})).codes == ["UNAUTHENTICATED"]
    assert data(await client(DRAWS, {"year": 2025}, token=water), "spotCheckDraws")


async def test_a_future_year_is_refused(client: GraphQLClient, admin: str) -> None:
    result = await client(DRAW, {"input": {"year": 2027, "seed": "x"}}, token=admin)
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "input.year"


def _rule(code: str, value: float) -> dict[str, object]:
    row = next(r for r in RULES if r.code == code).row()
    return {**row, "value": value}


async def test_the_share_and_the_six_months_are_read_from_the_rules_in_the_graph(
    gql_fresh: GraphQLClient, tokens_fresh: TokenFactory, fresh_graph: Engine
) -> None:
    admin = await tokens_fresh(Role.ADMIN, "natural_resources")
    mines = MineFactory(gql_fresh, admin)
    empty = await gql_fresh(DRAW, {"input": {"year": 2026, "seed": "s"}}, token=admin)
    assert empty.codes == ["CONFLICT"]  # no listed mine to draw from
    listed = [await mines.listed() for _ in range(4)]
    rows = [_rule("yearly_spot_check_share", 0.5), _rule("rectification_max_months", 3)]
    await seeding.apply(fresh_graph, seeding.RULES, {"rows": rows})
    draw = await mines.draw(2026, seed="half")
    assert draw["sampleSize"] == 2 and set(draw["sample"]) <= set(listed)
    four_months = await gql_fresh(RESULT, {"input": {
        "year": 2026, "licenceNumber": draw["sample"][0], "checkedOn": "2026-11-25",
        "outcome": "FIXABLE_FAILURE", "findings": "x", "rectificationDeadline": "2027-03-26"}},
        token=admin)  # fmt: skip
    assert four_months.codes == ["BAD_USER_INPUT"]
    assert "3 months" in four_months.errors[0]["message"]
