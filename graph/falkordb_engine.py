"""FalkorDB (embedded or external): statements through the lean client of `graph/resp.py`,
everything else through the `falkordb` client over `redis.asyncio`."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import redis.asyncio as aioredis
from falkordb.asyncio.graph import AsyncGraph
from falkordb.asyncio.query_result import QueryResult
from falkordb.edge import Edge as FalkorEdge
from falkordb.node import Node as FalkorNode
from falkordb.path import Path as FalkorPath
from redis.asyncio.retry import Retry
from redis.backoff import ConstantBackoff
from redis.exceptions import BusyLoadingError, ResponseError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from graph import ddl, roundtrips
from graph import falkordb_results as results
from graph.embedded import EmbeddedServer
from graph.errors import (
    ConstraintViolation,
    GraphUnavailable,
    QueryFailed,
    QueryTimeout,
    ReadOnlyViolation,
)
from graph.resp import Endpoint as RespEndpoint
from graph.resp import RespClient
from graph.statements import Dialect, Mode, Statement
from graph.values import Node, Path, Relationship, Result, check_parameters, plain

log = logging.getLogger("greenmine.falkordb")

CONNECT_TIMEOUT_S = 2.0
#: one quick retry rides over a restart of the embedded server
RETRY_DELAY_S = 0.2
COMPACT_WAIT_S = 600.0
#: how the server refuses a rewrite while one is running
REWRITE_RUNNING = "already in progress"
#: Socket reads wait this much longer than the server-side query timeout before giving up.
SOCKET_MARGIN_S = 5.0
WIPE = "wipe"
ADHOC = "adhoc"
EMPTY_GRAPH = "empty key"


class FalkorDBEngine:
    name = "falkordb"

    def __init__(
        self,
        *,
        host: str,
        port: int,
        graph_name: str,
        password: str | None = None,
        username: str | None = None,
        query_timeout_ms: int = 10_000,
        server: EmbeddedServer | None = None,
        label: str = "falkordb",
        result_ceiling: int | None = None,
    ) -> None:
        self.label = label
        #: the server's RESULTSET_SIZE, when we know it: a reply that long may have been cut
        self.result_ceiling = result_ceiling
        self.address = f"{host}:{port}"
        self.query_timeout_ms = query_timeout_ms
        self.server = server
        self._client = aioredis.Redis(
            host=host,
            port=port,
            username=username,
            password=password,
            decode_responses=True,
            socket_connect_timeout=CONNECT_TIMEOUT_S,
            socket_timeout=query_timeout_ms / 1000 + SOCKET_MARGIN_S,
            # one quick retry rides over a restart of the embedded server; then fail fast
            retry=Retry(ConstantBackoff(RETRY_DELAY_S), retries=1),
            retry_on_error=[RedisConnectionError],
        )
        self._graph = AsyncGraph(self._client, graph_name)
        # statements take the lean client (each with its own reply timeout, in `_run`); the
        # rest (INFO, rewrites, deletes) redis-py's
        self._queries = RespClient(
            RespEndpoint(
                host=host,
                port=port,
                username=username,
                password=password,
                connect_timeout_s=CONNECT_TIMEOUT_S,
                retry_delay_s=RETRY_DELAY_S,
            )
        )

    @classmethod
    def from_url(
        cls, url: str, *, graph_name: str, query_timeout_ms: int = 10_000
    ) -> FalkorDBEngine:
        parsed = urlparse(url)
        if parsed.scheme not in ("redis", "falkor", "falkordb"):
            raise ValueError(f"FALKORDB_URL={url!r} must start with redis:// or falkor://")
        return cls(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 6379,
            username=parsed.username or None,
            password=parsed.password or None,
            graph_name=graph_name,
            query_timeout_ms=query_timeout_ms,
            label="falkordb (external)",
        )

    # -- the Engine interface --------------------------------------------------------------

    async def read(self, statement: Statement, params: Mapping[str, Any] | None = None) -> Result:
        self._check(statement, Mode.READ)
        return await self._run(statement.name, statement.text, params, read_only=True)

    async def write(self, statement: Statement, params: Mapping[str, Any] | None = None) -> Result:
        self._check(statement, Mode.WRITE)
        return await self._run(statement.name, statement.text, params, read_only=False)

    async def read_only_text(
        self,
        text: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        max_rows: int | None = None,
    ) -> Result:
        """FalkorDB sends the whole result at once; the server's RESULTSET_SIZE bounds it."""
        result = await self._run(ADHOC, text, params, read_only=True, timeout_ms=timeout_ms)
        at_ceiling = self.result_ceiling is not None and len(result.rows) >= self.result_ceiling
        over = max_rows is not None and len(result.rows) > max_rows
        if not (at_ceiling or over):
            return result
        return Result(result.columns, result.rows[:max_rows], result.stats, truncated=True)

    async def explain(
        self, statement: Statement, params: Mapping[str, Any] | None = None
    ) -> list[str]:
        if statement.dialect is Dialect.NEO4J:
            raise ValueError(f"statement {statement.name} is written for Neo4j only")
        values = dict(params or {})
        check_parameters(values)
        query = (
            self._graph._build_params_header(values) + statement.text if values else statement.text
        )
        plan = await self._command("GRAPH.EXPLAIN", self._graph.name, query)
        return [str(line).strip() for line in plan]

    async def ensure_schema(self) -> list[str]:
        created: list[str] = []
        existing = await self.read(ddl.FALKORDB_LIST_INDEXES)
        indexed = {(row[0], prop) for row in existing.rows for prop in row[1]}
        for item, statement in ddl.FALKORDB_INDEXES:
            if (item.label, item.property) not in indexed:
                await self._run(statement.name, statement.text, None, read_only=False)
                created.append(f"index :{item.label}({item.property})")
        constraints = await self.read(ddl.FALKORDB_LIST_CONSTRAINTS)
        unique = {(row[1], tuple(row[2])) for row in constraints.rows if row[0] == "UNIQUE"}
        for key in ddl.KEYS:
            if (key.label, (key.property,)) not in unique:
                await self._command(
                    "GRAPH.CONSTRAINT", "CREATE", self._graph.name, "UNIQUE", "NODE",
                    key.label, "PROPERTIES", "1", key.property,
                )  # fmt: skip
                created.append(f"unique :{key.label}({key.property})")
        return created

    async def compact(self) -> None:
        """Rewrite the append-only file as a snapshot and wait for it (a 5,000-mine demo: 0.2 s),
        so a restart loads the snapshot instead of replaying every statement (there: 174 s).
        Skipped when the server keeps no append-only file or refuses the command.

        A rewrite the server started by itself while the data was written (it rewrites once the
        file has grown enough) holds only what was written before it began, and the server
        refuses a second one meanwhile: that one is waited for, then ours is asked for again."""
        try:
            if not int((await self._client.info("persistence")).get("aof_enabled", 0)):
                return
            deadline = time.monotonic() + COMPACT_WAIT_S
            asked = False
            while time.monotonic() < deadline:
                info = await self._client.info("persistence")
                busy = int(info["aof_rewrite_in_progress"]) or int(info["aof_rewrite_scheduled"])
                if not busy and asked:
                    return
                if not busy:
                    asked = await self._ask_for_rewrite()
                await asyncio.sleep(0.05)
            log.warning(
                "the append-only file rewrite was still running after %.0f s; it goes on in the "
                "background (a restart before it ends replays the old file)",
                COMPACT_WAIT_S,
            )
        except ResponseError as error:
            log.warning("could not rewrite the append-only file: %s", error)
        except (RedisConnectionError, RedisTimeoutError, BusyLoadingError) as error:
            raise self._unavailable(error) from error

    async def _ask_for_rewrite(self) -> bool:
        """True when the server took the request; False when a rewrite is already running."""
        roundtrips.record("BGREWRITEAOF")
        try:
            await self._client.bgrewriteaof()
        except ResponseError as error:
            if REWRITE_RUNNING in str(error):
                return False
            raise
        return True

    async def ping(self) -> bool:
        try:
            return bool(await self._client.ping())
        except (RedisConnectionError, RedisTimeoutError, BusyLoadingError, ResponseError):
            return False

    async def wipe(self) -> None:
        roundtrips.record(WIPE)
        try:
            await self._graph.delete()
        except ResponseError as error:
            if EMPTY_GRAPH not in str(error):
                raise QueryFailed(str(error)) from error
        except (RedisConnectionError, RedisTimeoutError, BusyLoadingError) as error:
            raise self._unavailable(error) from error

    async def close(self) -> None:
        self._queries.close()
        await self._client.aclose()
        self.release()

    def release(self) -> None:
        if self.server is not None:
            self.server.stop()

    # -- internals -------------------------------------------------------------------------

    @staticmethod
    def _check(statement: Statement, mode: Mode) -> None:
        if statement.mode is not mode:
            raise ValueError(f"statement {statement.name} is {statement.mode.value}, not {mode}")
        if statement.dialect is Dialect.NEO4J:
            raise ValueError(f"statement {statement.name} is written for Neo4j only")

    async def _run(
        self,
        name: str,
        text: str,
        params: Mapping[str, Any] | None,
        *,
        read_only: bool,
        timeout_ms: int | None = None,
    ) -> Result:
        params = dict(params or {})
        check_parameters(params)
        roundtrips.record(name)
        timeout = timeout_ms or self.query_timeout_ms
        command = "GRAPH.RO_QUERY" if read_only else "GRAPH.QUERY"
        query = self._graph._build_params_header(params) + text if params else text
        try:
            response = await self._queries.execute(
                command, self._graph.name, query, "--compact", "timeout", timeout,
                timeout_s=timeout / 1000 + SOCKET_MARGIN_S, resend=read_only,
            )  # fmt: skip
        except (RedisConnectionError, RedisTimeoutError, BusyLoadingError) as error:
            raise self._unavailable(error) from error
        except ResponseError as error:
            if read_only and EMPTY_GRAPH in str(error):
                return Result((), ())  # reading a graph that has no key yet: nothing to read
            raise _classify(error) from error
        for part in (response[0], response[-1]):
            if isinstance(part, ResponseError):  # a run-time error comes back as the last part
                if read_only and EMPTY_GRAPH in str(part):
                    return Result((), ())
                raise _classify(part)
        if len(response) == 1:  # a write that returns nothing: statistics only
            return Result((), (), results.stats(response[0]))
        try:
            rows = results.decode_rows(response[1])
        except results.NeedsSchema:
            rows = await self._decode_entities(response)
        if name != ADHOC and self.result_ceiling is not None and len(rows) >= self.result_ceiling:
            # the server stops at RESULTSET_SIZE without saying so: never pass on a cut result
            raise QueryFailed(
                f"statement {name} returned {len(rows)} rows, the server's RESULTSET_SIZE "
                "ceiling, so its result may be incomplete (raise GREENMINE_RESULT_CEILING)"
            )
        return Result(results.columns(response[0]), rows, results.stats(response[-1]))

    async def _decode_entities(self, response: list[Any]) -> tuple[tuple[Any, ...], ...]:
        """Nodes, relationships and paths (analysts' queries) need the client's schema-aware
        parser; the service's own statements never return them."""
        parsed = QueryResult(self._graph)
        await parsed.parse(response)
        return tuple(tuple(_value(v) for v in row) for row in parsed.result_set)

    async def _command(self, *args: str) -> Any:
        roundtrips.record(args[0])
        try:
            return await self._client.execute_command(*args)  # type: ignore[no-untyped-call]
        except (RedisConnectionError, RedisTimeoutError, BusyLoadingError) as error:
            raise self._unavailable(error) from error
        except ResponseError as error:
            raise _classify(error) from error

    def _unavailable(self, error: Exception) -> GraphUnavailable:
        hint = ""
        if self.server is not None and not self.server.is_running():
            hint = " (the embedded server is not running; it is being restarted)"
        return GraphUnavailable(f"{self.label} at {self.address} is not answering: {error}{hint}")


def _classify(error: ResponseError) -> Exception:
    message = str(error)
    if "unique constraint violation" in message:
        return ConstraintViolation(message)
    if "executed only on read-only queries" in message:
        return ReadOnlyViolation()
    if "timed out" in message.lower():
        return QueryTimeout(message)
    if "LOADING" in message:
        return GraphUnavailable(f"the graph is still loading: {message}")
    return QueryFailed(message)


def _value(value: Any) -> Any:
    if isinstance(value, FalkorNode):
        return Node(tuple(value.labels or ()), plain(value.properties))
    if isinstance(value, FalkorEdge):
        return Relationship(str(value.relation), plain(value.properties))
    if isinstance(value, FalkorPath):
        return Path(
            tuple(_value(n) for n in value.nodes()), tuple(_value(e) for e in value.edges())
        )
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _value(v) for k, v in value.items()}
    return plain(value)
