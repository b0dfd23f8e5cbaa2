"""A page of the screening costs the mines it screens, not the province: mines are screened a
chunk at a time, in licence order, until the page has its rows; the pages together are the
whole screening, in order."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import pytest
import pytest_asyncio

from graph import roundtrips, screening
from graph.engine import Engine
from graph.screening import ScreenRow, ScreenScope
from graph.statements import Statement
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
        assert page.rows[:limit] == page.rows  # never more than the page asked for
        rows += page.rows
        if len(page.rows) < limit:
            return rows
        after = page.rows[-1].licence_number


class ChunkSizes:
    """The province's engine, noting the size asked of each chunk a page screens."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.name = engine.name
        self.chunks: list[int] = []

    async def read(self, statement: Statement, params: Mapping[str, Any] | None = None) -> Any:
        if statement is screening.SCREEN_CHUNK and params is not None:
            self.chunks.append(int(params["chunk"]))
        return await self._engine.read(statement, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


async def licences_in_order(engine: Engine) -> list[str]:
    rows = (await engine.read_only_text(EVERY_MINE)).records
    return [str(r["licence"]) for r in rows]


EVERY_MINE = "MATCH (m:Mine) RETURN m.licenceNumber AS licence ORDER BY licence"


@pytest.mark.parametrize(
    ("limit", "first_chunk", "kinds", "prefecture"),
    [
        (1, 1, None, False),  # chunks of one, two, four mines: most flag nothing
        (2, 3, None, False),
        (5, 7, None, False),
        (20, None, None, False),  # the chunk a page starts with by default
        (3, 2, [FlagKind.NEW_MINE_VERIFICATION_OVERDUE], False),  # a kind few mines have
        (4, 1, None, True),  # the mines of one prefecture, most of them in one pass
    ],
)
async def test_the_pages_of_a_screening_together_are_the_whole_screening_in_order(
    province: Province,
    limit: int,
    first_chunk: int | None,
    kinds: list[FlagKind] | None,
    prefecture: bool,
) -> None:
    everywhere = await screening.screen(province.engine, scope(kinds))
    prefectures = [everywhere[0].prefecture] if prefecture else None
    whole = await screening.screen(province.engine, scope(kinds, prefectures))
    assert whole, "the demo province has flagged mines"
    assert [r.licence_number for r in whole] == sorted(r.licence_number for r in whole)
    if prefectures:
        assert {r.prefecture for r in whole} == set(prefectures) and whole != everywhere
    paged = await all_pages(province.engine, scope(kinds, prefectures), limit, first_chunk)
    assert paged == whole


async def test_a_screening_page_screens_only_the_chunks_that_hold_its_rows(
    province: Province,
) -> None:
    whole = await screening.screen(province.engine, scope())
    mines = await licences_in_order(province.engine)
    engine = ChunkSizes(province.engine)
    page = await screening.screen_page(cast(Engine, engine), scope(), after=None, limit=3)
    assert page.rows == whole[:3]
    # whole chunks, each twice the one before, up to the one holding the page's last row
    needed = mines.index(whole[2].licence_number) + 1
    first = max(3 * screening.FIRST_CHUNK_PER_ROW, screening.MIN_CHUNK)
    sizes = [first * 2**i for i in range(screening.CHUNKS)]
    expected = [size for i, size in enumerate(sizes) if sum(sizes[:i]) < needed]
    assert engine.chunks == expected
    assert page.screened == min(sum(expected), len(mines)) < MINES


async def test_a_page_its_chunks_do_not_fill_screens_the_rest_in_one_pass(
    province: Province,
) -> None:
    whole = await screening.screen(province.engine, scope())
    engine = ChunkSizes(province.engine)
    with roundtrips.counting() as counter:
        page = await screening.screen_page(
            cast(Engine, engine), scope(), after=None, limit=len(whole) + 1, first_chunk=1
        )
    assert page.rows == whole  # every flagged mine, and no more: the page is the last
    assert engine.chunks == [1, 2, 4]
    assert counter.statements.count("screening.flagged") == 1
    assert page.screened is None  # the rest of the province, in one pass


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
