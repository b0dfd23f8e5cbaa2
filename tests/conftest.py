"""Fixtures: a real engine for the whole session (embedded FalkorDB always, Neo4j as well when
NEO4J_URI is set), a graph wiped and seeded per test module, and a GraphQL caller.

Tests that change the graph in ways other modules would notice use `fresh_graph` (wipe and seed
for one test) instead of the module's `seeded_graph`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import strawberry

from graph.engine import Engine
from graph.engines import open_engine
from greenmine.config import Settings
from resolvers.auth import Role, issue_token
from resolvers.context import Context
from schema.root import schema as root_schema
from seed.loader import seed_document

FIXED_NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


def engine_kinds() -> list[str]:
    return ["falkordb", "neo4j"] if os.environ.get("NEO4J_URI") else ["falkordb"]


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("graph-data")


def settings_for(kind: str, data_dir: Path, **overrides: Any) -> Settings:
    environ: dict[str, str] = {"GREENMINE_DATA_DIR": str(data_dir), "GREENMINE_GRAPH": "test"}
    if kind == "neo4j":
        for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
            if name in os.environ:
                environ[name] = os.environ[name]
    settings = Settings.from_environ(environ)
    return Settings(**{**settings.__dict__, **overrides}) if overrides else settings


@pytest.fixture(scope="session", params=engine_kinds())
def settings(request: pytest.FixtureRequest, data_dir: Path) -> Settings:
    return settings_for(str(request.param), data_dir)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def engine(settings: Settings) -> AsyncIterator[Engine]:
    opened = open_engine(settings, attach=False)
    try:
        yield opened
    finally:
        await opened.close()


async def reseed(engine: Engine) -> None:
    await engine.wipe()
    await seed_document(engine, today=FIXED_NOW.date())


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def seeded_graph(engine: Engine) -> Engine:
    """The document, freshly seeded for this test module."""
    await reseed(engine)
    return engine


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_graph(engine: Engine) -> AsyncIterator[Engine]:
    """The document, freshly seeded for one test that changes it; reseeded again afterwards."""
    await reseed(engine)
    yield engine
    await reseed(engine)


@dataclass
class GraphQLResult:
    data: dict[str, Any] | None
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def codes(self) -> list[str]:
        return [e.get("extensions", {}).get("code") for e in self.errors]


@dataclass
class GraphQLClient:
    """Calls `schema.execute` with variables, as a request would, and returns plain JSON shapes."""

    engine: Engine
    settings: Settings
    #: the schema to execute on (another build of it, to compare)
    schema: strawberry.Schema = field(default_factory=lambda: root_schema)

    async def __call__(
        self,
        query: str,
        variables: Mapping[str, Any] | None = None,
        *,
        token: str | None = None,
    ) -> GraphQLResult:
        context = Context(
            engine=self.engine,
            settings=self.settings,
            authorization=f"Bearer {token}" if token else None,
            clock=lambda: FIXED_NOW,
        )
        result = await self.schema.execute(
            query, variable_values=dict(variables or {}), context_value=context
        )
        errors = [e.formatted for e in result.errors or []]
        return GraphQLResult(result.data, errors)


@pytest.fixture
def gql(seeded_graph: Engine, settings: Settings) -> GraphQLClient:
    return GraphQLClient(seeded_graph, settings)


@pytest.fixture
def gql_fresh(fresh_graph: Engine, settings: Settings) -> GraphQLClient:
    return GraphQLClient(fresh_graph, settings)


@dataclass
class TokenFactory:
    engine: Engine

    async def __call__(
        self, role: Role = Role.OFFICER, department: str = "water_resources", days: int = 3650
    ) -> str:
        # issued on the fixed clock, valid for years: tests that serve a real app check it
        # against the real clock
        issued = await issue_token(
            self.engine,
            user=f"{role.value}@{department}",
            role=role,
            department=department,
            days=days,
            now=FIXED_NOW,
        )
        return issued.token


@pytest.fixture
def tokens(seeded_graph: Engine) -> TokenFactory:
    return TokenFactory(seeded_graph)


@pytest.fixture
def tokens_fresh(fresh_graph: Engine) -> TokenFactory:
    return TokenFactory(fresh_graph)


@pytest.fixture
def repo_root() -> Iterator[Path]:
    yield Path(__file__).resolve().parent.parent
