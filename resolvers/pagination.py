"""Relay-style paging for every growing list (mines now; cases, referrals, audit entries later).

Pages are keyset pages: a cursor carries the sort key and the id of the last row seen, so the
next page starts from an index position instead of skipping rows, and costs the same on page 1
and page 500. Cursors are opaque to clients (URL-safe base64 of a small JSON array) and are
bound to the list and the sort order they came from; a cursor from elsewhere is refused.

A graph module pages with one statement per sort order (enumerated at import time) taking
`$afterKey`, `$afterId` and `$limit`; the use case asks for `first + 1` rows to learn whether
there is a next page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar, overload

from resolvers.errors import BadUserInput
from resolvers.ready import MaybeAwaitable

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_CURSOR_LENGTH = 1000

#: a sort key is whatever the statement sorts by: text, a number, or null
SortKey = str | int | float | None


@dataclass(frozen=True)
class Cursor:
    list_name: str
    sort: str
    key: SortKey
    id: str


@dataclass(frozen=True)
class PageRequest:
    """A validated `first`/`after` pair; `limit` is what to ask the graph for (first + 1)."""

    first: int
    after: Cursor | None

    @property
    def limit(self) -> int:
        return self.first + 1

    @property
    def after_key(self) -> SortKey:
        return self.after.key if self.after else None

    @property
    def after_id(self) -> str | None:
        return self.after.id if self.after else None


class Cursors(Sequence[str], Generic[T]):
    """The cursors of a page's rows, each made and encoded when first asked for: a page of 50
    mines shown without its edges' cursors (a front end pages by `endCursor`) makes two, not
    50."""

    def __init__(self, rows: Sequence[T], cursor_of: Callable[[T], Cursor]) -> None:
        self._rows = rows
        self._cursor_of = cursor_of
        self._encoded: dict[int, str] = {}

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self._rows))[index]]
        position = range(len(self._rows))[index]  # IndexError as a list's
        encoded = self._encoded.get(position)
        if encoded is None:
            cursor = self._cursor_of(self._rows[position])
            encoded = self._encoded[position] = encode_cursor(cursor)
        return encoded


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    cursors: Sequence[str]
    has_next: bool
    has_previous: bool
    #: counts every row the filter matches, in its own round trip, only when asked (or
    #: answers at once when the count is already known)
    total: Callable[[], MaybeAwaitable[int]]


def encode_cursor(cursor: Cursor) -> str:
    raw = json.dumps(
        [cursor.list_name, cursor.sort, cursor.key, cursor.id],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str, *, list_name: str, sort: str, field: str = "after") -> Cursor:
    invalid = BadUserInput(
        f"{field} is not a cursor of this list; pass an endCursor the {list_name} query returned",
        field=field,
    )
    if not text or len(text) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        decoded = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise invalid from None
    if not (isinstance(decoded, list) and len(decoded) == 4):
        raise invalid
    name, cursor_sort, key, last_id = decoded
    if name != list_name or not isinstance(last_id, str):
        raise invalid
    if key is not None and not isinstance(key, str | int | float):
        raise invalid
    if cursor_sort != sort:
        raise BadUserInput(
            f"{field} was issued for sort {cursor_sort}, not {sort}; "
            "start again without a cursor when the sort changes",
            field=field,
        )
    return Cursor(name, sort, key, last_id)


def page_request(
    first: int | None,
    after: str | None,
    *,
    list_name: str,
    sort: str,
    cap: int = MAX_PAGE_SIZE,
) -> PageRequest:
    size = DEFAULT_PAGE_SIZE if first is None else first
    if size < 0 or size > cap:
        raise BadUserInput(
            f"first must be between 0 and {cap} (the page size cap), not {size}", field="first"
        )
    cursor = decode_cursor(after, list_name=list_name, sort=sort) if after is not None else None
    return PageRequest(size, cursor)


def make_page(
    rows: Sequence[T],
    request: PageRequest,
    *,
    list_name: str,
    sort: str,
    key_of: Callable[[T], SortKey],
    id_of: Callable[[T], str],
    total: Callable[[], MaybeAwaitable[int]],
) -> Page[T]:
    """The page from up to `request.limit` rows fetched after the cursor, in order."""
    items = list(rows[: request.first])
    cursors = Cursors(items, lambda r: Cursor(list_name, sort, key_of(r), id_of(r)))
    return Page(
        items=items,
        cursors=cursors,
        has_next=len(rows) > request.first,
        has_previous=request.after is not None,
        total=total,
    )
