"""The end of a keyset page statement (`resolvers/pagination.py` holds the cursors): after the
statement's own MATCH and WHERE, the matching rows are cut after the cursor, sorted by their key
(ties by identity), and only the page is projected.

The order matters on FalkorDB: `RETURN <columns> ORDER BY ... LIMIT` builds every column of
every matching row before the sort keeps a page of them. The first page of 50,000 cases took
170 ms that way and 59 ms sorting first. Neither engine walks an index in order under these
filters, so every matching row is still sorted; only its key is, now.
"""

from __future__ import annotations


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
