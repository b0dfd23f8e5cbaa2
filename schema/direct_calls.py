"""Calling a Strawberry resolver without Strawberry's per-call wrapper.

For each call of a field with a resolver, Strawberry's wrapper makes an `Info`, converts the
arguments graphql-core coerced (looking up every argument's GraphQL name and type again), folds
the field's extensions around the call, and calls the resolver with `self` and `info`. On a page
of 50 mines that is some 250 calls, `Mine.cases(filter: ...)` converting the same four arguments
for every mine. A `DirectCall` is that work done once per field of the schema: for a field with
no field extension (permission classes are one) and no exception handler, which is every
resolver field of this schema, it converts the arguments as Strawberry does — a scalar, an enum
or a list of them taken as graphql-core coerced it, lists copied so that no two calls share
one; anything else through Strawberry's own `convert_argument` — and calls the resolver.
`schema/execution.py` decides when to use it; `tests/test_execution.py` holds it to Strawberry's
answers and errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

import strawberry
from graphql import GraphQLField
from strawberry import ID
from strawberry.types import Info
from strawberry.types.arguments import InputContext, StrawberryArgument, convert_argument
from strawberry.types.base import (
    StrawberryList,
    StrawberryMaybe,
    StrawberryOptional,
    has_object_definition,
)
from strawberry.types.enum import StrawberryEnumDefinition, has_enum_definition
from strawberry.types.field import StrawberryField
from strawberry.types.fields.resolver import StrawberryResolver
from strawberry.utils.await_maybe import await_maybe

from schema.inputs import is_flat, is_leaf_or_leaf_list, is_list

STRAWBERRY_FIELD = "strawberry-definition"

Convert = Callable[[Any, Info], Any]


@dataclass(frozen=True, slots=True)
class ArgumentConversion:
    graphql_name: str
    python_name: str
    convert: Convert
    #: its coerced value holds nothing a resolver could change (so calls may share it)
    shareable: bool


@dataclass(frozen=True, slots=True)
class DirectCall:
    """How to call one field's resolver as Strawberry's wrapper would."""

    definition: StrawberryField
    function: Callable[..., Any]
    passes_self: bool
    info_parameter: str | None
    arguments: tuple[ArgumentConversion, ...]
    info_class: type[Info]
    #: an `async def` resolver: its arguments are converted when it is awaited, as Strawberry's
    #: wrapper does (so an error converting them is reported in the same order)
    is_async: bool
    #: calls for the objects of a list may be given one coerced value of each argument
    shares_arguments: bool
    #: the resolver takes `info`, or arguments (converted with it); else it is given None
    needs_info: bool

    def info(self, raw: Any) -> Info:
        return self.info_class(_raw_info=raw, _field=self.definition)

    def call(self, source: Any, coerced: Mapping[str, Any], info: Info | None) -> Any:
        """The resolver's result for `source`, from graphql-core's coerced arguments."""
        if self.is_async:
            return self._later(source, coerced, info)
        return self._now(source, coerced, info)

    async def _later(self, source: Any, coerced: Mapping[str, Any], info: Info | None) -> Any:
        return await await_maybe(self._now(source, coerced, info))

    def _now(self, source: Any, coerced: Mapping[str, Any], info: Info | None) -> Any:
        kwargs: dict[str, Any] = {}
        for argument in self.arguments:  # given arguments, a call is given info (`needs_info`)
            if argument.graphql_name in coerced:
                kwargs[argument.python_name] = argument.convert(
                    coerced[argument.graphql_name], cast(Info, info)
                )
        if self.info_parameter is not None:
            kwargs[self.info_parameter] = info
        if self.passes_self:
            return self.function(source, **kwargs)
        return self.function(**kwargs)


def direct_call(field: GraphQLField, schema: strawberry.Schema) -> DirectCall | None:
    """The direct call of `field`, or None when Strawberry's wrapper must call it: no resolver
    (an attribute), field extensions, exception handlers, or a `root`/`parent` parameter."""
    definition = field.extensions.get(STRAWBERRY_FIELD)
    if not isinstance(definition, StrawberryField) or definition.extensions:
        return None
    if definition.is_subscription or type(definition).get_result is not StrawberryField.get_result:
        return None  # a subscription's events, or a field class that calls its own way
    resolver = definition.base_resolver
    if resolver is None or resolver.parent_parameter or resolver.root_parameter:
        return None
    if type(resolver).__call__ is not StrawberryResolver.__call__:
        return None
    function = resolver.wrapped_func
    if not callable(function):  # Strawberry's wrapper reports it
        return None
    # the schema's exception handlers (a Strawberry without them counts as having some)
    if getattr(schema.schema_converter, "exception_handlers", None) != ():
        return None
    info = resolver.info_parameter
    arguments = tuple(_conversion(a, schema) for a in definition.arguments)
    return DirectCall(
        definition=definition,
        function=function,
        passes_self=resolver.self_parameter is not None,
        info_parameter=info.name if info is not None else None,
        arguments=arguments,
        info_class=schema.config.info_class,
        is_async=definition.is_async,
        shares_arguments=all(argument.shareable for argument in arguments),
        needs_info=info is not None or bool(arguments),
    )


def _conversion(argument: StrawberryArgument, schema: strawberry.Schema) -> ArgumentConversion:
    graphql_name = schema.config.name_converter.from_argument(argument)
    assert argument.python_name
    type_ = argument.type
    registry = schema.schema_converter.scalar_registry
    config, path = schema.config, (graphql_name,)
    convert: Convert
    if is_leaf_or_leaf_list(type_, registry):
        convert = _copied_list if is_list(type_) else _as_coerced
    elif _builds_itself(type_):
        # an input with a `from_input` hook (the flat filters), optional or not: what
        # `convert_argument` ends up calling, without the steps that find it on every call
        input_type: Any = type_.of_type if type(type_) is StrawberryOptional else type_
        definition = input_type.__strawberry_definition__

        def convert(value: Any, info: Info) -> Any:
            if value is None:
                return None
            context = InputContext(info=info, config=config, scalar_registry=registry, path=path)
            return definition.from_input(input_type, value, context)
    else:

        def convert(value: Any, info: Info) -> Any:
            return convert_argument(value, type_, registry, config, info, path=path)

    return ArgumentConversion(
        graphql_name, argument.python_name, convert, _shareable(type_, registry)
    )


#: Python types of scalars whose values cannot be changed in place
IMMUTABLE_SCALARS: tuple[object, ...] = (
    str, int, float, bool, ID, Decimal, UUID, dt.date, dt.datetime, dt.time,
)  # fmt: skip


def _shareable(type_: Any, registry: Mapping[object, Any]) -> bool:
    """A value of `type_` holds only values nobody can change in place, once lists are copied
    (and every conversion copies them): immutable scalars, enums, lists of them, and inputs
    that build themselves of those. A JSON value (a dict) is not."""
    while isinstance(type_, StrawberryOptional | StrawberryList) and not isinstance(
        type_, StrawberryMaybe
    ):
        type_ = type_.of_type
    if isinstance(type_, StrawberryEnumDefinition) or has_enum_definition(type_):
        return True
    if any(type_ is scalar for scalar in IMMUTABLE_SCALARS):
        return True
    if has_object_definition(type_):
        definition = type_.__strawberry_definition__
        return (
            definition.is_input
            and definition.from_input is not None
            and is_flat(definition, registry)
            and all(
                _shareable(f.resolve_type(type_definition=definition), registry)
                for f in definition.fields
            )
        )
    return False


def _builds_itself(type_: Any) -> bool:
    """An input object (optional, not `Maybe`) that converts itself through `from_input`."""
    inner = type_.of_type if type(type_) is StrawberryOptional else type_
    return has_object_definition(inner) and inner.__strawberry_definition__.from_input is not None


def _as_coerced(value: Any, _info: Info) -> Any:
    return value


def _copied_list(value: Any, _info: Info) -> Any:
    return None if value is None else list(value)
