"""Observability: request ids, one structured log line per request, Prometheus metrics at
/metrics (per operation and per route, round trips, errors by code, engine up) and readiness."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette

from graph import roundtrips
from graph.engine import Engine
from graph.engines import open_engine
from graph.falkordb_engine import FalkorDBEngine
from greenmine.app import create_app, worker_app
from greenmine.config import Settings
from greenmine.logs import JsonFormatter, TextFormatter
from greenmine.metrics import OTHER, OperationLabels
from greenmine.readiness import prepared_mark
from resolvers.context import Context
from schema.root import schema
from tests.conftest import TokenFactory
from tests.test_http import client_for, unused_port

DEPARTMENTS = "query Departments { departments { code liaison { name } } }"
ONE = "query OneDepartment($c: String!) { department(code: $c) { nameZh } }"
MISSING = 'query Missing { department(code: "no_such_department") { nameZh } }'

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(exposition: str) -> Samples:
    """Every sample of a Prometheus text exposition, keyed by name and labels."""
    found: Samples = {}
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            found[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return found


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


@pytest_asyncio.fixture(loop_scope="session")
async def served(seeded_graph: Engine, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(settings, open_engine(settings, attach=True))
    async with app.router.lifespan_context(app), client_for(app) as client:
        yield client


async def post(client: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, "variables": variables})


async def test_metrics_expose_latency_per_operation_after_a_few_named_operations(
    served: httpx.AsyncClient,
) -> None:
    for _ in range(3):
        assert (await post(served, DEPARTMENTS)).status_code == 200
    for code in ("water_resources", "energy"):
        assert (await post(served, ONE, c=code)).status_code == 200
    response = await served.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = samples(response.text)
    latency = "greenmine_request_duration_seconds"
    for operation, n in (("Departments", 3), ("OneDepartment", 2)):
        labels = {"route": "/graphql", "operation": operation}
        assert value(found, f"{latency}_count", **labels) == n
        assert value(found, f"{latency}_sum", **labels) > 0
        assert value(found, f"{latency}_bucket", le="+Inf", **labels) == n
        assert value(found, "greenmine_requests_total", method="POST", status="200", **labels) == n
    # per route: the sum over its operations (this app served nothing else on /graphql)
    route_total = sum(
        v
        for (name, labels), v in found.items()
        if name == f"{latency}_count" and ("route", "/graphql") in labels
    )
    assert route_total == 5


async def test_round_trips_per_request_match_what_the_operation_costs(
    served: httpx.AsyncClient, seeded_graph: Engine, settings: Settings
) -> None:
    with roundtrips.counting() as direct:
        await schema.execute(DEPARTMENTS, context_value=Context(seeded_graph, settings))
    assert direct.count >= 2  # departments, then their liaisons in one batch
    before = samples((await served.get("/metrics")).text)
    for _ in range(2):
        await post(served, DEPARTMENTS)
    after = samples((await served.get("/metrics")).text)
    name = "greenmine_engine_round_trips_per_request_sum"
    labels = {"route": "/graphql", "operation": "Departments"}
    assert value(after, name, **labels) - value(before, name, **labels) == 2 * direct.count


async def test_graphql_errors_are_counted_by_code_and_bad_documents_as_invalid(
    served: httpx.AsyncClient,
) -> None:
    before = samples((await served.get("/metrics")).text)
    missing = await post(served, MISSING)
    broken = await post(served, "query Broken { departments { code ")
    assert missing.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert broken.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    after = samples((await served.get("/metrics")).text)
    errors = "greenmine_graphql_errors_total"
    for operation, code in (("Missing", "NOT_FOUND"), ("(invalid)", "GRAPHQL_PARSE_FAILED")):
        grew = value(after, errors, operation=operation, code=code) - value(
            before, errors, operation=operation, code=code
        )
        assert grew == 1, (operation, code)


async def test_an_incoming_request_id_is_kept_and_a_missing_or_unsafe_one_is_generated(
    served: httpx.AsyncClient,
) -> None:
    kept = await served.get("/healthz", headers={"X-Request-ID": "trace-42.a:b"})
    assert kept.headers["x-request-id"] == "trace-42.a:b"
    generated = await served.get("/healthz")
    forged = await served.get("/healthz", headers={"X-Request-ID": 'x" level=error'})
    ids = {generated.headers["x-request-id"], forged.headers["x-request-id"]}
    assert len(ids) == 2
    assert all(len(i) == 32 and i.isalnum() for i in ids)


def access_lines(caplog: pytest.LogCaptureFixture, request_id: str) -> list[dict[str, Any]]:
    lines = [
        json.loads(JsonFormatter().format(r))
        for r in caplog.records
        if r.name == "greenmine.access"
    ]
    return [line for line in lines if line.get("request_id") == request_id]


async def test_each_request_logs_one_json_line_with_operation_actor_and_never_the_token(
    served: httpx.AsyncClient, tokens: TokenFactory, caplog: pytest.LogCaptureFixture
) -> None:
    token = await tokens()
    caplog.set_level(logging.DEBUG)
    response = await served.post(
        "/graphql",
        json={"query": ONE, "variables": {"c": "water_resources"}},
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-with-token"},
    )
    assert response.status_code == 200
    [line] = access_lines(caplog, "req-with-token")
    assert line["level"] == "info" and line["logger"] == "greenmine.access"
    assert (line["method"], line["path"], line["status"]) == ("POST", "/graphql", 200)
    assert line["operation"] == "OneDepartment" and line["operation_type"] == "query"
    assert line["duration_ms"] > 0 and line["round_trips"] >= 1
    assert line["error_codes"] == []
    assert line["actor"] == {
        "user": "officer@water_resources",
        "role": "officer",
        "department": "water_resources",
    }
    everything = "\n".join(
        [JsonFormatter().format(r) for r in caplog.records]
        + [TextFormatter().format(r) for r in caplog.records]
    )
    secret = token.split("_", 2)[2]
    assert token not in everything and secret not in everything
    assert "Bearer" not in everything and "authorization" not in everything.lower()


async def test_a_rejected_token_is_logged_as_rejected_with_the_error_codes(
    served: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await served.post(
        "/graphql",
        json={"query": MISSING},
        headers={"Authorization": "Bearer gm_nope_nope", "X-Request-ID": "req-bad-token"},
    )
    [line] = access_lines(caplog, "req-bad-token")
    assert line["actor"] == "rejected"
    # a credential that is not valid fails the request as a whole
    assert line["error_codes"] == ["UNAUTHENTICATED"]
    assert "gm_nope_nope" not in json.dumps(line)


def test_the_text_format_reads_as_one_line_with_its_fields() -> None:
    record = logging.LogRecord(
        "greenmine.access", logging.INFO, __file__, 1, "POST /graphql", (), None
    )
    record.fields = {"status": 200, "operation": "Departments", "actor": None}
    text = TextFormatter().format(record)
    assert text == "INFO greenmine.access: POST /graphql | status=200 operation=Departments"


async def test_readiness_waits_for_the_parent_to_prepare_the_graph(
    seeded_graph: Engine, settings: Settings, tmp_path: Path
) -> None:
    worker_settings = Settings(**{**settings.__dict__, "run_dir": tmp_path})
    (tmp_path / "metrics").mkdir()
    app: Starlette = worker_app(worker_settings, open_engine(settings, attach=True))
    async with app.router.lifespan_context(app), client_for(app) as client:
        waiting = await client.get("/readyz")
        alive = await client.get("/healthz")
        prepared_mark(tmp_path).touch()
        ready = await client.get("/readyz")
    assert waiting.status_code == 503
    assert waiting.json() == {
        "status": "not ready",
        "engine": seeded_graph.name,
        "graphAnswers": True,
        "prepared": False,
    }
    assert alive.status_code == 200
    assert ready.status_code == 200 and ready.json()["status"] == "ready"


async def test_a_graph_that_does_not_answer_is_neither_ready_nor_up_in_the_metrics() -> None:
    dead = FalkorDBEngine(host="127.0.0.1", port=unused_port(), graph_name="none")
    app = create_app(Settings(), dead)
    async with app.router.lifespan_context(app), client_for(app) as client:
        ready = await client.get("/readyz")
        found = samples((await client.get("/metrics")).text)
    assert ready.status_code == 503
    assert ready.json()["graphAnswers"] is False and ready.json()["prepared"] is False
    assert value(found, "greenmine_engine_up", engine="falkordb") == 0


async def test_the_engine_is_up_in_the_metrics_when_it_answers(
    served: httpx.AsyncClient, seeded_graph: Engine
) -> None:
    found = samples((await served.get("/metrics")).text)
    assert value(found, "greenmine_engine_up", engine=seeded_graph.name) == 1


async def test_unknown_paths_share_one_route_label(served: httpx.AsyncClient) -> None:
    for path in ("/wp-login.php", "/.env", "/admin"):
        assert (await served.get(path)).status_code == 404
    found = samples((await served.get("/metrics")).text)
    routes = {
        dict(labels).get("route") for (name, labels) in found if name == "greenmine_requests_total"
    }
    assert "(unmatched)" in routes
    assert not routes & {"/wp-login.php", "/.env", "/admin"}


def test_operation_names_beyond_the_cap_count_as_other() -> None:
    labels = OperationLabels(limit=2)
    assert [labels.label(n) for n in ("A", "B", "C", "A", "D")] == ["A", "B", OTHER, "A", OTHER]
    assert labels.label("x" * 500) == OTHER
    assert len(OperationLabels().label("y" * 500)) == 64
