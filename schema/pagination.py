"""Relay connection types, generic over the node type: `Connection[Mine]` is `MineConnection`.

Resolvers return a `resolvers.pagination.Page`; `Connection.from_page` wraps its nodes. The
total is counted only when a client selects `totalCount`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from resolvers.pagination import Page
from resolvers.ready import MaybeAwaitable

#: the fields of a connection a client may select and still get it from `Connection.counted`
COUNT_ONLY = frozenset({"totalCount", "__typename"})

N = TypeVar("N")
R = TypeVar("R")


@strawberry.type(description="Where a page sits in its list (Relay).")
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[N]):
    node: N
    #: the page's cursors and this edge's place among them: encoded only if selected
    cursors: strawberry.Private[Sequence[str]]
    position: strawberry.Private[int]

    @strawberry.field(description="Opaque; pass it as `after` to continue.")
    def cursor(self) -> str:
        return self.cursors[self.position]


@strawberry.type
class Connection(Generic[N]):
    edges: list[Edge[N]]
    page_info: PageInfo
    count_rows: strawberry.Private[Callable[[], MaybeAwaitable[int]]]

    @strawberry.field(
        description="How many nodes the filter matches, on all pages.", graphql_type=int
    )
    def total_count(self) -> MaybeAwaitable[int]:
        return self.count_rows()

    @classmethod
    def from_page(cls, page: Page[R], node: Callable[[R], N]) -> Connection[N]:
        cursors = page.cursors
        if len(cursors) != len(page.items):
            raise ValueError(f"{len(page.items)} items but {len(cursors)} cursors")
        edges = [
            Edge(node=node(item), cursors=cursors, position=i) for i, item in enumerate(page.items)
        ]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=page.has_next,
                has_previous_page=page.has_previous,
                start_cursor=page.cursors[0] if page.cursors else None,
                end_cursor=page.cursors[-1] if page.cursors else None,
            ),
            count_rows=page.total,
        )

    @classmethod
    def counted(cls, total: int) -> Connection[N]:
        """A connection of which only `COUNT_ONLY` fields were selected: its total, without
        the nodes (nobody asked for them, so their edges and page info are never shown)."""
        return cls(
            edges=[],
            page_info=PageInfo(
                has_next_page=False, has_previous_page=False, start_cursor=None, end_cursor=None
            ),
            count_rows=lambda: total,
        )
