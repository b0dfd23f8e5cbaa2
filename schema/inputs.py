"""Input objects built straight from graphql-core's coerced values, when nothing in them needs
converting.

Strawberry converts an input argument field by field, resolving each field's annotation again
on every call. `Mine.cases(filter: ...)` on a page of 50 mines converts its 11-field filter 50
times, which was a quarter of the page's execution. For an input whose every field is a scalar,
an enum or a list of them, graphql-core has already produced the final values (enum members,
dates), and Strawberry's conversion only copies them (lists included, so a default list is
never shared between requests): `flat_builder` does the same copy without the per-call type
resolution, through Strawberry's own hook for inputs that build themselves (`from_input`).
Inputs with nested inputs, `Maybe` fields or relay ids keep Strawberry's conversion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import MISSING
from typing import Any

import strawberry
from strawberry.relay.types import GlobalID
from strawberry.scalars import is_scalar
from strawberry.types.arguments import InputContext
from strawberry.types.base import (
    StrawberryList,
    StrawberryMaybe,
    StrawberryObjectDefinition,
    StrawberryOptional,
    has_object_definition,
)
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition

InputBuilder = Callable[[type, Mapping[str, Any], InputContext], Any]


def build_flat_inputs_directly(schema: strawberry.Schema) -> list[str]:
    """Give every flat input type of `schema` the direct builder; returns their names."""
    converter = schema.schema_converter
    registry = converter.scalar_registry
    built = []
    for concrete in converter.type_map.values():
        definition = concrete.definition
        if not isinstance(definition, StrawberryObjectDefinition) or not definition.is_input:
            continue
        if definition.from_input is None and is_flat(definition, registry):
            definition.from_input = flat_builder(definition, schema)
            built.append(definition.name)
    return sorted(built)


def is_flat(definition: StrawberryObjectDefinition, registry: Mapping[object, Any]) -> bool:
    """Every field a scalar, an enum, or a list of them (optional or not)."""
    return all(
        is_leaf_or_leaf_list(f.resolve_type(type_definition=definition), registry)
        for f in definition.fields
    )


def is_leaf_or_leaf_list(type_: Any, registry: Mapping[object, Any]) -> bool:
    if isinstance(type_, StrawberryMaybe):
        return False
    if isinstance(type_, StrawberryOptional):
        type_ = type_.of_type
    if isinstance(type_, StrawberryList):
        type_ = type_.of_type
        if isinstance(type_, StrawberryOptional):
            type_ = type_.of_type
    return _is_leaf(type_, registry)


def _is_leaf(type_: Any, registry: Mapping[object, Any]) -> bool:
    if type_ is GlobalID or has_object_definition(type_):
        return False
    if isinstance(type_, StrawberryEnumDefinition) or has_enum_definition(type_):
        return True
    return is_scalar(type_, registry)


def is_list(type_: Any) -> bool:
    if isinstance(type_, StrawberryOptional):
        type_ = type_.of_type
    return isinstance(type_, StrawberryList)


def flat_builder(definition: StrawberryObjectDefinition, schema: strawberry.Schema) -> InputBuilder:
    """Strawberry's conversion of a flat input, precomputed: unset fields without a default
    are None, lists are copied, every other value is taken as graphql-core coerced it."""
    names = schema.config.name_converter
    # by GraphQL name: a filter gives one or two of its dozen fields, and only those are read
    fields = {
        names.from_field(f): (f.python_name, is_list(f.resolve_type(type_definition=definition)))
        for f in definition.fields
    }
    unset = {
        f.python_name: None
        for f in definition.fields
        if f.default_value is MISSING and f.default_factory is MISSING
    }

    def build(cls: type, value: Mapping[str, Any], _context: InputContext) -> Any:
        kwargs: dict[str, Any] = dict(unset)
        for graphql_name, given in value.items():
            field = fields.get(graphql_name)
            if field is not None:
                python_name, a_list = field
                kwargs[python_name] = list(given) if a_list and given is not None else given
        return cls(**kwargs)

    return build
