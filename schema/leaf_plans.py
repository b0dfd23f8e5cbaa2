"""How a plain field is read: the plans `schema/execution.py` (and the walk, and
`schema/leaf_functions.py`) follow for a leaf that is an attribute holding a scalar or an enum,
and for an attribute holding an object or a list. `schema/execution.py` says when they apply.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, cast

from graphql import GraphQLField, GraphQLLeafType, is_leaf_type, specified_scalar_types
from graphql.type.definition import GraphQLNonNull
from strawberry.schema.schema_converter import CustomGraphQLEnumType
from strawberry.schema.types import base_scalars
from strawberry.types.field import StrawberryField

from schema.direct_calls import STRAWBERRY_FIELD

#: graphql-core's own scalars that serialise a value of exactly this class to itself (Int and
#: Float check ranges and finiteness, so they keep their coercion)
UNCHANGED: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}


#: what `_plain_value` answers when graphql-core's full path must (and will) produce the value
FULL_PATH: Any = object()

#: classes of values that are neither exceptions nor awaitables, so need no check for either
PLAIN_CLASSES: frozenset[type] = frozenset({str, int, float, bool, dt.date, dt.datetime})

#: the same, for any value a resolver or an attribute may hand over
SETTLED_CLASSES: frozenset[type] = PLAIN_CLASSES | {type(None), list, tuple, dict}


@dataclass(frozen=True, slots=True)
class LeafRead:
    """How to produce one plain leaf field's value from its parent object."""

    attribute: str
    read: Callable[[Any, str], Any]
    coerce: Callable[[Any], Any]
    #: the class of the values the type's coercion returns as they are (str for String)
    unchanged: type | None = None
    #: null is the field's value (graphql-core reports a null of a non-null field)
    nullable: bool = False
    #: classes of values known not to be exceptions or awaitables
    plain: frozenset[type] = PLAIN_CLASSES
    #: the coercion of a value of exactly one of these classes, which always gives a value (an
    #: enum's member its name, a date its ISO text): no check needed around it
    by_class: Mapping[type, Callable[[Any], Any]] = dataclasses.field(default_factory=dict)


def _basic_field(field: GraphQLField) -> StrawberryField | None:
    """`field`'s Strawberry definition when Strawberry treats it as basic (no resolver, no
    field extension) and graphql-core reads it with its default resolver, without arguments;
    None otherwise."""
    definition = field.extensions.get(STRAWBERRY_FIELD)
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    if field.args or not getattr(field.resolve, "_is_default", False):
        return None
    return definition


def leaf_read(field: GraphQLField) -> LeafRead | None:
    """The short path for `field`, or None when it needs graphql-core's full treatment."""
    definition = _basic_field(field)
    if definition is None:
        return None
    nullable = not isinstance(field.type, GraphQLNonNull)
    leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not is_leaf_type(leaf):
        return None
    plain = PLAIN_CLASSES
    by_class: dict[type, Callable[[Any], Any]] = {}
    if isinstance(leaf, CustomGraphQLEnumType):
        names = _member_names(leaf)
        coerce: Callable[[Any], Any] = _enum_names(leaf, names)
        plain = plain | {leaf.wrapped_cls}
        by_class[leaf.wrapped_cls] = names.__getitem__
    elif isinstance(leaf, GraphQLLeafType):
        coerce = leaf.coerce_output_value
        if coerce is base_scalars.isoformat:  # Strawberry's Date and DateTime
            by_class = {dt.date: dt.date.isoformat, dt.datetime: dt.datetime.isoformat}
    else:
        return None
    builtin = specified_scalar_types.get(leaf.name) is leaf
    unchanged = UNCHANGED.get(leaf.name) if builtin else None
    return LeafRead(definition.python_name, definition.default_resolver, coerce, unchanged,
                    nullable, plain, by_class)  # fmt: skip


@dataclass(frozen=True, slots=True)
class AttributeRead:
    """How to produce a field that is an attribute holding an object or a list (a connection's
    edges, an edge's node): read it, then complete it by its type."""

    attribute: str
    read: Callable[[Any, str], Any]


def attribute_read(field: GraphQLField) -> AttributeRead | None:
    """The attribute read of a non-leaf field Strawberry treats as basic, or None."""
    definition = _basic_field(field)
    if definition is None:
        return None
    return AttributeRead(definition.python_name, definition.default_resolver)


def _enum_names(enum: CustomGraphQLEnumType, names: dict[Any, Any]) -> Callable[[Any], Any]:
    """Strawberry's enum coercion, by dictionary (`names`, each member's): it compares the
    member with each of the enum's values in turn, on every value of every response. Anything
    that is not one of the members goes to Strawberry's own coercion (and its error)."""
    members = cast(type[Enum], enum.wrapped_cls)
    fallback = enum.coerce_output_value

    def coerce(value: Any) -> Any:
        # a str-valued member equals its string: only members are looked up
        return names[value] if isinstance(value, members) else fallback(value)

    return coerce


def _member_names(enum: CustomGraphQLEnumType) -> dict[Any, Any]:
    members = cast(type[Enum], enum.wrapped_cls)
    return {member: enum.coerce_output_value(member) for member in members}
