"""`greenmine bench scale`: the service's cost curve over provinces of 500 to 50,000 mines.

For each size N, in one run on one machine:

1. the data: a synthetic province of N mines (`seed/demo/`) with routine supervision's cases,
   about one a mine (`--cases-per-mine`, `seed/demo/routine_cases.py`), loaded once into its
   own data directory under the bench directory and kept there (a marker file records the
   load), so later runs and an interrupted run start from it; the load's rate is recorded;
2. a real `greenmine serve` (one worker) on loopback over that directory, timed from spawn to
   ready (that includes loading the data set);
3. `route` over HTTP, and the raw engine round trip of the same traversal;
4. a front end's mines page over HTTP (50 per page, filtered by prefecture and scale, with each
   mine's prefecture, licences, history and count of open cases) beside the best single
   hand-written statement for
   the same data (`graph/benchmarks.py`), and the page at 10, 50 and 100 per page;
5. `targets` over HTTP and the screening of the whole province (the use case
   `greenmine screen` runs), pages of the `screening` list over HTTP (20 flagged mines a
   page, the first five pages) and of the `cases` list (20 a page, newest first, the first
   five pages: every case matches, so each page sorts them all);
6. the resident memory of the API process and of the database;
7. `route` throughput from several concurrent clients, with 1 and with 2 uvicorn workers.

Each run's figures are appended to `<bench dir>/results.json`; the report shows, per size and
measurement, the median over runs and the spread (lowest-highest).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from graph import benchmarks, routing
from graph.engine import Engine
from graph.engines import open_engine
from graph.statements import Statement
from graph.values import Result, WriteStats
from greenmine import heap
from greenmine.bench_processes import (
    Connection,
    CpuMeter,
    Memory,
    Request,
    Server,
    Stats,
    Throughput,
    check,
    concurrent,
    memory,
    sequential,
)
from greenmine.config import Settings
from resolvers.auth import Role, issue_token
from resolvers.context import Context
from resolvers.routing import MATCHERS, details_params
from resolvers.screening import screen_all
from seed.demo.loader import DEFAULT_SEED, Progress, load_demo
from seed.loader import ensure_seeded

DEFAULT_SIZES = (500, 5_000, 50_000)
DEFAULT_DIR = Path("bench/scale")
#: bump when the generator's output changes, so cached data directories are rebuilt
DATA_VERSION = 2
#: cases a mine on average in the benchmark's provinces (the demo's stories and routine
#: supervision's cases): 50,000 mines come to about 2.5 million nodes and relationships
CASES_PER_MINE = 1.0
#: the states of a case still open (filed, or referred and waiting for a decision)
OPEN_CASE_STATES = ("OPEN", "REFERRED")
PAGE_SIZE = 50
PAGE_SIZES = (10, 50, 100)

SENTENCES = (
    "尾矿库防渗没做，污染地下水",
    "排土场水土流失严重",
    "安全许可证过期还在生产",
    "绿色矿山投融资项目库怎么入库",
    "The tailings pond is leaking into the groundwater",
)

ROUTE_QUERY = """
query Route($text: String!) {
  route(text: $text) {
    department { code nameZh liaison { name } }
    score duty { code titleZh } removalCondition { number }
    matchedTerms explanation clause { ref textZh }
  }
}
"""

PAGE_QUERY = """
query MinesPage($first: Int!, $filter: MineFilter) {
  mines(first: $first, filter: $filter, sort: LICENCE_NUMBER_ASC) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      licenceNumber name company mineral scale stage county status statusSince listedOn
      prefecture { code nameZh }
      licences { kind number validFrom validUntil }
      history { seq action toStatus occurredOn }
      cases(filter: {states: [OPEN, REFERRED]}) { totalCount }
    } }
  }
}
"""

SCREENING_PAGE_QUERY = """
query ScreeningPage($after: String) {
  screening(first: 20, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { licenceNumber name statusAsOf flags { kind since detailZh } } }
  }
}
"""
CASES_PAGE_QUERY = """
query CasesPage($after: String) {
  cases(first: 20, after: $after) {
    pageInfo { hasNextPage endCursor }
    edges { node { id state licenceNumber prefectureCode foundOn filedOn description } }
  }
}
"""
#: the pages of a list measured: the first ones, each after the one before
FIRST_PAGES = 5

TARGETS_QUERY = """
query Targets {
  targets {
    mines newMinesOverdue
    byScale { scale licensedProducing meetingStandard share target shortfall }
    byPrefecture { prefecture { code } mines byScale { scale licensedProducing meetingStandard } }
  }
}
"""


@dataclass(frozen=True)
class Options:
    bench_dir: Path = DEFAULT_DIR
    seed: int = DEFAULT_SEED
    requests: int = 300
    slow_repeats: int = 5
    clients: int = 8
    load_seconds: float = 8.0
    worker_counts: tuple[int, ...] = (1, 2)
    cases_per_mine: float = CASES_PER_MINE


@dataclass(frozen=True)
class LoadRecord:
    """How the data directory of one size was loaded (kept in its marker file)."""

    mines: int
    seed: int
    version: int
    cases_per_mine: float
    cases: int
    referrals: int
    nodes: int
    relationships: int
    generate_seconds: float
    write_seconds: float
    compact_seconds: float
    loaded_at: str

    @property
    def per_second(self) -> float:
        return (self.nodes + self.relationships) / self.write_seconds if self.write_seconds else 0


@dataclass
class Run:
    """One run's figures for one size (times in ms unless named otherwise)."""

    mines: int
    started_at: str
    load_before: float
    load_after: float
    ready_seconds: float
    route_http: Stats
    route_raw: Stats
    page_http: Stats
    page_by_hand: Stats
    #: over HTTP and straight from the engine in turn, one of each at a time (`_in_turn`): both
    #: see the same moment of a shared machine, so their ratio does not drift with it
    page_alternating: Stats
    by_hand_alternating: Stats
    route_alternating: Stats
    route_raw_alternating: Stats
    page_in_process: Stats
    page_execution_only: Stats
    page_rows: float
    page_total: float
    page_sizes: dict[str, Stats]
    targets_http: Stats
    screen: Stats
    screening_page_http: Stats
    cases_page_http: Stats
    flagged: int
    api_memory: Memory
    engine_memory: Memory
    throughput: list[Throughput]


def data_dir(options: Options, size: int) -> Path:
    return options.bench_dir / f"mines-{size}"


def _settings(directory: Path) -> Settings:
    return Settings.from_environ({**os.environ, "GREENMINE_DATA_DIR": str(directory)})


def _marker(directory: Path) -> Path:
    return directory / "loaded.json"


def cached_load(options: Options, size: int) -> LoadRecord | None:
    try:
        record = LoadRecord(**json.loads(_marker(data_dir(options, size)).read_text()))
    except (OSError, ValueError, TypeError):
        return None
    wanted = (size, options.seed, DATA_VERSION, options.cases_per_mine)
    if (record.mines, record.seed, record.version, record.cases_per_mine) != wanted:
        return None
    return record


def prepare(options: Options, size: int, progress: Progress | None) -> tuple[LoadRecord, bool]:
    """The data directory of `size` mines: reused when its marker says it is complete, else
    rebuilt from nothing (a load that was interrupted left no marker). True if it was loaded."""
    cached = cached_load(options, size)
    if cached is not None:
        return cached, False
    directory = data_dir(options, size)
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)

    async def load() -> LoadRecord:
        engine = open_engine(_settings(directory), attach=False)
        try:
            await ensure_seeded(engine)
            report = await load_demo(
                engine,
                mines_count=size,
                seed=options.seed,
                progress=progress,
                cases_per_mine=options.cases_per_mine,
            )
        finally:
            await engine.close()
        total: WriteStats = report.total
        return LoadRecord(
            mines=size,
            seed=options.seed,
            version=DATA_VERSION,
            cases_per_mine=options.cases_per_mine,
            cases=report.rows("cases"),
            referrals=report.rows("referrals"),
            nodes=total.nodes_created,
            relationships=total.relationships_created,
            generate_seconds=round(report.generate_seconds, 2),
            write_seconds=round(report.write_seconds, 2),
            compact_seconds=round(report.compact_seconds, 2),
            loaded_at=_now(),
        )

    record = asyncio.run(load())
    _marker(directory).write_text(json.dumps(asdict(record), indent=2))
    return record, True


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _load_average() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return float("nan")


async def _timed(
    work: Callable[[], Awaitable[object]], times: int, warmup: int, meter: CpuMeter | None = None
) -> Stats:
    for _ in range(warmup):
        await work()
    if meter is not None:
        meter.start()
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        await work()
        samples.append((time.perf_counter() - started) * 1000)
    return Stats.of(samples, meter.per(times) if meter is not None else None)


@dataclass(frozen=True)
class _PageFilter:
    prefecture: str
    scale: str

    def variables(self, first: int = PAGE_SIZE) -> dict[str, object]:
        return {"first": first, "filter": {"prefectures": [self.prefecture],
                                           "scales": [self.scale]}}  # fmt: skip


PICK_FILTERS = """
MATCH (m:Mine)
RETURN m.prefecture AS prefecture, m.scale AS scale, count(*) AS n
ORDER BY n DESC, prefecture, scale
LIMIT 4
"""


class _Recorded:
    """An engine that answers each read it has seen once from memory: executing the page
    through the schema over it measures GraphQL execution alone (resolvers, DataLoaders,
    graphql-core), without the database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.name = engine.name
        self.seen: dict[tuple[str, str], Result] = {}

    async def read(self, statement: Statement, params: Mapping[str, Any] | None = None) -> Result:
        key = (statement.name, json.dumps(params, sort_keys=True, default=str))
        if key not in self.seen:
            self.seen[key] = await self.engine.read(statement, params)
        return self.seen[key]


async def _pages_in_process(
    engine: Engine, options: Options, filters: list[_PageFilter], token: str, meter: CpuMeter
) -> dict[str, Stats]:
    """The page through the schema in this process: on the engine, and on recorded answers."""
    from schema.root import schema

    heap.settle()  # the schema's start-up allocations frozen, as in the server
    settings = _settings(Path("."))

    def run(graph: Any) -> Callable[[], Awaitable[object]]:
        turn = iter(range(10**9))

        async def page() -> object:
            f = filters[next(turn) % len(filters)]
            context = Context(engine=graph, settings=settings, authorization=f"Bearer {token}")
            result = await schema.execute(
                PAGE_QUERY, variable_values=f.variables(), context_value=context
            )
            if result.errors:
                raise RuntimeError(f"the mines page failed: {result.errors}")
            return result

        return page

    times = max(30, options.requests // 3)
    return {
        "page_in_process": await _timed(run(engine), times, 10, meter),
        "page_execution_only": await _timed(run(_Recorded(engine)), times, 10, meter),
    }


@dataclass(frozen=True)
class _Straight:
    """What the API's `route` and page are compared with, straight from the engine: the raw
    statement `route` sends, and the hand-written page, each for the i-th sentence or filter."""

    engine: Engine
    route_params: list[dict[str, object]]
    filters: list[_PageFilter]

    @classmethod
    async def prepare(cls, engine: Engine, filters: list[_PageFilter]) -> _Straight:
        matcher = await MATCHERS.get(engine)
        return cls(engine, [details_params(matcher.match(t, 3)) for t in SENTENCES], filters)

    async def route(self, i: int) -> object:
        params = self.route_params[i % len(self.route_params)]
        return await self.engine.read(routing.ROUTE_DETAILS, params)

    async def page(self, i: int) -> object:
        f = self.filters[i % len(self.filters)]
        return await benchmarks.mines_page_by_hand(
            self.engine,
            prefectures=[f.prefecture],
            scales=[f.scale],
            case_states=OPEN_CASE_STATES,
            limit=PAGE_SIZE,
        )


async def _in_process(
    engine: Engine, options: Options, filters: list[_PageFilter], meter: CpuMeter
) -> dict[str, Any]:
    """What this process measures straight on the engine (attached to the server's)."""
    straight = await _Straight.prepare(engine, filters)
    turn = iter(range(10**9))

    async def route_raw() -> object:
        return await straight.route(next(turn))

    pages = iter(range(10**9))

    async def by_hand() -> object:
        return await straight.page(next(pages))

    flagged = 0

    async def screen() -> object:
        nonlocal flagged
        context = Context(engine=engine, settings=Settings())
        flagged = len(await screen_all(context))
        return flagged

    return {
        "route_raw": await _timed(route_raw, options.requests, 30, meter),
        "page_by_hand": await _timed(by_hand, options.requests, 20, meter),
        "screen": await _timed(screen, options.slow_repeats, 1, meter),
        "flagged": flagged,
    }


async def _in_turn(
    port: int, requests: list[Request], direct: Callable[[int], Awaitable[object]], times: int
) -> tuple[Stats, Stats]:
    """Each request over HTTP, then `direct(i)` (the same data straight from the engine), in
    turn, after 10 of each untimed: the two latencies, taken at the same moments."""
    connection = await Connection.open(port)
    raws = [request.encode() for request in requests]
    over_http: list[float] = []
    straight: list[float] = []
    try:
        for i in range(10 + times):
            started = time.perf_counter()
            status, body = await connection.send(raws[i % len(raws)])
            http_ms = (time.perf_counter() - started) * 1000
            check(status, body)
            started = time.perf_counter()
            await direct(i)
            direct_ms = (time.perf_counter() - started) * 1000
            if i >= 10:
                over_http.append(http_ms)
                straight.append(direct_ms)
    finally:
        await connection.close()
    return Stats.of(over_http), Stats.of(straight)


async def _page_filters(engine: Engine) -> list[_PageFilter]:
    rows = (await engine.read_only_text(PICK_FILTERS)).records
    return [_PageFilter(str(r["prefecture"]), str(r["scale"])) for r in rows]


async def _token(engine: Engine) -> str:
    issued = await issue_token(
        engine, user="bench", role=Role.ANALYST, department="natural_resources", days=1
    )
    return issued.token


def measure(options: Options, size: int, say: Callable[[str], None]) -> Run:
    """One run at one size (its data directory must be prepared)."""
    directory = data_dir(options, size)
    load_before = _load_average()
    started_at = _now()
    say(f"  starting greenmine serve on {directory} (1 worker)")
    server = Server.start(directory, workers=1)
    try:
        say(f"  ready in {server.ready_seconds:.1f} s; measuring in-process reads")

        async def setup() -> tuple[str, list[_PageFilter], dict[str, Any]]:
            engine = open_engine(_settings(directory), attach=True)
            try:
                token = await _token(engine)
                filters = await _page_filters(engine)
                meter = CpuMeter([], server.engine_pid())  # this process is the client
                # as the server does once started: its collections must not weigh on timings
                heap.settle()
                local = await _in_process(engine, options, filters, meter)
                local.update(await _pages_in_process(engine, options, filters, token, meter))
                return token, filters, local
            finally:
                await engine.close()

        token, filters, local = asyncio.run(setup())
        say("  measuring over HTTP: route, the mines page, page sizes, targets, other lists")
        routes = [Request.graphql(ROUTE_QUERY, {"text": t}) for t in SENTENCES]
        pages = [Request.graphql(PAGE_QUERY, f.variables(), token=token) for f in filters]
        targets = [Request.graphql(TARGETS_QUERY, {}, token=token)]
        screening_pages = asyncio.run(_first_pages(server.port, token, SCREENING_PAGE_QUERY))
        cases_pages = asyncio.run(_first_pages(server.port, token, CASES_PAGE_QUERY))

        async def over_http() -> dict[str, Any]:
            def times(requests: list[Request], count: int) -> list[Request]:
                return requests * max(1, count // len(requests))

            port, n = server.port, options.requests
            meter = CpuMeter(server.api_pids(), server.engine_pid())
            sizes = {}
            for first in PAGE_SIZES:
                sized = [Request.graphql(PAGE_QUERY, f.variables(first), token=token)
                         for f in filters]  # fmt: skip
                sizes[str(first)] = await sequential(port, times(sized, n // 3), 10, meter)
            return {
                "route_http": await sequential(port, times(routes, n), 30, meter),
                "page_http": await sequential(port, times(pages, n), 20, meter),
                "page_sizes": sizes,
                "targets_http": await sequential(
                    port, times(targets, options.slow_repeats), 1, meter
                ),
                "screening_page_http": await sequential(
                    port, times(screening_pages, n // 3), len(screening_pages), meter
                ),
                "cases_page_http": await sequential(
                    port, times(cases_pages, n // 3), len(cases_pages), meter
                ),
            }

        http = asyncio.run(over_http())

        async def alternating() -> dict[str, Stats]:
            engine = open_engine(_settings(directory), attach=True)
            try:
                straight = await _Straight.prepare(engine, filters)
                n = options.requests
                route_http, route_raw = await _in_turn(server.port, routes, straight.route, n)
                page_http, page_by_hand = await _in_turn(server.port, pages, straight.page, n)
                return {
                    "route_alternating": route_http,
                    "route_raw_alternating": route_raw,
                    "page_alternating": page_http,
                    "by_hand_alternating": page_by_hand,
                }
            finally:
                await engine.close()

        say("  route and the page, each in turn with the statement they stand for")
        in_turn = asyncio.run(alternating())
        page_rows, page_total = asyncio.run(_page_shape(server.port, pages))
        api_memory = memory(server.api_pids())
        engine_memory = memory([server.engine_pid()])
        say(f"  throughput: {options.clients} clients for {options.load_seconds:.0f} s")
        throughput = [asyncio.run(concurrent(server.port, routes, clients=options.clients,
                                             seconds=options.load_seconds, workers=1))]  # fmt: skip
    finally:
        server.stop()
    for workers in options.worker_counts:
        if workers == 1:
            continue
        say(f"  throughput with {workers} workers")
        many = Server.start(directory, workers=workers)
        try:
            throughput.append(asyncio.run(concurrent(many.port, routes, clients=options.clients,
                                                     seconds=options.load_seconds,
                                                     workers=workers)))  # fmt: skip
        finally:
            many.stop()
    return Run(
        mines=size,
        started_at=started_at,
        load_before=load_before,
        load_after=_load_average(),
        ready_seconds=round(server.ready_seconds, 2),
        route_http=http["route_http"],
        route_raw=local["route_raw"],
        page_http=http["page_http"],
        page_by_hand=local["page_by_hand"],
        page_alternating=in_turn["page_alternating"],
        by_hand_alternating=in_turn["by_hand_alternating"],
        route_alternating=in_turn["route_alternating"],
        route_raw_alternating=in_turn["route_raw_alternating"],
        page_in_process=local["page_in_process"],
        page_execution_only=local["page_execution_only"],
        page_rows=page_rows,
        page_total=page_total,
        page_sizes=http["page_sizes"],
        targets_http=http["targets_http"],
        screen=local["screen"],
        flagged=int(local["flagged"]),
        screening_page_http=http["screening_page_http"],
        cases_page_http=http["cases_page_http"],
        api_memory=api_memory,
        engine_memory=engine_memory,
        throughput=throughput,
    )


async def _first_pages(port: int, token: str, query: str) -> list[Request]:
    """The first `FIRST_PAGES` pages of the list `query` asks for (its one field, paged by
    `$after`), each after the one before; fewer when the list has fewer."""
    connection = await Connection.open(port)
    requests: list[Request] = []
    after: str | None = None
    try:
        while len(requests) < FIRST_PAGES:
            request = Request.graphql(query, {"after": after}, token=token)
            requests.append(request)
            answer = check(*await connection.send(request.encode()))
            data: Any = answer["data"]
            info = next(iter(data.values()))["pageInfo"]
            if not info["hasNextPage"]:
                break
            after = str(info["endCursor"])
    finally:
        await connection.close()
    return requests


async def _page_shape(port: int, pages: list[Request]) -> tuple[float, float]:
    """How many mines the measured pages hold, and how many their filters match, on average."""
    connection = await Connection.open(port)
    rows = totals = 0
    try:
        for request in pages:
            answer = check(*await connection.send(request.encode()))
            mines = answer["data"]["mines"]  # type: ignore[index]
            rows += len(mines["edges"])
            totals += int(mines["totalCount"])
    finally:
        await connection.close()
    return rows / len(pages), totals / len(pages)


# -- results -------------------------------------------------------------------------------


def results_path(options: Options) -> Path:
    return options.bench_dir / "results.json"


def machine() -> dict[str, object]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
    }


def save(options: Options, run: Run, load: LoadRecord) -> None:
    path = results_path(options)
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError):
        stored = {"runs": [], "loads": {}}
    stored["runs"].append({**asdict(run), "machine": machine()})
    stored["loads"][str(load.mines)] = asdict(load)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stored, indent=1, ensure_ascii=False))


def load_results(options: Options) -> dict[str, Any]:
    try:
        stored: dict[str, Any] = json.loads(results_path(options).read_text())
        return stored
    except (OSError, ValueError):
        return {"runs": [], "loads": {}}
