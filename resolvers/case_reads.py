"""Reading cases and referrals: one case (if the caller may read it), and Relay pages of cases,
of a mine's cases (first pages of many mines in one statement) and of referrals. What an officer
may read is in `resolvers/case_access.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from graph import cases
from graph.case_model import CaseRecord, ReferralRecord
from graph.cases import CaseFilter, CaseSort, ReferralFilter, ReferralSort
from resolvers import dates
from resolvers.auth import Actor
from resolvers.case_access import may_read, reader, viewer_department
from resolvers.case_steps import check_condition, known_departments
from resolvers.case_workflow import CaseState
from resolvers.context import Context
from resolvers.errors import DomainError, NotFound
from resolvers.loaders import fill
from resolvers.mines import prefectures_exist
from resolvers.pagination import Page, make_page, page_request
from resolvers.ready import MaybeAwaitable, ready

CASES_LIST = "cases"
REFERRALS_LIST = "referrals"


@dataclass(frozen=True)
class CaseQuery:
    """A filter on cases, as the API takes it."""

    mines: list[str] | None = None
    prefectures: list[str] | None = None
    reporting_departments: list[str] | None = None
    departments: list[str] | None = None
    states: list[CaseState] | None = None
    conditions: list[int] | None = None
    found_from: dt.date | None = None
    found_to: dt.date | None = None
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None
    synthetic: bool | None = None
    field_prefix: str = field(default="filter", compare=False)


@dataclass(frozen=True)
class ReferralQuery:
    mines: list[str] | None = None
    prefectures: list[str] | None = None
    from_departments: list[str] | None = None
    conditions: list[int] | None = None
    case_states: list[CaseState] | None = None
    referred_from: dt.date | None = None
    referred_to: dt.date | None = None


async def readable_case(ctx: Context, case_id: str, *, field: str = "id") -> CaseRecord:
    """A case the caller may read; NOT_FOUND otherwise (whether it exists is not disclosed)."""
    actor = await reader(ctx, "reading a case")
    record = await ctx.cases.case.load(case_id.strip())
    if record is None or not may_read(actor, record):
        raise NotFound(f"there is no case with id {case_id!r} that you may read", field=field)
    return record


async def case_if_readable(ctx: Context, case_id: str) -> CaseRecord | None:
    """For nested fields: the case, or None when the caller may not read it."""
    actor = await reader(ctx, "reading a case")
    record = await ctx.cases.case.load(case_id)
    return record if record is not None and may_read(actor, record) else None


async def _case_filter(ctx: Context, query: CaseQuery, *, viewer: str | None) -> CaseFilter:
    prefix = query.field_prefix
    await prefectures_exist(ctx, query.prefectures or [], field=f"{prefix}.prefectures")
    for name, codes in (
        ("reportingDepartments", query.reporting_departments),
        ("departments", query.departments),
    ):
        if codes:
            await known_departments(ctx, codes, field=f"{prefix}.{name}")
    return _checked_filter(query, viewer=viewer)


def _checked_filter(query: CaseQuery, *, viewer: str | None) -> CaseFilter:
    """The filter, checked for what needs no round trip (the codes it names are checked by
    `_case_filter`)."""
    prefix = query.field_prefix
    for number in query.conditions or []:
        check_condition(number, field=f"{prefix}.conditions")
    dates.range_in_order(
        query.found_from,
        query.found_to,
        start_field=f"{prefix}.foundFrom",
        end_field=f"{prefix}.foundTo",
    )
    dates.range_in_order(
        query.filed_from,
        query.filed_to,
        start_field=f"{prefix}.filedFrom",
        end_field=f"{prefix}.filedTo",
    )
    return CaseFilter(
        viewer=viewer,
        mines=[m.strip().upper() for m in query.mines] if query.mines is not None else None,
        prefectures=query.prefectures,
        reporting_departments=query.reporting_departments,
        departments=query.departments,
        states=[s.value for s in query.states] if query.states is not None else None,
        conditions=query.conditions,
        found_from=_iso(query.found_from),
        found_to=_iso(query.found_to),
        filed_from=_iso(query.filed_from),
        filed_to=_iso(query.filed_to),
        synthetic=query.synthetic,
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


async def page_of_cases(
    ctx: Context, *, first: int | None, after: str | None, query: CaseQuery, sort: CaseSort
) -> Page[CaseRecord]:
    actor = await reader(ctx, "reading cases")
    request = page_request(first, after, list_name=CASES_LIST, sort=sort.value)
    case_filter = await _case_filter(ctx, query, viewer=viewer_department(actor))
    rows = await cases.page(
        ctx.engine,
        case_filter,
        sort,
        after_key=request.after_key,
        after_id=request.after_id,
        limit=request.limit,
        newest=ctx.today(),
    )
    for row in rows:
        ctx.cases.case.prime(row.case.id, row.case)

    async def total() -> int:
        return await cases.count(ctx.engine, case_filter)

    page = make_page(
        rows,
        request,
        list_name=CASES_LIST,
        sort=sort.value,
        key_of=lambda r: r.sort_key,
        id_of=lambda r: r.case.id,
        total=total,
    )
    return Page(
        [r.case for r in page.items], page.cursors, page.has_next, page.has_previous, page.total
    )


async def cases_of_mine(
    ctx: Context,
    licence: str,
    *,
    first: int | None,
    after: str | None,
    query: CaseQuery,
    sort: CaseSort,
) -> Page[CaseRecord]:
    """`Mine.cases`: the first page of every mine of a request loads in one statement (a
    DataLoader per filter); a later page of one mine is a keyset page like `cases`."""
    if after is not None:
        return await page_of_cases(
            ctx, first=first, after=after, query=_for_mine(query, licence), sort=sort
        )
    actor = await reader(ctx, "reading a mine's cases")
    request = page_request(first, None, list_name=CASES_LIST, sort=sort.value)
    case_filter = await _case_filter(ctx, query, viewer=viewer_department(actor))
    records = list(await ctx.cases.mine_cases(case_filter).load(licence))
    # the same order as the keyset statements: by key (either way), then id ascending
    records.sort(key=lambda r: r.id)
    records.sort(
        key=lambda r: cases.case_sort_key(sort, r), reverse=cases.case_sort_descending(sort)
    )
    for record in records:
        ctx.cases.case.prime(record.id, record)
    everything = len(records)
    return make_page(
        records[: request.limit],
        request,
        list_name=CASES_LIST,
        sort=sort.value,
        key_of=lambda r: cases.case_sort_key(sort, r),
        id_of=lambda r: r.id,
        total=lambda: everything,
    )


def count_of_mine(
    ctx: Context, licence: str, *, first: int | None, query: CaseQuery
) -> MaybeAwaitable[int]:
    """`Mine.cases { totalCount }` from the first page: how many of the mine's cases the filter
    lets through, as `cases_of_mine` counts them, without reading the cases (the counts of a
    request's mines load in one statement, a loader per filter). `first` is checked as for a
    page, so a bad one is refused the same way. Answered without an await when the counts are
    loaded already (a page of mines loads them with itself: `count_cases_of`)."""
    counter = _counter_now(ctx, first=first, query=query)
    if counter is not None:
        return ready(counter, licence)
    return _count_later(ctx, licence, first=first, query=query)


async def count_cases_of(
    ctx: Context,
    licences: list[str],
    *,
    first: int | None,
    query: CaseQuery,
    along: Sequence[object] | None = None,
) -> None:
    """Loads the counts `count_of_mine` answers, for many mines at once (one statement).
    `along` names the field they are loaded for, in this execution (a page's mines' `cases`,
    whose every mine asks with the same arguments): each mine's field then finds its count by
    that name alone (`counted_along`), the caller's access and the arguments checked here once
    for all."""
    counter = await _counter(ctx, first=first, query=query)
    if along is not None:
        ctx.cases.counted_along = (along, counter)
    await fill(counter, licences)


def counted_along(
    ctx: Context, along: Sequence[object], licence: str
) -> MaybeAwaitable[int] | None:
    """The mine's count from the counts `count_cases_of` loaded for the field `along` names
    (the very same objects: a parsed query's nodes are shared by every request that sends its
    text); None when none were (the field then counts as `count_of_mine` does)."""
    held = ctx.cases.counted_along
    if held is None or not _same_objects(held[0], along):
        return None
    return ready(held[1], licence)


def _same_objects(these: Sequence[object], those: Sequence[object]) -> bool:
    return len(these) == len(those) and all(a is b for a, b in zip(these, those, strict=True))


async def _count_later(ctx: Context, licence: str, *, first: int | None, query: CaseQuery) -> int:
    return await (await _counter(ctx, first=first, query=query)).load(licence)


async def _counter(ctx: Context, *, first: int | None, query: CaseQuery) -> DataLoader[str, int]:
    actor = await reader(ctx, "reading a mine's cases")
    page_request(first, None, list_name=CASES_LIST, sort=CaseSort.FILED_AT_DESC.value)
    case_filter = await _case_filter(ctx, query, viewer=viewer_department(actor))
    return ctx.cases.mine_case_counts(case_filter)


def _counter_now(
    ctx: Context, *, first: int | None, query: CaseQuery
) -> DataLoader[str, int] | None:
    """`_counter`'s loader when it needs no await: the caller known and signed in, the filter
    naming no prefecture or department (those are checked against the graph). None otherwise,
    and whenever a check fails: `_counter` then reports it as it always has."""
    actor = ctx.known_actor
    if actor is None or actor.is_anonymous:
        return None
    asked = (first, query, actor)
    last = ctx.cases.last_count
    if last is not None and last[0] == asked:
        return last[1]
    counter = _checked_counter(ctx, actor, first=first, query=query)
    ctx.cases.last_count = (asked, counter)
    return counter


def _checked_counter(
    ctx: Context, actor: Actor, *, first: int | None, query: CaseQuery
) -> DataLoader[str, int] | None:
    if query.prefectures or query.reporting_departments or query.departments:
        return None
    try:
        page_request(first, None, list_name=CASES_LIST, sort=CaseSort.FILED_AT_DESC.value)
        case_filter = _checked_filter(query, viewer=viewer_department(actor))
    except DomainError:
        return None
    return ctx.cases.mine_case_counts(case_filter)


def _for_mine(query: CaseQuery, licence: str) -> CaseQuery:
    return CaseQuery(
        mines=[licence],
        prefectures=query.prefectures,
        reporting_departments=query.reporting_departments,
        departments=query.departments,
        states=query.states,
        conditions=query.conditions,
        found_from=query.found_from,
        found_to=query.found_to,
        filed_from=query.filed_from,
        filed_to=query.filed_to,
        synthetic=query.synthetic,
        field_prefix=query.field_prefix,
    )


async def page_of_referrals(
    ctx: Context,
    *,
    first: int | None,
    after: str | None,
    query: ReferralQuery,
    sort: ReferralSort,
) -> Page[ReferralRecord]:
    actor = await reader(ctx, "reading referrals")
    request = page_request(first, after, list_name=REFERRALS_LIST, sort=sort.value)
    await prefectures_exist(ctx, query.prefectures or [], field="filter.prefectures")
    if query.from_departments:
        await known_departments(ctx, query.from_departments, field="filter.fromDepartments")
    for number in query.conditions or []:
        check_condition(number, field="filter.conditions")
    dates.range_in_order(
        query.referred_from,
        query.referred_to,
        start_field="filter.referredFrom",
        end_field="filter.referredTo",
    )
    referral_filter = ReferralFilter(
        viewer=viewer_department(actor),
        mines=[m.strip().upper() for m in query.mines] if query.mines is not None else None,
        prefectures=query.prefectures,
        from_departments=query.from_departments,
        conditions=query.conditions,
        case_states=[s.value for s in query.case_states] if query.case_states else None,
        referred_from=_iso(query.referred_from),
        referred_to=_iso(query.referred_to),
    )
    rows = await cases.referral_page(
        ctx.engine,
        referral_filter,
        sort,
        after_key=request.after_key,
        after_id=request.after_id,
        limit=request.limit,
        newest=ctx.today(),
    )

    async def total() -> int:
        return await cases.referral_count(ctx.engine, referral_filter)

    page = make_page(
        rows,
        request,
        list_name=REFERRALS_LIST,
        sort=sort.value,
        key_of=lambda r: r.sort_key,
        id_of=lambda r: r.referral.id,
        total=total,
    )
    return Page(
        [r.referral for r in page.items], page.cursors, page.has_next, page.has_previous, page.total
    )
