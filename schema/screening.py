"""Screening mines against the rules, and the 2028 targets, as GraphQL (both need a token)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from resolvers import screening
from resolvers.lifecycle import ListStatus
from resolvers.mine_access import LicenceKind
from resolvers.mines import MineScale, MineStage
from resolvers.screening import (
    Flag,
    FlagKind,
    PrefectureTargets,
    TargetLine,
    Targets,
)
from resolvers.screening import ScreenedMine as ScreenedRecord
from schema.access import SIGNED_IN
from schema.document import Clause, Ctx, RemovalCondition, Rule, _clause
from schema.mine_types import Mine, Prefecture, _mine, _prefecture, _rule
from schema.pagination import Connection

FlagKindType = strawberry.enum(
    FlagKind, name="FlagKind", description="What rule a screened mine breaks."
)


@strawberry.type(description="A rule a mine breaks by its data, with the clause it comes from.")
class ScreeningFlag:
    kind: FlagKind
    condition_number: int | None = strawberry.field(description="The removal condition, if one.")
    rule_code: str | None = strawberry.field(description="The Rule applied, if one.")
    clause_ref: str
    detail_zh: str
    detail_en: str
    since: dt.date | None = strawberry.field(description="First day the rule was broken.")
    licence_kind: LicenceKind | None

    @classmethod
    def from_flag(cls, f: Flag) -> ScreeningFlag:
        return cls(
            kind=f.kind,
            condition_number=f.condition_number,
            rule_code=f.rule_code,
            clause_ref=f.clause_ref,
            detail_zh=f.detail_zh,
            detail_en=f.detail_en,
            since=f.since,
            licence_kind=f.licence_kind,
        )

    @strawberry.field
    async def clause(self, info: Ctx) -> Clause | None:
        return await _clause(info, self.clause_ref)

    @strawberry.field
    async def removal_condition(self, info: Ctx) -> RemovalCondition | None:
        if self.condition_number is None:
            return None
        record = await info.context.loaders.condition.load(self.condition_number)
        return RemovalCondition.from_record(record) if record else None

    @strawberry.field
    async def rule(self, info: Ctx) -> Rule | None:
        return await _rule(info, self.rule_code)


@strawberry.type(description="A mine that breaks at least one rule as of the screening date.")
class ScreenedMine:
    licence_number: str
    name: str
    scale: str
    stage: MineStage
    status: ListStatus = strawberry.field(description="Its status now.")
    status_as_of: ListStatus = strawberry.field(description="Its status on the screening date.")
    flags: list[ScreeningFlag]
    prefecture_code: str

    @classmethod
    def from_screened(cls, m: ScreenedRecord) -> ScreenedMine:
        return cls(
            licence_number=m.licence_number,
            name=m.name,
            scale=m.scale,
            stage=MineStage(m.stage),
            status=ListStatus(m.status),
            status_as_of=ListStatus(m.status_as_of),
            flags=[ScreeningFlag.from_flag(f) for f in m.flags],
            prefecture_code=m.prefecture,
        )

    @strawberry.field
    async def prefecture(self, info: Ctx) -> Prefecture | None:
        return await _prefecture(info, self.prefecture_code)

    @strawberry.field
    async def mine(self, info: Ctx) -> Mine | None:
        return await _mine(info, self.licence_number)


@strawberry.input(description="Which flags and prefectures to screen; all when omitted.")
class ScreeningFilter:
    kinds: list[FlagKind] | None = None
    prefectures: list[str] | None = None


@strawberry.type(
    name="TargetLine", description="One scale's standing against its 2028 target (一)."
)
class TargetLineType:
    scale: MineScale
    licensed_producing: int = strawberry.field(
        description="持证在产: valid mining licence and in formal production on the date."
    )
    meeting_standard: int = strawberry.field(description="Of those, LISTED on the date.")
    share: float | None
    target: float | None = strawberry.field(description="From the Rule; none for small mines.")
    target_rule: str | None
    due: dt.date | None
    required: int | None = strawberry.field(description="ceil(target × licensedProducing).")
    shortfall: int | None = strawberry.field(description="How many more must meet the standard.")
    meets_target: bool | None

    @classmethod
    def from_line(cls, line: TargetLine) -> TargetLineType:
        return cls(
            scale=line.scale,
            licensed_producing=line.licensed_producing,
            meeting_standard=line.meeting_standard,
            share=line.share,
            target=line.target,
            target_rule=line.target_rule,
            due=line.due,
            required=line.required,
            shortfall=line.shortfall,
            meets_target=line.meets_target,
        )


@strawberry.type(name="PrefectureTargets", description="A prefecture against the targets.")
class PrefectureTargetsType:
    by_scale: list[TargetLineType]
    mines: int
    new_mines_overdue: int
    prefecture_code: str

    @classmethod
    def from_targets(cls, t: PrefectureTargets) -> PrefectureTargetsType:
        return cls(
            by_scale=[TargetLineType.from_line(x) for x in t.by_scale],
            mines=t.mines,
            new_mines_overdue=t.new_mines_overdue,
            prefecture_code=t.prefecture,
        )

    @strawberry.field
    async def prefecture(self, info: Ctx) -> Prefecture | None:
        return await _prefecture(info, self.prefecture_code)


@strawberry.type(
    name="Targets", description="The province against the 2028 targets of 一, as of a date."
)
class TargetsType:
    as_of: dt.date
    by_scale: list[TargetLineType]
    by_prefecture: list[PrefectureTargetsType]
    mines: int
    new_mines_overdue: int = strawberry.field(
        description="NEW mines past the Rule's year from formal production, not yet verified."
    )

    @classmethod
    def from_targets(cls, t: Targets) -> TargetsType:
        return cls(
            as_of=t.as_of,
            by_scale=[TargetLineType.from_line(x) for x in t.by_scale],
            by_prefecture=[PrefectureTargetsType.from_targets(p) for p in t.by_prefecture],
            mines=t.mines,
            new_mines_overdue=t.new_mines_overdue,
        )


@strawberry.type
class ScreeningQueries:
    @strawberry.field(
        description="Mines that break a rule by their data, as of a date (needs a token).",
        directives=[SIGNED_IN],
    )
    async def screening(
        self,
        info: Ctx,
        as_of: Annotated[dt.date | None, strawberry.argument(description="Default: today.")] = None,
        first: int | None = 20,
        after: str | None = None,
        filter: ScreeningFilter | None = None,
    ) -> Connection[ScreenedMine]:
        page = await screening.screen_page(
            info.context,
            as_of=as_of,
            first=first,
            after=after,
            kinds=filter.kinds if filter else None,
            prefectures=filter.prefectures if filter else None,
        )
        return Connection.from_page(page, ScreenedMine.from_screened)

    @strawberry.field(
        description="Shares of licensed producing mines meeting the standard (public aggregates)."
    )
    async def targets(self, info: Ctx, as_of: dt.date | None = None) -> TargetsType:
        return TargetsType.from_targets(await screening.targets(info.context, as_of=as_of))
