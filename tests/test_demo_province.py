"""The synthetic demo province: generated from a seed, regionally plausible, obeying the lifecycle
rules, marked synthetic node by node, bulk-loaded in batches, removable, and loaded by the
service into a graph without mines when `GREENMINE_DEMO_ON_START` is on (as `make run` sets it)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from graph import demo, mines, roundtrips, seeding
from graph.engine import Engine
from graph.engines import open_engine
from greenmine.app import create_app
from greenmine.config import Settings
from resolvers import lifecycle, sampling
from resolvers.errors import Conflict
from resolvers.lifecycle import Action, ListStatus
from seed.demo import regions
from seed.demo.generator import generate
from seed.demo.loader import load_demo, remove_demo
from tests.conftest import FIXED_NOW, reseed
from tests.factories import demo_province

TODAY = FIXED_NOW.date()
REGIONS = {r.prefecture: r for r in regions.REGIONS}
SYNTHETIC = """
MATCH (n) WHERE n.synthetic = true RETURN labels(n)[0] AS label, count(n) AS n ORDER BY label
"""


def test_the_same_seed_generates_the_same_province_and_another_seed_another() -> None:
    first = generate(mines=120, seed=3, today=TODAY, batch_id="b")
    again = generate(mines=120, seed=3, today=TODAY, batch_id="b")
    other = generate(mines=120, seed=4, today=TODAY, batch_id="b")
    assert first.mines == again.mines and first.events == again.events
    assert first.mines != other.mines


def test_mines_spread_over_the_fourteen_divisions_with_minerals_that_fit_them() -> None:
    province = generate(mines=600, seed=11, today=TODAY, batch_id="b")
    assert {m["prefecture"] for m in province.mines} == set(REGIONS)
    for mine in province.mines:
        region = REGIONS[mine["prefecture"]]
        fitting = {name.removesuffix("矿") for name, _ in region.minerals}
        assert mine["mineral"].removesuffix("矿") in fitting, mine
        assert mine["county"] in region.counties
        assert "DEMO" in mine["licenceNumber"] and mine["synthetic"] is True
    jinchang = Counter(m["mineral"] for m in province.mines if m["prefecture"] == "jinchang")
    assert jinchang.most_common(1)[0][0] == "镍矿"


def test_every_history_is_a_valid_walk_through_the_state_machine() -> None:
    province = generate(mines=400, seed=5, today=TODAY, batch_id="b")
    by_mine: dict[str, list[dict[str, object]]] = {}
    for row in province.events:
        by_mine.setdefault(str(row["mine"]), []).append(row["props"])
    for mine in province.mines:
        events = by_mine[mine["licenceNumber"]]
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
        assert events[0]["action"] == "REGISTER"
        status = ListStatus.NOT_APPLIED
        dates = [str(e["occurredOn"]) for e in events]
        assert dates == sorted(dates) and dates[-1] <= TODAY.isoformat()
        for event in events[1:]:
            step = lifecycle.require(status, Action(str(event["action"])), licence_number="x")
            status = step.target_from(status)
            assert event["toStatus"] == status.value
        assert mine["status"] == status.value and mine["eventCount"] == len(events)


def test_the_province_shows_every_part_of_the_mechanism() -> None:
    province = generate(mines=400, seed=2024, today=TODAY, batch_id="b")
    statuses = Counter(m["status"] for m in province.mines)
    for status in ("NOT_APPLIED", "LISTED", "UNDER_RECTIFICATION", "REMOVED", "REJECTED"):
        assert statuses[status] > 0, status
    assert any(lic["props"].get("validUntil", "9") < TODAY.isoformat()
               for lic in province.licences)  # fmt: skip
    overdue = [r for r in province.rectifications
               if "closedOn" not in r["props"] and r["props"]["deadline"] < TODAY.isoformat()]  # fmt: skip
    assert overdue and province.objections
    assert [d["year"] for d in province.draws] == [2023, 2024, 2025]
    for draw in province.draws:
        recorded = sampling.Sample(draw["algorithm"], draw["seed"], draw["share"],
                                   tuple(draw["population"]), tuple(draw["sample"]))  # fmt: skip
        assert sampling.verify(recorded)
        assert draw["sampleSize"] == math.ceil(draw["populationSize"] * 0.1)


@pytest_asyncio.fixture(loop_scope="session")
async def empty(engine: Engine) -> AsyncIterator[Engine]:
    await reseed(engine)
    yield engine
    await reseed(engine)


async def test_loading_marks_every_node_synthetic_and_writes_in_batches(empty: Engine) -> None:
    before = await seeding.count_nodes(empty)
    with roundtrips.counting() as counter:
        report = await load_demo(empty, mines_count=150, seed=9, today=TODAY, batch_size=100)
    after = await seeding.count_nodes(empty)
    created = {label: n - before.get(label, 0) for label, n in after.items() if n != before.get(label, 0)}  # fmt: skip
    synthetic = {r["label"]: r["n"] for r in (await empty.read_only_text(SYNTHETIC)).records}
    assert synthetic == created and created["Mine"] == 150 and created["DemoBatch"] == 1
    assert sum(created.values()) == report.total.nodes_created
    writes = [s for s in counter.statements if s.startswith("demo.") and s != "demo.batches"]
    expected = 1 + sum(math.ceil(rows / 100) for _, rows, _ in report.steps[1:] if rows)
    assert len(writes) == expected


async def test_a_second_demo_is_refused_and_removing_it_leaves_the_document(empty: Engine) -> None:
    before = await seeding.count_nodes(empty)
    await load_demo(empty, mines_count=80, seed=9, today=TODAY)
    with pytest.raises(Conflict, match="remove-demo"):
        await load_demo(empty, mines_count=80, seed=9, today=TODAY)
    removed = await remove_demo(empty)
    assert removed > 80
    assert await seeding.count_nodes(empty) == before
    assert await demo.batches(empty) == [] and not await mines.any_mine(empty)


async def test_the_service_loads_the_demo_into_a_graph_without_mines_when_asked(
    empty: Engine, settings: Settings
) -> None:
    assert Settings.from_environ({}).demo_on_start is False
    assert Settings.from_environ({"GREENMINE_DEMO_ON_START": "true"}).demo_on_start is True
    on = Settings(**{**settings.__dict__, "demo_on_start": True})
    app = create_app(on, open_engine(on, attach=True))
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        response = await client.post("/graphql", json={
            "query": "{ mines(first: 1) { totalCount edges { node { synthetic onList } } } }"})  # fmt: skip
    connection = response.json()["data"]["mines"]
    assert connection["totalCount"] > 100  # the published list of the demo province
    assert connection["edges"][0]["node"] == {"synthetic": True, "onList": True}
    batches = await demo.batches(empty)
    assert len(batches) == 1
    # a second start finds mines and loads nothing more
    app = create_app(on, open_engine(on, attach=True))
    async with app.router.lifespan_context(app):
        pass
    assert len(await demo.batches(empty)) == 1


async def test_the_demo_helper_loads_a_province_for_other_tests(engine: Engine) -> None:
    report = await demo_province(engine, mines=60)
    assert report.mines == 60
    assert (await engine.read_only_text("MATCH (m:Mine) RETURN count(m) AS n")).records == [
        {"n": 60}
    ]
    await reseed(engine)


def test_the_generator_scales_linearly_in_work_done() -> None:
    small = generate(mines=200, seed=1, today=TODAY, batch_id="b")
    large = generate(mines=2000, seed=1, today=TODAY, batch_id="b")
    # rows per mine stay about the same as the province grows (no quadratic blow-up in rows)
    per_small = (len(small.events) + len(small.licences)) / 200
    per_large = (len(large.events) + len(large.licences)) / 2000
    assert 0.8 < per_large / per_small < 1.25
    assert dt.date.fromisoformat(large.mines[0]["registeredAt"][:10]) <= TODAY
