"""Neo4j 5 through the official driver; reads are routed to readers (`routing_=READ`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import neo4j
from neo4j import AsyncGraphDatabase, RoutingControl
from neo4j import exceptions as neo4j_errors
from neo4j import graph as neo4j_graph
from neo4j import time as neo4j_time

from graph import ddl, roundtrips, statements
from graph.errors import (
    ConstraintViolation,
    GraphUnavailable,
    QueryFailed,
    QueryTimeout,
    ReadOnlyViolation,
)
from graph.statements import Dialect, Mode, Statement
from graph.values import Node, Path, Relationship, Result, WriteStats, check_parameters, plain

WIPE = statements.write(
    "neo4j.wipe",
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS",
    Dialect.NEO4J,
)


class Neo4jEngine:
    name = "neo4j"

    def __init__(
        self, *, uri: str, user: str, password: str, database: str, query_timeout_ms: int = 10_000
    ) -> None:
        self.address = uri
        self.database = database
        self.query_timeout_ms = query_timeout_ms
        self._driver = AsyncGraphDatabase.driver(
            uri, auth=(user, password), connection_acquisition_timeout=5.0
        )

    async def read(self, statement: Statement, params: Mapping[str, Any] | None = None) -> Result:
        self._check(statement, Mode.READ)
        return await self._execute(statement.name, statement.text, params, RoutingControl.READ)

    async def write(self, statement: Statement, params: Mapping[str, Any] | None = None) -> Result:
        self._check(statement, Mode.WRITE)
        return await self._execute(statement.name, statement.text, params, RoutingControl.WRITE)

    async def read_only_text(
        self,
        text: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        max_rows: int | None = None,
    ) -> Result:
        """An explicit READ transaction: Neo4j refuses any write inside it. Records stream, so
        reading stops one past `max_rows` and the rest is discarded on the server."""
        query_params = dict(params or {})
        check_parameters(query_params)
        roundtrips.record("adhoc")
        timeout = (timeout_ms or self.query_timeout_ms) / 1000

        @neo4j.unit_of_work(timeout=timeout)
        async def work(tx: neo4j.AsyncManagedTransaction) -> Result:
            cursor = await tx.run(text, query_params)
            records: list[neo4j.Record] = []
            async for record in cursor:
                records.append(record)
                if max_rows is not None and len(records) > max_rows:
                    break
            result = _result(list(cursor.keys()), records[:max_rows], None)
            if max_rows is not None and len(records) > max_rows:
                return Result(result.columns, result.rows, result.stats, truncated=True)
            return result

        try:
            async with self._driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as session:
                return await session.execute_read(work)
        except Exception as error:
            raise _classify(error) from error

    async def explain(
        self, statement: Statement, params: Mapping[str, Any] | None = None
    ) -> list[str]:
        if statement.dialect is Dialect.FALKORDB:
            raise ValueError(f"statement {statement.name} is written for FalkorDB only")
        query_params = dict(params or {})
        check_parameters(query_params)
        roundtrips.record(f"EXPLAIN {statement.name}")
        try:
            _, summary, _ = await self._driver.execute_query(
                "EXPLAIN " + statement.text, query_params, database_=self.database
            )
        except Exception as error:
            raise _classify(error) from error
        operators: list[str] = []

        def walk(plan: Mapping[str, Any]) -> None:
            operators.append(str(plan.get("operatorType", "")).split("@")[0])
            for child in plan.get("children", ()):
                walk(child)

        if summary.plan is not None:
            walk(summary.plan)
        return operators

    async def ensure_schema(self) -> list[str]:
        for statement in ddl.NEO4J_DDL:
            roundtrips.record(statement.name)
            try:
                await self._driver.execute_query(statement.text, database_=self.database)
            except Exception as error:
                raise _classify(error) from error
        return [s.name for s in ddl.NEO4J_DDL]

    async def compact(self) -> None:
        """Neo4j's transaction log needs no help after a bulk load."""

    async def ping(self) -> bool:
        try:
            await self._driver.verify_connectivity()
        except Exception:
            return False
        return True

    async def wipe(self) -> None:
        roundtrips.record(WIPE.name)
        try:
            async with self._driver.session(database=self.database) as session:
                result = await session.run(WIPE.text)
                await result.consume()
        except Exception as error:
            raise _classify(error) from error

    async def close(self) -> None:
        await self._driver.close()

    def release(self) -> None:
        """The driver starts no process; `close` releases its connections."""

    @staticmethod
    def _check(statement: Statement, mode: Mode) -> None:
        if statement.mode is not mode:
            raise ValueError(f"statement {statement.name} is {statement.mode.value}, not {mode}")
        if statement.dialect is Dialect.FALKORDB:
            raise ValueError(f"statement {statement.name} is written for FalkorDB only")

    async def _execute(
        self, name: str, text: str, params: Mapping[str, Any] | None, routing: RoutingControl
    ) -> Result:
        query_params = dict(params or {})
        check_parameters(query_params)
        roundtrips.record(name)
        try:
            records, summary, keys = await self._driver.execute_query(
                neo4j.Query(text, timeout=self.query_timeout_ms / 1000),
                query_params,
                routing_=routing,
                database_=self.database,
            )
        except Exception as error:
            raise _classify(error) from error
        return _result(list(keys), records, summary)


def _result(
    keys: list[str], records: list[neo4j.Record], summary: neo4j.ResultSummary | None
) -> Result:
    rows = tuple(tuple(_value(v) for v in record.values()) for record in records)
    stats = WriteStats()
    if summary is not None:
        c = summary.counters
        stats = WriteStats(
            c.nodes_created,
            c.nodes_deleted,
            c.relationships_created,
            c.relationships_deleted,
            c.properties_set,
        )
    return Result(tuple(keys), rows, stats)


def _classify(error: Exception) -> Exception:
    if isinstance(error, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired):
        return GraphUnavailable(f"neo4j is not answering: {error}")
    if isinstance(error, neo4j_errors.ConstraintError):
        return ConstraintViolation(str(error))
    if isinstance(error, neo4j_errors.Neo4jError):
        code = error.code or ""
        if (
            "AccessMode" in code
            or "WriteOnReadOnlyAccessDbException" in code
            or ("Forbidden" in code and "read" in str(error.message).lower())
        ):
            return ReadOnlyViolation()
        if "TransactionTimedOut" in code or "Terminated" in code:
            return QueryTimeout(str(error.message))
        return QueryFailed(str(error.message))
    if isinstance(error, neo4j_errors.DriverError):
        return GraphUnavailable(f"neo4j driver error: {error}")
    return error


def _value(value: Any) -> Any:
    if isinstance(value, neo4j_graph.Node):
        return Node(tuple(sorted(value.labels)), {k: _value(v) for k, v in value.items()})
    if isinstance(value, neo4j_graph.Relationship):
        return Relationship(value.type, {k: _value(v) for k, v in value.items()})
    if isinstance(value, neo4j_graph.Path):
        return Path(
            tuple(_value(n) for n in value.nodes),
            tuple(_value(r) for r in value.relationships),
        )
    if isinstance(value, neo4j_time.Date | neo4j_time.DateTime | neo4j_time.Time):
        return value.iso_format()
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    return plain(value)
