"""Hostile text through every text argument the schema has (walked when the tests run), and
malformed requests at the HTTP layer: the graph loses nothing, and each answer is a normal one or
a clean GraphQL/HTTP error, never a 500 or a stack trace."""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from graph import liaisons
from graph.engine import Engine
from graph.errors import BadParameter
from greenmine.config import Limits, Settings
from resolvers.auth import SYSTEM, Role, audit_entry
from tests.access_table import ACCESS, Setup
from tests.api import Api, serving, snapshot
from tests.conftest import TokenFactory
from tests.schema_walk import (
    Site,
    argument_sites,
    leaf_paths,
    literal,
    operation,
    placeholder,
    with_leaf,
)

PAYLOADS = [
    "'",
    '"',
    "\\",
    "\\'",
    "`",
    "'; MATCH (n) DETACH DELETE n //",
    '"}) MATCH (n) DETACH DELETE n //',
    "x'}) DETACH DELETE d //",
    "water_resources'}) WITH d MATCH (n) DETACH DELETE n RETURN d.code AS code //",
    "}) RETURN 1 AS code UNION MATCH (n) DETACH DELETE n RETURN 1 AS code //",
    "water_resources' OR '1'='1",
    "water_resources // comment",
    "/* */ MATCH (n) DETACH DELETE n",
    "MATCH (n) DETACH DELETE n",
    "CALL db.idx.fulltext.drop('Department')",
    "$code",
    "{code: 'water_resources'}",
    "水利厅",
    "💥🔥 emoji",
    "\u202eRTL override\u202c",
    "zero\u200bwidth\u200d",
    "e\u0301 combining",
    "\ufeffBOM",
    "line\r\nbreak\ttab",
    "\\u0000 not a NUL",
    "%00",
    "${7*7} {{7*7}}",
    "<script>alert(1)</script>",
    " ",
    "x" * 5000,
]
#: NUL, and other control characters (U+0001 crashes FalkorDB 4.16 under a unique constraint)
CONTROL_PAYLOADS = [
    "\x00",
    "a\x00b",
    "'\x00}) MATCH (n) DETACH DELETE n //",
    "\x01",
    "a\x01b",
    "\x1b[2J",
]
SERIAL = itertools.count(1)


def text_sites() -> list[tuple[Site, str, str]]:
    """(site, leaf path, scalar) for every text leaf of every argument in the schema."""
    return [
        (site, path, scalar)
        for site in argument_sites()
        for path, scalar in leaf_paths(site.arg.type, site.argument)
    ]


def carrying(site: Site, path: str, scalar: str, payload: str) -> Any:
    """The site's argument value with `payload` at `path` (inside a map for a JSON leaf)."""
    leaf: Any = {"k": payload} if scalar == "JSON" else payload
    return with_leaf(placeholder(site.arg.type, with_optional=True), path, leaf)


# per test: a test of this module that wipes the graph (fresh_graph) would take module-wide
# tokens with it
@pytest_asyncio.fixture(loop_scope="session")
async def hostile(
    seeded_graph: Engine, settings: Settings
) -> AsyncIterator[tuple[Api, dict[str, str]]]:
    tokens = TokenFactory(seeded_graph)
    keys = {
        "query": await tokens(Role.ANALYST, "natural_resources"),
        "mutation": await tokens(Role.ADMIN, "natural_resources"),
    }
    async with serving(settings) as api:
        yield api, keys


def test_the_schema_has_text_arguments_to_attack() -> None:
    labels = {f"{site.label}:{path}" for site, path, _ in text_sites()}
    assert "query.department(code):code" in labels
    assert "mutation.appointLiaison(input):input.name" in labels
    assert "query.cypher(params):params" in labels


async def test_injection_through_every_text_argument_changes_nothing(
    hostile: tuple[Api, dict[str, str]], seeded_graph: Engine
) -> None:
    """Queries as an analyst (who may also run the text as Cypher), mutations as an admin with
    placeholder values elsewhere; the graph is counted before and after every request."""
    api, keys = hostile
    failures: list[str] = []
    for (site, path, scalar), payload in itertools.product(text_sites(), PAYLOADS):
        before = await snapshot(seeded_graph)
        reply = await api.graphql(
            operation(site),
            {"value": carrying(site, path, scalar, payload)},
            token=keys[site.operation],
        )
        after = await snapshot(seeded_graph)
        where = f"{site.label}:{path} <- {payload[:40]!r}"
        failures += [f"{where}: {p}" for p in reply.problems()]
        lost = before.lost(after)
        if lost or (site.operation == "query" and after != before):
            failures.append(f"{where}: the graph changed: lost {lost}")
    assert failures == []


async def test_injection_into_valid_mutations_is_stored_as_text_or_refused_cleanly(
    fresh_graph: Engine, settings: Settings, tokens_fresh: TokenFactory
) -> None:
    """Each mutation's minimal valid call (the access table) with each text leaf replaced by
    each payload, as an admin, so the payload reaches the resolver and the write statement."""
    admin = await tokens_fresh(Role.ADMIN, "natural_resources")
    failures: list[str] = []
    async with serving(settings) as api:
        for name, rule in sorted(ACCESS.items()):
            if not name.startswith("Mutation."):
                continue
            base = await rule.make(Setup(api, admin, next(SERIAL)))
            for path, payload in itertools.product(_text_leaves(base.variables), PAYLOADS):
                call = await rule.make(Setup(api, admin, next(SERIAL)))
                variables = _replace(copy.deepcopy(call.variables), path, payload)
                before = await snapshot(fresh_graph)
                reply = await api.graphql(call.query, variables, token=admin)
                after = await snapshot(fresh_graph)
                where = f"{name}:{'.'.join(map(str, path))} <- {payload[:40]!r}"
                failures += [f"{where}: {p}" for p in reply.problems()]
                if before.lost(after):
                    failures.append(f"{where}: the graph lost {before.lost(after)}")
                if reply.errors and after != before:
                    failures.append(f"{where}: a refused mutation changed the graph")
    assert failures == []


def _text_leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _text_leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _text_leaves(v, (*path, i))]
    return []


def _replace(value: Any, path: tuple[Any, ...], leaf: str) -> Any:
    target = value
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = leaf
    return value


@pytest.mark.parametrize("payload", ["'; MATCH (n) DETACH DELETE n //", "王'}) 水利\\ `x` 💥"])
async def test_a_liaison_named_with_a_payload_is_stored_verbatim(
    gql_fresh: Any, tokens_fresh: TokenFactory, payload: str
) -> None:
    admin = await tokens_fresh(Role.ADMIN, "natural_resources")
    result = await gql_fresh(
        "mutation($i: AppointLiaisonInput!) { appointLiaison(input: $i) { liaison { name } } }",
        {"i": {"departmentCode": "water_resources", "name": payload, "since": "2026-12-01"}},
        token=admin,
    )
    assert result.errors == []
    assert result.data["appointLiaison"]["liaison"]["name"] == payload
    count = await gql_fresh("{ departments { code } }")
    assert len(count.data["departments"]) == 18


async def test_a_control_character_in_any_text_argument_is_bad_user_input_naming_it(
    hostile: tuple[Api, dict[str, str]], seeded_graph: Engine
) -> None:
    """Through variables and through literals in the document, for every text leaf."""
    api, keys = hostile
    before = await snapshot(seeded_graph)
    failures: list[str] = []
    for (site, path, scalar), payload in itertools.product(text_sites(), CONTROL_PAYLOADS):
        value = carrying(site, path, scalar, payload)
        expected = f"{path}.k" if scalar == "JSON" else path
        by_variable = await api.graphql(
            operation(site), {"value": value}, token=keys[site.operation]
        )
        by_literal = await api.graphql(
            operation(site, argument_literal=literal(value, site.arg.type)),
            token=keys[site.operation],
        )
        for how, reply in (("variable", by_variable), ("literal", by_literal)):
            if reply.codes != ["BAD_USER_INPUT"] or reply.fields != [expected]:
                failures.append(f"{site.label}:{path} by {how}: {reply.codes} {reply.fields}")
            elif "U+00" not in reply.errors[0]["message"]:
                failures.append(f"{site.label}:{path} by {how}: {reply.errors[0]['message']}")
    assert failures == []
    assert await snapshot(seeded_graph) == before


async def test_u0001_never_reaches_falkordb_even_below_the_api(seeded_graph: Engine) -> None:
    """FalkorDB 4.16.3 segfaults writing U+0001 to a property under a uniqueness constraint
    (found by the fuzzer: a liaison's Person id, a routing term's text); the graph layer refuses
    it for every caller, the API's guard included."""
    before = await snapshot(seeded_graph)
    with pytest.raises(BadParameter, match="U\\+0001"):
        await liaisons.appoint(
            seeded_graph, department="audit", name="a\x01b", since="2099-01-01", phone=None,
            audit=audit_entry(SYSTEM, "test", "never written", {}),
        )  # fmt: skip
    assert await snapshot(seeded_graph) == before


async def test_text_that_is_not_valid_unicode_is_refused_cleanly(
    hostile: tuple[Api, dict[str, str]],
) -> None:
    """JSON may carry a lone surrogate (\\ud800), which no database can store as text."""
    api, _ = hostile
    body = b'{"query":"query($c: String!) { department(code: $c) { code } }","variables":{"c":"\\ud800x"}}'
    reply = await api.post(body)
    assert reply.problems() == []
    assert reply.codes == ["BAD_USER_INPUT"] and reply.fields == ["code"]


DEPARTMENT = "query($c: String!) { department(code: $c) { code } }"


def deep_json(depth: int) -> bytes:
    return (
        b'{"query":"{ departments { code } }","variables":{"x":'
        + b"[" * depth
        + b"]" * depth
        + b"}}"
    )


BAD_REQUESTS: list[tuple[str, bytes, str, int, str | None]] = [
    # (what, body, content type, HTTP status, GraphQL error code)
    ("invalid JSON", b'{"query": "{ departments { code } }"', "application/json", 400, None),
    ("empty body", b"", "application/json", 400, None),
    (
        "invalid UTF-8",
        b'{"query": "{ departments { code } }\xff\xfe"}',
        "application/json",
        400,
        None,
    ),
    ("JSON nested 100,000 deep", deep_json(100_000), "application/json", 400, None),
    (
        "a JSON list (batch)",
        b'[{"query": "{ departments { code } }"}]',
        "application/json",
        400,
        None,
    ),
    ("a JSON string", b'"{ departments { code } }"', "application/json", 400, None),
    ("query is a number", b'{"query": 5}', "application/json", 400, None),
    ("no query", b'{"variables": {}}', "application/json", 400, None),
    (
        "variables is a list",
        b'{"query": "{ departments { code } }", "variables": [1]}',
        "application/json",
        400,
        None,
    ),
    ("unsupported content type", b"query { departments { code } }", "text/plain", 400, None),
    (
        "selections nested 5,000 deep",
        json.dumps({"query": "{" + "departments {" * 5000 + "code" + "}" * 5001}).encode(),
        "application/json",
        200,
        "GRAPHQL_PARSE_FAILED",
    ),
    (
        "a list literal nested 5,000 deep",
        json.dumps(
            {"query": "{ department(code: " + "[" * 5000 + "]" * 5000 + ") { code } }"}
        ).encode(),
        "application/json",
        200,
        "GRAPHQL_PARSE_FAILED",
    ),
    (
        "an unterminated string",
        json.dumps({"query": '{ department(code: "abc) { code } }'}).encode(),
        "application/json",
        200,
        "GRAPHQL_PARSE_FAILED",
    ),
    (
        "an Int given a string",
        json.dumps({"query": '{ removalCondition(number: "8") { number } }'}).encode(),
        "application/json",
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "an Int too large for 32 bits",
        json.dumps({"query": "{ removalCondition(number: 99999999999) { number } }"}).encode(),
        "application/json",
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "a String given an object",
        json.dumps({"query": "{ department(code: {a: 1}) { code } }"}).encode(),
        "application/json",
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "null for a non-null literal",
        json.dumps({"query": "{ department(code: null) { code } }"}).encode(),
        "application/json",
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "null for a non-null variable",
        json.dumps({"query": DEPARTMENT, "variables": {"c": None}}).encode(),
        "application/json",
        200,
        "BAD_USER_INPUT",
    ),
    (
        "a missing variable",
        json.dumps({"query": DEPARTMENT}).encode(),
        "application/json",
        200,
        "BAD_USER_INPUT",
    ),
    (
        "a variable of the wrong type",
        json.dumps({"query": DEPARTMENT, "variables": {"c": [1, 2]}}).encode(),
        "application/json",
        200,
        "BAD_USER_INPUT",
    ),
    (
        "a date that does not exist",
        json.dumps(
            {
                "query": "mutation($i: AppointLiaisonInput!) { appointLiaison(input: $i) { code } }",
                "variables": {"i": {"departmentCode": "audit", "name": "x", "since": "2026-02-30"}},
            }
        ).encode(),
        "application/json",
        200,
        "BAD_USER_INPUT",
    ),
    (
        "an unknown field",
        json.dumps({"query": "{ departments { password } }"}).encode(),
        "application/json",
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "an unknown input field",
        json.dumps(
            {
                "query": 'mutation { appointLiaison(input: {departmentCode: "audit", name: "x", since: "2026-12-01", role: "admin"}) { code } }'
            }
        ).encode(),
        "application/json",
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "a subscription",
        json.dumps({"query": "subscription { departments { code } }"}).encode(),
        "application/json",
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
    (
        "a fragment cycle",
        json.dumps(
            {"query": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"}
        ).encode(),
        "application/json",
        200,
        "GRAPHQL_VALIDATION_FAILED",
    ),
]


@pytest.mark.parametrize(
    ("what", "body", "content_type", "status", "code"),
    BAD_REQUESTS,
    ids=[r[0] for r in BAD_REQUESTS],
)
async def test_a_malformed_request_gets_a_clean_error(
    hostile: tuple[Api, dict[str, str]],
    what: str,
    body: bytes,
    content_type: str,
    status: int,
    code: str | None,
) -> None:
    api, _ = hostile
    reply = await api.post(body, content_type=content_type)
    assert reply.problems() == []
    assert reply.status == status, reply.text[:300]
    if code is not None:
        assert code in reply.codes, reply.text[:300]
        assert reply.data is None


async def test_a_huge_body_is_413_and_a_long_string_under_it_is_named(
    hostile: tuple[Api, dict[str, str]],
) -> None:
    api, _ = hostile
    limits = Limits()
    huge = await api.graphql(DEPARTMENT, {"c": "x" * (limits.max_body_bytes + 10)})
    assert huge.status == 413 and huge.codes == ["PAYLOAD_TOO_LARGE"]
    long = await api.graphql(DEPARTMENT, {"c": "x" * (limits.max_string_length * 10)})
    assert long.codes == ["BAD_USER_INPUT"] and long.fields == ["code"]


async def test_mutations_over_get_and_other_methods_are_refused(
    hostile: tuple[Api, dict[str, str]],
) -> None:
    api, keys = hostile
    mutation = 'mutation { appointLiaison(input: {departmentCode: "audit", name: "x", since: "2026-12-01"}) { code } }'
    over_get = await api.client.get(
        "/graphql",
        params={"query": mutation},
        headers={"authorization": f"Bearer {keys['mutation']}"},
    )
    assert 400 <= over_get.status_code < 500
    put = await api.client.put("/graphql", content=b"{}")
    assert put.status_code == 405
