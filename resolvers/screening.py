"""Screening mines against the document's rules by their data, and where the province stands
against its 2028 targets; both "as of" a date (default: today) and over the whole province.

Flags (each names the removal condition or Rule it applies, and the clause):

- LICENCE_MISSING / LICENCE_EXPIRED / LICENCE_REVOKED — removal condition 1, clause 二(四)1:
  one of the three licences is missing, past its end date, or revoked. Checked for mines on the
  list or applying for it (a licence problem of a mine that never applied is not a listing
  matter).
- RECTIFICATION_OVERDUE — Rule overdue_or_failed_rectification_removes, clause 二(三)2: a
  rectification whose deadline passed with no re-check closing it.
- NEW_MINE_VERIFICATION_OVERDUE — Rule new_mine_verification_within, clause 一: a NEW mine
  more than the Rule's years past formal production that has not passed verification.
- PENALTY_NOT_EXECUTED — removal condition 2, clause 二(四)2: an administrative penalty
  (`resolvers/penalties.py`) decided on or before the date whose performance deadline had passed
  without it being carried out — still outstanding, or carried out late (受到行政处罚后在履行期限
  内未执行到位的). Checked, like licences, for mines on or applying for the list.

Adding a kind means a `FlagKind`, its `FlagRule`, a column in `graph/screening.py` and a branch
in `_flags`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from graph import screening
from graph.screening import ScreenRow, ScreenScope, TargetRow
from resolvers import dates, rules
from resolvers.context import Context
from resolvers.errors import NotFound
from resolvers.lifecycle import (
    IN_PIPELINE,
    NEW_MINE_RULE,
    ON_LIST,
    ListStatus,
    removal_clause,
)
from resolvers.mine_access import LICENCE_NAMES_ZH, LicenceKind, signed_in
from resolvers.mines import MineScale, MineStage, all_prefectures, prefectures_exist
from resolvers.pagination import Page, make_page, page_request

SCREENING_LIST = "screening"
SCREENING_SORT = "LICENCE_NUMBER_ASC"
LICENCE_SCOPE: frozenset[ListStatus] = ON_LIST | IN_PIPELINE
TARGET_RULES: dict[MineScale, str] = {
    MineScale.LARGE: "target_2028_large",
    MineScale.MEDIUM: "target_2028_medium",
}


class FlagKind(StrEnum):
    LICENCE_MISSING = "LICENCE_MISSING"
    LICENCE_EXPIRED = "LICENCE_EXPIRED"
    LICENCE_REVOKED = "LICENCE_REVOKED"
    RECTIFICATION_OVERDUE = "RECTIFICATION_OVERDUE"
    NEW_MINE_VERIFICATION_OVERDUE = "NEW_MINE_VERIFICATION_OVERDUE"
    PENALTY_NOT_EXECUTED = "PENALTY_NOT_EXECUTED"


@dataclass(frozen=True)
class FlagRule:
    condition_number: int | None
    rule_code: str | None


FLAG_RULES: dict[FlagKind, FlagRule] = {
    FlagKind.LICENCE_MISSING: FlagRule(1, None),
    FlagKind.LICENCE_EXPIRED: FlagRule(1, None),
    FlagKind.LICENCE_REVOKED: FlagRule(1, None),
    FlagKind.RECTIFICATION_OVERDUE: FlagRule(None, "overdue_or_failed_rectification_removes"),
    FlagKind.NEW_MINE_VERIFICATION_OVERDUE: FlagRule(None, NEW_MINE_RULE),
    FlagKind.PENALTY_NOT_EXECUTED: FlagRule(2, None),
}


@dataclass(frozen=True)
class Flag:
    kind: FlagKind
    condition_number: int | None
    rule_code: str | None
    clause_ref: str
    detail_zh: str
    detail_en: str
    #: the first day the mine broke the rule, when the data says
    since: dt.date | None
    licence_kind: LicenceKind | None = None


@dataclass(frozen=True)
class ScreenedMine:
    licence_number: str
    name: str
    prefecture: str
    scale: str
    stage: str
    status: str
    status_as_of: str
    flags: list[Flag]


@dataclass(frozen=True)
class _Setup:
    scope: ScreenScope
    clause_of_rule: dict[str, str]
    new_mine_years: int


async def _setup(
    ctx: Context, as_of: dt.date, kinds: Sequence[FlagKind] | None, prefectures: list[str] | None
) -> _Setup:
    chosen = list(kinds) if kinds else list(FlagKind)
    await prefectures_exist(ctx, prefectures or [], field="filter.prefectures")
    clause_of_rule: dict[str, str] = {}
    for flag_rule in FLAG_RULES.values():
        if flag_rule.rule_code is not None:
            record = await rules.rule(ctx, flag_rule.rule_code)
            clause_of_rule[record.code] = record.clause_ref or ""
    years = int(await rules.value(ctx, NEW_MINE_RULE))
    scope = ScreenScope(
        as_of=as_of.isoformat(),
        new_mine_cutoff=dates.add_months(as_of, -12 * years).isoformat(),
        new_stage=MineStage.NEW.value,
        not_applied=ListStatus.NOT_APPLIED.value,
        licence_kinds=[k.value for k in LicenceKind],
        licence_scope=sorted(s.value for s in LICENCE_SCOPE),
        kinds=[k.value for k in chosen],
        prefectures=prefectures,
    )
    return _Setup(scope, clause_of_rule, years)


def _day_after(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) + dt.timedelta(days=1) if value else None


def _flag(
    setup: _Setup,
    kind: FlagKind,
    zh: str,
    en: str,
    since: dt.date | None,
    licence_kind: LicenceKind | None = None,
) -> Flag:
    rule = FLAG_RULES[kind]
    clause = (
        removal_clause(rule.condition_number)
        if rule.condition_number is not None
        else setup.clause_of_rule[rule.rule_code or ""]
    )
    return Flag(kind, rule.condition_number, rule.rule_code, clause, zh, en, since, licence_kind)


def _flags(setup: _Setup, row: ScreenRow) -> list[Flag]:
    wanted = set(setup.scope.kinds)
    flags: list[Flag] = []
    if FlagKind.LICENCE_MISSING in wanted:
        for kind in row.missing_licences:
            lk = LicenceKind(kind)
            flags.append(
                _flag(
                    setup,
                    FlagKind.LICENCE_MISSING,
                    f"缺少《{LICENCE_NAMES_ZH[lk]}》",
                    f"No {lk.value} licence on record",
                    None,
                    lk,
                )
            )
    if FlagKind.LICENCE_EXPIRED in wanted:
        for lic in row.expired_licences:
            lk = LicenceKind(lic["kind"])
            flags.append(
                _flag(
                    setup,
                    FlagKind.LICENCE_EXPIRED,
                    f"《{LICENCE_NAMES_ZH[lk]}》（{lic['number']}）已于{lic['validUntil']}到期，未及时延续",
                    f"{lk.value} licence {lic['number']} expired on {lic['validUntil']}",
                    _day_after(lic["validUntil"]),
                    lk,
                )
            )
    if FlagKind.LICENCE_REVOKED in wanted:
        for lic in row.revoked_licences:
            lk = LicenceKind(lic["kind"])
            flags.append(
                _flag(
                    setup,
                    FlagKind.LICENCE_REVOKED,
                    f"《{LICENCE_NAMES_ZH[lk]}》（{lic['number']}）于{lic['revokedOn']}被吊销",
                    f"{lk.value} licence {lic['number']} revoked on {lic['revokedOn']}",
                    dt.date.fromisoformat(lic["revokedOn"]),
                    lk,
                )
            )
    if FlagKind.RECTIFICATION_OVERDUE in wanted:
        for rect in row.overdue_rectifications:
            flags.append(
                _flag(
                    setup,
                    FlagKind.RECTIFICATION_OVERDUE,
                    f"整改期限{rect['deadline']}已过，未经复核",
                    f"Rectification due {rect['deadline']} is overdue, not re-checked",
                    _day_after(rect["deadline"]),
                )
            )
    if FlagKind.NEW_MINE_VERIFICATION_OVERDUE in wanted and row.new_mine_overdue:
        start = dt.date.fromisoformat(row.production_start or "")
        due = dates.add_months(start, 12 * setup.new_mine_years)
        flags.append(
            _flag(
                setup,
                FlagKind.NEW_MINE_VERIFICATION_OVERDUE,
                f"新建矿山{start.isoformat()}正式投产，{due.isoformat()}前应通过绿色矿山核查验收，尚未通过",
                f"New mine in formal production since {start.isoformat()}; verification "
                f"was due by {due.isoformat()} and has not been passed",
                due + dt.timedelta(days=1),
            )
        )
    if FlagKind.PENALTY_NOT_EXECUTED in wanted:
        for penalty in row.unexecuted_penalties:
            flags.append(_penalty_flag(setup, penalty))
    return flags


def _penalty_flag(setup: _Setup, penalty: dict[str, Any]) -> Flag:
    number, department = penalty["number"], penalty["department"]
    deadline, executed = penalty["deadline"], penalty["executedOn"]
    late = executed is not None and executed <= setup.scope.as_of
    zh = f"{department}行政处罚（{number}）履行期限{deadline}，" + (
        f"于{executed}才执行到位（逾期）" if late else "期满未执行到位"
    )
    en = f"Penalty {number} by {department} was due by {deadline} and " + (
        f"was carried out late, on {executed}" if late else "has not been carried out"
    )
    return _flag(setup, FlagKind.PENALTY_NOT_EXECUTED, zh, en, _day_after(deadline))


def _screened(setup: _Setup, row: ScreenRow) -> ScreenedMine:
    return ScreenedMine(
        row.licence_number,
        row.name,
        row.prefecture,
        row.scale,
        row.stage,
        row.status,
        row.status_as_of,
        _flags(setup, row),
    )


async def screen_page(
    ctx: Context,
    *,
    as_of: dt.date | None,
    first: int | None,
    after: str | None,
    kinds: Sequence[FlagKind] | None,
    prefectures: list[str] | None,
) -> Page[ScreenedMine]:
    await signed_in(ctx, "screening mines")
    request = page_request(first, after, list_name=SCREENING_LIST, sort=SCREENING_SORT)
    setup = await _setup(ctx, as_of or ctx.today(), kinds, prefectures)
    found = await screening.screen_page(
        ctx.engine, setup.scope, after=request.after_id, limit=request.limit
    )

    async def total() -> int:
        return await screening.screen_count(ctx.engine, setup.scope)

    page = make_page(
        [_screened(setup, r) for r in found.rows],
        request,
        list_name=SCREENING_LIST,
        sort=SCREENING_SORT,
        key_of=lambda m: m.licence_number,
        id_of=lambda m: m.licence_number,
        total=total,
    )
    return page


async def screen_all(
    ctx: Context,
    *,
    as_of: dt.date | None = None,
    kinds: Sequence[FlagKind] | None = None,
    prefectures: list[str] | None = None,
) -> list[ScreenedMine]:
    """Every flagged mine in one pass (the command line; it runs with the operator's access)."""
    setup = await _setup(ctx, as_of or ctx.today(), kinds, prefectures)
    rows = await screening.screen(ctx.engine, setup.scope)
    return [_screened(setup, r) for r in rows]


# -- targets -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetLine:
    scale: MineScale
    licensed_producing: int
    meeting_standard: int
    target: float | None
    target_rule: str | None
    due: dt.date | None

    @property
    def share(self) -> float | None:
        if not self.licensed_producing:
            return None
        return self.meeting_standard / self.licensed_producing

    @property
    def required(self) -> int | None:
        """How many must meet the standard for the target: ceil(target × licensed producing)."""
        if self.target is None:
            return None
        return math.ceil(Decimal(str(self.target)) * self.licensed_producing)

    @property
    def shortfall(self) -> int | None:
        required = self.required
        return None if required is None else max(0, required - self.meeting_standard)

    @property
    def meets_target(self) -> bool | None:
        shortfall = self.shortfall
        return None if shortfall is None else shortfall == 0


@dataclass(frozen=True)
class PrefectureTargets:
    prefecture: str
    by_scale: list[TargetLine]
    mines: int
    new_mines_overdue: int


@dataclass(frozen=True)
class Targets:
    as_of: dt.date
    by_scale: list[TargetLine]
    by_prefecture: list[PrefectureTargets]
    mines: int
    new_mines_overdue: int


@dataclass(frozen=True)
class _Target:
    value: float
    code: str
    due: dt.date | None


def _lines(rows: Sequence[TargetRow], targets: dict[MineScale, _Target]) -> list[TargetLine]:
    by_scale: dict[str, list[TargetRow]] = defaultdict(list)
    for row in rows:
        by_scale[row.scale].append(row)
    lines = []
    for scale in MineScale:
        chosen = by_scale.get(scale.value, [])
        target = targets.get(scale)
        lines.append(
            TargetLine(
                scale=scale,
                licensed_producing=sum(r.licensed_producing for r in chosen),
                meeting_standard=sum(r.meeting_standard for r in chosen),
                target=target.value if target else None,
                target_rule=target.code if target else None,
                due=target.due if target else None,
            )
        )
    return lines


async def targets(ctx: Context, *, as_of: dt.date | None) -> Targets:
    """Public: counts and shares per scale and prefecture, nothing about any one mine."""
    day = as_of or ctx.today()
    goals: dict[MineScale, _Target] = {}
    for scale, code in TARGET_RULES.items():
        record = await rules.rule(ctx, code)
        if record.value is None:
            raise NotFound(f"the rule {code} has no value in the graph; run `greenmine seed`")
        goals[scale] = _Target(float(record.value), code, dates.parse(record.due))
    years = int(await rules.value(ctx, NEW_MINE_RULE))
    rows = await screening.targets(
        ctx.engine,
        as_of=day.isoformat(),
        new_mine_cutoff=dates.add_months(day, -12 * years).isoformat(),
        new_stage=MineStage.NEW.value,
        not_applied=ListStatus.NOT_APPLIED.value,
        mining_kind=LicenceKind.MINING.value,
        meeting=ListStatus.LISTED.value,
    )
    by_prefecture: dict[str, list[TargetRow]] = defaultdict(list)
    for row in rows:
        by_prefecture[row.prefecture].append(row)
    order = [p.code for p in await all_prefectures(ctx)]
    prefectures = [
        PrefectureTargets(
            prefecture=code,
            by_scale=_lines(by_prefecture.get(code, []), goals),
            mines=sum(r.mines for r in by_prefecture.get(code, [])),
            new_mines_overdue=sum(r.new_mines_overdue for r in by_prefecture.get(code, [])),
        )
        for code in order
    ]
    return Targets(
        as_of=day,
        by_scale=_lines(rows, goals),
        by_prefecture=prefectures,
        mines=sum(r.mines for r in rows),
        new_mines_overdue=sum(r.new_mines_overdue for r in rows),
    )
