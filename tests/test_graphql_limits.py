"""What one request may ask: depth, aliases, tokens, page sizes, string lengths, body size, and
introspection; each limit configurable, just under it passes and just over it fails clearly.
Unexpected errors on every path reach the client masked, with their stack in the log only."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType, get_introspection_query, get_named_type
from graphql.language import Lexer, Source, TokenKind
from strawberry.extensions import SchemaExtension
from strawberry.extensions.validation_cache import _get_validate_cache

from graph.engine import Engine
from graph.errors import QueryFailed
from graph.statements import Statement
from graph.values import Result
from greenmine.config import ConfigError, Limits, Settings
from resolvers.auth import Role
from resolvers.context import Context
from schema.errors import GreenMineSchema
from schema.limits import SIZE_ARGUMENTS, limit_extensions
from schema.root import CACHE_SIZE, Mutation, Query, build_schema
from tests.api import Api, serving
from tests.conftest import FIXED_NOW, GraphQLClient, TokenFactory
from tests.schema_walk import Site, argument_sites, operation, paths

DEFAULTS = Limits()


def tokens_in(document: str) -> int:
    lexer, count = Lexer(Source(document)), 0
    while lexer.advance().kind != TokenKind.EOF:
        count += 1
    return count


# -- depth -----------------------------------------------------------------------------------


def parents(depth: int) -> str:
    """`clause` then `parent` fields: `depth` levels of selections."""
    inner = "ref"
    for _ in range(depth - 1):
        inner = f"parent {{ {inner} }}"
    return f'{{ clause(ref: "二(四)8") {{ {inner} }} }}'


async def test_a_query_as_deep_as_the_limit_passes_and_one_deeper_fails(gql: GraphQLClient) -> None:
    at_limit = await gql(parents(DEFAULTS.max_depth))
    assert at_limit.errors == []
    assert at_limit.data["clause"]["parent"]["parent"]["parent"] is None  # 二(四)8 → 二(四) → 二
    over = await gql(parents(DEFAULTS.max_depth + 1))
    assert over.codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert f"exceeds maximum operation depth of {DEFAULTS.max_depth}" in over.errors[0]["message"]
    assert over.data is None


# -- aliases ---------------------------------------------------------------------------------


def aliased(count: int) -> str:
    return (
        "{ " + " ".join(f'd{i}: department(code: "audit") {{ code }}' for i in range(count)) + " }"
    )


async def test_as_many_aliases_as_the_limit_pass_and_one_more_fails(gql: GraphQLClient) -> None:
    at_limit = await gql(aliased(DEFAULTS.max_aliases))
    assert at_limit.errors == [] and len(at_limit.data) == DEFAULTS.max_aliases
    over = await gql(aliased(DEFAULTS.max_aliases + 1))
    assert over.codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert over.errors[0]["message"] == (
        f"{DEFAULTS.max_aliases + 1} aliases found. Allowed: {DEFAULTS.max_aliases}"
    )


async def test_aliases_hidden_in_fragments_are_counted(gql: GraphQLClient) -> None:
    spread = " ".join(f'x{i}: department(code: "audit") {{ code }}' for i in range(16))
    document = (
        f"query {{ ...A ...B }} fragment A on Query {{ {spread} }} fragment B on Query {{ ...A }}"
    )
    assert (await gql(document)).codes == ["GRAPHQL_VALIDATION_FAILED"]


# -- tokens ----------------------------------------------------------------------------------


def padded(tokens: int) -> str:
    """A valid document of exactly `tokens` tokens, padded with a list of distinct values (a
    selection padded with repeated fields would trip graphql-core's own overlap budget)."""
    head = '{ cypher(query: "RETURN size($p) AS n", params: {p: ['
    tail = "]}) { rows } }"
    padding = tokens - tokens_in(head + tail)
    document = head + " ".join(str(i) for i in range(padding)) + tail
    assert tokens_in(document) == tokens
    return document


async def test_a_document_of_as_many_tokens_as_the_limit_passes_and_one_more_fails(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    analyst = await tokens(Role.ANALYST, "natural_resources")
    at_limit = await gql(padded(DEFAULTS.max_tokens), token=analyst)
    assert at_limit.errors == []
    assert at_limit.data["cypher"]["rows"] == [[DEFAULTS.max_tokens - 19]]
    over = await gql(padded(DEFAULTS.max_tokens + 1), token=analyst)
    assert over.codes == ["GRAPHQL_PARSE_FAILED"]
    assert f"more than {DEFAULTS.max_tokens} tokens" in over.errors[0]["message"]


async def test_graphiqls_introspection_query_fits_every_default_limit(gql: GraphQLClient) -> None:
    document = get_introspection_query(
        descriptions=True, specified_by_url=True, directive_is_repeatable=True,
        schema_description=True, input_value_deprecation=True,
    )  # fmt: skip
    assert tokens_in(document) < DEFAULTS.max_tokens // 4
    result = await gql(document)
    assert result.errors == []
    assert "Department" in {t["name"] for t in result.data["__schema"]["types"]}


# -- page sizes ------------------------------------------------------------------------------


def size_sites() -> list[Site]:
    return [s for s in argument_sites() if s.argument in SIZE_ARGUMENTS]


SIZE_LIKE = ("first", "last", "limit", "top", "size", "pagesize", "count", "take", "max")


def test_every_argument_that_sizes_a_list_is_one_the_guard_caps() -> None:
    """A list sized by an argument the guard does not know would go uncapped."""
    uncapped = [
        s.label
        for s in argument_sites()
        if s.argument.lower() in SIZE_LIKE and s.argument not in SIZE_ARGUMENTS
    ]
    assert uncapped == []


def test_every_connection_takes_first() -> None:
    """A Relay connection (a type with `edges` and `pageInfo`) is sized by `first`."""
    unsized = []
    for _, path in paths():
        target = get_named_type(path[-1].field.type)
        connection = isinstance(target, GraphQLObjectType) and {"edges", "pageInfo"} <= set(
            target.fields
        )
        if connection and "first" not in path[-1].field.args:
            unsized.append(".".join(step.name for step in path))
    assert unsized == []


async def test_every_list_size_argument_in_the_schema_is_capped(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    """Walks the schema as it is when the tests run (the document queries have no sized lists
    today; routing, mines and cases add them), calling each sized field along a path from the
    root: one over the cap is refused before any resolver runs, the cap itself is not."""
    admin = await tokens(Role.ADMIN, "natural_resources")
    refusal = f"at most {DEFAULTS.max_page_size}"
    for site in size_sites():
        over = await gql(operation(site), {"value": DEFAULTS.max_page_size + 1}, token=admin)
        assert over.codes == ["BAD_USER_INPUT"], site.label
        assert over.errors[0]["extensions"]["field"] == site.argument, site.label
        assert refusal in over.errors[0]["message"], site.label
        at_cap = await gql(operation(site), {"value": DEFAULTS.max_page_size}, token=admin)
        assert not any(refusal in e["message"] for e in at_cap.errors), site.label


@strawberry.type
class Listing:
    @strawberry.field
    def things(self, first: int = 10, limit: int | None = None) -> list[int]:
        return list(range(min(first, limit if limit is not None else first)))


def guarded_schema(limits: Limits) -> strawberry.Schema:
    return GreenMineSchema(query=Listing, extensions=limit_extensions(limits))


@pytest.mark.parametrize("argument", sorted(SIZE_ARGUMENTS & {"first", "limit"}))
async def test_the_guard_caps_a_size_argument_on_any_field(argument: str) -> None:
    schema = guarded_schema(Limits(max_page_size=5))
    at_cap = await schema.execute(f"{{ things({argument}: 5) }}")
    assert at_cap.errors is None and at_cap.data == {"things": [0, 1, 2, 3, 4]}
    over = await schema.execute(
        f"query($n: Int) {{ things({argument}: $n) }}", variable_values={"n": 6}
    )
    assert over.errors is not None
    [error] = over.errors
    assert error.extensions == {"code": "BAD_USER_INPUT", "field": argument}
    assert error.message == f"{argument} must be at most 5, not 6"
    defaulted = await schema.execute(f"query($n: Int = 9) {{ things({argument}: $n) }}")
    assert defaulted.errors is not None and "not 9" in defaulted.errors[0].message


# -- strings ---------------------------------------------------------------------------------


async def test_a_string_as_long_as_the_limit_passes_the_guard_and_one_longer_fails(
    gql: GraphQLClient,
) -> None:
    query = "query($c: String!) { department(code: $c) { code } }"
    at_limit = await gql(query, {"c": "x" * DEFAULTS.max_string_length})
    assert at_limit.codes == ["NOT_FOUND"]
    over = await gql(query, {"c": "x" * (DEFAULTS.max_string_length + 1)})
    assert over.codes == ["BAD_USER_INPUT"]
    assert over.errors[0]["extensions"]["field"] == "code"
    assert f"the limit is {DEFAULTS.max_string_length}" in over.errors[0]["message"]
    assert len(over.errors[0]["message"]) < 200, "the message does not echo the string"


async def test_a_nul_in_a_nested_input_field_is_named(gql: GraphQLClient) -> None:
    result = await gql(
        'mutation { appointLiaison(input: {departmentCode: "audit", name: "a\\u0000b", '
        'since: "2026-12-01"}) { code } }'
    )
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "input.name"


# -- the HTTP body ---------------------------------------------------------------------------


@pytest.fixture
async def small_body_api(seeded_graph: Engine, settings: Settings) -> AsyncIterator[Api]:
    limits = Limits(max_body_bytes=4096)
    async with serving(Settings(**{**settings.__dict__, "limits": limits})) as api:
        yield api


def body_of(size: int) -> bytes:
    head, tail = b'{"query":"{ departments { code } }","variables":{"pad":"', b'"}}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


async def test_a_body_at_the_limit_is_served_and_one_byte_more_is_413(
    small_body_api: Api,
) -> None:
    at_limit = await small_body_api.post(body_of(4096))
    assert at_limit.status == 200 and len(at_limit.data["departments"]) == 18
    over = await small_body_api.post(body_of(4097))
    assert over.status == 413
    assert over.codes == ["PAYLOAD_TOO_LARGE"]
    assert "larger than 4096 bytes" in over.errors[0]["message"]


async def test_a_chunked_body_without_a_length_is_cut_off_at_the_limit(
    small_body_api: Api,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        body = body_of(10_000)
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    response = await small_body_api.client.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413


async def test_the_default_body_limit_is_one_mebibyte(
    seeded_graph: Engine, settings: Settings
) -> None:
    async with serving(settings) as api:
        over = await api.post(body_of(DEFAULTS.max_body_bytes + 1))
        under = await api.post(body_of(DEFAULTS.max_body_bytes - 1))
    assert DEFAULTS.max_body_bytes == 1_048_576
    assert over.status == 413 and under.status == 200


# -- introspection ---------------------------------------------------------------------------


@pytest.mark.parametrize("enabled", [True, False])
async def test_introspection_can_be_switched_off_and_graphiql_goes_with_it(
    seeded_graph: Engine, settings: Settings, enabled: bool
) -> None:
    environ = {"GREENMINE_INTROSPECTION": "true" if enabled else "false"}
    switched = Settings(
        **{**settings.__dict__, "introspection": Settings.from_environ(environ).introspection}
    )
    async with serving(switched) as api:
        schema_query = await api.graphql("{ __schema { queryType { name } } }")
        type_query = await api.graphql('{ __type(name: "Department") { name } }')
        typename = await api.graphql("{ __typename departments { code } }")
        ide = await api.get("/graphql", headers={"accept": "text/html"})
    assert typename.errors == [] and typename.data["__typename"] == "Query"
    if enabled:
        assert schema_query.data == {"__schema": {"queryType": {"name": "Query"}}}
        assert type_query.data == {"__type": {"name": "Department"}}
        assert ide.status == 200 and "graphiql" in ide.text.lower()
    else:
        for refused in (schema_query, type_query):
            assert set(refused.codes) == {"GRAPHQL_VALIDATION_FAILED"}
            assert all("introspection" in e["message"].lower() for e in refused.errors)
            assert refused.data is None
        assert ide.status == 404


# -- masking ---------------------------------------------------------------------------------

SECRET = "redis://:hunter2@10.0.0.7:6379 Traceback secret-internals"


class FailingEngine:
    """The real engine, except that the named statements raise what they are given."""

    def __init__(self, engine: Engine, failures: Mapping[str, Exception]) -> None:
        self.engine = engine
        self.failures = failures
        self.name = engine.name

    async def read(self, statement: Statement, params: Mapping[str, Any] | None = None) -> Result:
        if statement.name in self.failures:
            raise self.failures[statement.name]
        return await self.engine.read(statement, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)


@pytest.mark.parametrize(
    ("statement", "error", "query", "path"),
    [
        ("document.departments", RuntimeError(SECRET), "{ departments { code } }", ["departments"]),
        ("document.duties", QueryFailed(SECRET), "{ duties { code } }", ["duties"]),
        (
            "document.current_liaisons",
            KeyError(SECRET),
            "{ departments { code liaison { name } } }",
            ["departments", 0, "liaison"],
        ),
        (
            "document.clauses_by_ref",
            ValueError(SECRET),
            "{ removalCondition(number: 8) { competence { clause { ref } } } }",
            ["removalCondition", "competence", 0, "clause"],
        ),
    ],
    ids=["resolver", "driver", "nested-dataloader", "deep-dataloader"],
)
async def test_unexpected_errors_are_masked_for_the_client_and_logged_with_their_stack(
    seeded_graph: Engine,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    statement: str,
    error: Exception,
    query: str,
    path: Sequence[str | int],
) -> None:
    engine = FailingEngine(seeded_graph, {statement: error})
    gql = GraphQLClient(engine, settings)  # type: ignore[arg-type]
    with caplog.at_level(logging.ERROR, logger="greenmine.graphql"):
        result = await gql(query)
    assert result.codes and set(result.codes) == {"INTERNAL"}
    assert {e["message"] for e in result.errors} == {"Internal server error"}
    assert result.errors[0]["path"] == list(path)
    assert "hunter2" not in str(result.errors) and "Traceback" not in str(result.errors)
    assert any(r.exc_info and r.exc_info[1] is error for r in caplog.records)


class Exploding(SchemaExtension):
    def on_execute(self):  # type: ignore[no-untyped-def]
        raise RuntimeError(SECRET)
        yield


async def test_an_error_outside_any_resolver_is_masked_too(
    seeded_graph: Engine, settings: Settings
) -> None:
    schema = GreenMineSchema(query=Query, mutation=Mutation, extensions=[Exploding])
    context = Context(engine=seeded_graph, settings=settings, clock=lambda: FIXED_NOW)
    result = await schema.execute("{ departments { code } }", context_value=context)
    assert result.errors is not None
    [error] = [e.formatted for e in result.errors]
    assert error["message"] == "Internal server error"
    assert error["extensions"] == {"code": "INTERNAL"}


# -- cost of the limits ----------------------------------------------------------------------


async def test_the_limits_keep_the_validation_cache_hitting(gql: GraphQLClient) -> None:
    cache = _get_validate_cache(CACHE_SIZE)
    query = '{ department(code: "finance") { code nameEn } }'
    await gql(query)
    hits = cache.cache_info().hits
    await gql(query)
    await gql(query)
    assert cache.cache_info().hits == hits + 2


async def test_a_schema_built_with_other_limits_enforces_them(
    seeded_graph: Engine, settings: Settings
) -> None:
    strict = build_schema(limits=Limits(max_depth=1, max_aliases=0, max_tokens=10))

    async def run(query: str) -> list[str]:
        context = Context(engine=seeded_graph, settings=settings, clock=lambda: FIXED_NOW)
        result = await strict.execute(query, context_value=context)
        return [e.message for e in result.errors or []]

    assert await run("{ document { code } }") == []
    assert "maximum operation depth of 1" in (await run("{ document { clauses { ref } } }"))[0]
    assert "1 aliases found. Allowed: 0" in (await run("{ d: document { code } }"))[0]
    assert "more than 10 tokens" in (await run("{ document { code titleZh titleEn a b c } }"))[0]


# -- configuration ---------------------------------------------------------------------------


def test_every_limit_is_read_from_its_variable() -> None:
    environ = {
        "GREENMINE_MAX_DEPTH": "7",
        "GREENMINE_MAX_TOKENS": "900",
        "GREENMINE_MAX_ALIASES": "3",
        "GREENMINE_MAX_PAGE_SIZE": "50",
        "GREENMINE_MAX_STRING_LENGTH": "2000",
        "GREENMINE_MAX_BODY_BYTES": "65536",
        "GREENMINE_CYPHER_ROW_LIMIT": "200",
        "GREENMINE_CYPHER_TIMEOUT_MS": "3000",
        "GREENMINE_CYPHER_MAX_PARAMS_BYTES": "1024",
        "GREENMINE_RESULT_CEILING": "5000",
        "GREENMINE_QUERY_MEMORY_MB": "256",
    }
    assert Settings.from_environ(environ).limits == Limits(
        max_depth=7, max_tokens=900, max_aliases=3, max_page_size=50, max_string_length=2000,
        max_body_bytes=65536, cypher_row_limit=200, cypher_timeout_ms=3000,
        cypher_max_params_bytes=1024, result_ceiling=5000, query_memory_mb=256,
    )  # fmt: skip
    assert Settings.from_environ({}).limits == DEFAULTS


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"GREENMINE_MAX_DEPTH": "0"}, "GREENMINE_MAX_DEPTH"),
        ({"GREENMINE_MAX_TOKENS": "many"}, "GREENMINE_MAX_TOKENS"),
        ({"GREENMINE_MAX_PAGE_SIZE": "-5"}, "GREENMINE_MAX_PAGE_SIZE"),
        ({"GREENMINE_MAX_BODY_BYTES": "10"}, "GREENMINE_MAX_BODY_BYTES"),
        ({"GREENMINE_CYPHER_ROW_LIMIT": "20000"}, "GREENMINE_RESULT_CEILING"),
        (
            {"GREENMINE_QUERY_TIMEOUT_MS": "1000", "GREENMINE_CYPHER_TIMEOUT_MS": "2000"},
            "GREENMINE_CYPHER_TIMEOUT_MS",
        ),
    ],
)
def test_a_bad_limit_names_its_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_environ(environ)


def test_a_short_query_timeout_shortens_the_cypher_timeout_default() -> None:
    assert (
        Settings.from_environ({"GREENMINE_QUERY_TIMEOUT_MS": "800"}).limits.cypher_timeout_ms == 800
    )
