"""Analysts run read-only Cypher through the API: analysts only, writes refused with nothing
changed, a row limit that says when it cut, a server-side time limit, checked parameters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from graph import statements
from graph.engine import Engine
from graph.engines import open_engine
from graph.errors import QueryFailed
from greenmine.config import Limits, Settings
from resolvers.auth import Role
from seed.loader import seed_document
from tests.api import Api, serving, snapshot
from tests.conftest import GraphQLClient, TokenFactory, settings_for

CYPHER = """
query($q: String!, $p: JSON) { cypher(query: $q, params: $p) { columns rows truncated rowLimit } }
"""
COUNT_DEPARTMENTS = "MATCH (d:Department) RETURN count(d) AS n"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def api(seeded_graph: Engine, settings: Settings) -> AsyncIterator[Api]:
    async with serving(settings) as client:
        yield client


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def analyst(seeded_graph: Engine) -> str:
    return await TokenFactory(seeded_graph)(Role.ANALYST, "natural_resources")


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def with_limits(settings: Settings, **limits: Any) -> Settings:
    return Settings(**{**settings.__dict__, "limits": Limits(**{**Limits().__dict__, **limits})})


async def test_an_analyst_counts_eighteen_departments_through_the_api(
    api: Api, analyst: str
) -> None:
    reply = await api.graphql(CYPHER, {"q": COUNT_DEPARTMENTS}, token=analyst)
    assert reply.status == 200 and reply.errors == []
    assert reply.data["cypher"] == {
        "columns": ["n"],
        "rows": [[18]],
        "truncated": False,
        "rowLimit": Limits().cypher_row_limit,
    }


@pytest.mark.parametrize(
    ("role", "department", "code"),
    [
        (Role.OFFICER, "water_resources", "FORBIDDEN"),
        (Role.ADMIN, "natural_resources", "FORBIDDEN"),
        (None, None, "UNAUTHENTICATED"),
    ],
)
async def test_only_analysts_may_run_cypher(
    api: Api, seeded_graph: Engine, role: Role | None, department: str | None, code: str
) -> None:
    token = await TokenFactory(seeded_graph)(role, department) if role and department else None
    reply = await api.graphql(CYPHER, {"q": COUNT_DEPARTMENTS}, token=token)
    assert reply.codes == [code]
    assert reply.data is None
    assert "cypher" in reply.errors[0]["message"].lower()


WRITES = [
    "CREATE (n:Department {code: 'intruder'}) RETURN n",
    "MERGE (n:Department {code: 'intruder'}) RETURN n",
    "MATCH (d:Department {code: 'water_resources'}) SET d.nameZh = 'x' RETURN d",
    "MATCH (d:Department {code: 'water_resources'}) REMOVE d:Department RETURN d",
    "MATCH (p:Person)-[l:LIAISON_OF]->() DELETE l",
    "MATCH (n) DETACH DELETE n",
    "MATCH (d:Department) WITH d LIMIT 1 CREATE (d)-[:OWNS]->(:Mine {id: 'x'})",
    "CREATE INDEX FOR (n:Intruder) ON (n.code)",
]


@pytest.mark.parametrize("write", WRITES)
async def test_a_write_through_the_analyst_endpoint_is_refused_and_changes_nothing(
    api: Api, analyst: str, seeded_graph: Engine, write: str
) -> None:
    before = await snapshot(seeded_graph)
    reply = await api.graphql(CYPHER, {"q": write}, token=analyst)
    assert reply.codes == ["FORBIDDEN"]
    assert reply.fields == ["query"]
    assert "only reads are allowed" in reply.errors[0]["message"]
    assert "nothing changed" in reply.errors[0]["message"]
    assert await snapshot(seeded_graph) == before
    names = await api.graphql(
        CYPHER,
        {"q": "MATCH (d:Department {code: 'water_resources'}) RETURN d.nameZh"},
        token=analyst,
    )
    assert names.data["cypher"]["rows"] == [["甘肃省水利厅"]]


@pytest.mark.parametrize(
    "query",
    [
        "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
        "load   csv with headers from 'http://127.0.0.1/x.csv' AS row RETURN row",
        "CALL dbms.procedures() YIELD name RETURN name",
        "CALL apoc.load.json('http://127.0.0.1/') YIELD value RETURN value",
        "CALL `apoc`.`load`.json('x') YIELD value RETURN value",
    ],
)
async def test_reaching_outside_the_graph_is_refused_before_anything_runs(
    api: Api, analyst: str, query: str
) -> None:
    reply = await api.graphql(CYPHER, {"q": query}, token=analyst)
    assert reply.codes == ["FORBIDDEN"]
    assert reply.fields == ["query"]
    assert "nothing was run" in reply.errors[0]["message"]


async def test_the_graphs_own_procedures_and_quoted_keywords_are_allowed(
    api: Api, analyst: str
) -> None:
    labels = await api.graphql(
        CYPHER, {"q": "CALL db.labels() YIELD label RETURN label ORDER BY label"}, token=analyst
    )
    assert labels.errors == []
    assert ["Department"] in labels.data["cypher"]["rows"]
    quoted = await api.graphql(
        CYPHER,
        {"q": "// LOAD CSV is mentioned here only\nRETURN 'CALL apoc.x() and LOAD CSV' AS s"},
        token=analyst,
    )
    assert quoted.errors == []
    assert quoted.data["cypher"]["rows"] == [["CALL apoc.x() and LOAD CSV"]]


async def test_parameters_are_passed_as_parameters(api: Api, analyst: str) -> None:
    reply = await api.graphql(
        CYPHER,
        {
            "q": "MATCH (d:Department {code: $code}) RETURN d.nameZh AS name, $tags AS tags",
            "p": {"code": "water_resources", "tags": ["水", {"k": 1}]},
        },
        token=analyst,
    )
    assert reply.errors == []
    assert reply.data["cypher"]["rows"] == [["甘肃省水利厅", ["水", {"k": 1}]]]


@pytest.mark.parametrize(
    ("params", "says"),
    [
        (["water_resources"], "JSON object"),
        ("water_resources", "JSON object"),
        ({"1code": "x"}, "parameter names"),
        ({"a b": "x"}, "parameter names"),
        ({"deep": nested(40)}, "nest"),
        ({"big": "x" * 9_000, "more": ["z" * 9_000] * 7}, "bytes"),
        ({"bad": "a\u0000b"}, "NUL"),
    ],
)
async def test_bad_parameters_are_refused_naming_params(
    api: Api, analyst: str, params: object, says: str
) -> None:
    reply = await api.graphql(CYPHER, {"q": "RETURN 1", "p": params}, token=analyst)
    assert reply.codes == ["BAD_USER_INPUT"]
    assert reply.fields[0] is not None and reply.fields[0].startswith("params")
    assert says in reply.errors[0]["message"]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("MATCH (d:Department RETURN d", "the database refused the query"),
        ("   ", "must not be empty"),
        ("RETURN $missing", "the database refused the query"),
    ],
)
async def test_a_broken_query_is_bad_user_input_with_the_databases_reason(
    api: Api, analyst: str, query: str, says: str
) -> None:
    reply = await api.graphql(CYPHER, {"q": query}, token=analyst)
    assert reply.codes == ["BAD_USER_INPUT"] and reply.fields == ["query"]
    assert says in reply.errors[0]["message"]


async def test_nodes_relationships_and_paths_come_back_as_json(api: Api, analyst: str) -> None:
    reply = await api.graphql(
        CYPHER,
        {
            "q": "MATCH p = (d:Department {code: 'water_resources'})-[r:RESPONSIBLE_FOR]->(u:Duty) "
            "RETURN d, r, p ORDER BY u.code LIMIT 1"
        },
        token=analyst,
    )
    assert reply.errors == []
    [[department, link, path]] = reply.data["cypher"]["rows"]
    assert department["labels"] == ["Department"]
    assert department["properties"]["nameZh"] == "甘肃省水利厅"
    assert link["type"] == "RESPONSIBLE_FOR" and link["properties"]["basis"] == "clause"
    assert [n["labels"] for n in path["nodes"]] == [["Department"], ["Duty"]]
    assert [r["type"] for r in path["relationships"]] == ["RESPONSIBLE_FOR"]


async def test_only_one_cypher_query_runs_per_request(api: Api, analyst: str) -> None:
    reply = await api.graphql(
        '{ a: cypher(query: "RETURN 1") { rows } b: cypher(query: "RETURN 2") { rows } }',
        token=analyst,
    )
    assert reply.codes == ["BAD_USER_INPUT"]
    assert "one cypher query per request" in reply.errors[0]["message"]
    assert reply.data is None or [k for k, v in reply.data.items() if v] == ["a"]


async def test_the_row_limit_cuts_and_says_so(
    seeded_graph: Engine, settings: Settings, tokens: TokenFactory
) -> None:
    gql = GraphQLClient(seeded_graph, with_limits(settings, cypher_row_limit=5))
    token = await tokens(Role.ANALYST, "natural_resources")
    exact = await gql(CYPHER, {"q": "UNWIND range(1, 5) AS x RETURN x"}, token=token)
    assert exact.errors == []
    assert exact.data["cypher"]["rows"] == [[1], [2], [3], [4], [5]]
    assert exact.data["cypher"]["truncated"] is False
    over = await gql(CYPHER, {"q": "UNWIND range(1, 6) AS x RETURN x"}, token=token)
    assert over.data["cypher"]["rows"] == [[1], [2], [3], [4], [5]]
    assert over.data["cypher"]["truncated"] is True
    assert over.data["cypher"]["rowLimit"] == 5


async def test_a_query_past_its_time_limit_is_stopped_by_the_server(
    seeded_graph: Engine, settings: Settings, tokens: TokenFactory
) -> None:
    gql = GraphQLClient(seeded_graph, with_limits(settings, cypher_timeout_ms=50))
    token = await tokens(Role.ANALYST, "natural_resources")
    # a predicate on every row, so no engine can answer from its counts alone
    slow = (
        "MATCH (a), (b), (c), (d) WHERE coalesce(a.order, 0) + coalesce(b.order, 0) "
        "+ coalesce(c.order, 0) + coalesce(d.order, 0) >= 0 RETURN count(*) AS n"
    )
    result = await gql(CYPHER, {"q": slow}, token=token)
    assert result.codes == ["BAD_USER_INPUT"]
    assert "time limit of 50 ms" in result.errors[0]["message"]
    # the engine is still there for the next query
    after = await gql(CYPHER, {"q": COUNT_DEPARTMENTS}, token=token)
    assert after.data["cypher"]["rows"] == [[18]]


COUNT_DOCUMENT_NODES = statements.read(
    "test.analyst.document_nodes", "MATCH (n) WHERE n.order IS NOT NULL RETURN n.order AS o"
)


async def test_the_embedded_server_bounds_every_reply_and_every_query_memory(
    tmp_path: Path,
) -> None:
    """RESULTSET_SIZE and QUERY_MEM_CAPACITY come from the settings; a registered read that
    reaches the ceiling fails loudly instead of passing on a result the server cut."""
    settings = settings_for("falkordb", tmp_path)
    settings = with_limits(settings, cypher_row_limit=5, result_ceiling=20, query_memory_mb=16)
    engine = open_engine(settings, attach=False)
    try:
        await seed_document(engine)
        analyst_view = await engine.read_only_text(
            "UNWIND range(1, 100000) AS x RETURN x", max_rows=5
        )
        assert len(analyst_view.rows) == 5 and analyst_view.truncated
        cli_view = await engine.read_only_text("UNWIND range(1, 100000) AS x RETURN x")
        assert len(cli_view.rows) == 20 and cli_view.truncated
        with pytest.raises(QueryFailed, match="RESULTSET_SIZE"):
            await engine.read(COUNT_DOCUMENT_NODES)
        with pytest.raises(QueryFailed, match="mem"):
            await engine.read_only_text("RETURN size(range(1, 10000000)) AS n")
    finally:
        await engine.close()
