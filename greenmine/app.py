"""The Starlette application: GraphQL at /graphql (GraphiQL on GET) and /healthz."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse

from graph.engine import Engine
from graph.engines import open_engine
from graph.errors import GraphUnavailable
from greenmine.config import Settings
from greenmine.http_limits import BodySizeLimit, decode_body
from resolvers.context import Context
from schema.root import build_schema
from seed.loader import ensure_seeded

log = logging.getLogger("greenmine.app")

PREPARE_RETRY_S = 1.0
PREPARE_RETRY_MAX_S = 30.0


class GreenMineGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(introspection=settings.introspection, limits=settings.limits),
            # GraphiQL cannot work without introspection, so it goes with it
            graphql_ide="graphiql" if settings.introspection else None,
        )
        self.settings = settings

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        return Context(
            engine=request.app.state.engine,
            settings=self.settings,
            authorization=request.headers.get("authorization"),
        )

    def decode_json(self, data: str | bytes) -> object:
        return decode_body(data)

    def encode_json(self, data: object) -> str:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        if _graph_unavailable(response_data):
            response.status_code = 503
            response.headers["Retry-After"] = "2"
        return response


def _graph_unavailable(data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> bool:
    """A response whose data could not be read because the database is down is a 503."""
    responses = data if isinstance(data, list) else [data]
    return any(
        (error.get("extensions") or {}).get("code") == "SERVICE_UNAVAILABLE"
        for response in responses
        for error in cast(list[dict[str, Any]], response.get("errors") or [])
    )


def create_app(settings: Settings, engine: Engine | None = None) -> Starlette:
    """The app. It opens the configured engine on startup, or uses (and then closes) the one given.

    If the graph does not answer at startup the app still starts: /healthz says 503 and a
    background task keeps trying to prepare the graph (constraints, first seed) until it answers.
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        graph = engine or open_engine(settings, attach=False)
        app.state.engine = graph
        preparing: asyncio.Task[None] | None = None
        try:
            await _prepare(graph, settings)
        except GraphUnavailable as error:
            log.warning("the graph is not answering at startup (%s); will keep trying", error)
            preparing = asyncio.create_task(_prepare_until_ready(graph, settings))
        try:
            yield
        finally:
            if preparing is not None:
                preparing.cancel()
            await graph.close()

    async def healthz(request: Request) -> JSONResponse:
        graph: Engine = request.app.state.engine
        if await graph.ping():
            return JSONResponse({"status": "ok", "engine": graph.name})
        return JSONResponse(
            {"status": "unavailable", "engine": graph.name, "detail": "the graph is not answering"},
            status_code=503,
        )

    graphql = GreenMineGraphQL(settings)
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
        middleware=[Middleware(BodySizeLimit, max_bytes=settings.limits.max_body_bytes)],
    )


async def _prepare(graph: Engine, settings: Settings) -> None:
    if settings.seed_on_start:
        await ensure_seeded(graph)
    else:
        await graph.ensure_schema()


async def _prepare_until_ready(graph: Engine, settings: Settings) -> None:
    delay = PREPARE_RETRY_S
    while True:
        await asyncio.sleep(delay)
        try:
            await _prepare(graph, settings)
            log.info("the graph answers again and is prepared")
            return
        except GraphUnavailable as error:
            log.warning("the graph is not ready (%s); retrying", error)
            delay = min(delay * 2, PREPARE_RETRY_MAX_S)
