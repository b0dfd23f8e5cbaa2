"""The one small interface both engines implement."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from graph.statements import Statement
from graph.values import Result


class Engine(Protocol):
    """A graph database the service reads from and writes to.

    `read` sends a registered read statement with read-only routing; `write` sends one write
    statement, which both engines apply atomically; `read_only_text` runs an analyst's ad hoc
    query in the engine's read-only mode, so a write in it is refused and changes nothing; it
    returns at most `max_rows` rows, with `truncated` set when there were more.
    """

    name: str

    async def read(
        self, statement: Statement, params: Mapping[str, Any] | None = None
    ) -> Result: ...

    async def write(
        self, statement: Statement, params: Mapping[str, Any] | None = None
    ) -> Result: ...

    async def read_only_text(
        self,
        text: str,
        params: Mapping[str, Any] | None = None,
        *,
        timeout_ms: int | None = None,
        max_rows: int | None = None,
    ) -> Result: ...

    async def explain(
        self, statement: Statement, params: Mapping[str, Any] | None = None
    ) -> list[str]:
        """The operators of the engine's plan for a registered statement, outermost first, each
        as the engine names it (e.g. "Node By Index Scan | (m:Mine)", "NodeIndexSeek")."""
        ...

    async def ensure_schema(self) -> list[str]:
        """Create missing constraints and indexes; return what was created."""
        ...

    async def ping(self) -> bool: ...

    async def compact(self) -> None:
        """After a bulk load, make restarting cheap: FalkorDB rewrites its append-only file as a
        snapshot (replaying thousands of large UNWIND statements takes minutes); Neo4j: no-op."""
        ...

    async def wipe(self) -> None:
        """Delete every node and relationship (tests and `seed --reset` only)."""
        ...

    async def close(self) -> None: ...

    def release(self) -> None:
        """Stop, synchronously, any process this engine started; safe after `close` and twice."""
        ...
