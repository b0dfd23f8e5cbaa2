"""The service as a client sees it: the Starlette app over HTTP, in process (httpx's ASGI
transport), with the same engine the fixtures seeded. Attack, injection and fuzz tests talk to
this, so headers, body parsing, status codes and error masking are all on the path.

Also: a snapshot of what the graph holds (nodes per label, relationships per type), to show that
a refused or hostile request changed nothing.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from graph import statements
from graph.engine import Engine
from graph.engines import open_engine
from greenmine.app import create_app
from greenmine.config import Settings

#: every code an error may carry; anything else (or INTERNAL) is a failure of the service
CLEAN_CODES = frozenset(
    {
        "BAD_USER_INPUT",
        "NOT_FOUND",
        "CONFLICT",
        "UNAUTHENTICATED",
        "FORBIDDEN",
        "GRAPHQL_PARSE_FAILED",
        "GRAPHQL_VALIDATION_FAILED",
    }
)


@dataclass
class Reply:
    status: int
    text: str
    body: Any = None

    @property
    def errors(self) -> list[dict[str, Any]]:
        if isinstance(self.body, dict):
            return list(self.body.get("errors") or [])
        return []

    @property
    def data(self) -> Any:
        return self.body.get("data") if isinstance(self.body, dict) else None

    @property
    def codes(self) -> list[str | None]:
        return [(e.get("extensions") or {}).get("code") for e in self.errors]

    @property
    def fields(self) -> list[str | None]:
        return [(e.get("extensions") or {}).get("field") for e in self.errors]

    def problems(self) -> list[str]:
        """Why this reply is not a clean answer or a clean error; empty when it is."""
        found: list[str] = []
        if self.status >= 500:
            found.append(f"HTTP {self.status}")
        if "Traceback" in self.text or 'File "' in self.text:
            found.append("a stack trace in the body")
        for error in self.errors:
            code = (error.get("extensions") or {}).get("code")
            if code not in CLEAN_CODES:
                found.append(f"error code {code}: {error.get('message')}")
        if self.status == 200 and not isinstance(self.body, dict):
            found.append("a 200 whose body is not a JSON object")
        return found


@dataclass
class Api:
    client: httpx.AsyncClient
    calls: int = field(default=0)

    async def graphql(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        token: str | None = None,
        authorization: str | None = None,
    ) -> Reply:
        headers = {}
        if authorization is not None:
            headers["authorization"] = authorization
        elif token is not None:
            headers["authorization"] = f"Bearer {token}"
        payload: dict[str, Any] = {"query": query}
        if variables is not None:
            payload["variables"] = dict(variables)
        return await self.post(json.dumps(payload).encode(), headers=headers)

    async def post(
        self,
        content: bytes,
        *,
        headers: Mapping[str, str] | None = None,
        content_type: str = "application/json",
    ) -> Reply:
        self.calls += 1
        response = await self.client.post(
            "/graphql", content=content, headers={"content-type": content_type, **(headers or {})}
        )
        return _reply(response)

    async def get(self, path: str, headers: Mapping[str, str] | None = None) -> Reply:
        return _reply(await self.client.get(path, headers=dict(headers or {})))


def _reply(response: httpx.Response) -> Reply:
    try:
        body = response.json()
    except ValueError:
        body = None
    return Reply(response.status_code, response.text, body)


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[Api]:
    """The app on its own connection to the graph the fixtures use (closed on exit)."""
    app = create_app(settings, open_engine(settings, attach=True))
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        yield Api(client)


COUNT_NODES = statements.read("test.api.count_nodes", "MATCH (n) RETURN count(n) AS n")
COUNT_RELATIONSHIPS = statements.read(
    "test.api.count_relationships", "MATCH ()-[r]->() RETURN count(r) AS n"
)
COUNT_AUDIT_ENTRIES = statements.read(
    "test.api.count_audit_entries", "MATCH (a:AuditEntry) RETURN count(a) AS n"
)


@dataclass(frozen=True)
class Snapshot:
    """How many nodes, relationships and audit entries the graph holds (cheap to take)."""

    nodes: int
    relationships: int
    audit_entries: int

    def lost(self, later: Snapshot) -> dict[str, int]:
        """What `later` holds fewer of than this snapshot."""
        return {
            name: before - after
            for name, before, after in (
                ("nodes", self.nodes, later.nodes),
                ("relationships", self.relationships, later.relationships),
                ("audit entries", self.audit_entries, later.audit_entries),
            )
            if after < before
        }


async def snapshot(engine: Engine) -> Snapshot:
    async def count(statement: statements.Statement) -> int:
        row = (await engine.read(statement)).single()
        return int(row["n"]) if row else 0

    return Snapshot(
        await count(COUNT_NODES),
        await count(COUNT_RELATIONSHIPS),
        await count(COUNT_AUDIT_ENTRIES),
    )
