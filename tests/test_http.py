"""The HTTP surface: GraphQL over POST, GraphiQL on GET, /healthz, and a 503 while the graph is down."""

from __future__ import annotations

import socket

import httpx

from graph.engine import Engine
from graph.engines import open_engine
from graph.falkordb_engine import FalkorDBEngine
from greenmine.app import create_app
from greenmine.config import Settings


def client_for(app: object) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")  # type: ignore[arg-type]


async def test_graphql_post_answers_in_chinese_without_escapes(
    seeded_graph: Engine, settings: Settings
) -> None:
    app = create_app(settings, open_engine(settings, attach=True))
    async with app.router.lifespan_context(app), client_for(app) as client:
        response = await client.post(
            "/graphql",
            json={
                "query": "query($c: String!) { department(code: $c) { nameZh } }",
                "variables": {"c": "water_resources"},
            },
        )
    assert response.status_code == 200
    assert response.json() == {"data": {"department": {"nameZh": "甘肃省水利厅"}}}
    assert "甘肃省水利厅" in response.text


async def test_graphiql_is_served_on_get(seeded_graph: Engine, settings: Settings) -> None:
    app = create_app(settings, open_engine(settings, attach=True))
    async with app.router.lifespan_context(app), client_for(app) as client:
        page = await client.get("/graphql", headers={"accept": "text/html"})
        health = await client.get("/healthz")
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    assert health.status_code == 200 and health.json()["status"] == "ok"


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_a_graph_that_does_not_answer_gives_503_with_a_clear_error() -> None:
    dead = FalkorDBEngine(host="127.0.0.1", port=unused_port(), graph_name="none")
    app = create_app(Settings(), dead)
    async with app.router.lifespan_context(app), client_for(app) as client:
        health = await client.get("/healthz")
        response = await client.post("/graphql", json={"query": "{ departments { code } }"})
    assert health.status_code == 503 and health.json()["status"] == "unavailable"
    assert response.status_code == 503
    [error] = response.json()["errors"]
    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert "not answering" in error["message"]
    assert "Traceback" not in response.text and "redis" not in response.text.lower()
