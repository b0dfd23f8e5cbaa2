"""Performance as behaviour: nested lists cost one round trip per level whatever the page size,
paged statements start from an index, and a long but progressing load of the embedded engine is
waited for. Speed itself is measured by `greenmine bench scale`, never asserted here."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import gc
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import pytest_asyncio
from graphql import GraphQLObjectType
from strawberry.dataloader import DataLoader
from strawberry.exceptions import WrongNumberOfResultsReturned
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph import audit, cases, decisions, embedded, mines, penalties, roundtrips
from graph.cases import CaseFilter
from graph.embedded import Endpoint, LoadProgress, _load_progress, _LoadWatch
from graph.engine import Engine
from graph.engines import open_engine
from graph.errors import GraphUnavailable
from graph.makers import maker
from graph.mine_model import (
    BEYOND_BRIEF,
    EventBrief,
    LicenceRecord,
    MineBrief,
    MineRecord,
    brief_record,
)
from graph.mines import MineFilter, MineSort
from graph.statements import Statement
from graph.values import Result
from greenmine.app import create_app
from greenmine.bench_scale import PAGE_QUERY
from greenmine.config import Settings
from resolvers import case_reads
from resolvers.auth import Role, issue_token
from resolvers.case_reads import CaseQuery
from resolvers.case_workflow import CaseState
from resolvers.context import Context
from resolvers.lifecycle import Action, ListStatus
from resolvers.loaders import fill
from resolvers.mine_access import LicenceKind
from resolvers.mines import MineScale
from resolvers.ready import is_pending, ready
from schema import mine_types, root
from schema import mines as mine_schema
from schema.case_types import CaseFilter as CaseFilterInput
from tests.case_factories import CaseFactory
from tests.conftest import FIXED_NOW, GraphQLClient, GraphQLResult, TokenFactory, reseed
from tests.factories import demo_province
from tests.walks import CountingWalks

ROOT = Path(__file__).resolve().parent.parent


def _loading(loaded: int) -> LoadProgress:
    return LoadProgress(loaded_bytes=loaded, total_bytes=1000, percent=loaded / 10, eta_seconds=1)


def test_a_load_that_keeps_working_is_waited_for_past_the_start_timeout() -> None:
    watch = _LoadWatch(started=0.0)
    # an append-only file of big statements reports 0 bytes until it is nearly done; CPU moves
    for second in range(0, 600, 5):
        assert watch.observe(_loading(0), cpu_seconds=second * 0.9, now=float(second)) is None
    assert watch.observe(_loading(900), cpu_seconds=None, now=700.0) is None


def test_a_load_that_stops_progressing_fails_with_a_message_saying_so() -> None:
    watch = _LoadWatch(started=0.0)
    assert watch.observe(_loading(10), cpu_seconds=3.0, now=1.0) is None
    failure = watch.observe(_loading(10), cpu_seconds=3.0, now=1.0 + embedded.LOAD_STALL_S + 1)
    assert failure is not None and "no progress" in failure


def test_a_load_past_the_generous_bound_fails_clearly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "LOAD_TIMEOUT_S", 50.0)
    watch = _LoadWatch(started=0.0)
    failure = None
    for second in range(0, 60):
        failure = watch.observe(_loading(second), cpu_seconds=float(second), now=float(second))
        if failure:
            break
    assert failure is not None and "still loading" in failure and "LOAD_TIMEOUT_S" in failure


def test_a_server_too_busy_to_reply_counts_as_loading_and_one_not_listening_does_not() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()  # takes connections, never replies: busy replaying one huge statement
        busy = embedded.probe_server(Endpoint("127.0.0.1", listener.getsockname()[1], "pw"))
        port = listener.getsockname()[1]
    assert busy == embedded.Probe(answers=False, loading=embedded.BUSY)
    assert embedded.probe_server(Endpoint("127.0.0.1", port, "pw")) == embedded.Probe(False)


def test_the_running_engine_answers_the_probe(engine: Engine) -> None:
    server = getattr(engine, "server", None)
    if server is None or server.endpoint is None:
        pytest.skip("not the embedded engine")
    assert embedded.probe_server(server.endpoint).answers


def test_the_loading_progress_is_read_from_info_persistence() -> None:
    info = (
        b"# Persistence\r\nloading:1\r\nloading_total_bytes:4844130\r\n"
        b"loading_loaded_bytes:1048576\r\nloading_loaded_perc:21.65\r\nloading_eta_seconds:12\r\n"
    )
    assert _load_progress(info) == LoadProgress(1048576, 4844130, 21.65, 12)


# -- one round trip per nesting level ------------------------------------------------------


@dataclass(frozen=True)
class Level:
    """A nested list of a mine on the page, and the statements that load it for the whole page
    (one each: a nesting level costs one round trip whatever the page size)."""

    selection: str
    statements: tuple[str, ...]


#: The nested levels of a front end's mine list: its prefecture, licences, history (with each
#: event's clause and departments), and its open cases with their reporting department and
#: referral (with the department it went to).
NESTED_LEVELS: tuple[Level, ...] = (
    Level("prefecture { code nameZh }", ("prefectures.by_code",)),
    Level("licences { kind number validUntil standing }", ("mines.licences_of",)),
    Level(
        "history { seq action toStatus occurredOn clause { ref } departments { code } }",
        ("lifecycle.history_of", "document.clauses_by_ref", "document.departments_by_code"),
    ),
    Level(
        "cases(first: 5, filter: {states: [OPEN, REFERRED]}) { totalCount edges { node {"
        " id state reportingDepartment { code }"
        " referral { referredOn toDepartment { code } } } } }",
        ("cases.of_mines", "document.departments_by_code", "cases.referrals_of"),
    ),
)

#: what a page costs besides its nested levels: the caller's token, the page and its total
PAGE_STATEMENTS = (
    "tokens.find",
    "mines.plain_page.licence_number_asc.all.brief",  # the page shows only a brief's columns
    "mines.plain_count.all",
)


def nested_page_query() -> str:
    nested = "\n      ".join(level.selection for level in NESTED_LEVELS)
    return f"""
query MinesPage($first: Int!) {{
  mines(first: $first, sort: LICENCE_NUMBER_ASC) {{
    totalCount
    pageInfo {{ hasNextPage endCursor }}
    edges {{ node {{
      licenceNumber name status
      {nested}
    }} }}
  }}
}}
"""


def expected_statements() -> Counter[str]:
    return Counter([*PAGE_STATEMENTS, *(s for level in NESTED_LEVELS for s in level.statements)])


def within_one_per_level(cost: Counter[str]) -> bool:
    """Every level's statements were sent, each at most once per level that needs it (a loader
    shared by two levels, such as departments, may serve both in one batch when they resolve in
    the same tick)."""
    bound = expected_statements()
    return set(cost) == set(bound) and all(n <= bound[name] for name, n in cost.items())


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def province(engine: Engine, settings: Settings) -> AsyncIterator[Engine]:
    """A small synthetic province (enough mines for a page of 100), for this module, with open
    and referred cases on the mines of the first pages (the demo's own are mostly decided)."""
    await demo_province(engine, mines=PROVINCE_MINES)
    await _cases_on_first_mines(engine, settings)
    yield engine
    await reseed(engine)


PROVINCE_MINES = 130
#: every CASE_EVERY-th mine of the first page of 100 gets a referred case and the next one an
#: open case, the first page of 10 included
CASE_EVERY = 4


async def _cases_on_first_mines(engine: Engine, settings: Settings) -> None:
    gql = GraphQLClient(engine, settings)
    cases = CaseFactory(gql, TokenFactory(engine))
    page = await gql(
        "query { mines(first: 100, sort: LICENCE_NUMBER_ASC) { edges { node { licenceNumber } } } }",
        token=await cases.admin(),  # the anonymous list holds only the mines on the list
    )
    assert page.data is not None
    licences = [e["node"]["licenceNumber"] for e in page.data["mines"]["edges"]]
    for licence in licences[::CASE_EVERY]:
        await cases.referred(licence)
    for licence in licences[1::CASE_EVERY]:
        await cases.file(licence)


#: how long the module's tokens last from the fixed clock
TOKEN_DAYS = 3650


@pytest_asyncio.fixture(loop_scope="session")
async def admin(province: Engine) -> str:
    # valid from the tests' fixed clock for years: one test serves a real app, on the real clock
    issued = await issue_token(
        province, user="perf", role=Role.ADMIN, department="natural_resources",
        days=TOKEN_DAYS, now=FIXED_NOW,
    )  # fmt: skip
    return issued.token


async def test_a_page_of_100_mines_with_nested_lists_costs_one_round_trip_per_level(
    province: Engine, settings: Settings, admin: str
) -> None:
    gql = GraphQLClient(province, settings)
    costs: dict[int, Counter[str]] = {}
    for first in (10, 100):
        with roundtrips.counting() as counter:
            result = await gql(nested_page_query(), {"first": first}, token=admin)
        assert result.errors == []
        assert result.data is not None
        edges = result.data["mines"]["edges"]
        assert len(edges) == first
        # the page really is nested: every level came back filled for these mines
        assert all(e["node"]["prefecture"] and e["node"]["licences"] for e in edges)
        assert any(h["clause"] for e in edges for h in e["node"]["history"])
        open_cases = [c["node"] for e in edges for c in e["node"]["cases"]["edges"]]
        assert len(open_cases) >= 2 * first // CASE_EVERY
        assert sum(1 for c in open_cases if c["referral"]) >= first // CASE_EVERY
        assert all(c["reportingDepartment"] for c in open_cases)
        costs[first] = Counter(counter.statements)
    assert within_one_per_level(costs[10]), costs[10]
    assert within_one_per_level(costs[100]), costs[100]


async def _page_by(
    executor: type[StrawberryGraphQLCoreExecutionContext],
    query: str,
    gql: tuple[Engine, Settings, str],
) -> GraphQLResult:
    """A page of 100 through the schema built on `executor`."""
    from schema.root import build_schema

    province, settings, token = gql
    client = GraphQLClient(province, settings, schema=build_schema(executor=executor))
    return await client(query, {"first": 100}, token=token)


async def test_the_nested_page_reads_the_same_with_and_without_the_executors_short_path(
    province: Engine, settings: Settings, admin: str
) -> None:
    short = await GraphQLClient(province, settings)(
        nested_page_query(), {"first": 100}, token=admin
    )
    full = await _page_by(
        StrawberryGraphQLCoreExecutionContext, nested_page_query(), (province, settings, admin)
    )
    assert short.errors == [] and short.data is not None
    assert short == full


async def test_a_front_ends_mines_page_is_answered_by_one_walk_over_its_selection(
    province: Engine, settings: Settings, admin: str
) -> None:
    CountingWalks.reset()
    # the benchmark's page: the mines' leaves, prefecture, licences, steps and open cases
    walked = await _page_by(CountingWalks, PAGE_QUERY, (province, settings, admin))
    assert walked.errors == [] and walked.data is not None
    assert len(walked.data["mines"]["edges"]) == 100
    assert CountingWalks.counted() == (1, 0)
    full = await _page_by(
        StrawberryGraphQLCoreExecutionContext, PAGE_QUERY, (province, settings, admin)
    )
    assert walked == full


async def test_a_page_with_pending_fields_below_its_mines_is_answered_by_graphql_core_after_the_walk(
    province: Engine, settings: Settings, admin: str
) -> None:
    CountingWalks.reset()
    with roundtrips.counting() as counter:
        result = await _page_by(CountingWalks, nested_page_query(), (province, settings, admin))
    assert result.errors == [] and result.data is not None
    assert CountingWalks.counted() == (1, 1)  # its async fields (a clause, a referral) wait
    assert within_one_per_level(Counter(counter.statements)), counter.statements


async def test_a_finished_page_leaves_nothing_for_the_garbage_collector(
    province: Engine, settings: Settings, admin: str
) -> None:
    # a reference cycle through the request would keep its records until a collection finds
    # it, and those collections walk every young object: a tenth of a page's CPU
    gql = GraphQLClient(province, settings)

    async def page() -> None:
        result = await gql(nested_page_query(), {"first": 100}, token=admin)
        assert result.errors == [] and result.data is not None
        assert len(result.data["mines"]["edges"]) == 100

    await page()  # validated once and cached; connections opened
    gc.collect()
    gc.disable()
    try:
        await page()
        assert gc.collect() == 0
    finally:
        gc.enable()


async def test_what_the_query_skips_is_not_loaded_with_the_page(
    province: Engine, settings: Settings, admin: str
) -> None:
    query = """
    query($no: Boolean!) { mines(first: 10, sort: LICENCE_NUMBER_ASC) {
      totalCount @skip(if: true)
      edges { node { licenceNumber licences @include(if: $no) { number }
                     ... on Mine @skip(if: true) { history { seq } } } } } }
    """
    with roundtrips.counting() as counter:
        result = await GraphQLClient(province, settings)(query, {"no": False}, token=admin)
    assert result.errors == [] and result.data is not None
    assert len(result.data["mines"]["edges"]) == 10
    page = "mines.plain_page.licence_number_asc.all.brief"  # what it shows of each mine is brief
    assert set(counter.statements) == {"tokens.find", page}


COUNTED_CASES = """
query($counted: Boolean!) { mines(first: 100, sort: LICENCE_NUMBER_ASC) { edges { node {
  licenceNumber
  cases(filter: {states: [OPEN, REFERRED]}) { totalCount edges @skip(if: $counted) { cursor } }
} } } }
"""


async def _case_totals(
    gql: GraphQLClient, token: str, *, counted: bool
) -> tuple[dict[str, int], Counter[str]]:
    with roundtrips.counting() as counter:
        result = await gql(COUNTED_CASES, {"counted": counted}, token=token)
    assert result.errors == [] and result.data is not None
    edges = result.data["mines"]["edges"]
    totals = {e["node"]["licenceNumber"]: e["node"]["cases"]["totalCount"] for e in edges}
    return totals, Counter(counter.statements)


@pytest.mark.parametrize("department", ["ecology_environment", "water_resources", None])
async def test_a_mine_list_showing_how_many_cases_each_has_counts_them_without_reading_them(
    province: Engine, settings: Settings, admin: str, department: str | None
) -> None:
    token = admin
    if department is not None:  # an officer counts only the cases their department may read
        issued = await issue_token(
            province, user="officer", role=Role.OFFICER, department=department,
            days=TOKEN_DAYS, now=FIXED_NOW,
        )  # fmt: skip
        token = issued.token
    gql = GraphQLClient(province, settings)
    counted, counting = await _case_totals(gql, token, counted=True)
    read, reading = await _case_totals(gql, token, counted=False)
    assert counted == read
    assert counting["cases.counts_of_mines"] == 1 and "cases.of_mines" not in counting
    assert reading["cases.of_mines"] == 1 and "cases.counts_of_mines" not in reading
    seen = sum(counted.values())
    if department == "water_resources":  # none of the province's cases went near it
        assert seen == 0
    else:
        assert seen >= 2 * 100 // CASE_EVERY


COUNTS_ALONG = """
query($filter: CaseFilter) { mines(first: 100, sort: LICENCE_NUMBER_ASC) { edges { node {
  licenceNumber %s
} } } }
"""


@pytest.mark.parametrize(
    ("cases", "loaded_with_the_page"),
    [
        ("cases(filter: {states: [OPEN, REFERRED]}) { totalCount }", True),
        ("cases(filter: $filter) { totalCount }", True),
        ('cases(filter: {states: [OPEN], prefectures: ["lanzhou"]}) { totalCount }', True),
        ("a: cases(filter: {states: [OPEN]}) { totalCount } b: cases { totalCount }", False),
        ("cases(first: 5, filter: {states: [OPEN]}) { totalCount edges { cursor } }", False),
    ],
)
async def test_the_counts_a_page_shows_are_loaded_with_it_and_answer_as_each_mine_would(
    province: Engine,
    settings: Settings,
    admin: str,
    monkeypatch: pytest.MonkeyPatch,
    cases: str,
    loaded_with_the_page: bool,
) -> None:
    gql = GraphQLClient(province, settings)
    query = COUNTS_ALONG % cases
    variables = {"filter": {"states": ["OPEN"]}} if "$filter" in cases else None
    if variables is None:
        query = query.replace("query($filter: CaseFilter)", "query")
    loads: list[int] = []
    count_cases_of = case_reads.count_cases_of

    async def counting(ctx: Any, licences: list[str], **kwargs: Any) -> None:
        loads.append(len(licences))
        await count_cases_of(ctx, licences, **kwargs)

    monkeypatch.setattr(case_reads, "count_cases_of", counting)
    along = await gql(query, variables, token=admin)
    assert loads == ([100] if loaded_with_the_page else [])
    # each mine's own field answers the same without the page's load
    # `schema.mines` holds its own name for it
    monkeypatch.setattr(mine_schema, "counts_along", lambda info: None)
    alone = await gql(query, variables, token=admin)
    assert loads == ([100] if loaded_with_the_page else [])  # no page load this time
    assert along.errors == [] and along.data is not None
    assert along == alone
    totals = [v["totalCount"] for e in along.data["mines"]["edges"] for k, v in
              e["node"].items() if k != "licenceNumber"]  # fmt: skip
    assert len(totals) >= 100 and any(totals)


async def test_each_mine_of_a_page_finds_its_count_where_the_page_loaded_it(
    province: Engine, settings: Settings, admin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    gql = GraphQLClient(province, settings)
    worked_out: list[CaseQuery] = []
    counter_now = case_reads._counter_now

    def working_it_out(ctx: Any, *, first: int | None, query: CaseQuery) -> Any:
        worked_out.append(query)
        return counter_now(ctx, first=first, query=query)

    monkeypatch.setattr(case_reads, "_counter_now", working_it_out)
    page = COUNTS_ALONG.replace("query($filter: CaseFilter)", "query")
    along = await gql(page % "cases(filter: {states: [OPEN, REFERRED]}) { totalCount }",
                      token=admin)  # fmt: skip
    assert along.errors == [] and along.data is not None
    # the page checked the caller and the filter once, for the 100 mines it loaded the counts of
    assert worked_out == []
    # two fields under one name are not what the page loaded: each mine works its own out
    both = await gql(
        page % "cases(filter: {states: [OPEN, REFERRED]}) { totalCount } "
        "cases(filter: {states: [OPEN, REFERRED]}) { totalCount __typename }",
        token=admin,
    )
    assert both.errors == [] and both.data is not None
    assert len(worked_out) == 100
    totals = [e["node"]["cases"]["totalCount"] for e in along.data["mines"]["edges"]]
    assert totals == [e["node"]["cases"]["totalCount"] for e in both.data["mines"]["edges"]]
    assert any(totals)


PAGE_COUNTING = """
  %s: mines(first: 40, sort: LICENCE_NUMBER_ASC) { edges { node {
    licenceNumber cases(filter: {states: [%s]}) { totalCount } } } }
"""
ONE_PAGE = "{ " + PAGE_COUNTING + " }"
TWO_PAGES = (
    "{ " + PAGE_COUNTING % ("open", "OPEN") + PAGE_COUNTING % ("referred", "REFERRED") + " }"
)


async def test_two_pages_of_mines_in_one_request_each_count_under_their_own_filter(
    province: Engine, settings: Settings, admin: str
) -> None:
    gql = GraphQLClient(province, settings)
    together = await gql(TWO_PAGES, token=admin)
    assert together.errors == [] and together.data is not None
    for name, state in (("open", "OPEN"), ("referred", "REFERRED")):
        alone = await gql(ONE_PAGE % (name, state), token=admin)
        assert alone.errors == [] and alone.data is not None
        assert together.data[name] == alone.data[name]
    opened = [e["node"]["cases"]["totalCount"] for e in together.data["open"]["edges"]]
    referred = [e["node"]["cases"]["totalCount"] for e in together.data["referred"]["edges"]]
    assert any(opened) and any(referred) and opened != referred


async def test_counts_loaded_for_one_field_answer_that_field_only(
    province: Engine, settings: Settings, admin: str
) -> None:
    ctx = Context(engine=province, settings=settings, authorization=f"Bearer {admin}")
    page = await mines.page(
        province, MineFilter(), MineSort.LICENCE_NUMBER_ASC, after_key=None, after_id=None, limit=40
    )
    licences = [row.mine.licence_number for row in page]
    execution = object()
    opened, referred = (object(), execution), (object(), execution)  # two fields' nodes
    query = CaseQuery(states=[CaseState.OPEN])
    await case_reads.count_cases_of(ctx, licences, first=None, query=query, along=opened)
    assert all(case_reads.counted_along(ctx, referred, m) is None for m in licences)
    # the same node in another execution (the same query text parses to the same nodes)
    again = (opened[0], object())
    assert all(case_reads.counted_along(ctx, again, m) is None for m in licences)
    found = [case_reads.counted_along(ctx, opened, m) for m in licences]
    # what each mine's field counts on its own, in a request of its own
    alone = Context(engine=province, settings=settings, authorization=f"Bearer {admin}")
    await alone.actor()
    counted = [await _settled(case_reads.count_of_mine(alone, m, first=None, query=query))
               for m in licences]  # fmt: skip
    assert found == counted and any(counted)
    ctx.cases.forget_case("any")  # a write drops what was loaded
    assert case_reads.counted_along(ctx, opened, licences[0]) is None


COUNTS_BY_VARIABLES = """
query($filter: CaseFilter, $first: Int) { mines(first: 40, sort: LICENCE_NUMBER_ASC) {
  edges { node { licenceNumber cases(first: $first, filter: $filter) { totalCount } } } } }
"""


async def test_a_context_run_twice_counts_each_run_under_its_own_variables(
    province: Engine, settings: Settings, admin: str
) -> None:
    ctx = Context(engine=province, settings=settings, authorization=f"Bearer {admin}")
    opened = {"filter": {"states": ["OPEN"]}, "first": 5}
    first = await root.schema.execute(
        COUNTS_BY_VARIABLES, variable_values=opened, context_value=ctx
    )
    assert first.errors is None and first.data is not None
    referred = {"filter": {"states": ["REFERRED"]}, "first": 5}
    second = await root.schema.execute(
        COUNTS_BY_VARIABLES, variable_values=referred, context_value=ctx
    )
    fresh = Context(engine=province, settings=settings, authorization=f"Bearer {admin}")
    alone = await root.schema.execute(
        COUNTS_BY_VARIABLES, variable_values=referred, context_value=fresh
    )
    assert second.errors is None and alone.errors is None
    assert second.data == alone.data and second.data != first.data
    refused = await root.schema.execute(
        COUNTS_BY_VARIABLES, variable_values={**opened, "first": -1}, context_value=ctx
    )
    assert refused.errors and "first must be between" in refused.errors[0].message


async def _settled(value: Any) -> Any:
    return await value if is_pending(value) else value


THREE_COUNTS = """
query($counted: Boolean!) { mines(first: 100, sort: LICENCE_NUMBER_ASC) { edges { node {
  licenceNumber
  open: cases(filter: {states: [OPEN]}) { totalCount edges @skip(if: $counted) { cursor } }
  referred: cases(filter: {states: [REFERRED]}) { totalCount edges @skip(if: $counted) { cursor } }
  all: cases { totalCount edges @skip(if: $counted) { cursor } }
} } } }
"""


async def test_counts_of_a_mines_cases_under_other_filters_each_count_their_own(
    province: Engine, settings: Settings, admin: str
) -> None:
    gql = GraphQLClient(province, settings)
    counted = await gql(THREE_COUNTS, {"counted": True}, token=admin)
    read = await gql(THREE_COUNTS, {"counted": False}, token=admin)
    assert counted.errors == [] and counted.data is not None and read.data is not None

    def totals(data: dict[str, Any]) -> list[tuple[int, int, int]]:
        nodes = [e["node"] for e in data["mines"]["edges"]]
        return [(n["open"]["totalCount"], n["referred"]["totalCount"], n["all"]["totalCount"])
                for n in nodes]  # fmt: skip

    counts = totals(counted.data)
    assert counts == totals(read.data)
    assert any(o for o, _, _ in counts) and any(r for _, r, _ in counts)
    assert all(o + r <= a for o, r, a in counts)


async def test_a_bad_filter_on_the_counts_a_page_shows_is_refused_on_each_mine_as_before(
    province: Engine, settings: Settings, admin: str
) -> None:
    query = COUNTS_ALONG % "cases(filter: {conditions: [99]}) { totalCount }"
    query = query.replace("query($filter: CaseFilter)", "query")
    result = await GraphQLClient(province, settings)(query, token=admin)
    assert result.data is None  # cases is non-null: the refusal nulls the page
    assert set(result.codes) == {"BAD_USER_INPUT"}
    assert all(e["path"][-1] == "cases" for e in result.errors)
    assert (
        "filter.conditions must be one of the 14 removal conditions" in result.errors[0]["message"]
    )


async def test_a_counted_page_of_a_mines_cases_refuses_a_bad_size_as_a_read_one_does(
    province: Engine, settings: Settings, admin: str
) -> None:
    gql = GraphQLClient(province, settings)
    errors = []
    for selection in ("totalCount", "totalCount edges { cursor }"):
        cases = f"cases(first: -1) {{ {selection} }}"
        query = f"{{ mines(first: 2) {{ edges {{ node {{ {cases} }} }} }} }}"
        result = await gql(query, token=admin)
        errors.append([(e["message"], e["extensions"]["code"], e["path"]) for e in result.errors])
    assert errors[0] == errors[1]
    assert errors[0] and all(code == "BAD_USER_INPUT" for _, code, _ in errors[0])
    assert "first must be between 0 and 100" in errors[0][0][0]
    assert all(path[-1] == "cases" for _, _, path in errors[0])


HISTORY_PAGE = """
query { mines(first: 100, sort: LICENCE_NUMBER_ASC) { edges { node {
  licenceNumber %s
} } } }
"""
STEPS = "seq action fromStatus toStatus occurredOn"


async def _history_page(
    gql: GraphQLClient, token: str, selection: str
) -> tuple[list[dict[str, Any]], Counter[str]]:
    with roundtrips.counting() as counter:
        result = await gql(HISTORY_PAGE % selection, token=token)
    assert result.errors == [] and result.data is not None
    return [e["node"] for e in result.data["mines"]["edges"]], Counter(counter.statements)


async def test_a_page_showing_only_the_steps_of_each_history_reads_only_the_steps(
    province: Engine, settings: Settings, admin: str
) -> None:
    gql = GraphQLClient(province, settings)
    steps, brief = await _history_page(gql, admin, f"history {{ {STEPS} }}")
    whole, full = await _history_page(gql, admin, f"history {{ {STEPS} actor recordedAt }}")
    assert brief["lifecycle.history_briefs_of"] == 1 and "lifecycle.history_of" not in brief
    assert full["lifecycle.history_of"] == 1 and "lifecycle.history_briefs_of" not in full
    # the same steps either way, and a field beyond the steps is read, not left empty
    assert [n["history"] for n in steps] == [
        [{k: h[k] for k in STEPS.split()} for h in n["history"]] for n in whole
    ]
    events = [h for n in whole for h in n["history"]]
    assert len(events) >= 100 and all(h["actor"] and h["recordedAt"] for h in events)


WHO = "fragment Who on LifecycleEvent { actor }"


@pytest.mark.parametrize(
    ("selection", "reads_all"),
    [
        ("history { seq ... on LifecycleEvent { action toStatus } }", False),
        ("history { seq ... on LifecycleEvent { actor } }", True),
        ("history { seq actor @include(if: false) }", False),
        ("history { seq actor @skip(if: false) }", True),
        ("history { seq ...Who }", True),
    ],
)
async def test_what_a_history_reads_follows_fragments_and_directives(
    province: Engine, settings: Settings, admin: str, selection: str, reads_all: bool
) -> None:
    query = HISTORY_PAGE % selection + (WHO if "...Who" in selection else "")
    with roundtrips.counting() as counter:
        result = await GraphQLClient(province, settings)(query, token=admin)
    assert result.errors == [] and result.data is not None
    read = {"lifecycle.history_of", "lifecycle.history_briefs_of"} & set(counter.statements)
    assert read == {"lifecycle.history_of" if reads_all else "lifecycle.history_briefs_of"}
    events = [h for e in result.data["mines"]["edges"] for h in e["node"]["history"]]
    assert len(events) >= 100
    assert [bool(h.get("actor")) for h in events] == [reads_all] * len(events)


async def test_two_histories_of_a_mine_each_read_what_their_own_selection_needs(
    province: Engine, settings: Settings, admin: str
) -> None:
    gql = GraphQLClient(province, settings)
    nodes, cost = await _history_page(gql, admin, "a: history { seq } b: history { seq actor }")
    assert cost["lifecycle.history_briefs_of"] == 1 and cost["lifecycle.history_of"] == 1
    for node in nodes:
        assert [h["seq"] for h in node["a"]] == [h["seq"] for h in node["b"]]
        assert all(h["actor"] for h in node["b"])


async def test_an_anonymous_page_loads_no_private_list_and_is_refused_each_one(
    province: Engine, settings: Settings
) -> None:
    query = "{ mines(first: 10) { edges { node { licenceNumber licences { number } } } } }"
    with roundtrips.counting() as counter:
        result = await GraphQLClient(province, settings)(query)
    assert "mines.licences_of" not in counter.statements
    assert result.data is None  # licences is non-null: each refusal nulls the page
    assert set(result.codes) == {"UNAUTHENTICATED"}
    assert {e["path"][-1] for e in result.errors} == {"licences"}


class _Wrapped:
    """The province's engine, its reads changed by a subclass, the rest as they are."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.name = engine.name

    async def read(self, statement: Statement, params: Any = None) -> Any:
        return await self._engine.read(statement, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


class _FailingReads(_Wrapped):
    """The province's engine, but one statement fails as if the database had gone."""

    def __init__(self, engine: Engine, failing: str) -> None:
        super().__init__(engine)
        self._failing = failing

    async def read(self, statement: Statement, params: Any = None) -> Any:
        if statement.name == self._failing:
            raise GraphUnavailable(f"{statement.name} failed (test)")
        return await self._engine.read(statement, params)


async def test_a_failed_load_along_the_page_fails_only_the_fields_that_needed_it(
    province: Engine, settings: Settings, admin: str
) -> None:
    failing: Any = _FailingReads(province, "prefectures.by_code")
    query = (
        "{ mines(first: 10) { totalCount edges { node { licenceNumber prefecture { code } } } } }"
    )
    result = await GraphQLClient(failing, settings)(query, token=admin)
    assert result.data is not None
    nodes = [e["node"] for e in result.data["mines"]["edges"]]
    assert len(nodes) == 10 and all(n["licenceNumber"] and n["prefecture"] is None for n in nodes)
    assert result.data["mines"]["totalCount"] >= 10
    assert set(result.codes) == {"SERVICE_UNAVAILABLE"}
    assert {tuple(e["path"][-1:]) for e in result.errors} == {("prefecture",)}


COUNTED_PAGE = """
query($filter: MineFilter) { mines(first: 5, filter: $filter, sort: LICENCE_NUMBER_ASC) {
  totalCount edges { node { licenceNumber } } } }
"""


def _is_mine_count(statement: Statement) -> bool:
    return statement.name.startswith(("mines.count", "mines.plain_count"))


def _is_mine_page(statement: Statement) -> bool:
    return statement.name.startswith(("mines.page", "mines.plain_page"))


class _PageHeldUntilCounted(_Wrapped):
    """The province's engine, but the mines page's answer is held until the page's count has
    been sent: a count sent only after the page would never come (and the hold times out)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.counting = asyncio.Event()

    async def read(self, statement: Statement, params: Any = None) -> Any:
        if _is_mine_count(statement):
            self.counting.set()
        result = await self._engine.read(statement, params)
        if _is_mine_page(statement):
            await asyncio.wait_for(self.counting.wait(), timeout=5)
        return result


@pytest.mark.parametrize("by_prefecture", [False, True])
async def test_a_pages_total_is_counted_while_the_page_is_read(
    province: Engine, settings: Settings, admin: str, by_prefecture: bool
) -> None:
    gql = GraphQLClient(province, settings)
    first = await gql("{ mines(first: 1) { edges { node { prefecture { code } } } } }", token=admin)
    assert first.data is not None
    prefecture = first.data["mines"]["edges"][0]["node"]["prefecture"]["code"]
    mine_filter = {"prefectures": [prefecture]} if by_prefecture else {"scales": ["LARGE"]}
    expected = await gql(COUNTED_PAGE, {"filter": mine_filter}, token=admin)
    assert expected.errors == [] and expected.data is not None
    assert expected.data["mines"]["totalCount"] >= len(expected.data["mines"]["edges"]) > 0

    held: Any = _PageHeldUntilCounted(province)
    result = await GraphQLClient(held, settings)(COUNTED_PAGE, {"filter": mine_filter}, token=admin)
    assert result == expected


class _PageFailsWhileCounting(_Wrapped):
    """The province's engine, but the mines page fails while its count is still under way."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.counting = asyncio.Event()
        self.count_cancelled = False

    async def read(self, statement: Statement, params: Any = None) -> Any:
        if _is_mine_page(statement):
            with contextlib.suppress(TimeoutError):  # a count not sent alongside: fail anyway
                await asyncio.wait_for(self.counting.wait(), timeout=5)
            raise GraphUnavailable(f"{statement.name} failed (test)")
        if _is_mine_count(statement):
            self.counting.set()
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                self.count_cancelled = True
                raise
        return await self._engine.read(statement, params)


async def test_a_page_that_fails_stops_counting_its_total_and_reports_its_own_failure(
    province: Engine, settings: Settings, admin: str
) -> None:
    failing: Any = _PageFailsWhileCounting(province)
    result = await GraphQLClient(failing, settings)(COUNTED_PAGE, token=admin)
    assert result.data is None
    assert result.codes == ["SERVICE_UNAVAILABLE"]
    await asyncio.sleep(0)  # the cancelled count's own turn
    assert failing.count_cancelled


class _TokenHeldUntilPaged(_Wrapped):
    """The province's engine, but the caller's token lookup is answered only once the mines
    page has been sent: a page read only after the token was checked would never come (and the
    hold times out)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.paging = asyncio.Event()
        self.sent: list[str] = []

    async def read(self, statement: Statement, params: Any = None) -> Any:
        self.sent.append(statement.name)
        if _is_mine_page(statement):
            self.paging.set()
        result = await self._engine.read(statement, params)
        if statement.name == "tokens.find":
            await asyncio.wait_for(self.paging.wait(), timeout=5)
        return result


async def test_a_callers_token_is_checked_while_the_page_is_read(
    province: Engine, settings: Settings, admin: str
) -> None:
    expected = await GraphQLClient(province, settings)(COUNTED_PAGE, token=admin)
    assert expected.errors == [] and expected.data is not None

    held: Any = _TokenHeldUntilPaged(province)
    result = await GraphQLClient(held, settings)(COUNTED_PAGE, token=admin)
    assert result == expected
    assert held.sent.count("tokens.find") == 1


FORGED_TOKEN = "gm_00000000_forged"


@pytest.mark.parametrize(
    "mine_filter",
    [
        {},
        {"prefectures": ["NOWHERE"]},  # a bad filter as well: the token is reported
        {"listedFrom": "2024-01-01", "listedTo": "2023-01-01"},
    ],
)
async def test_a_page_read_for_a_bad_token_answers_nothing_but_the_token_error(
    province: Engine, settings: Settings, mine_filter: dict[str, Any]
) -> None:
    gql = GraphQLClient(province, settings)
    result = await gql(COUNTED_PAGE, {"filter": mine_filter}, token=FORGED_TOKEN)
    assert result.data is None
    assert result.codes == ["UNAUTHENTICATED"]
    assert result.errors[0]["message"] == "the bearer token is not valid"


class _PageFailsWhileTokenChecked(_TokenHeldUntilPaged):
    """The province's engine, but the mines page fails (while the token is still checked)."""

    async def read(self, statement: Statement, params: Any = None) -> Any:
        if _is_mine_page(statement):
            self.paging.set()
            raise GraphUnavailable(f"{statement.name} failed (test)")
        return await super().read(statement, params)


async def test_a_bad_token_is_reported_even_when_the_page_read_meanwhile_failed(
    province: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    failing: Any = _PageFailsWhileTokenChecked(province)
    result = await GraphQLClient(failing, settings)(COUNTED_PAGE, token=FORGED_TOKEN)
    assert (result.data, result.codes) == (None, ["UNAUTHENTICATED"])
    gc.collect()  # a failed check nobody took as read would be logged as it is collected
    await asyncio.sleep(0)
    assert "never retrieved" not in caplog.text


@dataclass(frozen=True)
class _Pair:
    left: str
    right: int


def test_rows_become_records_by_position_with_their_sort_key_and_other_columns_are_refused() -> (
    None
):
    keyed = Result(("left", "right", "sort_key"), (("a", 1, "k1"), ("b", 2, "k2")))
    assert keyed.as_records_keyed(_Pair, "sort_key") == [
        (_Pair("a", 1), "k1"),
        (_Pair("b", 2), "k2"),
    ]
    assert Result(("left", "right"), (("a", 1),)).as_records(_Pair) == [_Pair("a", 1)]
    assert Result((), ()).as_records_keyed(_Pair, "sort_key") == []  # an empty graph's answer
    swapped = Result(("right", "left", "sort_key"), ((1, "a", "k1"),))
    with pytest.raises(ValueError, match="right.*left.*sort_key"):
        swapped.as_records_keyed(_Pair, "sort_key")
    with pytest.raises(ValueError, match="_Pair"):
        Result(("left", "right"), (("a", 1),)).as_records_keyed(_Pair, "sort_key")


@dataclass(frozen=True)
class _CheckedPair:
    left: str
    right: int

    def __post_init__(self) -> None:
        if self.right < 0:
            raise ValueError(f"right={self.right} is negative")


def test_records_made_from_rows_are_what_their_constructors_make_and_stay_frozen() -> None:
    made = Result(("left", "right"), (("a", 1), ("b", 2))).as_records(_Pair)
    assert made == [_Pair("a", 1), _Pair("b", 2)]
    assert [vars(r) for r in made] == [vars(_Pair("a", 1)), vars(_Pair("b", 2))]
    assert hash(made[0]) == hash(_Pair("a", 1))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made[0].left = "changed"  # type: ignore[misc]
    # a class that does more than set its fields is still made by its constructor
    with pytest.raises(ValueError, match="right=-1 is negative"):
        Result(("left", "right"), (("a", -1),)).as_records(_CheckedPair)
    with pytest.raises(ValueError, match="right=-1 is negative"):
        Result(("left", "right", "k"), (("a", -1, "k1"),)).as_records_keyed(_CheckedPair, "k")


def test_a_brief_record_is_the_constructors_record_with_every_other_column_empty() -> None:
    brief = MineBrief(
        "C1", "矿", "公司", "coal", "LARGE", "PRODUCING", "620100", "县", "LISTED", None, None
    )
    made = brief_record(brief)
    assert {f.name for f in dataclasses.fields(MineRecord)} == set(vars(made))
    assert made == MineRecord(**vars(brief), **BEYOND_BRIEF)  # type: ignore[arg-type]
    assert vars(made) == vars(MineRecord(**vars(brief), **BEYOND_BRIEF))  # type: ignore[arg-type]


class _Later:
    def __await__(self) -> Any:
        return (yield from asyncio.sleep(0).__await__())


async def test_pending_values_are_told_from_records_each_time_whatever_was_seen_before() -> None:
    record = _Pair("a", 1)
    for _ in range(2):  # the second time, the record's class is known not to be awaitable
        assert not is_pending(record) and not is_pending([record]) and not is_pending(None)
        later, coroutine = _Later(), asyncio.sleep(0)
        future = asyncio.get_running_loop().create_future()
        assert is_pending(later) and is_pending(coroutine) and is_pending(future)
        await later
        await coroutine
        future.cancel()
    plain_generator = (n for n in range(1))
    assert not is_pending(plain_generator)


def test_licences_and_brief_steps_made_directly_are_what_their_constructors_make() -> None:
    licence = LicenceRecord("C1", "MINING", "C62", "2020-01-01", None, "2024-05-06")
    made = mine_types.Licence.from_record(licence)
    assert vars(made) == vars(
        mine_types.Licence(
            kind=LicenceKind.MINING,
            number="C62",
            valid_from=dt.date(2020, 1, 1),
            valid_until=None,
            revoked_on=dt.date(2024, 5, 6),
            record=licence,
        )
    )
    brief = EventBrief("C1", 2, "LIST", "VERIFIED", "LISTED", "2021-03-04")
    first, second = (mine_types.LifecycleEvent.from_brief(brief) for _ in range(2))
    # every attribute the constructor sets, and nothing else
    assert vars(first) == vars(
        mine_types.LifecycleEvent(
            seq=2,
            action=Action.LIST,
            from_status=ListStatus.VERIFIED,
            to_status=ListStatus.LISTED,
            occurred_on=dt.date(2021, 3, 4),
            actor="",
            role="",
            department_code=None,
            details=None,
            clause_ref=None,
            rule_code=None,
            condition_number=None,
            department_codes=[],
            recorded_at="",
        )
    )
    assert first.department_codes is not second.department_codes  # each its own list


def test_a_case_filters_query_is_what_its_constructor_makes_of_every_criterion() -> None:
    given = CaseFilterInput(
        mines=["C1"],
        prefectures=["lanzhou"],
        reporting_departments=["water_resources"],
        departments=["emergency_management"],
        states=[CaseState.OPEN],
        conditions=[3],
        found_from=dt.date(2025, 1, 1),
        found_to=dt.date(2025, 2, 1),
        filed_from=dt.date(2025, 3, 1),
        filed_to=dt.date(2025, 4, 1),
        synthetic=True,
    )
    expected = CaseQuery(**{f.name: getattr(given, f.name) for f in dataclasses.fields(given)})
    for case_filter in (given, CaseFilterInput()):
        made = case_filter.query()
        constructed = CaseQuery(
            **{f.name: getattr(case_filter, f.name) for f in dataclasses.fields(case_filter)}
        )
        assert vars(made) == vars(constructed)  # every field, and nothing else
    assert given.query() == expected and given.query().field_prefix == "filter"


def test_a_type_that_does_more_than_set_its_fields_gets_no_maker() -> None:
    @dataclasses.dataclass
    class Checked:
        value: int

        def __post_init__(self) -> None:
            assert self.value > 0

    with pytest.raises(TypeError, match="Checked is not a plain dataclass"):
        maker(Checked)
    with pytest.raises(TypeError, match="Slotted has slots"):

        @maker
        @dataclasses.dataclass(slots=True)
        class Slotted:
            value: int


BRIEF_PAGE_THEN_MINES = """
{ mines(first: 10, sort: LICENCE_NUMBER_ASC) { edges { node { licenceNumber name status
    cases(first: 3) { edges { node { mine { licenceNumber productionStart synthetic
      listing { appliedOn } } } } } } } } }
"""

FULL_FIELDS = "licenceNumber productionStart synthetic listing { appliedOn }"


async def test_a_page_showing_only_brief_columns_reads_them_alone_and_caches_none_of_them(
    province: Engine, settings: Settings, admin: str
) -> None:
    gql = GraphQLClient(province, settings)
    full = await gql(
        f"{{ mines(first: 10, sort: LICENCE_NUMBER_ASC) {{ edges {{ node {{ {FULL_FIELDS} }} }} }} }}",
        token=admin,
    )
    assert full.errors == [] and full.data is not None
    whole = {e["node"]["licenceNumber"]: e["node"] for e in full.data["mines"]["edges"]}
    assert any(n["productionStart"] for n in whole.values())
    assert all(n["synthetic"] for n in whole.values())
    with roundtrips.counting() as counter:
        paged = await gql(BRIEF_PAGE_THEN_MINES, token=admin)
    assert paged.errors == [] and paged.data is not None
    assert "mines.plain_page.licence_number_asc.all.brief" in counter.statements
    # a case's mine, read after the page of briefs, is read whole (not a brief's record)
    seen = [
        case["node"]["mine"]
        for edge in paged.data["mines"]["edges"]
        for case in edge["node"]["cases"]["edges"]
    ]
    assert seen and all(mine == whole[mine["licenceNumber"]] for mine in seen)
    # a field beyond the brief ones, even in a fragment, reads the mines whole
    with roundtrips.counting() as counter:
        fragment = await gql(
            "{ mines(first: 10, sort: LICENCE_NUMBER_ASC) { edges { node { ...Facts } } } }"
            f" fragment Facts on Mine {{ {FULL_FIELDS} }}",
            token=admin,
        )
    assert fragment.data == full.data
    assert "mines.plain_page.licence_number_asc.all" in counter.statements


#: what to select of the object fields of a `Mine`
SUBSELECTIONS = {
    "prefecture": "{ code nameZh }", "licences": "{ number validUntil }", "history": "{ seq }",
    "allowedTransitions": "{ action }", "cases": "{ totalCount }", "penalties": "{ id }",
    "objections": "{ id }", "rectifications": "{ id }", "spotCheckResults": "{ year }",
    "listing": "{ appliedOn evaluator }",
}  # fmt: skip
EVERY_STAGE = "{stages: [NEW, RECONSTRUCTION_EXPANSION, PRODUCING]}"


async def test_every_field_a_brief_answers_is_what_the_whole_mine_answers(
    province: Engine, settings: Settings, admin: str
) -> None:
    mine_type = cast(GraphQLObjectType, root.schema._schema.type_map["Mine"])
    assert mine_types.MINE_BRIEF - {"__typename"} <= set(mine_type.fields)  # no misspelt name
    selection = " ".join(f"{name} {SUBSELECTIONS.get(name, '')}" for name in mine_types.MINE_BRIEF)
    page = "{{ mines(first: 20, sort: LICENCE_NUMBER_ASC{}) {{ edges {{ node {{ {} }} }} }} }}"
    gql = GraphQLClient(province, settings)
    with roundtrips.counting() as counter:
        brief = await gql(page.format("", selection), token=admin)
    assert "mines.plain_page.licence_number_asc.all.brief" in counter.statements
    # a filter on stages takes the generic statement, which reads every column
    with roundtrips.counting() as counter:
        whole = await gql(page.format(f", filter: {EVERY_STAGE}", selection), token=admin)
    assert not any(name.endswith(".brief") for name in counter.statements)
    assert brief.errors == [] and whole.errors == [] and whole.data is not None
    assert len(whole.data["mines"]["edges"]) == 20
    assert brief.data == whole.data


async def test_filling_a_loader_loads_the_missing_keys_in_one_batch_ready_without_an_await() -> (
    None
):
    batches: list[list[str]] = []

    async def upper(keys: list[str]) -> list[str]:
        batches.append(keys)
        return [key.upper() for key in keys]

    loader: DataLoader[str, str] = DataLoader(load_fn=upper)
    await fill(loader, ["a", "b", "a"])
    assert batches == [["a", "b"]]
    assert (ready(loader, "a"), ready(loader, "b")) == ("A", "B")  # values, not awaitables
    await fill(loader, ["b", "c"])
    assert batches == [["a", "b"], ["c"]]  # what it had is not loaded again
    assert await loader.load("c") == "C" and len(batches) == 2


async def test_a_failed_fill_leaves_its_error_for_each_key_and_no_unretrieved_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def down(keys: list[str]) -> list[str]:
        raise GraphUnavailable("the database is down (test)")

    loader: DataLoader[str, str] = DataLoader(load_fn=down)
    await fill(loader, ["a", "b"])
    with pytest.raises(GraphUnavailable, match="down"):
        await loader.load("a")
    # "b" is never asked for: its failure must not be logged as an exception never retrieved
    del loader
    gc.collect()
    assert "never retrieved" not in caplog.text


async def test_a_field_asking_while_a_fill_is_loading_waits_for_it_instead_of_loading_again() -> (
    None
):
    answer = asyncio.Event()
    batches: list[list[str]] = []

    async def slow_upper(keys: list[str]) -> list[str]:
        batches.append(keys)
        await answer.wait()
        return [key.upper() for key in keys]

    loader: DataLoader[str, str] = DataLoader(load_fn=slow_upper)
    filling = asyncio.ensure_future(fill(loader, ["a", "b"]))
    await asyncio.sleep(0)  # the batch is under way
    asked = asyncio.ensure_future(loader.load("a"))
    await asyncio.sleep(0)
    answer.set()
    await filling
    assert await asked == "A" and batches == [["a", "b"]]


async def test_a_batch_answering_too_few_values_fails_every_key_as_strawberry_does() -> None:
    async def short(keys: list[str]) -> list[str]:
        return ["only one"]

    loader: DataLoader[str, str] = DataLoader(load_fn=short)
    await fill(loader, ["a", "b"])
    for key in ("a", "b"):
        with pytest.raises(WrongNumberOfResultsReturned):
            await loader.load(key)


def _first_batch_hangs() -> tuple[DataLoader[str, str], list[list[str]]]:
    """A loader whose first batch never answers (a fill to cancel), and the batches it got."""
    never = asyncio.Event()
    batches: list[list[str]] = []

    async def upper(keys: list[str]) -> list[str]:
        batches.append(keys)
        if len(batches) == 1:
            await never.wait()
        return [key.upper() for key in keys]

    return DataLoader(load_fn=upper), batches


async def _cancel(filling: asyncio.Future[None]) -> None:
    filling.cancel()
    with pytest.raises(asyncio.CancelledError):
        await filling


async def test_a_cancelled_fill_leaves_nothing_pending_and_the_keys_load_again() -> None:
    loader, batches = _first_batch_hangs()
    filling = asyncio.ensure_future(fill(loader, ["a"]))
    await asyncio.sleep(0)
    await _cancel(filling)
    # a future left pending would keep the field waiting for ever
    assert await asyncio.wait_for(loader.load("a"), timeout=5) == "A" and len(batches) == 2


async def test_a_field_waiting_on_a_cancelled_fill_still_gets_its_value() -> None:
    loader, batches = _first_batch_hangs()
    filling = asyncio.ensure_future(fill(loader, ["a"]))
    await asyncio.sleep(0)
    waiting = asyncio.ensure_future(loader.load("a"))  # another field, elsewhere in the query
    await asyncio.sleep(0)
    await _cancel(filling)
    assert await asyncio.wait_for(waiting, timeout=5) == "A" and len(batches) == 2


class _SlowReads:
    """The province's engine, each read taking a little longer, with when each began and ended."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.name = engine.name
        self.events: list[tuple[str, str]] = []

    async def read(self, statement: Any, params: Any = None) -> Any:
        self.events.append(("began", statement.name))
        await asyncio.sleep(0.02)
        try:
            return await self._engine.read(statement, params)
        finally:
            self.events.append(("ended", statement.name))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


FILTERED_PAGE = """
query($prefectures: [String!]) {
  mines(first: 5, filter: {prefectures: $prefectures}) { edges { node { licenceNumber } } }
}
"""


async def test_the_prefectures_a_page_names_are_looked_up_while_it_is_read(
    province: Engine, settings: Settings, admin: str
) -> None:
    slow = _SlowReads(province)
    result = await GraphQLClient(cast(Engine, slow), settings)(
        FILTERED_PAGE, {"prefectures": ["lanzhou"]}, token=admin
    )
    assert result.errors == [] and result.data is not None
    page = next(name for _, name in slow.events if name.startswith("mines.plain_page"))
    began = slow.events.index(("began", page))
    assert began < slow.events.index(("ended", "prefectures.by_code"))


@pytest.mark.parametrize(
    ("prefectures", "code"), [(["atlantis"], "NOT_FOUND"), (["lanzhou"], "SERVICE_UNAVAILABLE")]
)
async def test_a_page_whose_read_fails_reports_an_unknown_prefecture_first(
    province: Engine, settings: Settings, admin: str, prefectures: list[str], code: str
) -> None:
    failing: Any = _FailingReads(province, "mines.plain_page.licence_number_asc.prefecture.brief")
    result = await GraphQLClient(failing, settings)(
        FILTERED_PAGE, {"prefectures": prefectures}, token=admin
    )
    assert result.codes == [code]


BAD_FILTERS = """
query($prefectures: [String!]) {
  mines(first: 5, filter: {prefectures: $prefectures, listedFrom: "2026-02-01",
                           listedTo: "2026-01-01"}) { edges { node { licenceNumber } } }
}
"""


@pytest.mark.parametrize(
    ("prefectures", "code"), [(["atlantis"], "NOT_FOUND"), (["lanzhou"], "BAD_USER_INPUT")]
)
async def test_an_unknown_prefecture_is_still_reported_before_the_filters_other_mistakes(
    province: Engine, settings: Settings, admin: str, prefectures: list[str], code: str
) -> None:
    result = await GraphQLClient(province, settings)(
        BAD_FILTERS, {"prefectures": prefectures}, token=admin
    )
    assert result.codes == [code]


async def test_the_round_trips_of_a_request_show_in_its_response_only_when_debugging(
    province: Engine, settings: Settings, admin: str
) -> None:
    query = {"query": nested_page_query(), "variables": {"first": 100}}
    headers = {"Authorization": f"Bearer {admin}"}
    bodies = []
    for debug in (False, True):
        on = Settings(**{**settings.__dict__, "debug_round_trips": debug})
        app = create_app(on, open_engine(on, attach=True))
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://test") as client,
        ):
            response = await client.post("/graphql", json=query, headers=headers)
        assert response.status_code == 200
        bodies.append(response.json())
    plain, debugged = bodies
    assert "roundTrips" not in (plain.get("extensions") or {})
    trips = debugged["extensions"]["roundTrips"]
    assert within_one_per_level(Counter(trips["statements"]))
    assert trips["count"] == len(trips["statements"])
    assert debugged["data"] == plain["data"]


# -- paged statements start from an index --------------------------------------------------


def _starts_from_an_index(plan: list[str]) -> bool:
    flat = [op.replace(" ", "").lower() for op in plan]
    return any("index" in op for op in flat) and not any("labelscan" in op for op in flat)


async def test_every_filtered_mines_page_and_count_starts_from_an_index(province: Engine) -> None:
    params = {
        **MineFilter(prefectures=["jinchang"], scales=["LARGE"], statuses=["LISTED"]).params(),
        "sort": "NAME_ASC", "afterKey": None, "afterId": None, "limit": 51,
    }  # fmt: skip
    variants = [*((a, s) for (_, a), s in mines.PAGES.items()), *mines.COUNTS.items()]
    for anchor, statement in variants:
        plan = await province.explain(statement, params)
        assert _starts_from_an_index(plan) == (anchor is not None), (statement.name, plan)
    assert len(variants) == 3 * len(mines.ANCHOR_CHOICES) == 3 * (1 + len(mines.ANCHORS))


async def test_every_page_and_count_by_indexed_filters_alone_starts_from_an_index(
    province: Engine,
) -> None:
    params = {
        **MineFilter(prefectures=["jinchang"], scales=["LARGE"], statuses=["LISTED"]).params(),
        "afterKey": None, "afterId": None, "limit": 51,
    }  # fmt: skip
    variants = [*((shape, s) for (_, shape, _), s in mines.PLAIN_PAGES.items()),
                *mines.PLAIN_COUNTS.items()]  # fmt: skip
    for shape, statement in variants:
        plan = await province.explain(statement, params)
        assert _starts_from_an_index(plan) == (shape != ()), (statement.name, plan)
    # each sort's page, in full and brief, and the count, for every combination of the filters
    assert len(variants) == (2 * len(MineSort) + 1) * 2 ** len(mines.ANCHORS)


KEYSET_PAGES: list[Statement] = [
    *mines.PAGES.values(),
    *mines.PLAIN_PAGES.values(),
    *cases.CASE_PAGES.values(),
    *cases.REFERRAL_PAGES.values(),
    *audit.PAGES.values(),
    *decisions.SESSION_PAGES.values(),
    *penalties.PAGES.values(),
]


async def test_every_keyset_page_is_cut_to_its_rows_before_its_columns_are_projected(
    province: Engine,
) -> None:
    # projecting every matching row's columns and then keeping a page of them made the first
    # page of 50,000 cases take 170 ms; cut first, it takes 59
    for statement in KEYSET_PAGES:
        params: dict[str, object] = dict.fromkeys(statement.parameters)
        plan = await province.explain(statement, {**params, "limit": 21})
        operations = [op.split("|")[0].strip() for op in plan]
        assert "Limit" in operations, (statement.name, plan)
        assert operations.index("Project") < operations.index("Limit"), (statement.name, plan)


async def test_an_unfiltered_case_count_is_the_labels_own_and_agrees_with_the_generic_one(
    province: Engine,
) -> None:
    with roundtrips.counting() as counter:
        total = await cases.count(province, CaseFilter())
    assert counter.statements == ["cases.count_all"]
    generic = (await province.read(cases.COUNT, CaseFilter().params())).single()
    assert generic is not None and total == generic["n"] > 0
    with roundtrips.counting() as counter:  # any filter at all: the generic statement
        assert await cases.count(province, CaseFilter(viewer="water_resources")) < total
    assert counter.statements == ["cases.count"]


@pytest.mark.parametrize("sort", list(MineSort))
@pytest.mark.parametrize(
    "mine_filter",
    [
        MineFilter(),
        MineFilter(prefectures=["lanzhou", "jinchang"]),
        MineFilter(scales=["SMALL"], statuses=["LISTED", "UNDER_RECTIFICATION"]),
        MineFilter(prefectures=["lanzhou"], scales=["SMALL", "MEDIUM"], statuses=["LISTED"]),
    ],
    ids=["none", "prefectures", "scale+status", "all three"],
)
async def test_a_page_by_indexed_filters_alone_reads_as_the_generic_statement_does(
    province: Engine, sort: MineSort, mine_filter: MineFilter
) -> None:
    shape = mine_filter.plain_shape()
    assert shape is not None
    generic = mines.PAGES[mines._SORTS[sort].descending, mine_filter.anchor()]
    plain = mines.PLAIN_PAGES[sort, shape, False]
    brief = mines.PLAIN_PAGES[sort, shape, True]
    params = {**mine_filter.params(), "sort": sort.value, "afterKey": None, "afterId": None}

    async def same_page(page: dict[str, object]) -> list[dict[str, Any]]:
        expected = (await province.read(generic, page)).records
        assert (await province.read(plain, page)).records == expected
        briefs = (await province.read(brief, page)).records
        assert briefs == [{k: r[k] for k in briefs[0]} for r in expected] if expected else []
        assert not expected or len(briefs[0]) == len(dataclasses.fields(MineBrief)) + 1
        return expected

    first = await same_page({**params, "limit": 2})
    assert len(first) == 2
    last = first[-1]
    after = {**params, "afterKey": last["sort_key"], "afterId": last["licence_number"]}
    second = await same_page({**after, "limit": 2})
    assert second and second[0] != last
    count = (await province.read(mines.COUNTS[mine_filter.anchor()], params)).single()
    assert (await province.read(mines.PLAIN_COUNTS[shape], params)).single() == count


async def test_a_filter_beyond_the_indexed_ones_takes_the_generic_statements() -> None:
    assert MineFilter(prefectures=["lanzhou"], scales=["SMALL"]).plain_shape() == (
        "prefecture", "scale",
    )  # fmt: skip
    assert MineFilter().plain_shape() == ()
    for other in [{"mineral": "煤"}, {"text": "矿"}, {"stages": ["PRODUCING"]},
                  {"listed_from": "2024-01-01"}, {"synthetic": True}]:  # fmt: skip
        assert MineFilter(prefectures=["lanzhou"], **other).plain_shape() is None  # type: ignore[arg-type]


async def test_the_filter_starts_from_the_most_selective_index_it_constrains() -> None:
    assert MineFilter().anchor() is None
    assert MineFilter(prefectures=["jinchang"], scales=["LARGE"]).anchor() == "prefecture"
    assert MineFilter(scales=["LARGE"], statuses=["LISTED"]).anchor() == "scale"
    assert MineFilter(statuses=["LISTED"], mineral="煤").anchor() == "status"


def test_no_schema_extension_hooks_into_every_field() -> None:
    from greenmine.observability import OperationObserver
    from schema.root import build_schema

    schema = build_schema(introspection=False, observers=[OperationObserver])
    extensions = schema.get_extensions()
    assert len(extensions) >= 3
    for extension in extensions:
        # `resolve` runs once per field of every response: a page of 50 mines has thousands
        assert type(extension).resolve is SchemaExtension.resolve, type(extension).__name__


def test_record_strings_become_enum_members_and_a_stranger_is_refused_as_by_the_enum() -> None:
    scale = mine_types._by_value(MineScale)
    assert scale("LARGE") is MineScale.LARGE
    with pytest.raises(ValueError, match="HUGE"):
        scale("HUGE")


def _running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return stat.rsplit(b")", 1)[1].split()[0] != b"Z"


@pytest.mark.skipif(sys.platform != "linux", reason="the parent-death signal is Linux's")
def test_a_benchmark_killed_outright_leaves_no_server_behind(tmp_path: Path) -> None:
    # the benchmark starts `greenmine serve` (which owns an embedded database) per size and
    # stops it when done; killed before then, it must not leave them running
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from greenmine.bench_processes import Server\n"
        "server = Server.start(Path(sys.argv[1]), workers=1)\n"
        "print(server.process.pid, server.engine_pid(), flush=True)\n"
        "time.sleep(120)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_URI"}
    bench = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path)],
        stdout=subprocess.PIPE, env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        assert bench.stdout is not None
        serve_pid, engine_pid = (int(p) for p in bench.stdout.readline().split())
        assert _running(serve_pid) and _running(engine_pid)
    finally:
        bench.kill()
        bench.wait()
        if bench.stdout is not None:
            bench.stdout.close()
    deadline = time.monotonic() + 30
    while (_running(serve_pid) or _running(engine_pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(serve_pid), "greenmine serve outlived the benchmark"
    assert not _running(engine_pid), "its database outlived the benchmark"
