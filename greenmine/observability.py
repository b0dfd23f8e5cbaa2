"""Per-request observation: a request id, one log line and the metrics of each request.

Everything here runs once per request or once per GraphQL operation, never per field: the
middleware wraps the request (id, timing, round trips, status); the `OperationObserver` schema
extension runs once per executed operation and names it and its caller; the GraphQL view adds
the error codes of its response. The token and the Authorization header are never recorded.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import AsyncIterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from graphql.utilities import get_operation_ast
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from graph import roundtrips
from graph.errors import GraphError
from greenmine.logs import REQUEST_ID
from greenmine.metrics import ANONYMOUS, INVALID, NO_OPERATION, UNMATCHED_ROUTE, Metrics
from resolvers.context import Context
from resolvers.errors import DomainError

log = logging.getLogger("greenmine.access")

REQUEST_ID_HEADER = "X-Request-ID"
# an incoming id is reused only if it is short and plain, so it cannot forge log lines
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# liveness, readiness and scrapes arrive every few seconds: their lines are logged at DEBUG
PROBE_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})

ActorField = dict[str, str | None] | str | None


@dataclass
class RequestRecord:
    request_id: str
    method: str
    path: str
    authorization_presented: bool
    graphql: bool = False
    executed: bool = False
    operation: str | None = None
    operation_type: str | None = None
    actor: ActorField = None
    error_codes: list[str] = field(default_factory=list)


_current: ContextVar[RequestRecord | None] = ContextVar("greenmine_request", default=None)


def current_request() -> RequestRecord | None:
    return _current.get()


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = value.decode("latin-1").strip()
            return text if _SAFE_REQUEST_ID.match(text) else None
    return None


def _has_authorization(scope: Scope) -> bool:
    return any(name == b"authorization" for name, _ in scope.get("headers", ()))


def _route(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else UNMATCHED_ROUTE


class ObservabilityMiddleware:
    """Gives each HTTP request an id (honouring X-Request-ID), counts its graph round trips,
    and after the response writes one log line and the request's metrics."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        record = RequestRecord(
            request_id=request_id,
            method=scope["method"],
            path=scope["path"],
            authorization_presented=_has_authorization(scope),
        )
        status = 500  # unless a response starts, the request failed

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message).append(REQUEST_ID_HEADER, request_id)
            await send(message)

        record_token = _current.set(record)
        id_token = REQUEST_ID.set(request_id)
        try:
            with roundtrips.counting() as counter:
                await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            self._finish(record, _route(scope), status, seconds, counter.count)
            REQUEST_ID.reset(id_token)
            _current.reset(record_token)

    def _finish(
        self, record: RequestRecord, route: str, status: int, seconds: float, round_trips: int
    ) -> None:
        label = self._operation_label(record)
        self.metrics.observe(
            route=route,
            method=record.method,
            status=status,
            operation=label,
            seconds=seconds,
            round_trips=round_trips,
            error_codes=record.error_codes,
        )
        level = logging.INFO
        if status >= 500:
            level = logging.WARNING
        elif route in PROBE_ROUTES:
            level = logging.DEBUG
        if not log.isEnabledFor(level):
            return
        fields: dict[str, Any] = {
            "request_id": record.request_id,
            "method": record.method,
            "path": record.path,
            "route": route,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "round_trips": round_trips,
        }
        if record.graphql:
            fields["operation"] = record.operation
            fields["operation_type"] = record.operation_type
            fields["error_codes"] = record.error_codes
        if record.authorization_presented:
            fields["actor"] = record.actor or "unchecked"
        operation = f" {label}" if record.graphql else ""
        log.log(
            level,
            "%s %s%s %d %.1fms",
            record.method,
            record.path,
            operation,
            status,
            seconds * 1000,
            extra={"fields": fields, "request_id": record.request_id},
        )

    def _operation_label(self, record: RequestRecord) -> str:
        if not record.graphql:
            return NO_OPERATION
        if not record.executed:
            return INVALID
        if record.operation is None:
            return ANONYMOUS
        return self.metrics.operations.label(record.operation)


def note_graphql_request() -> None:
    """Called by the GraphQL view when it builds a context: this request is a GraphQL request."""
    record = _current.get()
    if record is not None:
        record.graphql = True


def note_error_codes(codes: list[str]) -> None:
    record = _current.get()
    if record is not None:
        record.error_codes = codes


class OperationObserver(SchemaExtension):
    """Names the executed operation and its caller; once per operation, never per field."""

    async def on_execute(self) -> AsyncIterator[None]:
        record = _current.get()
        if record is not None:
            context = self.execution_context
            operation = (
                get_operation_ast(context.graphql_document, context.operation_name)
                if context.graphql_document is not None
                else None
            )
            if operation is not None:
                record.executed = True
                record.operation = operation.name.value if operation.name else None
                record.operation_type = operation.operation.value
        yield

    async def on_operation(self) -> AsyncIterator[None]:
        try:
            yield
        finally:  # also when a credential that is not valid stopped the operation
            record = _current.get()
            if record is not None and record.authorization_presented:
                record.actor = await _actor(self.execution_context.context)


async def _actor(context: object) -> ActorField:
    """The caller as the request's context authenticated it (at most one cached lookup)."""
    if not isinstance(context, Context):
        return None
    try:
        actor = await context.actor()
    except DomainError:
        return "rejected"
    except GraphError:
        return "unchecked"
    return {"user": actor.user, "role": actor.role.value, "department": actor.department}
