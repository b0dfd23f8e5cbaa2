"""Decodes FalkorDB's compact result format straight into plain Python values.

The `falkordb` client parses every cell through a coroutine (and nodes through schema look-ups),
which costs more than the query for a page of mines (51 rows x 24 columns: about 2 ms of 6 ms).
Rows made of scalars, lists and maps (what every registered statement returns) are decoded here
synchronously, in one pass; a result holding nodes, relationships or paths (an analyst's ad hoc
query) is handed back to the client's own parser, which knows the graph's schema.
"""

from __future__ import annotations

from typing import Any

from graph.values import WriteStats

# the compact format's value types (FalkorDB's ResultSetScalarTypes)
_NULL, _STRING, _INTEGER, _BOOLEAN, _DOUBLE, _ARRAY = 1, 2, 3, 4, 5, 6
_MAP = 10
_ENTITIES = frozenset({7, 8, 9})  # edge, node, path: need the schema

_STATS = {
    "Nodes created": "nodes_created",
    "Nodes deleted": "nodes_deleted",
    "Relationships created": "relationships_created",
    "Relationships deleted": "relationships_deleted",
    "Properties set": "properties_set",
}


class NeedsSchema(Exception):
    """The result holds graph entities; the client's parser must decode it."""


def decode_cell(cell: list[Any]) -> Any:
    # strings, integers and nulls are most cells: tested first, by class, without isinstance
    kind, value = cell
    if kind == _STRING:
        return value if value.__class__ is str else value.decode()
    if kind == _INTEGER:
        return int(value)
    if kind == _NULL:
        return None
    if kind == _ARRAY:
        return [decode_cell(v) for v in value]
    if kind == _BOOLEAN:
        text = value.decode() if isinstance(value, bytes) else value
        return text == "true"
    if kind == _DOUBLE:
        return float(value)
    if kind == _MAP:
        return {
            (value[i].decode() if isinstance(value[i], bytes) else value[i]): decode_cell(
                value[i + 1]
            )
            for i in range(0, len(value), 2)
        }
    if kind in _ENTITIES:
        raise NeedsSchema()
    # points, vectors and temporal values are not returned by the service's statements
    raise NeedsSchema()


def decode_rows(raw_rows: list[list[Any]]) -> tuple[tuple[Any, ...], ...]:
    # a page's seven answers hold some 2,400 cells, nearly all strings, integers and nulls:
    # those are taken here, without a call each (a third of the time `decode_cell` takes)
    decode = decode_cell
    rows = []
    for row in raw_rows:
        values: list[Any] = []
        append = values.append
        for cell in row:
            kind, value = cell
            if (kind == _STRING and value.__class__ is str) or (
                kind == _INTEGER and value.__class__ is int
            ):
                append(value)
            elif kind == _NULL:
                append(None)
            else:
                append(decode(cell))
        rows.append(tuple(values))
    return tuple(rows)


def columns(header: list[Any]) -> tuple[str, ...]:
    return tuple(str(h[1]) if isinstance(h, list | tuple) else str(h) for h in header)


def stats(lines: list[Any]) -> WriteStats:
    found: dict[str, int] = {}
    for line in lines:
        text = line.decode() if isinstance(line, bytes) else str(line)
        name, _, rest = text.partition(": ")
        field = _STATS.get(name)
        if field is not None:
            found[field] = int(float(rest.split(" ")[0]))
    return WriteStats(**found)
