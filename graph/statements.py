"""Every Cypher statement the project sends is a named, registered `Statement`.

Engines accept only `Statement` objects (plus analysts' ad hoc read-only text), so the registry
is the complete list of what the service can send; a test lints each one with Neo4j's linter.
Statements are created at import time of the `graph` modules that own them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    READ = "read"
    WRITE = "write"
    SCHEMA = "schema"


class Dialect(StrEnum):
    """Which engines a statement is meant for; most are `BOTH`."""

    BOTH = "both"
    FALKORDB = "falkordb"
    NEO4J = "neo4j"


_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    mode: Mode
    dialect: Dialect = Dialect.BOTH

    @property
    def parameters(self) -> frozenset[str]:
        return frozenset(_PARAMETER.findall(self.text))


_REGISTRY: dict[str, Statement] = {}


def _register(statement: Statement) -> Statement:
    existing = _REGISTRY.get(statement.name)
    if existing is not None and existing != statement:
        raise ValueError(f"two different Cypher statements are named {statement.name!r}")
    _REGISTRY[statement.name] = statement
    return statement


def read(name: str, text: str, dialect: Dialect = Dialect.BOTH) -> Statement:
    return _register(Statement(name, _tidy(text), Mode.READ, dialect))


def write(name: str, text: str, dialect: Dialect = Dialect.BOTH) -> Statement:
    return _register(Statement(name, _tidy(text), Mode.WRITE, dialect))


def schema(name: str, text: str, dialect: Dialect) -> Statement:
    return _register(Statement(name, _tidy(text), Mode.SCHEMA, dialect))


def registered() -> list[Statement]:
    """All statements registered so far (import `graph.catalog` first to load every module)."""
    return sorted(_REGISTRY.values(), key=lambda s: s.name)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "\n".join(line[indent:] for line in lines).strip()
