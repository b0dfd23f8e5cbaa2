"""Engine-neutral shapes of what a query returns: plain Python values, nodes, relationships, paths.

Both engines map their driver objects into these, so code above `graph/` never sees a driver type.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, TypeVar

from graph.errors import BadParameter
from graph.makers import maker

R = TypeVar("R")

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Node:
    labels: tuple[str, ...]
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class Relationship:
    type: str
    properties: Mapping[str, Any]


@dataclass(frozen=True)
class Path:
    nodes: tuple[Node, ...]
    relationships: tuple[Relationship, ...]


@dataclass(frozen=True)
class WriteStats:
    nodes_created: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0

    def __add__(self, other: WriteStats) -> WriteStats:
        return WriteStats(
            self.nodes_created + other.nodes_created,
            self.nodes_deleted + other.nodes_deleted,
            self.relationships_created + other.relationships_created,
            self.relationships_deleted + other.relationships_deleted,
            self.properties_set + other.properties_set,
        )


@dataclass(frozen=True)
class Result:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    stats: WriteStats = field(default_factory=WriteStats)
    #: True when rows were cut at a row limit (analysts' ad hoc queries only)
    truncated: bool = False

    @property
    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def single(self) -> dict[str, Any] | None:
        """The first record, or None when the query returned no rows."""
        return dict(zip(self.columns, self.rows[0], strict=True)) if self.rows else None

    def as_records(self, record_type: Callable[..., R]) -> list[R]:
        """Each row as a `record_type`, built from its values in order: the columns must be
        the record's fields, in their order (checked, so a statement and its record cannot
        drift apart). Made from the fields' dict (`graph.makers`), unless the record's class
        does more than set them."""
        names = _field_names(record_type)
        self._check_columns(record_type, names)
        make = _maker_of(record_type)
        if make is None:
            return [record_type(*row) for row in self.rows]
        # every row has a value for each column, and the columns are the fields (checked)
        return [make(dict(zip(names, row, strict=False))) for row in self.rows]

    def as_records_keyed(self, record_type: Callable[..., R], key: str) -> list[tuple[R, Any]]:
        """`as_records`, for rows that hold one more column, `key`, last (a page's sort key):
        each record with that column's value."""
        names = _field_names(record_type)
        self._check_columns(record_type, (*names, key))
        make = _maker_of(record_type)
        if make is None:
            return [(record_type(*row[:-1]), row[-1]) for row in self.rows]
        # the key, last, is left out: the fields are the columns before it (checked)
        return [(make(dict(zip(names, row, strict=False))), row[-1]) for row in self.rows]

    def _check_columns(self, record_type: Callable[..., Any], expected: tuple[str, ...]) -> None:
        # a read of an empty graph answers without columns
        if self.columns != expected and (self.rows or self.columns):
            raise ValueError(
                f"columns {list(self.columns)} are not "
                f"{getattr(record_type, '__name__', record_type)}'s {list(expected)}"
            )


@functools.cache
def _field_names(record_type: Any) -> tuple[str, ...]:
    return tuple(f.name for f in fields(record_type))


@functools.cache
def _maker_of(record_type: Any) -> Callable[[dict[str, Any]], Any] | None:
    """`graph.makers.maker` of the record's class; None when it must be constructed."""
    try:
        return maker(record_type)
    except TypeError:
        return None


def plain(value: Any) -> Any:
    """Temporal values as ISO 8601 text, maps as dicts, lists as lists; the rest unchanged."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def camel_params(shape: DataclassInstance) -> dict[str, object]:
    """A parameter shape's fields as Cypher parameters: `valid_until` is sent as `$validUntil`."""
    return {name: getattr(shape, attribute) for attribute, name in _camel_names(type(shape))}


@functools.cache
def _camel_names(shape: type[DataclassInstance]) -> tuple[tuple[str, str], ...]:
    return tuple((f.name, _camel(f.name)) for f in fields(shape))


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(word.title() for word in rest)


def check_parameters(params: Mapping[str, Any]) -> None:
    """Refuse values that one engine or the other cannot carry intact as a parameter."""
    for name, value in params.items():
        _check_value(name, value)


def _check_value(path: str, value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise BadParameter(f"parameter {path} contains a NUL character")
        if "\x01" in value:
            # FalkorDB 4.16 segfaults writing it to a property under a uniqueness constraint
            raise BadParameter(f"parameter {path} contains the control character U+0001")
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise BadParameter(f"parameter {path} is not valid Unicode text") from None
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, int):
        if not INT64_MIN <= value <= INT64_MAX:
            raise BadParameter(f"parameter {path}={value} is outside the 64-bit integer range")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise BadParameter(f"parameter {path} is not a finite number")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str) or not key or "`" in key or "\x00" in key:
                raise BadParameter(f"parameter {path} has an unusable map key {key!r}")
            _check_value(f"{path}.{key}", item)
    elif isinstance(value, Sequence):
        for index, item in enumerate(value):
            _check_value(f"{path}[{index}]", item)
    else:
        raise BadParameter(f"parameter {path} has unsupported type {type(value).__name__}")


def to_json(value: Any) -> Any:
    """A JSON-ready form of a result value: nodes and relationships as labelled property maps."""
    if isinstance(value, Node):
        return {"labels": list(value.labels), "properties": to_json(dict(value.properties))}
    if isinstance(value, Relationship):
        return {"type": value.type, "properties": to_json(dict(value.properties))}
    if isinstance(value, Path):
        return {
            "nodes": [to_json(n) for n in value.nodes],
            "relationships": [to_json(r) for r in value.relationships],
        }
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    return value
