"""A page of the screening costs the mines it screens, not the province: mines are screened a
chunk at a time, in licence order, until the page has its rows; the pages together are the
whole screening, in order."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio

from graph import roundtrips, screening
from graph.engine import Engine
from graph.screening import ScreenRow, ScreenScope
from greenmine.config import Settings
from resolvers.auth import Role
from resolvers.lifecycle import ListStatus
from resolvers.mine_access import LicenceKind
from resolvers.mines import MineStage
from resolvers.screening import LICENCE_SCOPE, FlagKind
from tests.conftest import FIXED_NOW, GraphQLClient, TokenFactory, reseed
from tests.factories import data, demo_province

MINES = 200

PAGE = """
query($first: Int, $after: String, $filter: ScreeningFilter) {
  screening(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { licenceNumber flags { kind } } }
  }
}
"""


@dataclass(frozen=True)
class Province:
    engine: Engine
    gql: GraphQLClient
    admin: str


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def province(engine: Engine, settings: Settings) -> AsyncIterator[Province]:
    await demo_province(engine, mines=MINES)
    admin = await TokenFactory(engine)(Role.ADMIN, "natural_resources")
    yield Province(engine, GraphQLClient(engine, settings), admin)
    await reseed(engine)


def scope(kinds: list[FlagKind] | None = None, prefectures: list[str] | None = None) -> ScreenScope:
    return ScreenScope(
        as_of=FIXED_NOW.date().isoformat(),
        new_mine_cutoff=FIXED_NOW.date().replace(year=FIXED_NOW.year - 1).isoformat(),
        new_stage=MineStage.NEW.value,
        not_applied=ListStatus.NOT_APPLIED.value,
        licence_kinds=[k.value for k in LicenceKind],
        licence_scope=sorted(s.value for s in LICENCE_SCOPE),
        kinds=[k.value for k in kinds or FlagKind],
        prefectures=prefectures,
    )


async def all_pages(
    engine: Engine, screened: ScreenScope, limit: int, first_chunk: int | None
) -> list[ScreenRow]:
    rows: list[ScreenRow] = []
    after = None
    while True:
        page = await screening.screen_page(
            engine, screened, after=after, limit=limit, first_chunk=first_chunk
        )
        rows += page.rows
        if len(page.rows) < limit:
            return rows
        after = page.rows[-1].licence_number


@pytest.mark.parametrize(
    ("limit", "first_chunk", "kinds"),
    [
        (1, 1, None),  # a chunk of one mine: most chunks flag nothing
        (2, 3, None),
        (5, 7, None),
        (20, None, None),  # the chunk a page starts with by default
        (3, 2, [FlagKind.NEW_MINE_VERIFICATION_OVERDUE]),  # a kind few mines have: chunks grow
    ],
)
async def test_the_pages_of_a_screening_together_are_the_whole_screening_in_order(
    province: Province, limit: int, first_chunk: int | None, kinds: list[FlagKind] | None
) -> None:
    whole = await screening.screen(province.engine, scope(kinds))
    assert whole, "the demo province has flagged mines"
    assert [r.licence_number for r in whole] == sorted(r.licence_number for r in whole)
    assert await all_pages(province.engine, scope(kinds), limit, first_chunk) == whole


async def test_a_screening_page_screens_only_the_mines_it_needs(province: Province) -> None:
    whole = await screening.screen(province.engine, scope())
    with roundtrips.counting() as counter:
        page = await screening.screen_page(province.engine, scope(), after=None, limit=3)
    assert page.rows == whole[:3]
    assert page.screened < MINES  # the whole province was screened for every page before
    assert counter.statements.count("screening.chunk") == 1  # 8 mines a row asked for: one chunk
    # the chunk runs on past the page's last row by at most the chunk itself
    assert page.screened == screening.MIN_CHUNK


async def test_a_chunk_that_flags_nothing_moves_on_to_the_next(province: Province) -> None:
    whole = await screening.screen(province.engine, scope())
    with roundtrips.counting() as counter:
        page = await screening.screen_page(
            province.engine, scope(), after=None, limit=len(whole), first_chunk=1
        )
    assert page.rows == whole
    assert page.screened == MINES  # every mine, to be sure there is no further flagged one
    assert counter.statements.count("screening.chunk") > 1


async def test_screening_pages_over_graphql_follow_each_other_to_the_last(
    province: Province,
) -> None:
    whole = [r.licence_number for r in await screening.screen(province.engine, scope())]
    seen: list[str] = []
    after = None
    while True:
        connection = data(
            await province.gql(PAGE, {"first": 7, "after": after}, token=province.admin),
            "screening",
        )
        assert connection["totalCount"] == len(whole)
        seen += [e["node"]["licenceNumber"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == whole
