"""A newest-first page of cases or referrals reads a window of days through the sort key's index
before it sorts every matching row: the pages are the same, in the same order; a page reads the
windows it needs and no more."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import pytest
import pytest_asyncio

from graph import cases
from graph.cases import CaseFilter, CaseSort, ReferralFilter, ReferralSort
from graph.engine import Engine
from graph.keyset import WINDOW_DAYS, window_starts
from graph.statements import Statement
from tests.conftest import FIXED_NOW, reseed
from tests.factories import demo_province

MINES = 200
NEWEST = FIXED_NOW.date()
NEWEST_FIRST = [sort for sort in CaseSort if sort.value.endswith("_DESC")]

FILTERS = {
    "every case": CaseFilter(),
    "one prefecture": CaseFilter(prefectures=["zhangye"]),
    "closed cases": CaseFilter(states=["CLOSED"]),
    "one department's cases": CaseFilter(viewer="natural_resources"),
    "no case": CaseFilter(prefectures=["nowhere"]),
}
#: small pages: the demo province has about 20 cases, a few years before FIXED_NOW
LIMIT = 2


class Reads:
    """The engine, noting the name of each statement read through it."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.names: list[str] = []

    async def read(self, statement: Statement, params: Mapping[str, Any] | None = None) -> Any:
        self.names.append(statement.name)
        return await self._engine.read(statement, params)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def province(engine: Engine) -> AsyncIterator[Engine]:
    await demo_province(engine, mines=MINES)
    yield engine
    await reseed(engine)


async def whole_page(engine: Engine, statement: Statement, params: dict[str, Any]) -> list[str]:
    return [row["id"] for row in (await engine.read(statement, params)).records]


#: a page read after a cursor (`afterKey`, `afterId`): its rows' (id, sort key)
PageReader = Callable[[object, str | None], Awaitable[list[tuple[str, str]]]]


async def pages(read: PageReader) -> AsyncIterator[tuple[object, str | None, list[str]]]:
    """Each page of `LIMIT` rows, read after the one before, with the cursor it was read
    after, until a page comes back short."""
    after_key: object = None
    after_id: str | None = None
    while True:
        rows = await read(after_key, after_id)
        yield after_key, after_id, [row_id for row_id, _ in rows]
        if len(rows) < LIMIT:
            return
        after_id, after_key = rows[-1]


@pytest.mark.parametrize("sort", NEWEST_FIRST)
@pytest.mark.parametrize("case_filter", FILTERS.values(), ids=list(FILTERS))
async def test_each_newest_first_page_of_cases_is_the_page_of_every_matching_case_sorted(
    province: Engine, sort: CaseSort, case_filter: CaseFilter
) -> None:
    every = await whole_page(
        province,
        cases.CASE_PAGES[sort],
        {**case_filter.params(), "afterKey": None, "afterId": None, "limit": 10**6},
    )

    async def read(after_key: object, after_id: str | None) -> list[tuple[str, str]]:
        rows = await cases.page(
            province, case_filter, sort,
            after_key=after_key, after_id=after_id, limit=LIMIT, newest=NEWEST,
        )  # fmt: skip
        return [(r.case.id, r.sort_key) for r in rows]

    seen: list[str] = []
    async for after_key, after_id, ids in pages(read):
        params = {
            **case_filter.params(), "afterKey": after_key, "afterId": after_id, "limit": LIMIT
        }  # fmt: skip
        assert ids == await whole_page(province, cases.CASE_PAGES[sort], params)
        seen += ids
    assert seen == every
    if case_filter != FILTERS["no case"]:
        assert len(every) > 2 * LIMIT  # several pages were compared


async def test_each_newest_first_page_of_referrals_is_the_page_of_every_referral_sorted(
    province: Engine,
) -> None:
    sort = ReferralSort.REFERRED_ON_DESC
    everything = ReferralFilter()
    every = await whole_page(
        province,
        cases.REFERRAL_PAGES[sort],
        {**everything.params(), "afterKey": None, "afterId": None, "limit": 10**6},
    )

    async def read(after_key: object, after_id: str | None) -> list[tuple[str, str]]:
        rows = await cases.referral_page(
            province, everything, sort,
            after_key=after_key, after_id=after_id, limit=LIMIT, newest=NEWEST,
        )  # fmt: skip
        return [(r.referral.id, r.sort_key) for r in rows]

    seen = [row_id async for *_, ids in pages(read) for row_id in ids]
    assert seen == every
    assert len(every) > 2 * LIMIT


async def filed(engine: Engine) -> list[tuple[str, str]]:
    """Every case's (filedAt, id), newest first, as the page sorts them."""
    text = "MATCH (c:Case) RETURN c.filedAt AS at, c.id AS id"
    rows = [(str(r["at"]), str(r["id"])) for r in (await engine.read_only_text(text)).records]
    return sorted(rows, key=lambda row: (_descending(row[0]), row[1]))


def _descending(text: str) -> list[int]:
    return [-ord(ch) for ch in text] + [0]


@pytest.mark.parametrize("newest", [NEWEST, dt.date(2023, 1, 8)], ids=["today", "just after"])
@pytest.mark.parametrize("limit", [1, 3, 8])
async def test_a_page_reads_the_nearest_window_that_holds_it_and_no_other(
    province: Engine, limit: int, newest: dt.date
) -> None:
    every = await filed(province)
    window = {
        after: cases.CASE_WINDOWS[CaseSort.FILED_AT_DESC, after].name for after in (False, True)
    }
    whole = cases.CASE_PAGES[CaseSort.FILED_AT_DESC].name
    kinds = set()
    position = 0
    while position < len(every):
        cursor = every[position - 1] if position else None
        starts = window_starts(cursor[0] if cursor else None, newest)
        left = every[position:]
        held = [sum(1 for at, _ in left if at >= start) for start in starts]
        needed = next((i + 1 for i, n in enumerate(held) if n >= limit), None)
        reads = Reads(province)
        rows = await cases.page(
            reads,  # type: ignore[arg-type]
            CaseFilter(), CaseSort.FILED_AT_DESC,
            after_key=cursor[0] if cursor else None, after_id=cursor[1] if cursor else None,
            limit=limit, newest=newest,
        )  # fmt: skip
        assert [r.case.id for r in rows] == [id_ for _, id_ in left[:limit]]
        tried = window[bool(cursor)]
        if needed is None:  # no window holds the page: each is read, then every case
            assert reads.names == [tried] * len(starts) + [whole]
        else:
            assert reads.names == [tried] * needed
        kinds.add(needed)
        position += limit
    # the walk read different numbers of windows; from today, whose windows hold none of the
    # demo's cases, its first page read every case
    assert len(kinds) > 1
    if newest == NEWEST:
        assert None in kinds


def test_windows_reach_back_from_the_cursor_or_from_the_newest_day() -> None:
    assert window_starts(None, dt.date(2026, 3, 10)) == [
        (dt.date(2026, 3, 10) - dt.timedelta(days=d)).isoformat() for d in WINDOW_DAYS
    ]
    assert window_starts("2025-01-31T09:00:00+00:00", dt.date(2026, 3, 10))[0] == "2025-01-27"


def test_a_cursor_without_a_date_reads_every_row() -> None:
    # rows without the key sort last (as ''): no window of days holds them
    assert window_starts("", dt.date(2026, 3, 10)) == []
    assert window_starts("not a date", dt.date(2026, 3, 10)) == []


# FalkorDB's range index on a string property applies a lower bound but not an upper one
# (FalkorDB/FalkorDB#2239: `WHERE c.foundOn <= $to` through the index returns every case). The
# filters keep each bound behind `$x IS NULL OR`, which the planner does not take to the index,
# and a window's upper bound is checked again by the page's cursor condition. These tests fail
# if the upper bound of the two indexed dates a filter bounds (a case's `foundOn`, a referral's
# `referredOn`) is ever left to the index alone.


async def test_an_upper_bound_on_an_indexed_case_date_keeps_only_the_cases_before_it(
    province: Engine,
) -> None:
    every = (
        await province.read(
            cases.CASE_PAGES[CaseSort.FOUND_ON_ASC],
            {**CaseFilter().params(), "afterKey": None, "afterId": None, "limit": 10**6},
        )
    ).records
    days = sorted(row["found_on"] for row in every)
    middle = days[len(days) // 2]
    assert days[0] < middle < days[-1]  # the bound splits the province's cases
    before = await cases.page(
        province, CaseFilter(found_to=middle), CaseSort.FOUND_ON_ASC,
        after_key=None, after_id=None, limit=10**6, newest=NEWEST,
    )  # fmt: skip
    assert [r.case.id for r in before] == [row["id"] for row in every if row["found_on"] <= middle]
    assert await cases.count(province, CaseFilter(found_to=middle)) == len(before)


async def test_an_upper_bound_on_the_referral_date_keeps_only_the_referrals_before_it(
    province: Engine,
) -> None:
    every = await cases.referral_page(
        province, ReferralFilter(), ReferralSort.REFERRED_ON_ASC,
        after_key=None, after_id=None, limit=10**6, newest=NEWEST,
    )  # fmt: skip
    days = sorted(r.referral.referred_on for r in every)
    middle = days[len(days) // 2]
    assert days[0] < middle < days[-1]
    before = await cases.referral_page(
        province, ReferralFilter(referred_to=middle), ReferralSort.REFERRED_ON_ASC,
        after_key=None, after_id=None, limit=10**6, newest=NEWEST,
    )  # fmt: skip
    expected = [r.referral.id for r in every if r.referral.referred_on <= middle]
    assert [r.referral.id for r in before] == expected
