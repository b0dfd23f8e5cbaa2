"""The end of a keyset page statement (`resolvers/pagination.py` holds the cursors): after the
statement's own MATCH and WHERE, the matching rows are cut after the cursor, sorted by their key
(ties by identity), and only the page is projected.

The order matters on FalkorDB: `RETURN <columns> ORDER BY ... LIMIT` builds every column of
every matching row before the sort keeps a page of them. The first page of 50,000 cases took
170 ms that way and 59 ms sorting first.

Neither engine walks an index in order under these filters, so a page of every matching row
sorts them all. A newest-first page by a date can instead read a window of days through the
date's range index: the rows of the last few days hold the page when there are enough of them,
since every row outside the window sorts after every row in it. `window_starts` gives the
windows to try, nearest first; a page none of them fills reads every row, as before.
"""

from __future__ import annotations

import datetime as dt

#: how many days back from the page's start each window reaches, nearest first: each next one
#: reads about eight times the rows (50,000 cases over eight years are 17 a day)
WINDOW_DAYS = (4, 32, 256)


def sorted_page(
    *,
    carry: str,
    key: str,
    identity: str,
    identity_column: str,
    descending: bool,
    columns: str,
    tie: bool = True,
) -> str:
    """Cypher binding `sortKey` to `key` for the rows `carry` names, keeping those after
    `($afterKey, $afterId)`, and returning `$limit` of them as `columns` plus `sort_key`, in
    order. `identity` is the unique value a cursor ends with (`identity_column` its column);
    `tie` orders rows of equal keys by it (not needed when the key is the identity)."""
    beyond, direction = ("<", "DESC") if descending else (">", "ASC")
    tie_order = f", {identity} ASC" if tie else ""
    return f"""
        WITH {carry}, {key} AS sortKey
        WHERE $afterId IS NULL OR sortKey {beyond} $afterKey
              OR (sortKey = $afterKey AND {identity} > $afterId)
        WITH {carry}, sortKey
        ORDER BY sortKey {direction}{tie_order}
        LIMIT $limit
        RETURN {columns}, sortKey AS sort_key
        ORDER BY sort_key {direction}, {identity_column} ASC
    """


def window_starts(after_key: object, newest: dt.date) -> list[str]:
    """The first days of the windows of a newest-first page, nearest first: back from the
    cursor's day, or from `newest` on the first page. None to try when the cursor's key is not
    a date (the rows without one, which come last)."""
    if after_key is None:
        top = newest
    else:
        try:
            top = dt.date.fromisoformat(str(after_key)[:10])
        except ValueError:
            return []
    return [(top - dt.timedelta(days=days)).isoformat() for days in WINDOW_DAYS]
