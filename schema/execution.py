"""How the schema executes: graphql-core's executor with a shorter path for plain leaf fields.

A page of 50 mines with their licences and history is about 2,000 fields, and most of them are
attributes of a dataclass holding a string, a number, a date or an enum. graphql-core gives each
one the full treatment (a resolve-info object, Strawberry's resolver wrapper, an awaitable check,
`complete_value`'s dispatch), which was most of the page's CPU. A field qualifies for the short
path when Strawberry itself treats it as *basic* (no resolver, no field extension: an attribute
read) and its type is a scalar or an enum, nullable or not; the executor then reads the attribute
and coerces it with the type's own `coerce_output_value`, as `complete_leaf_value` does. Whatever
is not plainly a value — null of a non-null field (it must fail with graphql-core's own error),
a value the type refuses, an exception, an awaitable — goes back to the full path, which
produces the standard result or error, so the response is the same either way
(`tests/test_execution.py`). Lists of objects whose selected fields are all plain (a mine's
licences and history) are completed in one loop the same way.

Fields with a resolver go through graphql-core's own steps (resolve info, completion, error
handling), but the resolver is called through a `DirectCall` (`schema/direct_calls.py`) instead
of Strawberry's per-call wrapper, with the field node's arguments coerced once per request: on a
page, `Mine.cases(filter: ...)` has the same arguments for every mine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, cast
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
    is_leaf_type,
    specified_scalar_types,
)
from graphql.execution.executor import to_nodes
from graphql.execution.values import get_argument_values
from graphql.type.definition import GraphQLList, GraphQLNonNull
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import CustomGraphQLEnumType
from strawberry.types.field import StrawberryField

from schema.direct_calls import STRAWBERRY_FIELD, DirectCall, direct_call

#: graphql-core's own scalars that serialise a value of exactly this class to itself (Int and
#: Float check ranges and finiteness, so they keep their coercion)
UNCHANGED: dict[str, type] = {"String": str, "ID": str, "Boolean": bool}


#: what `_plain_value` answers when graphql-core's full path must (and will) produce the value
FULL_PATH: Any = object()

#: classes of values that are neither exceptions nor awaitables, so need no check for either
PLAIN_CLASSES: frozenset[type] = frozenset({str, int, float, bool, dt.date, dt.datetime})


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


def leaf_read(field: GraphQLField) -> LeafRead | None:
    """The short path for `field`, or None when it needs graphql-core's full treatment."""
    definition = field.extensions.get(STRAWBERRY_FIELD)
    if not isinstance(definition, StrawberryField) or not definition.is_basic_field:
        return None
    if field.args or not getattr(field.resolve, "_is_default", False):
        return None
    nullable = not isinstance(field.type, GraphQLNonNull)
    leaf = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
    if not is_leaf_type(leaf):
        return None
    plain = PLAIN_CLASSES
    if isinstance(leaf, CustomGraphQLEnumType):
        coerce: Callable[[Any], Any] = _enum_names(leaf)
        plain = plain | {leaf.wrapped_cls}
    elif isinstance(leaf, GraphQLLeafType):
        coerce = leaf.coerce_output_value
    else:
        return None
    builtin = specified_scalar_types.get(leaf.name) is leaf
    unchanged = UNCHANGED.get(leaf.name) if builtin else None
    return LeafRead(definition.python_name, definition.default_resolver, coerce, unchanged,
                    nullable, plain)  # fmt: skip


def _enum_names(enum: CustomGraphQLEnumType) -> Callable[[Any], Any]:
    """Strawberry's enum coercion, by dictionary: it compares the member with each of the
    enum's values in turn, on every value of every response. Anything that is not one of the
    members goes to Strawberry's own coercion (and its error)."""
    members = cast(type[Enum], enum.wrapped_cls)
    names = {member: enum.coerce_output_value(member) for member in members}
    fallback = enum.coerce_output_value

    def coerce(value: Any) -> Any:
        # a str-valued member equals its string: only members are looked up
        return names[value] if isinstance(value, members) else fallback(value)

    return coerce


Plan = LeafRead | DirectCall | None

#: each schema's short paths by (type name, field name); a schema does not change once built
_PLANS: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], Plan]] = WeakKeyDictionary()


class PlainLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, reading plain leaf fields (and lists of plain objects) straight
    off their parent and calling resolvers through their `DirectCall`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # a schema extension that wraps resolvers must see every field: no short path then
        manager = self.middleware_manager
        self._short_path = manager is None or not manager.middlewares
        # per schema: another schema may have a type of the same name with other resolvers
        self._plans = _PLANS.setdefault(self.schema, {})
        self._selections: dict[tuple[str, int], tuple[Any, list[tuple[str, LeafRead]] | None]] = {}
        # graphql-core's coerced arguments of a field node on a type: the same for every object
        # of a list (per type: an interface's implementations may give other defaults)
        self._arguments: dict[tuple[str, int], tuple[Any, dict[str, Any]]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        if self._short_path:
            whole = self._plain_object(parent_type, source_value, grouped_field_set)
            if whole is not None:
                return whole
        return super().execute_fields(
            parent_type, source_value, path, grouped_field_set, position_context
        )

    def _plain_object(
        self, parent_type: GraphQLObjectType, source: Any, grouped_field_set: Any
    ) -> dict[str, Any] | None:
        """An object whose every selected field is a plain leaf (a licence, a history entry),
        completed in one loop; None when any field needs the full path."""
        plans = self._object_plans(parent_type, grouped_field_set)
        return None if plans is None else self._plain_fields(plans, source)

    def _plain_fields(
        self, plans: list[tuple[str, LeafRead]], source: Any
    ) -> dict[str, Any] | None:
        results: dict[str, Any] = {}
        for response_name, plan in plans:
            value = self._plain_value(plan, source)
            if value is FULL_PATH:
                return None
            results[response_name] = value
        return results

    def complete_list_value(
        self,
        return_type: GraphQLList[Any],
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        if self._short_path and isinstance(result, list | tuple):
            completed = self._plain_list(return_type.of_type, field_details_list, result)
            if completed is not None:
                return completed
        return super().complete_list_value(
            return_type, field_details_list, info, path, result, position_context
        )

    def _plain_list(
        self, item_type: Any, field_details_list: Any, items: list[Any] | tuple[Any, ...]
    ) -> list[dict[str, Any]] | None:
        """A list of objects whose every selected field is a plain leaf (a mine's licences or
        history), completed in one loop without graphql-core's per-item steps; None (and
        nothing done that the full path would not do again) when any item needs them."""
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(object_type, GraphQLObjectType) or object_type.is_type_of is not None:
            return None
        grouped_field_set, deferred, *_ = self.collect_subfields(object_type, field_details_list)
        if deferred:
            return None
        plans = self._object_plans(object_type, grouped_field_set)
        if plans is None:
            return None
        completed = []
        for item in items:
            # null, failed or pending items, and items with a field the full path reports an
            # error for, go there
            if item is None or isinstance(item, Exception) or self.is_awaitable(item):
                return None
            fields = self._plain_fields(plans, item)
            if fields is None:
                return None
            completed.append(fields)
        return completed

    def _object_plans(
        self, parent_type: GraphQLObjectType, grouped_field_set: Any
    ) -> list[tuple[str, LeafRead]] | None:
        """The short paths of every field of a selection, or None if one has none. graphql-core
        collects a selection once per request and keeps that object alive while it executes, so
        its identity is a sound key (the entry holds it too, so the id cannot be reused)."""
        key = (parent_type.name, id(grouped_field_set))
        cached = self._selections.get(key)
        if cached is not None and cached[0] is grouped_field_set:
            return cached[1]
        plans: list[tuple[str, LeafRead]] = []
        for response_name, field_details_list in grouped_field_set.items():
            node = field_details_list[0].node
            plan = None if node.arguments else self._plan(parent_type, node.name.value)
            if not isinstance(plan, LeafRead):
                self._selections[key] = (grouped_field_set, None)
                return None
            plans.append((response_name, plan))
        self._selections[key] = (grouped_field_set, plans)
        return plans

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        details = field_details_list[0]
        node = details.node
        if self._short_path:
            plan = self._plan(parent_type, node.name.value)
            if isinstance(plan, LeafRead) and not node.arguments:
                value = self._plain_value(plan, source)
                if value is not FULL_PATH:
                    return value
            elif isinstance(plan, DirectCall) and details.fragment_variable_values is None:
                return self._call_directly(
                    plan, parent_type, source, field_details_list, path, position_context
                )
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _plan(self, parent_type: GraphQLObjectType, name: str) -> Plan:
        key = (parent_type.name, name)
        try:
            return self._plans[key]
        except KeyError:
            field = parent_type.fields.get(name)
            plan: Plan = None
            if field is not None:
                try:
                    plan = leaf_read(field) or direct_call(field, self.schema._strawberry_schema)  # type: ignore[attr-defined]
                except Exception:  # the full path reports whatever it is, where it happens
                    plan = None
            self._plans[key] = plan
            return plan

    def _call_directly(
        self,
        call: DirectCall,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's `execute_field`, calling the resolver through `call` with the field
        node's arguments coerced once per request."""
        node = field_details_list[0].node
        field_def = parent_type.fields[node.name.value]
        return_type = field_def.type
        info = self.build_resolve_info(field_def, to_nodes(field_details_list), parent_type, path)
        try:
            coerced = self._coerced_arguments(parent_type, field_def, node, call.shares_arguments)
            result = call.call(source, coerced, call.info(info))
            if self.is_awaitable(result):
                return self.complete_awaitable_value(
                    return_type, field_details_list, info, path, result, position_context
                )
            completed = self.complete_value(
                return_type, field_details_list, info, path, result, position_context
            )
            if self.is_awaitable(completed):
                return self._await_completed(completed, return_type, field_details_list, path)
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None
        return completed

    async def _await_completed(
        self, completed: Any, return_type: Any, field_details_list: Any, path: Any
    ) -> Any:
        try:
            return await completed
        except Exception as raw_error:
            self.handle_field_error(raw_error, return_type, field_details_list, path)
            return None

    def _coerced_arguments(
        self, parent_type: GraphQLObjectType, field_def: GraphQLField, node: Any, shared: bool
    ) -> dict[str, Any]:
        """graphql-core's coerced arguments, once per field node and type when `shared` (read,
        never changed: each call converts, and copies, its own)."""
        if not (field_def.args or node.arguments):
            return {}
        key = (parent_type.name, id(node))
        cached = self._arguments.get(key) if shared else None
        if cached is not None and cached[0] is node:
            return cached[1]
        coerced = get_argument_values(
            field_def, node, self.variable_values, None, self.hide_suggestions
        )
        if shared:
            self._arguments[key] = (node, coerced)
        return coerced

    def _plain_value(self, plan: LeafRead, source: Any) -> Any:
        """The coerced value, or FULL_PATH to let the full path answer (and report any error)."""
        try:
            value = plan.read(source, plan.attribute)
            kind = value.__class__
            if kind is plan.unchanged:
                return value
            if value is None:
                return None if plan.nullable else FULL_PATH
            # graphql-core reports an exception held as a value as the field's error
            if kind not in plan.plain and (
                isinstance(value, Exception) or self.is_awaitable(value)
            ):
                return FULL_PATH
            coerced = plan.coerce(value)
        except Exception:  # the full path raises it again, located, as graphql-core reports it
            return FULL_PATH
        # graphql-core reports a scalar that serialises to nothing (Undefined or None)
        return FULL_PATH if coerced is Undefined or coerced is None else coerced
