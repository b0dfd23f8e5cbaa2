"""The Starlette application: GraphQL at /graphql (GraphiQL on GET), /healthz, /readyz, /metrics."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import orjson
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from graph import roundtrips
from graph.engine import Engine
from graph.engines import attach_engine, open_engine
from graph.errors import GraphUnavailable
from greenmine import heap
from greenmine.config import Settings
from greenmine.http_limits import BodySizeLimit, decode_body
from greenmine.logs import configure_logging
from greenmine.metrics import CONTENT_TYPE, Metrics
from greenmine.observability import (
    ObservabilityMiddleware,
    OperationObserver,
    note_error_codes,
    note_graphql_request,
)
from greenmine.readiness import PreparedByParent, PreparedHere, Readiness, prepared_mark
from greenmine.webpage import web_routes
from resolvers.context import Clock, Context, utc_now
from schema.root import build_schema
from seed.demo.loader import ensure_demo
from seed.loader import ensure_seeded

log = logging.getLogger("greenmine.app")

PREPARE_RETRY_S = 1.0
PREPARE_RETRY_MAX_S = 30.0


class GreenMineGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings, clock: Clock = utc_now) -> None:
        super().__init__(
            build_schema(
                introspection=settings.introspection,
                limits=settings.limits,
                observers=[OperationObserver],
            ),
            # GraphiQL cannot work without introspection, so it goes with it
            graphql_ide="graphiql" if settings.introspection else None,
        )
        self.settings = settings
        self.clock = clock

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        note_graphql_request()
        return Context(
            engine=request.app.state.engine,
            settings=self.settings,
            authorization=request.headers.get("authorization"),
            clock=self.clock,
        )

    def decode_json(self, data: str | bytes) -> object:
        return decode_body(data)

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if self.settings.debug_round_trips:
            response["extensions"] = {**(response.get("extensions") or {}), **_round_trips()}
        return response

    def encode_json(self, data: object) -> bytes:
        # compact UTF-8, as json.dumps(ensure_ascii=False, separators=(",", ":")) but 10x cheaper
        return orjson.dumps(data)

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        note_error_codes(_error_codes(response_data))
        if _graph_unavailable(response_data):
            response.status_code = 503
            response.headers["Retry-After"] = "2"
        return response


def _round_trips() -> dict[str, object]:
    """`extensions.roundTrips`: the statements this request has sent so far, in order (the
    middleware counts per request; with GREENMINE_DEBUG_ROUND_TRIPS on)."""
    counter = roundtrips.current()
    if counter is None:
        return {}
    return {"roundTrips": {"count": counter.count, "statements": list(counter.statements)}}


def _error_codes(data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> list[str]:
    responses = data if isinstance(data, list) else [data]
    return [
        str((error.get("extensions") or {}).get("code", "UNKNOWN"))
        for response in responses
        for error in cast(list[dict[str, Any]], response.get("errors") or [])
    ]


def _graph_unavailable(data: GraphQLHTTPResponse | list[GraphQLHTTPResponse]) -> bool:
    """A response whose data could not be read because the database is down is a 503."""
    return "SERVICE_UNAVAILABLE" in _error_codes(data)


def create_app(
    settings: Settings, engine: Engine | None = None, *, clock: Clock = utc_now
) -> Starlette:
    """The app. It opens the configured engine on startup, or uses (and then closes) the one given.
    `clock` is what resolvers see as "now" (tests move it to walk a lifecycle over months).

    If the graph does not answer at startup the app still starts: /healthz and /readyz say 503
    and a background task keeps trying to prepare the graph (constraints, first seed) until it
    answers; /readyz says 200 once it is prepared.
    """
    return _assemble(
        settings, lambda: engine or open_engine(settings, attach=False), None, None, clock
    )


def create_app_from_environ() -> Starlette:
    """`uvicorn --factory greenmine.app:create_app_from_environ`: one process, as `create_app`.

    Under plain `uvicorn --workers N` every worker would prepare the graph and, on the embedded
    engine, try to own the data directory; `greenmine serve --workers N` does that right.
    """
    settings = Settings.from_environ()
    configure_logging(settings)
    return create_app(settings)


def create_worker_app() -> Starlette:
    """The app in each worker of `greenmine serve --workers N` (a uvicorn factory)."""
    settings = Settings.from_environ()
    configure_logging(settings)
    _exit_with_parent()
    return worker_app(settings)


def worker_app(settings: Settings, engine: Engine | None = None) -> Starlette:
    """A worker's app: it attaches to the graph and never prepares it.

    The parent owns the embedded server (workers attach to it) and prepares the graph once; a
    worker reports readiness from the mark the parent leaves in the shared run directory.
    """
    if settings.run_dir is None:
        raise RuntimeError("a worker app needs GREENMINE_RUN_DIR (set by `greenmine serve`)")
    return _assemble(
        settings,
        lambda: engine or attach_engine(settings),
        PreparedByParent(prepared_mark(settings.run_dir)),
        settings.run_dir / "metrics",
    )


def _assemble(
    settings: Settings,
    open_graph: Callable[[], Engine],
    prepared_by_parent: Readiness | None,
    metrics_dir: Path | None,
    clock: Clock = utc_now,
) -> Starlette:
    """The app; `metrics_dir` is where the workers of one `serve` share their metrics."""
    metrics = Metrics.create(metrics_dir)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        graph = open_graph()
        app.state.engine = graph
        preparing: asyncio.Task[None] | None = None
        readiness = prepared_by_parent
        if readiness is None:
            here = PreparedHere()
            readiness = here
            try:
                await prepare_graph(graph, settings)
                here.done = True
            except GraphUnavailable as error:
                log.warning("the graph is not answering at startup (%s); will keep trying", error)
                preparing = asyncio.create_task(_prepare_until_ready(graph, settings, here))
        app.state.readiness = readiness
        heap.settle()
        try:
            yield
        finally:
            if preparing is not None:
                preparing.cancel()
            await graph.close()
            metrics.process_exiting(os.getpid())

    async def healthz(request: Request) -> JSONResponse:
        """Liveness: the process serves and the graph answers (see README, Observability)."""
        graph: Engine = request.app.state.engine
        up = await graph.ping()
        metrics.set_engine_up(graph.name, up)
        if up:
            return JSONResponse({"status": "ok", "engine": graph.name})
        return JSONResponse(
            {"status": "unavailable", "engine": graph.name, "detail": "the graph is not answering"},
            status_code=503,
        )

    async def readyz(request: Request) -> JSONResponse:
        """Readiness: the graph answers and has been prepared (constraints, first seed)."""
        graph: Engine = request.app.state.engine
        readiness: Readiness = request.app.state.readiness
        up = await graph.ping()
        metrics.set_engine_up(graph.name, up)
        prepared = readiness.prepared()
        body = {"engine": graph.name, "graphAnswers": up, "prepared": prepared}
        if up and prepared:
            return JSONResponse({"status": "ready", **body})
        return JSONResponse(
            {"status": "not ready", **body}, status_code=503, headers={"Retry-After": "2"}
        )

    async def metrics_endpoint(request: Request) -> Response:
        graph: Engine = request.app.state.engine
        metrics.set_engine_up(graph.name, await graph.ping())
        return Response(metrics.exposition(), media_type=CONTENT_TYPE)

    graphql = GreenMineGraphQL(settings, clock)
    return Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/readyz", readyz, methods=["GET"]),
            Route("/metrics", metrics_endpoint, methods=["GET"]),
            *web_routes(),
        ],
        middleware=[
            Middleware(ObservabilityMiddleware, metrics=metrics),
            Middleware(BodySizeLimit, max_bytes=settings.limits.max_body_bytes),
        ],
        lifespan=lifespan,
    )


async def prepare_graph(graph: Engine, settings: Settings) -> None:
    """Constraints and indexes; the document too, into an empty graph, unless seeding is off;
    then the synthetic demo province into a graph without mines, if that is switched on."""
    if not settings.seed_on_start:
        await graph.ensure_schema()
        log.info("prepared the graph: constraints and indexes in place (seeding is off)")
    else:
        report = await ensure_seeded(graph)
        if report is None:
            log.info("prepared the graph: it already holds the document")
        else:
            log.info(
                "prepared the graph: seeded the document (%d nodes, %d relationships)",
                report.total.nodes_created,
                report.total.relationships_created,
            )
    if settings.demo_on_start:
        demo = await ensure_demo(graph)
        if demo is not None:
            log.info(
                "loaded the synthetic demo province %s: %d mines in %.1f s",
                demo.batch_id, demo.mines, demo.seconds,
            )  # fmt: skip


async def _prepare_until_ready(graph: Engine, settings: Settings, here: PreparedHere) -> None:
    delay = PREPARE_RETRY_S
    while True:
        await asyncio.sleep(delay)
        try:
            await prepare_graph(graph, settings)
            here.done = True
            log.info("the graph answers again and is prepared")
            return
        except GraphUnavailable as error:
            log.warning("the graph is not ready (%s); retrying", error)
            delay = min(delay * 2, PREPARE_RETRY_MAX_S)


def _exit_with_parent() -> None:
    """In a worker: get SIGTERM when `greenmine serve` dies (Linux), so no worker outlives it."""
    parent = multiprocessing.parent_process()
    if sys.platform != "linux" or parent is None:
        return
    import ctypes
    import signal

    pr_set_pdeathsig = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent.pid:  # the parent died before the line above took effect
        os.kill(os.getpid(), signal.SIGTERM)
