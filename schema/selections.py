"""What a query selects below the field being resolved (look-ahead), fragments included."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

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
        if isinstance(selection, SelectedField):
            yield selection
        elif isinstance(selection, FragmentSpread | InlineFragment):
            yield from _fields(selection.selections)
