"""A run of plain leaves read by one generated function gives what `_plain_value` gives for
each of them, and leaves to the executor's remainder exactly the values its checks cannot
settle. (`tests/test_execution.py` holds whole queries to graphql-core's answers.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import Any

import pytest
from graphql import GraphQLInt, GraphQLSchema, GraphQLString

from schema.leaf_functions import MAX_FUNCTIONS, leaf_function
from schema.leaf_plans import FULL_PATH, LeafRead


class Kind(Enum):
    MINING = "mining"


@dataclass
class Row:
    name: Any = "a"
    kind: Any = Kind.MINING
    day: Any = dt.date(2026, 1, 2)
    count: Any = 7


def _plans() -> list[tuple[str, LeafRead]]:
    return [
        ("name", LeafRead("name", getattr, GraphQLString.coerce_output_value, unchanged=str)),
        ("kind", LeafRead("kind", getattr, str, by_class={Kind: lambda member: member.name})),
        ("day", LeafRead("day", getattr, str, nullable=True, by_class={dt.date: str})),
        ("count", LeafRead("count", getattr, GraphQLInt.coerce_output_value)),
    ]


class Rest:
    """The executor's remainder, noting what reached it; it refuses "refused"."""

    def __init__(self) -> None:
        self.given: list[Any] = []

    def __call__(self, plan: LeafRead, value: Any, /) -> Any:
        self.given.append(value)
        return FULL_PATH if value == "refused" else f"rest:{value}"


@pytest.fixture
def schema() -> GraphQLSchema:
    return GraphQLSchema()


def test_values_their_class_settles_are_read_without_the_rest(schema: GraphQLSchema) -> None:
    rest = Rest()
    read = leaf_function(schema, _plans())
    assert read(Row(), rest) == {"name": "a", "kind": "MINING", "day": "2026-01-02", "count": 7}
    assert rest.given == []


@pytest.mark.parametrize("count", [2**31 - 1, -(2**31)])
def test_ints_within_32_bits_are_their_own_value(schema: GraphQLSchema, count: int) -> None:
    rest = Rest()
    assert leaf_function(schema, _plans())(Row(count=count), rest) == {
        "name": "a", "kind": "MINING", "day": "2026-01-02", "count": count,
    }  # fmt: skip
    assert rest.given == []


@pytest.mark.parametrize("count", [2**31, -(2**31) - 1, True, 2.0, "7"])
def test_ints_beyond_32_bits_bools_floats_and_text_go_to_the_rest(
    schema: GraphQLSchema, count: Any
) -> None:
    rest = Rest()
    read = leaf_function(schema, _plans())
    assert read(Row(count=count), rest) == {
        "name": "a", "kind": "MINING", "day": "2026-01-02", "count": f"rest:{count}",
    }  # fmt: skip
    assert rest.given == [count]


def test_nulls_and_values_of_other_classes_go_to_the_rest(schema: GraphQLSchema) -> None:
    rest = Rest()
    row = Row(name=None, kind="MINING", day=None)
    assert leaf_function(schema, _plans())(row, rest) == {
        "name": "rest:None", "kind": "rest:MINING", "day": "rest:None", "count": 7,
    }  # fmt: skip
    assert rest.given == [None, "MINING", None]


def test_a_value_the_rest_refuses_leaves_the_whole_object_to_the_full_path(
    schema: GraphQLSchema,
) -> None:
    rest = Rest()
    assert leaf_function(schema, _plans())(Row(kind="refused", count="later"), rest) is None
    assert rest.given == ["refused"]  # the next leaves are not read


def test_an_attribute_that_raises_leaves_the_whole_object_to_the_full_path(
    schema: GraphQLSchema,
) -> None:
    class Broken:
        name, kind = "a", Kind.MINING

        @property
        def day(self) -> Any:
            raise ValueError("cannot read the day")

    assert leaf_function(schema, _plans())(Broken(), Rest()) is None
    assert leaf_function(schema, _plans())(object(), Rest()) is None


ODD_NAMES = ["class", "two words", "名称", "x) or (y", "__import__('os')"]


def test_attribute_names_that_are_not_plain_identifiers_are_read_by_getattr(
    schema: GraphQLSchema,
) -> None:
    """Only plain identifiers are written into the function as attribute reads; any other
    name is handed to it as a value."""
    source = Row()
    for number, name in enumerate(ODD_NAMES):
        setattr(source, name, f"value {number}")
    plans = [(f"r{number}", LeafRead(name, getattr, str, unchanged=str))
             for number, name in enumerate(ODD_NAMES)]  # fmt: skip
    assert leaf_function(schema, plans)(source, Rest()) == {
        f"r{number}": f"value {number}" for number in range(len(ODD_NAMES))
    }


def test_a_reader_of_its_own_is_called_with_the_attribute_as_given(
    schema: GraphQLSchema,
) -> None:
    def from_mapping(source: dict[str, Any], key: str) -> Any:
        return source[key]

    plans = [(name, LeafRead(name, from_mapping, str, unchanged=str)) for name in ODD_NAMES]
    row = {name: f"value of {name}" for name in ODD_NAMES}
    assert leaf_function(schema, plans)(row, Rest()) == row


def test_a_run_of_no_leaves_reads_an_empty_object(schema: GraphQLSchema) -> None:
    """Every field of a selection skipped by `@skip` or `@include`."""
    assert leaf_function(schema, [])(Row(), Rest()) == {}


def test_response_names_are_written_as_literals(schema: GraphQLSchema) -> None:
    plan = LeafRead("name", getattr, str, unchanged=str)
    names = ["quote'd", 'double"', "back\\slash", "new\nline"]
    read = leaf_function(schema, [(name, plan) for name in names])
    assert read(Row(), Rest()) == dict.fromkeys(names, "a")


def test_a_run_of_the_same_plans_gets_the_same_function(schema: GraphQLSchema) -> None:
    plans = _plans()
    first = leaf_function(schema, plans)
    assert leaf_function(schema, list(plans)) is first
    assert leaf_function(schema, plans[:2]) is not first
    renamed = [("alias", plans[0][1]), *plans[1:]]
    assert leaf_function(schema, renamed) is not first
    assert leaf_function(GraphQLSchema(), plans) is not first


def test_other_plans_under_the_same_response_names_get_their_own_function(
    schema: GraphQLSchema,
) -> None:
    """A field of another type answering under the same name reads its own attribute."""
    by_name = leaf_function(schema, [("label", LeafRead("name", getattr, str, unchanged=str))])
    by_kind = leaf_function(schema, [("label", LeafRead("kind", getattr, str, by_class={
        Kind: lambda member: member.name}))])  # fmt: skip
    assert by_name(Row(), Rest()) == {"label": "a"}
    assert by_kind(Row(), Rest()) == {"label": "MINING"}


def test_a_schema_keeps_a_bounded_number_of_functions_the_least_recently_used_going_first(
    schema: GraphQLSchema,
) -> None:
    """Fields, their order and aliases are the client's to choose: every new run of them must
    not be kept forever, nor push out the ones in use."""
    plan = LeafRead("name", getattr, str, unchanged=str)
    first = leaf_function(schema, [("alias0", plan)])
    busy = leaf_function(schema, [("busy", plan)])
    for number in range(1, MAX_FUNCTIONS + 1):
        leaf_function(schema, [(f"alias{number}", plan)])
        assert leaf_function(schema, [("busy", plan)]) is busy  # used all along: kept
    again = leaf_function(schema, [("alias0", plan)])
    assert again is not first  # the least recently used: let go, and made again
    assert again(Row(), Rest()) == {"alias0": "a"}
