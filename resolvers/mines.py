"""The mine registry: registering mines, updating their licences, reading one mine or a page.

Access rules are in `resolvers/mine_access.py`; the list lifecycle in `resolvers/listing.py`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from graph import mines, prefectures
from graph.errors import ConstraintViolation
from graph.mine_model import EventParams, LicenceRecord, MineRecord
from graph.mines import LicenceParams, MineFilter, MineSort, NewMine
from graph.prefectures import PrefectureRecord
from resolvers import dates, mine_access
from resolvers.auth import Actor, Role, audit_entry, now_iso, require_role
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, Forbidden, NotFound
from resolvers.events import lifecycle_event
from resolvers.lifecycle import Action, ListStatus, transition
from resolvers.loaders import fill, forget
from resolvers.mine_access import LICENCE_ISSUERS, LICENCE_NAMES_ZH, LicenceKind
from resolvers.pagination import Page, make_page, page_request
from resolvers.ready import MaybeAwaitable

T = TypeVar("T")

LICENCE_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,39}$")
MAX_TEXT = 100
MAX_MINERAL = 30
MAX_COUNTY = 40
MAX_LICENCE_NUMBER = 60
MINES_LIST = "mines"


class MineScale(StrEnum):
    LARGE = "LARGE"
    MEDIUM = "MEDIUM"
    SMALL = "SMALL"


class MineStage(StrEnum):
    NEW = "NEW"
    RECONSTRUCTION_EXPANSION = "RECONSTRUCTION_EXPANSION"
    PRODUCING = "PRODUCING"


class LicenceStanding(StrEnum):
    VALID = "VALID"
    NOT_YET_VALID = "NOT_YET_VALID"
    EXPIRED = "EXPIRED"
    REVOKED = "REVOKED"


def standing(licence: LicenceRecord, day: dt.date) -> LicenceStanding:
    """A licence on `day`: revoked, expired (the day after its end date), not yet valid, valid."""
    text = day.isoformat()
    if licence.revoked_on is not None and licence.revoked_on <= text:
        return LicenceStanding.REVOKED
    if licence.valid_until is not None and licence.valid_until < text:
        return LicenceStanding.EXPIRED
    if licence.valid_from is not None and licence.valid_from > text:
        return LicenceStanding.NOT_YET_VALID
    return LicenceStanding.VALID


@dataclass(frozen=True)
class LicenceInput:
    kind: LicenceKind
    number: str | None
    valid_from: dt.date | None
    #: None: no end date (长期), as some business licences have
    valid_until: dt.date | None
    revoked_on: dt.date | None = None


@dataclass(frozen=True)
class Registration:
    licence_number: str
    name: str
    company: str
    mineral: str
    scale: MineScale
    stage: MineStage
    prefecture: str
    county: str
    production_start: dt.date | None
    licences: Sequence[LicenceInput]
    applied_on: dt.date | None = None


@dataclass(frozen=True)
class MineQuery:
    """A filter on mines, as the API takes it."""

    prefectures: list[str] | None = None
    scales: list[MineScale] | None = None
    stages: list[MineStage] | None = None
    statuses: list[ListStatus] | None = None
    mineral: str | None = None
    text: str | None = None
    production_from: dt.date | None = None
    production_to: dt.date | None = None
    listed_from: dt.date | None = None
    listed_to: dt.date | None = None
    synthetic: bool | None = None
    field_prefix: str = field(default="filter", compare=False)


# -- reads ---------------------------------------------------------------------------------


async def all_prefectures(ctx: Context) -> list[PrefectureRecord]:
    return await prefectures.all_prefectures(ctx.engine)


async def prefecture(ctx: Context, code: str, *, field: str) -> PrefectureRecord:
    record = await ctx.mines.prefecture.load(code)
    if record is None:
        known = ", ".join(p.code for p in await prefectures.all_prefectures(ctx.engine))
        raise NotFound(
            f"there is no prefecture with code {code!r}; the codes are: {known}", field=field
        )
    return record


async def prefectures_exist(ctx: Context, codes: Sequence[str], *, field: str) -> None:
    """Every code names a prefecture (one round trip for all of them)."""
    if not codes:  # most filters name none: no loader, no turn of the event loop
        return
    found = await ctx.mines.prefecture.load_many(list(codes))
    for code, record in zip(codes, found, strict=True):
        if record is None:
            await prefecture(ctx, code, field=field)  # raises NOT_FOUND listing the codes


async def existing(ctx: Context, licence_number: str, *, field: str) -> MineRecord:
    """A mine for a change: it must exist (the caller's access was checked already)."""
    record = await ctx.mines.mine.load(licence_number)
    if record is None:
        raise NotFound(f"there is no mine with licence number {licence_number!r}", field=field)
    return record


async def visible(ctx: Context, licence_number: str, *, field: str) -> MineRecord:
    """A mine to read: anonymous callers see only mines on the published list."""
    record = await ctx.mines.mine.load(licence_number)
    actor = await ctx.actor()
    if record is None or (actor.is_anonymous and not mine_access.is_public(record.status)):
        extra = "" if not actor.is_anonymous else " on the published list (sign in for others)"
        raise NotFound(
            f"there is no mine{extra} with licence number {licence_number!r}", field=field
        )
    return record


@dataclass(frozen=True)
class AlongThePage:
    """What the caller asked for beside the page's mines, to load with it, in parallel."""

    total: bool = False
    #: the mines' `MineBrief` columns only, when that is all the page shows of them
    briefs: bool = False
    prefecture: bool = False
    licences: bool = False
    history: bool = False
    #: the history's steps only (`EventBrief`), when that is all the page shows of it
    history_briefs: bool = False
    #: another load for the page's mines (given their licence numbers), started with these
    also: Callable[[list[str]], Awaitable[object]] | None = None


async def page_of_mines(
    ctx: Context,
    *,
    first: int | None,
    after: str | None,
    query: MineQuery,
    sort: MineSort,
    along: AlongThePage = AlongThePage(),
) -> Page[MineRecord]:
    """A page of mines; what `along` names is loaded with it, into the request's loaders, so
    that the nested fields find it there (one round trip per level, as their loaders would
    have batched it, but started together and answered without an await each)."""
    request = page_request(first, after, list_name=MINES_LIST, sort=sort.value)
    # a caller who sent credentials is signed in, or the request fails as a whole: the page is
    # read as for a signed-in caller while they are checked, instead of after
    signing_in = ctx.signing_in
    mine_filter = await _graph_filter(ctx, query, signing_in=signing_in)
    read = mines.page(
        ctx.engine,
        mine_filter,
        sort,
        after_key=request.after_key,
        after_id=request.after_id,
        limit=request.limit,
        brief=along.briefs,
    )
    field = f"{query.field_prefix}.prefectures"

    async def count() -> int:
        return await mines.count(ctx.engine, mine_filter)

    # the total is counted, and the prefectures named are looked up, while the page is read:
    # the database answers them side by side instead of one after the other
    counting = asyncio.ensure_future(count()) if along.total else None
    checks = [_signed_in(ctx)] if signing_in else []
    if query.prefectures:
        checks.append(prefectures_exist(ctx, query.prefectures, field=field))
    try:
        rows = await _checked_while_reading(_in_order(checks), read) if checks else await read
    except BaseException:
        if counting is not None:
            _abandon(counting)
        raise
    for row in rows:
        if row.complete:  # a brief's record has columns left empty: never cached
            ctx.mines.mine.prime(row.mine.licence_number, row.mine)

    total = await _load_along([r.mine for r in rows[: request.first]], ctx, along, counting, count)
    page = make_page(
        rows,
        request,
        list_name=MINES_LIST,
        sort=sort.value,
        key_of=lambda r: r.sort_key,
        id_of=lambda r: r.mine.licence_number,
        total=total,
    )
    return Page(
        [r.mine for r in page.items], page.cursors, page.has_next, page.has_previous, page.total
    )


async def _load_along(
    page: list[MineRecord],
    ctx: Context,
    along: AlongThePage,
    counting: asyncio.Future[int] | None,
    count: Callable[[], Awaitable[int]],
) -> Callable[[], MaybeAwaitable[int]]:
    """Load what `along` names for `page`; returns the total to report: `counting`'s, once
    it and the loads have finished, or `count` to call if the total is asked for after all."""
    licences = [m.licence_number for m in page]
    signed_in = ctx.known_actor is not None and not ctx.known_actor.is_anonymous
    loads: list[Awaitable[object]] = []
    if along.prefecture:
        loads.append(fill(ctx.mines.prefecture, sorted({m.prefecture for m in page})))
    if along.licences and signed_in:
        loads.append(fill(ctx.mines.licences, licences))
    if along.also is not None and signed_in:
        loads.append(along.also(licences))
    if along.history_briefs and signed_in:
        loads.append(fill(ctx.mines.history_briefs, licences))
    elif along.history and signed_in:
        loads.append(fill(ctx.mines.history, licences))
    # a load that fails leaves its failure in the loader: the nested fields report it, each
    # where it is asked for, as they would have had they loaded it themselves
    if counting is None:
        await asyncio.gather(*loads, return_exceptions=True)
        return count
    await asyncio.gather(counting, *loads, return_exceptions=True)
    if counting.exception() is not None:
        return lambda: counting
    counted = counting.result()
    return lambda: counted


def _abandon(task: asyncio.Future[int]) -> None:
    """Cancel `task`; a failure it met first is taken as read (the page's failure is the one
    reported)."""
    task.add_done_callback(lambda done: done.cancelled() or done.exception())
    task.cancel()


async def _signed_in(ctx: Context) -> None:
    await ctx.actor()  # raises for credentials that are not valid


async def _in_order(checks: list[Coroutine[Any, Any, None]]) -> None:
    """The checks, run together; when several fail, the first one's error is reported (bad
    credentials before a bad filter, as when the credentials were checked first)."""
    for outcome in await asyncio.gather(*checks, return_exceptions=True):
        if isinstance(outcome, BaseException):
            raise outcome


async def _checked_while_reading(check: Awaitable[None], read: Awaitable[T]) -> T:
    """`read`'s answer once `check` has passed, the two under way together. The check's error
    is the one reported when both fail: a bad filter is a bad filter, whatever the read did."""
    checking = asyncio.ensure_future(check)
    try:
        answer = await read
    except asyncio.CancelledError:
        checking.cancel()
        raise
    except Exception:
        await checking
        raise
    await checking
    return answer


async def _graph_filter(ctx: Context, query: MineQuery, *, signing_in: bool) -> MineFilter:
    """The filter for the graph, checked for all but its prefectures (`page_of_mines` looks
    those up while it reads); a signed-in caller's when `signing_in` (the caller of this checks
    the credentials)."""
    prefix = query.field_prefix
    statuses = [s.value for s in query.statuses] if query.statuses is not None else None
    if not signing_in and (await ctx.actor()).is_anonymous:
        public = sorted(s.value for s in mine_access.PUBLIC_STATUSES)
        hidden = sorted(set(statuses or ()) - set(public))
        if hidden:
            raise Forbidden(
                f"{prefix}.statuses: mines that are {', '.join(hidden)} are not public; "
                f"anonymous callers see only {', '.join(public)} (sign in for the rest)",
                field=f"{prefix}.statuses",
            )
        statuses = statuses or public
    try:
        dates.range_in_order(
            query.production_from,
            query.production_to,
            start_field=f"{prefix}.productionStartFrom",
            end_field=f"{prefix}.productionStartTo",
        )
        dates.range_in_order(
            query.listed_from,
            query.listed_to,
            start_field=f"{prefix}.listedFrom",
            end_field=f"{prefix}.listedTo",
        )
        text = query.text.strip() if query.text else None
        if text is not None and len(text) > MAX_TEXT:
            raise BadUserInput(
                f"{prefix}.text must be at most {MAX_TEXT} characters", field=f"{prefix}.text"
            )
    except BadUserInput:
        if signing_in:
            await ctx.actor()  # bad credentials are reported first, as when checked first
        # an unknown prefecture is reported first, as when it was checked before these
        await prefectures_exist(ctx, query.prefectures or [], field=f"{prefix}.prefectures")
        raise
    return MineFilter(
        prefectures=query.prefectures,
        scales=[s.value for s in query.scales] if query.scales is not None else None,
        stages=[s.value for s in query.stages] if query.stages is not None else None,
        statuses=statuses,
        mineral=query.mineral,
        text=text or None,
        production_from=_iso(query.production_from),
        production_to=_iso(query.production_to),
        listed_from=_iso(query.listed_from),
        listed_to=_iso(query.listed_to),
        synthetic=query.synthetic,
    )


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


async def licences(ctx: Context, licence_number: str) -> list[LicenceRecord]:
    await mine_access.signed_in(ctx, "reading a mine's licences")
    return await ctx.mines.licences.load(licence_number)


# -- changes -------------------------------------------------------------------------------


def _text(value: str, *, field: str, maximum: int = MAX_TEXT) -> str:
    cleaned = value.strip()
    if not cleaned or len(cleaned) > maximum:
        raise BadUserInput(f"{field} must be 1 to {maximum} characters", field=field)
    return cleaned


def _licence_number(value: str, *, field: str) -> str:
    cleaned = value.strip().upper()
    if not LICENCE_NUMBER.match(cleaned):
        raise BadUserInput(
            f"{field} {value!r} is not a mining-licence number (6 to 40 letters, digits or "
            "hyphens, e.g. C6200002010071120070035)",
            field=field,
        )
    return cleaned


def _licences(
    items: Sequence[LicenceInput], *, mine: str, today: dt.date, prefix: str
) -> list[LicenceParams]:
    seen: set[LicenceKind] = set()
    checked: list[LicenceParams] = []
    for i, item in enumerate(items):
        here = f"{prefix}[{i}]"
        if item.kind in seen:
            raise BadUserInput(
                f"{here}.kind {item.kind.value} is given twice", field=f"{here}.kind"
            )
        seen.add(item.kind)
        if item.kind is LicenceKind.MINING:
            if item.number is not None and item.number.strip().upper() != mine:
                raise BadUserInput(
                    f"{here}.number: the mining licence's number is the mine's id ({mine}); "
                    "a mine with another mining licence is another mine",
                    field=f"{here}.number",
                )
            number = mine
            if item.valid_until is None:
                raise BadUserInput(
                    f"{here}.validUntil: a mining licence has an end date",
                    field=f"{here}.validUntil",
                )
        else:
            if item.number is None:
                raise BadUserInput(
                    f"{here}.number is required for a {item.kind.value} licence",
                    field=f"{here}.number",
                )
            number = _text(item.number, field=f"{here}.number", maximum=MAX_LICENCE_NUMBER)
        dates.range_in_order(
            item.valid_from,
            item.valid_until,
            start_field=f"{here}.validFrom",
            end_field=f"{here}.validUntil",
        )
        if item.revoked_on is not None:
            dates.not_after_today(item.revoked_on, today, field=f"{here}.revokedOn")
            dates.not_before(
                item.revoked_on,
                item.valid_from,
                field=f"{here}.revokedOn",
                what=f"{here}.validFrom",
            )
        checked.append(
            LicenceParams(
                item.kind.value,
                number,
                _iso(item.valid_from),
                _iso(item.valid_until),
                _iso(item.revoked_on),
            )
        )
    return checked


@dataclass(frozen=True)
class CheckedRegistration:
    """A registration that passed the registry's rules, as the graph will store it."""

    mine: NewMine
    licences: list[LicenceParams]
    event: EventParams


def check_registration(
    registration: Registration, *, actor: Actor, at: dt.datetime
) -> CheckedRegistration:
    """The registry's rules on one mine, without the graph (prefecture and duplicates are the
    caller's: they need a round trip). Raises `BadUserInput` naming the first field at fault.
    `registerMine` and the spreadsheet import (`resolvers/mine_import.py`) both go through it."""
    today = at.date()
    licence_number = _licence_number(registration.licence_number, field="input.licenceNumber")
    name = _text(registration.name, field="input.name")
    company = _text(registration.company, field="input.company")
    mineral = _text(registration.mineral, field="input.mineral", maximum=MAX_MINERAL)
    county = _text(registration.county, field="input.county", maximum=MAX_COUNTY)
    if registration.production_start is not None:
        dates.not_after_today(registration.production_start, today, field="input.productionStart")
    if registration.applied_on is not None:
        dates.not_after_today(registration.applied_on, today, field="input.appliedOn")
    licences = _licences(
        registration.licences, mine=licence_number, today=today, prefix="input.licences"
    )
    if not any(lic.kind == LicenceKind.MINING.value for lic in licences):
        raise BadUserInput(
            "input.licences must include the MINING licence (采矿许可证)", field="input.licences"
        )
    applying = registration.applied_on is not None
    step = transition(Action.APPLY if applying else Action.REGISTER)
    event = lifecycle_event(
        step, current=None, occurred_on=registration.applied_on or today, actor=actor, at=at
    )
    new = NewMine(
        licence_number=licence_number,
        name=name,
        company=company,
        mineral=mineral,
        scale=registration.scale.value,
        stage=registration.stage.value,
        prefecture=registration.prefecture,
        county=county,
        production_start=_iso(registration.production_start),
        applied_on=_iso(registration.applied_on),
        registered_at=now_iso(at),
    )
    return CheckedRegistration(new, licences, event)


async def register(ctx: Context, registration: Registration) -> MineRecord:
    actor = await mine_access.registry_officer(ctx, "registering a mine")
    checked = check_registration(registration, actor=actor, at=ctx.clock())
    new, licences, event = checked.mine, checked.licences, checked.event
    licence_number, name = new.licence_number, new.name
    await prefecture(ctx, registration.prefecture, field="input.prefectureCode")
    if await ctx.mines.mine.load(licence_number) is not None:
        raise _duplicate(licence_number)
    audit = audit_entry(
        actor,
        "registerMine",
        f"registered mine {licence_number} {name} ({registration.prefecture})",
        {"mine": new.params(), "licences": [lic.params(licence_number) for lic in licences]},
        at=ctx.clock(),
    )
    try:
        record = await mines.register(ctx.engine, new, licences, event, audit)
    except ConstraintViolation:
        raise _duplicate(licence_number) from None
    if record is None:
        raise NotFound(
            f"there is no prefecture with code {registration.prefecture!r}",
            field="input.prefectureCode",
        )
    ctx.mines.mine.prime(licence_number, record, force=True)
    return record


def _duplicate(licence_number: str) -> Conflict:
    return Conflict(
        f"a mine with licence number {licence_number} is already registered",
        field="input.licenceNumber",
    )


async def update_licences(
    ctx: Context, licence_number: str, items: Sequence[LicenceInput]
) -> MineRecord:
    action = "updating a mine's licences"
    actor = await ctx.actor()
    require_role(actor, Role.OFFICER, Role.ADMIN, action=action)
    if not items:
        raise BadUserInput("input.licences must name at least one licence", field="input.licences")
    for i, item in enumerate(items):
        issuer = LICENCE_ISSUERS[item.kind]
        mine_access.within_remit(
            actor,
            issuer,
            action=f"updating the {item.kind.value} licence ({LICENCE_NAMES_ZH[item.kind]})",
            field=f"input.licences[{i}].kind",
        )
    licence_number = licence_number.strip().upper()
    current = await existing(ctx, licence_number, field="input.licenceNumber")
    checked = _licences(items, mine=licence_number, today=ctx.today(), prefix="input.licences")
    before = {lic.kind: lic for lic in await ctx.mines.licences.load(licence_number)}
    changes = {
        lic.kind: {
            "before": _licence_change(before.get(lic.kind)),
            "after": lic.params(licence_number),
        }
        for lic in checked
    }
    audit = audit_entry(
        actor,
        "updateMineLicences",
        f"licences {', '.join(changes)} of mine {licence_number} updated",
        {"mine": licence_number, "licences": changes},
        at=ctx.clock(),
    )
    record = await mines.update_licences(ctx.engine, current.licence_number, checked, audit)
    if record is None:
        raise NotFound(
            f"there is no mine with licence number {licence_number!r}", field="input.licenceNumber"
        )
    forget(ctx.mines.licences, licence_number)
    ctx.mines.mine.prime(licence_number, record, force=True)
    return record


def _licence_change(record: LicenceRecord | None) -> dict[str, object] | None:
    if record is None:
        return None
    return {
        "number": record.number,
        "validFrom": record.valid_from,
        "validUntil": record.valid_until,
        "revokedOn": record.revoked_on,
    }
