"""The load test's own logic (`greenmine bench load`, `make load`): its statistics, its
reconciliation of acknowledged writes against the graph, and a second of its traffic through the
app in process, over a small demo province. The load run itself (a real server, 60 s) is never
part of the suite: `make load` runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
import pytest_asyncio

from graph import reconciliation
from graph.engine import Engine
from graph.reconciliation import GraphCounts, Kept
from greenmine.bench_load import issue_tokens, measure
from greenmine.config import Settings
from greenmine.load_stats import ALL, Reconciled, Sample, reconcile, summarize
from greenmine.load_traffic import WEIGHTS, WRITES, ClientFactory, Kind, SpotChecks, prepare
from tests.api import Api, serving
from tests.factories import demo_province

# -- statistics ------------------------------------------------------------------------------


def test_each_kind_gets_its_count_errors_and_percentiles_and_all_of_them_a_line() -> None:
    samples = [Sample("route", float(ms)) for ms in range(1, 101)]
    samples += [Sample("fileCase", 50.0), Sample("fileCase", 70.0, "CONFLICT: already")]
    lines = summarize(samples, ["route", "fileCase"])
    assert [line.kind for line in lines] == ["route", "fileCase", ALL]
    route, file_case, every = lines
    assert (route.requests, route.errors, route.p50_ms, route.p99_ms, route.max_ms) == (
        100, 0, 51.0, 99.0, 100.0,
    )  # fmt: skip
    assert (file_case.requests, file_case.errors, file_case.max_ms) == (2, 1, 70.0)
    assert (every.requests, every.errors, every.max_ms) == (102, 1, 100.0)


def test_kinds_not_named_come_after_the_named_ones_and_no_samples_give_no_lines() -> None:
    lines = summarize([Sample("b", 1.0), Sample("a", 2.0), Sample("c", 3.0)], ["c"])
    assert [line.kind for line in lines] == ["c", "a", "b", ALL]
    assert summarize([]) == []


# -- reconciliation --------------------------------------------------------------------------

BEFORE = GraphCounts(mines=400, cases=50, draws=3, results=20, audit_entries=10)
ACKNOWLEDGED = {
    Kept.MINE: ["M1", "M2"],
    Kept.CASE: ["c1", "c2", "c3"],
    Kept.DRAW: ["2026-1"],
    Kept.RESULT: ["r1"],
}
PRESENT = {kind: set(keys) for kind, keys in ACKNOWLEDGED.items()}
AFTER = GraphCounts(mines=402, cases=53, draws=4, results=21, audit_entries=17)


def test_counts_that_grew_by_what_was_acknowledged_reconcile() -> None:
    lines = reconcile(BEFORE, AFTER, ACKNOWLEDGED, PRESENT)
    assert [(r.what, r.acknowledged, r.grew_by, r.found) for r in lines] == [
        ("Mine", 2, 2, 2),
        ("Case", 3, 3, 3),
        ("SpotCheckDraw", 1, 1, 1),
        ("SpotCheckResult", 1, 1, 1),
        ("AuditEntry", 7, 7, 7),
    ]
    assert all(r.ok for r in lines)


def test_a_lost_write_an_extra_node_or_a_missing_audit_entry_does_not_reconcile() -> None:
    def failing(lines: list[Reconciled]) -> list[str]:
        return [r.what for r in lines if not r.ok]

    lost = {**PRESENT, Kept.CASE: {"c1", "c3"}}
    assert failing(reconcile(BEFORE, replace(AFTER, cases=52), ACKNOWLEDGED, lost)) == ["Case"]
    # the node is there, but so is one more than acknowledged
    assert failing(reconcile(BEFORE, replace(AFTER, mines=403), ACKNOWLEDGED, PRESENT)) == ["Mine"]
    # a key the API returned that the graph does not hold, though the count grew
    wrong_key = {**PRESENT, Kept.RESULT: {"r9"}}
    assert failing(reconcile(BEFORE, AFTER, ACKNOWLEDGED, wrong_key)) == ["SpotCheckResult"]
    no_audit = replace(AFTER, audit_entries=16)
    assert failing(reconcile(BEFORE, no_audit, ACKNOWLEDGED, PRESENT)) == ["AuditEntry"]


# -- planning spot checks so that none conflicts -------------------------------------------


def test_a_sampled_mine_goes_to_one_request_and_a_new_draw_waits_for_the_checks_in_flight() -> None:
    checks = SpotChecks(year=2026, drawn=True)
    assert checks.may_draw() and checks.take() is None
    checks.waiting.extend(["A", "B"])
    assert not checks.may_draw()
    assert (checks.take(), checks.take(), checks.take()) == ("A", "B", None)
    assert not checks.may_draw(), "two checks are in flight"
    checks.done()
    assert not checks.may_draw()
    checks.done()
    assert checks.may_draw()
    checks.drawing = True
    assert not checks.may_draw(), "one draw at a time"


# -- traffic through the app -------------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def app(seeded_graph: Engine, settings: Settings) -> AsyncIterator[Api]:
    await demo_province(seeded_graph, mines=60)
    async with serving(settings) as api:
        yield api


def shared(api: Api) -> ClientFactory:
    """A client factory handing every simulated client the app's in-process client."""

    @asynccontextmanager
    async def make() -> AsyncIterator[httpx.AsyncClient]:
        yield api.client

    return make


async def test_every_kind_of_request_succeeds_and_every_acknowledged_write_is_in_the_graph(
    app: Api, seeded_graph: Engine
) -> None:
    tokens = await issue_tokens(seeded_graph)
    traffic = await prepare(app.client, tokens, seed=3)
    before = await reconciliation.counts(seeded_graph)
    # the first spot check finds no sample to work through and draws one; the second checks
    for kind in [*WEIGHTS, Kind.SPOT_CHECK]:
        await traffic.one(app.client, kind)
    after = await reconciliation.counts(seeded_graph)
    assert [s for s in traffic.samples if s.error] == []
    assert {s.kind for s in traffic.samples} == {kind.value for kind in Kind}
    assert all(traffic.acknowledged[kind] for kind in Kept)
    present = {
        kind: await reconciliation.found(seeded_graph, kind, keys)
        for kind, keys in traffic.acknowledged.items()
    }
    lines = reconcile(before, after, traffic.acknowledged, present)
    assert [r for r in lines if not r.ok] == []
    writes = sum(1 for s in traffic.samples if s.kind in WRITES)
    assert lines[-1].acknowledged == writes


async def test_a_second_of_concurrent_traffic_has_no_errors_and_reconciles(
    app: Api, seeded_graph: Engine
) -> None:
    clients = 3
    measured = await measure(seeded_graph, shared(app), clients=clients, seconds=1.0, seed=5)
    assert measured.errors == []
    assert len(measured.samples) >= clients, "each client sends at least one request"
    assert [r for r in measured.reconciled if not r.ok] == []
    assert measured.ok
