"""Property-based fuzzing of the GraphQL schema (hypothesis-graphql) through the HTTP app:
valid and invalid queries and mutations generated from the schema as it is when the tests run.
Properties: no server error, no INTERNAL error, no stack trace, every error code a known one;
mutations (as an admin, on a fresh graph) lose nothing and audit each success exactly once.

`make test` runs a bounded, reproducible number of examples; `make fuzz` runs many more with a
random seed (GREENMINE_FUZZ_EXAMPLES examples per strategy).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import os
from collections.abc import Callable
from typing import Any, TypeVar

import graphql
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from graph.engine import Engine
from greenmine.config import Settings
from resolvers.auth import Role
from tests.access_table import ACCESS, Setup
from tests.api import serving, snapshot
from tests.conftest import TokenFactory
from tests.schema_walk import graphql_schema

# When a non-null field fails, graphql-core 3.3 cancels its siblings (`gather_with_cancel`) and
# a sibling not yet started is dropped with "coroutine ... was never awaited": wasted work saved,
# nothing lost. Generated queries with many root fields, one of them failing, do this often.
pytestmark = pytest.mark.filterwarnings("ignore:coroutine '.*' was never awaited:RuntimeWarning")

EXAMPLES = int(os.environ.get("GREENMINE_FUZZ_EXAMPLES", "60"))
#: generated values per mutation (each call also builds its own valid setup, so it costs more)
PER_MUTATION = max(1, EXAMPLES // 4)
#: reproducible in `make test`; `make fuzz` (which sets GREENMINE_FUZZ_EXAMPLES) explores anew
REPRODUCIBLE = "GREENMINE_FUZZ_EXAMPLES" not in os.environ
SERIAL = itertools.count(1)
T = TypeVar("T")


def json_value(depth: int = 2) -> st.SearchStrategy[graphql.ValueNode]:
    scalars = st.one_of(
        st.integers(-(2**40), 2**40).map(nodes.Int),
        st.text(max_size=20).map(nodes.String),
        st.booleans().map(nodes.Boolean),
        st.floats(allow_nan=False, allow_infinity=False).map(nodes.Float),
    )
    if depth == 0:
        return scalars
    inner = json_value(depth - 1)
    names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8}", fullmatch=True)
    objects = st.dictionaries(names, inner, max_size=4).map(
        lambda d: nodes.Object(
            [graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=v) for k, v in d.items()]
        )
    )
    return st.one_of(scalars, objects, st.lists(inner, max_size=4).map(nodes.List))


CUSTOM_SCALARS = {
    "Date": st.one_of(
        st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(nodes.String),
        st.text(max_size=12).map(nodes.String),
    ),
    "JSON": json_value(),
}


def draw(strategy: st.SearchStrategy[T], count: int = EXAMPLES) -> list[T]:
    """`count` examples of a strategy, drawn by Hypothesis's own engine (no shrinking needed:
    the properties are checked afterwards, and a failure names the example itself)."""
    drawn: list[T] = []

    @settings(
        max_examples=count,
        database=None,
        derandomize=REPRODUCIBLE,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(example: T) -> None:
        drawn.append(example)

    collect()
    return drawn


def strategy(kind: Callable[..., st.SearchStrategy[str]], mode: Mode) -> st.SearchStrategy[str]:
    return kind(graphql_schema(), custom_scalars=CUSTOM_SCALARS, mode=mode)


def report(name: str, examples: int, outcomes: dict[str, int]) -> None:
    summary = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
    print(f"fuzz {name}: {examples} examples ({summary})")


def outcome(reply: Any) -> str:
    return "ok" if not reply.errors else ",".join(sorted({str(c) for c in reply.codes}))


async def test_fuzzed_queries_never_get_a_server_error(
    seeded_graph: Engine, settings: Settings
) -> None:
    tokens = TokenFactory(seeded_graph)
    callers = [None, await tokens(Role.ANALYST, "natural_resources")]
    documents = draw(strategy(queries, Mode.POSITIVE)) + draw(strategy(queries, Mode.NEGATIVE))
    failures: list[str] = []
    outcomes: dict[str, int] = {}
    before = await snapshot(seeded_graph)
    async with serving(settings) as api:
        for document, token in zip(documents, itertools.cycle(callers), strict=False):
            reply = await api.graphql(document, token=token)
            outcomes[outcome(reply)] = outcomes.get(outcome(reply), 0) + 1
            failures += [f"{p} for {document[:300]!r}" for p in reply.problems()]
    assert failures == []
    assert await snapshot(seeded_graph) == before, "queries changed the graph"
    assert outcomes.get("ok", 0) > 0, "some generated queries should succeed"
    report("queries", len(documents), outcomes)


async def test_fuzzed_mutations_as_an_admin_never_get_a_server_error_and_lose_nothing(
    fresh_graph: Engine, settings: Settings, tokens_fresh: TokenFactory
) -> None:
    admin = await tokens_fresh(Role.ADMIN, "natural_resources")
    documents = draw(strategy(mutations, Mode.POSITIVE)) + draw(strategy(mutations, Mode.NEGATIVE))
    failures: list[str] = []
    outcomes: dict[str, int] = {}
    async with serving(settings) as api:
        for document in documents:
            before = await snapshot(fresh_graph)
            reply = await api.graphql(document, token=admin)
            after = await snapshot(fresh_graph)
            outcomes[outcome(reply)] = outcomes.get(outcome(reply), 0) + 1
            failures += [f"{p} for {document[:300]!r}" for p in reply.problems()]
            succeeded = sum(v is not None for v in (reply.data or {}).values())
            if before.lost(after):
                failures.append(f"lost {before.lost(after)} for {document[:300]!r}")
            if after.audit_entries - before.audit_entries != succeeded:
                failures.append(f"{succeeded} successes but audit changed for {document[:300]!r}")
    assert failures == []
    report("mutations", len(documents), outcomes)


def text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=60),
        st.text(alphabet=st.sampled_from("'\"\\`{}()[]/*;$ \n\x00水"), max_size=30),
        st.sampled_from(["water_resources", "natural_resources", "audit", "", " "]),
    )


def dates() -> st.SearchStrategy[str]:
    """Dates before the calls' own (2027 on): an accepted one must not push every later call's
    date before the current term's start, which would turn all of them into refusals."""
    return st.dates(dt.date(2000, 1, 1), dt.date(2026, 12, 31)).map(dt.date.isoformat)


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in leaves(v, (*path, i))]
    return [(path, value)]


async def test_valid_mutations_with_fuzzed_values_are_handled_cleanly(
    fresh_graph: Engine, settings: Settings, tokens_fresh: TokenFactory
) -> None:
    """Each mutation's minimal valid call (the access table) with its text values replaced by
    generated text and its dates by generated dates, so the values reach the resolvers' rules
    and the write statements, not just the schema's validation."""
    admin = await tokens_fresh(Role.ADMIN, "natural_resources")
    failures: list[str] = []
    outcomes: dict[str, int] = {}
    runs = 0
    async with serving(settings) as api:
        for name, rule in sorted(ACCESS.items()):
            if not name.startswith("Mutation."):
                continue
            template = await rule.make(Setup(api, admin, next(SERIAL)))
            slots = [p for p, v in leaves(template.variables) if isinstance(v, str)]
            # one value at a time, the others kept valid, so each reaches its own rule
            changes = draw(
                st.tuples(st.sampled_from(slots), st.one_of(text(), dates())), count=PER_MUTATION
            )
            for path, value in changes:
                call = await rule.make(Setup(api, admin, next(SERIAL)))
                # a copy: the access table's calls may share lists with its module constants
                variables = copy.deepcopy(call.variables)
                target = variables
                for step in path[:-1]:
                    target = target[step]
                target[path[-1]] = value
                before = await snapshot(fresh_graph)
                reply = await api.graphql(call.query, variables, token=admin)
                after = await snapshot(fresh_graph)
                runs += 1
                outcomes[outcome(reply)] = outcomes.get(outcome(reply), 0) + 1
                failures += [f"{p} for {variables!r}" for p in reply.problems()]
                expected = 0 if reply.errors else 1
                if after.audit_entries - before.audit_entries != expected or before.lost(after):
                    failures.append(f"audit/loss mismatch for {variables!r}")
    assert failures == []
    report("valid mutations with fuzzed values", runs, outcomes)
