"""What a query selects below the field being resolved (look-ahead), fragments included."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from graphql import FieldNode
from strawberry.types import Info
from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


def selected_names(current: Iterable[Selection], *path: str) -> set[str]:
    """The names of the fields selected at `path` below the field being resolved.

    `current` is `info.selected_fields`; `selected_names(current, "edges", "node")` are the
    fields asked of each node of a connection, through any fragments."""
    level = [child for f in _fields(current) for child in _fields(f.selections)]
    for name in path:
        level = [child for f in level if f.name == name for child in _fields(f.selections)]
    return {f.name for f in level}


def _fields(selections: Iterable[Selection]) -> Iterator[SelectedField]:
    for selection in selections:
        if not _included(selection.directives):
            continue
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from _fields(selection.selections)


def _included(directives: Mapping[str, Mapping[str, Any]]) -> bool:
    """`@skip(if: true)` and `@include(if: false)` leave a selection out (Strawberry's
    `selected_fields` lists it all the same; variables are already substituted)."""
    skip = directives.get("skip")
    include = directives.get("include")
    return not (skip is not None and skip.get("if")) and (
        include is None or bool(include.get("if"))
    )


def names_below(info: Info, *path: str) -> set[str]:
    """`selected_names(info.selected_fields, *path)`, read off the query's syntax when the
    selections down to `path` and below it are field names only (no fragment, no directive):
    Strawberry converts the whole selection on every call, and a field of each mine of a page
    asks 50 times a page."""
    # Strawberry's Info keeps graphql-core's own (its `selected_fields` converts these)
    nodes = plain_path(info._raw_info.field_nodes, path)
    names = plain_names(nodes) if nodes is not None else None
    return names if names is not None else selected_names(info.selected_fields, *path)


def plain_names(nodes: Iterable[FieldNode]) -> set[str] | None:
    """The names of the fields selected directly below `nodes`, when each is a plain field
    (no fragment, no directive); None otherwise."""
    names: set[str] = set()
    for node in nodes:
        for selection in node.selection_set.selections if node.selection_set else ():
            if not isinstance(selection, FieldNode) or selection.directives:
                return None
            names.add(selection.name.value)
    return names


def plain_path(nodes: Iterable[FieldNode], path: Iterable[str]) -> list[FieldNode] | None:
    """The field nodes at `path` below `nodes`, when every selection on the way is a plain
    field (no fragment, no directive); None otherwise."""
    level = list(nodes)
    for name in path:
        found = []
        for node in level:
            for selection in node.selection_set.selections if node.selection_set else ():
                if not isinstance(selection, FieldNode) or selection.directives:
                    return None
                if selection.name.value == name:
                    found.append(selection)
        level = found
    return level
