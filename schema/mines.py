"""Queries and mutations of the mine registry: prefectures, one mine, a page of mines,
registering a mine and updating its licences."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from graph.mines import MineSort
from resolvers import mines
from resolvers.lifecycle import ListStatus
from resolvers.mine_access import LicenceKind
from resolvers.mines import AlongThePage, MineQuery, MineScale, MineStage, Registration
from resolvers.mines import LicenceInput as LicenceValue
from schema.case_types import counts_along
from schema.document import Ctx
from schema.mine_types import EVENT_BRIEF, MINE_BRIEF, Mine, Prefecture
from schema.pagination import Connection
from schema.selections import names_below

MineSortType = strawberry.enum(
    MineSort, name="MineSort", description="Orders for `mines`; ties break on licence number."
)


@strawberry.input(description="Filter for `mines`; every given criterion must hold.")
class MineFilter:
    prefectures: list[str] | None = strawberry.field(
        default=None, description="Prefecture codes, e.g. [jinchang, baiyin]."
    )
    scales: list[MineScale] | None = None
    stages: list[MineStage] | None = None
    statuses: list[ListStatus] | None = strawberry.field(
        default=None, description="Anonymous callers see only LISTED and UNDER_RECTIFICATION."
    )
    mineral: str | None = strawberry.field(default=None, description="Exact, e.g. 镍矿.")
    text: str | None = strawberry.field(
        default=None, description="Part of the name, company or licence number."
    )
    production_start_from: dt.date | None = None
    production_start_to: dt.date | None = None
    listed_from: dt.date | None = None
    listed_to: dt.date | None = None
    synthetic: bool | None = strawberry.field(
        default=None, description="true: only demo mines; false: only real ones."
    )

    def query(self) -> MineQuery:
        return MineQuery(
            prefectures=self.prefectures,
            scales=self.scales,
            stages=self.stages,
            statuses=self.statuses,
            mineral=self.mineral,
            text=self.text,
            production_from=self.production_start_from,
            production_to=self.production_start_to,
            listed_from=self.listed_from,
            listed_to=self.listed_to,
            synthetic=self.synthetic,
        )


@strawberry.input(description="A licence: number and validity. Omit validUntil for 长期.")
class LicenceInput:
    kind: LicenceKind
    number: str | None = strawberry.field(
        default=None, description="Required except for MINING, whose number is the mine's id."
    )
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    revoked_on: dt.date | None = None

    def value(self) -> LicenceValue:
        return LicenceValue(
            self.kind, self.number, self.valid_from, self.valid_until, self.revoked_on
        )


@strawberry.input(description="A mine for the registry (Natural Resources officer or admin).")
class RegisterMineInput:
    licence_number: str = strawberry.field(description="采矿许可证号: the mine's id.")
    name: str
    company: str
    mineral: str
    scale: MineScale
    stage: MineStage
    prefecture_code: str
    county: str
    licences: list[LicenceInput] = strawberry.field(
        description="At least the MINING licence; SAFETY_PRODUCTION and BUSINESS if known."
    )
    production_start: dt.date | None = strawberry.field(
        default=None, description="Formal production start; null if not yet producing."
    )
    applied_on: dt.date | None = strawberry.field(
        default=None, description="When given, the mine applies for the list at once."
    )


@strawberry.input(description="New licence data; each licence by the department that issues it.")
class UpdateMineLicencesInput:
    licence_number: str
    licences: list[LicenceInput]


@strawberry.type
class MineQueries:
    @strawberry.field(description="Gansu's 14 prefecture-level divisions.")
    async def prefectures(self, info: Ctx) -> list[Prefecture]:
        return [Prefecture.from_record(r) for r in await mines.all_prefectures(info.context)]

    @strawberry.field(
        description="A mine by its licence number; anonymous callers see listed mines only."
    )
    async def mine(self, info: Ctx, licence_number: str) -> Mine:
        record = await mines.visible(
            info.context, licence_number.strip().upper(), field="licenceNumber"
        )
        return Mine.from_record(record)

    @strawberry.field(
        description="Mines, a page at a time (at most 100); anonymous: the published list."
    )
    async def mines(
        self,
        info: Ctx,
        first: Annotated[int | None, strawberry.argument(description="Page size, ≤ 100.")] = 20,
        after: str | None = None,
        filter: MineFilter | None = None,
        sort: MineSort = MineSort.LICENCE_NUMBER_ASC,
    ) -> Connection[Mine]:
        page = await mines.page_of_mines(
            info.context,
            first=first,
            after=after,
            query=filter.query() if filter else MineQuery(),
            sort=sort,
            along=_along_the_page(info),
        )
        return Connection.from_page(page, Mine.from_record)


def _along_the_page(info: Ctx) -> AlongThePage:
    """What the query selects beside the mines themselves, to load with the page."""
    connection = names_below(info)
    nodes = names_below(info, "edges", "node")
    history = "history" in nodes
    brief_history = names_below(info, "edges", "node", "history") <= EVENT_BRIEF
    return AlongThePage(
        total="totalCount" in connection,
        briefs=nodes <= MINE_BRIEF,
        prefecture="prefecture" in nodes,
        licences="licences" in nodes,
        history=history,
        history_briefs=history and brief_history,
        also=counts_along(info),
    )


@strawberry.type
class MineMutations:
    @strawberry.mutation(description="Register a mine with its licences.")
    async def register_mine(self, info: Ctx, input: RegisterMineInput) -> Mine:
        record = await mines.register(
            info.context,
            Registration(
                licence_number=input.licence_number,
                name=input.name,
                company=input.company,
                mineral=input.mineral,
                scale=input.scale,
                stage=input.stage,
                prefecture=input.prefecture_code,
                county=input.county,
                production_start=input.production_start,
                licences=[lic.value() for lic in input.licences],
                applied_on=input.applied_on,
            ),
        )
        return Mine.from_record(record)

    @strawberry.mutation(description="Renew or correct a mine's licences.")
    async def update_mine_licences(self, info: Ctx, input: UpdateMineLicencesInput) -> Mine:
        record = await mines.update_licences(
            info.context, input.licence_number, [lic.value() for lic in input.licences]
        )
        return Mine.from_record(record)
