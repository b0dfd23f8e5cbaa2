"""The traffic of a load run (`greenmine bench load`): several clients send GraphQL requests back
to back (closed loop, no think time) until a deadline, each request's kind drawn at random by
weight from a seeded generator, and every answer is timed and checked.

Reads: `route` (anonymous), a page of `mines` (anonymous or with a token, sometimes the next page
too), one `mine` with its licences, history and cases, `targets`, a page of `cases` (an officer),
a page of `auditTrail` (an analyst). Writes, with issued tokens: `registerMine` (an officer of
Natural Resources; fresh licence numbers), `fileCase` (officers of several departments, against
the demo's mines and the ones registered during the run, citing a condition or routed from the
description), `recordSpotCheckResult` (an admin, for the mines of this year's current draw, each
mine once) and `drawSpotCheckSample` (a fresh draw whenever every sampled mine has a result).
Writes are planned so that none can conflict with another: a conflict would be a real error.

A request fails when the HTTP status is not 200, the answer carries `errors`, the data is not
what was asked for, or the request itself fails (connection, timeout).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import httpx

from graph.reconciliation import Kept
from greenmine.load_stats import Sample


class Kind(StrEnum):
    ROUTE = "route"
    MINES_PAGE = "mines page"
    MINE = "mine detail"
    TARGETS = "targets"
    CASES_PAGE = "cases page"
    AUDIT_TRAIL = "audit trail"
    REGISTER_MINE = "registerMine"
    FILE_CASE = "fileCase"
    SPOT_CHECK = "recordSpotCheckResult"
    DRAW = "drawSpotCheckSample"


WRITES = frozenset({Kind.REGISTER_MINE, Kind.FILE_CASE, Kind.SPOT_CHECK, Kind.DRAW})

#: how often each kind is chosen (draws follow from spot checks, so they have no weight)
WEIGHTS: dict[Kind, int] = {
    Kind.ROUTE: 25,
    Kind.MINES_PAGE: 15,
    Kind.MINE: 10,
    Kind.TARGETS: 8,
    Kind.CASES_PAGE: 6,
    Kind.AUDIT_TRAIL: 4,
    Kind.REGISTER_MINE: 10,
    Kind.FILE_CASE: 12,
    Kind.SPOT_CHECK: 10,
}

#: problems as officers type them; each routes to a department (so a case can be filed on it)
PROBLEMS = (
    "尾矿库防渗没做，污染地下水",
    "排土场水土流失严重",
    "安全许可证过期还在生产",
    "越界开采，擅自改变开采方式",
    "临时占用林地到期后没有恢复植被",
)
OUT_OF_DOMAIN = "食堂饭菜太咸"
REPORTERS = ("ecology_environment", "water_resources", "emergency_management", "forestry_grassland")
REQUEST_TIMEOUT_S = 30.0

ROUTE = """query Route($text: String!) { route(text: $text) {
  department { code nameZh liaison { name } } score duty { code titleZh }
  removalCondition { number } matchedTerms explanation clause { ref textZh } } }"""
MINES = """query Mines($after: String, $filter: MineFilter, $sort: MineSort!) {
  mines(first: 20, after: $after, filter: $filter, sort: $sort) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { licenceNumber name mineral scale status prefecture { nameZh } } } } }"""
MINE = """query Mine($licence: String!) { mine(licenceNumber: $licence) {
  licenceNumber name company status statusSince listedOn
  licences { kind number validUntil standing }
  history { seq action fromStatus toStatus occurredOn }
  cases(first: 5) { totalCount edges { node { id state } } } } }"""
TARGETS = """query Targets { targets { asOf mines newMinesOverdue
  byScale { scale licensedProducing meetingStandard share target }
  byPrefecture { prefectureCode mines byScale { scale licensedProducing share } } } }"""
CASES = """query Cases { cases(first: 20) {
  totalCount edges { node { id state licenceNumber filedOn conditionNumber } } } }"""
AUDIT = """query Trail { auditTrail(first: 20) {
  edges { node { at actor role operation summary changed { kind key } } } } }"""
REGISTER = """mutation Register($input: RegisterMineInput!) {
  registerMine(input: $input) { licenceNumber status } }"""
FILE = """mutation File($input: FileCaseInput!) {
  fileCase(input: $input) { id state competentDepartmentCodes } }"""
RESULT = """mutation Result($input: RecordSpotCheckResultInput!) {
  recordSpotCheckResult(input: $input) { id outcome mine { licenceNumber status } } }"""
DRAW = """mutation Draw($input: DrawSpotCheckSampleInput!) {
  drawSpotCheckSample(input: $input) { id sample } }"""
PREFECTURES = "{ prefectures { code } }"
ALL_MINES = """query All($after: String) { mines(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } edges { node { licenceNumber } } } }"""
DRAWS = "query Draws($year: Int) { spotCheckDraws(year: $year) { current } }"


class RequestFailed(Exception):
    pass


@dataclass(frozen=True)
class Tokens:
    admin: str
    analyst: str
    #: an officer of natural_resources (registers mines)
    registrar: str
    #: an officer per reporting department (files cases, reads cases)
    reporters: dict[str, str]


def today() -> dt.date:
    """The server's "today" (it runs on the UTC clock of the same machine)."""
    return dt.datetime.now(dt.UTC).date()


@dataclass
class SpotChecks:
    """This year's sampled mines still to be checked. A mine is handed to one request only; a
    new draw is made only when every sampled mine has been checked and no check is in flight
    (a check against a replaced draw would be refused)."""

    year: int
    drawn: bool
    waiting: deque[str] = field(default_factory=deque)
    in_flight: int = 0
    drawing: bool = False
    draws: int = 0

    def take(self) -> str | None:
        if not self.waiting:
            return None
        self.in_flight += 1
        return self.waiting.popleft()

    def done(self) -> None:
        self.in_flight -= 1

    def may_draw(self) -> bool:
        return not self.waiting and self.in_flight == 0 and not self.drawing


@dataclass
class Traffic:
    tokens: Tokens
    licences: list[str]
    prefectures: list[str]
    spot_checks: SpotChecks
    rng: random.Random
    run_tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8].upper())
    samples: list[Sample] = field(default_factory=list)
    acknowledged: dict[Kept, list[str]] = field(default_factory=lambda: {kind: [] for kind in Kept})
    _serial: int = 0

    def choose(self) -> Kind:
        kinds = list(WEIGHTS)
        return self.rng.choices(kinds, weights=[WEIGHTS[k] for k in kinds])[0]

    def serial(self) -> int:
        self._serial += 1
        return self._serial

    async def client(self, http: httpx.AsyncClient, deadline: float) -> None:
        """Requests back to back until the deadline (at least one)."""
        while True:
            await self.one(http, self.choose())
            if time.monotonic() >= deadline:
                return

    async def one(self, http: httpx.AsyncClient, kind: Kind) -> None:
        if kind is Kind.SPOT_CHECK:
            await self._spot_check(http)
        elif kind in _READS:
            await _READS[kind](self, http)
        elif kind is Kind.REGISTER_MINE:
            await self._register(http)
        elif kind is Kind.FILE_CASE:
            await self._file(http)

    async def call(
        self,
        http: httpx.AsyncClient,
        kind: Kind,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
    ) -> dict[str, Any] | None:
        """Send one request, time it and record it; the data, or None when it failed."""
        headers = {"authorization": f"Bearer {token}"} if token else {}
        started = time.perf_counter()
        error: str | None = None
        data: dict[str, Any] | None = None
        try:
            response = await http.post(
                "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
            )
            data = _data(response)
        except (httpx.HTTPError, RequestFailed, ValueError) as failure:
            error = f"{type(failure).__name__}: {failure}"[:300]
        elapsed = (time.perf_counter() - started) * 1000
        self.samples.append(Sample(kind.value, elapsed, error))
        return data if error is None else None

    # -- reads ------------------------------------------------------------------------------

    async def _route(self, http: httpx.AsyncClient) -> None:
        text = self.rng.choice((*PROBLEMS, OUT_OF_DOMAIN))
        await self.call(http, Kind.ROUTE, ROUTE, {"text": text})

    async def _mines(self, http: httpx.AsyncClient) -> None:
        token = self.rng.choice((None, self.tokens.registrar))
        variables: dict[str, Any] = {
            "filter": {"prefectures": [self.rng.choice(self.prefectures)]},
            "sort": self.rng.choice(("NAME_ASC", "LICENCE_NUMBER_ASC", "STATUS_SINCE_DESC")),
        }
        data = await self.call(http, Kind.MINES_PAGE, MINES, variables, token=token)
        info = data["mines"]["pageInfo"] if data else None
        if info and info["hasNextPage"] and self.rng.random() < 0.3:
            variables["after"] = info["endCursor"]
            await self.call(http, Kind.MINES_PAGE, MINES, variables, token=token)

    async def _mine(self, http: httpx.AsyncClient) -> None:
        licence = self.rng.choice(self.licences)
        token = self.rng.choice(list(self.tokens.reporters.values()))
        await self.call(http, Kind.MINE, MINE, {"licence": licence}, token=token)

    async def _targets(self, http: httpx.AsyncClient) -> None:
        await self.call(http, Kind.TARGETS, TARGETS)

    async def _cases(self, http: httpx.AsyncClient) -> None:
        token = self.rng.choice(list(self.tokens.reporters.values()))
        await self.call(http, Kind.CASES_PAGE, CASES, token=token)

    async def _audit(self, http: httpx.AsyncClient) -> None:
        await self.call(http, Kind.AUDIT_TRAIL, AUDIT, token=self.tokens.analyst)

    # -- writes -----------------------------------------------------------------------------

    async def _register(self, http: httpx.AsyncClient) -> None:
        n = self.serial()
        data = await self.call(
            http,
            Kind.REGISTER_MINE,
            REGISTER,
            {"input": new_mine(self.run_tag, n, self.rng.choice(self.prefectures))},
            token=self.tokens.registrar,
        )
        if data:
            licence = str(data["registerMine"]["licenceNumber"])
            self.acknowledged[Kept.MINE].append(licence)
            self.licences.append(licence)

    async def _file(self, http: httpx.AsyncClient) -> None:
        department = self.rng.choice(sorted(self.tokens.reporters))
        case: dict[str, Any] = {
            "licenceNumber": self.rng.choice(self.licences),
            "reportingDepartmentCode": department,
            "foundOn": (today() - dt.timedelta(days=self.rng.randint(0, 60))).isoformat(),
            "description": self.rng.choice(PROBLEMS),
            "evidence": [{"text": "现场检查笔录（压测）", "reference": f"压测-{self.serial()}"}],
        }
        if self.rng.random() < 0.6:
            case["conditionNumber"] = self.rng.randint(1, 14)
        token = self.tokens.reporters[department]
        data = await self.call(http, Kind.FILE_CASE, FILE, {"input": case}, token=token)
        if data:
            self.acknowledged[Kept.CASE].append(str(data["fileCase"]["id"]))

    async def _spot_check(self, http: httpx.AsyncClient) -> None:
        checks = self.spot_checks
        licence = checks.take()
        if licence is None:
            if checks.may_draw():
                await self._draw(http)
            else:  # the sample is being worked through or drawn: write something else
                await self._register(http)
            return
        try:
            day = today()
            result: dict[str, Any] = {
                "year": checks.year,
                "licenceNumber": licence,
                "checkedOn": day.isoformat(),
                "outcome": "PASSED",
                "departmentCodes": ["ecology_environment"],
            }
            if self.rng.random() < 0.15:
                result |= {
                    "outcome": "FIXABLE_FAILURE",
                    "findings": "排土场边坡复绿不足（压测）",
                    "rectificationDeadline": (day + dt.timedelta(days=90)).isoformat(),
                    "measures": "限期完成复绿",
                }
            data = await self.call(
                http, Kind.SPOT_CHECK, RESULT, {"input": result}, token=self.tokens.admin
            )
            if data:
                self.acknowledged[Kept.RESULT].append(str(data["recordSpotCheckResult"]["id"]))
        finally:
            checks.done()

    async def _draw(self, http: httpx.AsyncClient) -> None:
        checks = self.spot_checks
        checks.drawing = True
        try:
            draw = {
                "year": checks.year,
                "seed": f"load-{self.run_tag}-{checks.draws + 1}",
                "replace": checks.drawn,
            }
            data = await self.call(http, Kind.DRAW, DRAW, {"input": draw}, token=self.tokens.admin)
            if data:
                drawn = data["drawSpotCheckSample"]
                self.acknowledged[Kept.DRAW].append(str(drawn["id"]))
                checks.drawn = True
                checks.draws += 1
                checks.waiting.extend(drawn["sample"])
        finally:
            checks.drawing = False


_READS: dict[Kind, Callable[[Traffic, httpx.AsyncClient], Awaitable[None]]] = {
    Kind.ROUTE: Traffic._route,
    Kind.MINES_PAGE: Traffic._mines,
    Kind.MINE: Traffic._mine,
    Kind.TARGETS: Traffic._targets,
    Kind.CASES_PAGE: Traffic._cases,
    Kind.AUDIT_TRAIL: Traffic._audit,
}


def _data(response: httpx.Response) -> dict[str, Any]:
    if response.status_code != 200:
        raise RequestFailed(f"HTTP {response.status_code}: {response.text[:200]}")
    body = response.json()
    if not isinstance(body, dict):
        raise RequestFailed("the answer is not a JSON object")
    if body.get("errors"):
        first = body["errors"][0]
        code = (first.get("extensions") or {}).get("code")
        raise RequestFailed(f"{code}: {first.get('message')}")
    data = body.get("data")
    if not isinstance(data, dict) or any(value is None for value in data.values()):
        raise RequestFailed(f"the answer has no data: {str(body)[:200]}")
    return data


def new_mine(run_tag: str, n: int, prefecture: str) -> dict[str, Any]:
    """A `RegisterMineInput` for a mine that exists only in this run (its number says so)."""
    number = f"LOAD{run_tag}{n:08d}"
    return {
        "licenceNumber": number,
        "name": f"压测铜矿{run_tag[:4]}{n}",
        "company": "压测矿业有限公司",
        "mineral": "铜矿",
        "scale": ("LARGE", "MEDIUM", "SMALL")[n % 3],
        "stage": "PRODUCING",
        "prefectureCode": prefecture,
        "county": "压测县",
        "productionStart": "2015-06-01",
        "licences": [
            {"kind": "MINING", "validFrom": "2020-01-01", "validUntil": "2030-12-31"},
            {
                "kind": "SAFETY_PRODUCTION",
                "number": f"(甘)FM安许证字[2024]{run_tag}{n}号",
                "validFrom": "2024-01-01",
                "validUntil": "2030-01-01",
            },
            {"kind": "BUSINESS", "number": f"91620{run_tag}{n:08d}", "validFrom": "2015-01-01"},
        ],
    }


async def prepare(
    http: httpx.AsyncClient, tokens: Tokens, *, seed: int, year: int | None = None
) -> Traffic:
    """What the traffic needs to know before it starts: prefectures, mines, this year's draw."""
    year = year or today().year
    prefectures = [p["code"] for p in (await _setup(http, PREFECTURES))["prefectures"]]
    licences: list[str] = []
    after = None
    while True:
        page = (await _setup(http, ALL_MINES, {"after": after}, tokens.admin))["mines"]
        licences += [e["node"]["licenceNumber"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    if not licences:
        raise RequestFailed("the graph has no mines: load the demo province first")
    draws = (await _setup(http, DRAWS, {"year": year}, tokens.admin))["spotCheckDraws"]
    checks = SpotChecks(year=year, drawn=any(d["current"] for d in draws))
    return Traffic(tokens, licences, prefectures, checks, random.Random(seed))


async def _setup(
    http: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any] | None = None,
    token: str | None = None,
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    response = await http.post(
        "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
    )
    return _data(response)


async def warm_up(traffic: Traffic, http: httpx.AsyncClient) -> None:
    """One untimed request of each read, so the first timed ones do not pay for cold caches."""
    for read in _READS.values():
        await read(traffic, http)
    traffic.samples.clear()


ClientFactory = Callable[[], AbstractAsyncContextManager[httpx.AsyncClient]]


async def drive(
    traffic: Traffic, make_client: ClientFactory, *, clients: int, seconds: float
) -> float:
    """Run `clients` clients until `seconds` have passed (requests in flight then finish);
    returns the wall time the traffic took."""

    async def one_client() -> None:
        async with make_client() as http:
            await traffic.client(http, deadline)

    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(one_client() for _ in range(clients)))
    return time.monotonic() - started


def kinds() -> Sequence[str]:
    return [kind.value for kind in Kind]
