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
licences and history) are completed in one loop the same way, each item's leaves read by one
function generated for the selection (`schema/leaf_functions.py`).

Fields with a resolver go through graphql-core's own steps (resolve info, completion, error
handling), but the resolver is called through a `DirectCall` (`schema/direct_calls.py`) instead
of Strawberry's per-call wrapper, with the field node's arguments coerced once per request: on a
page, `Mine.cases(filter: ...)` has the same arguments for every mine.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import GeneratorType
from typing import Any
from weakref import WeakKeyDictionary

from graphql import (
    GraphQLField,
    GraphQLObjectType,
    GraphQLSchema,
    Undefined,
)
from graphql.execution.executor import to_nodes
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, gather_with_cancel
from graphql.type.definition import GraphQLList, GraphQLNonNull
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from schema.async_helpers import weak_helpers
from schema.direct_calls import DirectCall, direct_call
from schema.leaf_functions import LeafFunction, leaf_function
from schema.leaf_plans import (
    FULL_PATH,
    SETTLED_CLASSES,
    AttributeRead,
    LeafRead,
    attribute_read,
    leaf_read,
)

Plan = LeafRead | AttributeRead | DirectCall | None

#: one selected field: its response name, its field nodes and how it is executed
Step = tuple[str, Any, Plan]


@dataclass(slots=True)
class Selection:
    """The plans of one selection on one type, worked out once per request."""

    #: graphql-core's collected fields, held so that their id (the cache key) stays theirs
    grouped_field_set: Any
    steps: list[Step]
    #: every field as a plain leaf (a licence, a history entry), or None if one is not
    leaves: list[tuple[str, LeafRead]] | None
    #: the function reading `leaves` off an item of a list, once one asks for it
    read_leaves: LeafFunction | None = None


#: each schema's short paths by (type name, field name); a schema does not change once built
_PLANS: WeakKeyDictionary[GraphQLSchema, dict[tuple[str, str], Plan]] = WeakKeyDictionary()


class PlainLeafExecutor(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's executor, reading plain leaf fields (and lists of plain objects) straight
    off their parent and calling resolvers through their `DirectCall`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # no reference cycle through the executor: the request's objects are freed at its end
        self.async_helpers = weak_helpers(self)
        # a schema extension that wraps resolvers must see every field: no short path then
        manager = self.middleware_manager
        self._short_path = manager is None or not manager.middlewares
        # per schema: another schema may have a type of the same name with other resolvers
        self._plans = _PLANS.setdefault(self.schema, {})
        self._selections: dict[tuple[str, int], Selection] = {}
        # graphql-core's coerced arguments of a field node on a type: the same for every object
        # of a list (per type: an interface's implementations may give other defaults)
        self._arguments: dict[tuple[str, int], tuple[Any, dict[str, Any]]] = {}
        #: classes of values seen to be neither awaitables nor exceptions: a list's items are
        #: mostly of one class, and graphql-core's check of an object costs more than reading
        #: its fields
        self._settled_classes: set[type] = set(SETTLED_CLASSES)

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's `execute_fields`, with each field's plan looked up once per selection
        (not once per object) and plain leaves read without a path or a call per field."""
        if not self._short_path:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        results: dict[str, Any] = {}
        is_awaitable = self.is_awaitable
        awaitable_fields: list[str] = []
        try:
            for response_name, field_details_list, plan in self._selection(
                parent_type, grouped_field_set
            ).steps:
                if plan.__class__ is LeafRead:
                    value = self._plain_value(plan, source_value)
                    if value is not FULL_PATH:
                        results[response_name] = value
                        continue
                    plan = None
                field_path = Path(path, response_name, parent_type.name)
                result = self._execute_planned(
                    plan, parent_type, source_value, field_details_list, field_path,
                    position_context,
                )  # fmt: skip
                if result is not Undefined:
                    results[response_name] = result
                    if is_awaitable(result):
                        awaitable_fields.append(response_name)
        except Exception:
            if awaitable_fields:  # as graphql-core: settle what other fields started
                self.settle_in_background([results[field] for field in awaitable_fields])
            raise
        if not awaitable_fields:
            return results
        return _awaited_fields(results, awaitable_fields)

    def _selection(self, parent_type: GraphQLObjectType, grouped_field_set: Any) -> Selection:
        """Each selected field with the plan it may take here (None: graphql-core's path).
        graphql-core collects a selection once per request and keeps that object alive while
        it executes (the same object for every object of a list), so its identity is a sound
        key; the entry holds it too, so the id cannot be reused."""
        key = (parent_type.name, id(grouped_field_set))
        cached = self._selections.get(key)
        if cached is not None and cached.grouped_field_set is grouped_field_set:
            return cached
        steps: list[Step] = [
            (response_name, field_details_list, self._usable_plan(parent_type, field_details_list))
            for response_name, field_details_list in grouped_field_set.items()
        ]
        leaves = [(name, plan) for name, _, plan in steps if isinstance(plan, LeafRead)]
        selection = Selection(
            grouped_field_set, steps, leaves if len(leaves) == len(steps) else None
        )
        self._selections[key] = selection
        return selection

    def _usable_plan(self, parent_type: GraphQLObjectType, field_details_list: Any) -> Plan:
        """The field's plan, unless this use of it needs graphql-core: a leaf given arguments,
        a resolver inside a fragment with its own variables."""
        details = field_details_list[0]
        plan = self._plan(parent_type, details.node.name.value)
        if plan.__class__ is LeafRead and details.node.arguments:
            return None
        if plan.__class__ is DirectCall and details.fragment_variable_values is not None:
            return None
        return plan

    def _execute_planned(
        self,
        plan: Plan,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's `execute_field` by `plan`, for anything but a plain leaf's value."""
        if plan.__class__ is DirectCall:
            return self._call_directly(
                plan, parent_type, source, field_details_list, path, position_context
            )
        if plan.__class__ is AttributeRead:
            return self._read_attribute(
                plan, parent_type, source, field_details_list, path, position_context
            )
        return super().execute_field(
            parent_type, source, field_details_list, path, position_context
        )

    def _settled(self, value: Any) -> bool:
        """`value` is neither pending nor failed: checked once per class (a generator's
        awaitability is its own, so it is checked each time)."""
        kind = value.__class__
        if kind in self._settled_classes:
            return True
        if self.is_awaitable(value) or isinstance(value, Exception):
            return False
        if kind is not GeneratorType:
            self._settled_classes.add(kind)
        return True

    def complete_list_value(
        self,
        return_type: GraphQLList[Any],
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        # inside a deferred fragment the items' fields are split by graphql-core's execution
        # plan (some arrive later): only its own completion does that
        if self._short_path and position_context is None and isinstance(result, list | tuple):
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
        leaves = self._item_leaves(item_type, field_details_list)
        return None if leaves is None else self._plain_items(leaves, items)

    def _item_leaves(self, item_type: Any, field_details_list: Any) -> LeafFunction | None:
        """The function reading the selected leaves of each item of a list of `item_type`,
        when it is an object type whose every selected field is a plain leaf; else None."""
        object_type = item_type.of_type if isinstance(item_type, GraphQLNonNull) else item_type
        if not isinstance(object_type, GraphQLObjectType) or object_type.is_type_of is not None:
            return None
        grouped_field_set, deferred, *_ = self.collect_subfields(object_type, field_details_list)
        if deferred:
            return None
        selection = self._selection(object_type, grouped_field_set)
        if selection.leaves is None:
            return None
        if selection.read_leaves is None:  # made for lists only: a lone object is walked
            selection.read_leaves = leaf_function(self.schema, selection.leaves)
        return selection.read_leaves

    def _plain_items(
        self, leaves: LeafFunction, items: list[Any] | tuple[Any, ...]
    ) -> list[dict[str, Any]] | None:
        completed = []
        settled = self._settled_classes
        rest = self._leaf_rest
        for item in items:
            # null, failed or pending items, and items with a field the full path reports an
            # error for, go there
            if item is None or (item.__class__ not in settled and not self._settled(item)):
                return None
            fields = leaves(item, rest)
            if fields is None:
                return None
            completed.append(fields)
        return completed

    def execute_field(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        """A field executed on its own (a mutation's root fields, one at a time) by its plan."""
        if not self._short_path:
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        plan = self._usable_plan(parent_type, field_details_list)
        if plan.__class__ is LeafRead:
            value = self._plain_value(plan, source)
            if value is not FULL_PATH:
                return value
            plan = None
        return self._execute_planned(
            plan, parent_type, source, field_details_list, path, position_context
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
                    plan = (
                        leaf_read(field)
                        or attribute_read(field)
                        or direct_call(field, self.schema._strawberry_schema)  # type: ignore[attr-defined]
                    )
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
        info = self.build_resolve_info(field_def, to_nodes(field_details_list), parent_type, path)
        try:
            coerced = self._coerced_arguments(parent_type, field_def, node, call.shares_arguments)
            result = self._resolve(call, source, coerced, info)
        except Exception as raw_error:
            self.handle_field_error(raw_error, field_def.type, field_details_list, path)
            return None
        return self._complete_resolved(
            field_def, parent_type, field_details_list, path, position_context, result, info
        )

    def _resolve(self, call: DirectCall, source: Any, coerced: dict[str, Any], info: Any) -> Any:
        """The resolver's result for `source` (a walk answering again reuses what it got)."""
        return call.call(source, coerced, call.info(info))

    def _read(self, read: AttributeRead, source: Any, path: Any) -> Any:
        """The attribute's value (a walk answering again reuses what it read)."""
        return read.read(source, read.attribute)

    def _read_attribute(
        self,
        read: AttributeRead,
        parent_type: GraphQLObjectType,
        source: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
    ) -> Any:
        """graphql-core's `execute_field` for an attribute holding an object or a list. One
        that cannot be read goes the full path, which reads it again and reports the error."""
        try:
            result = self._read(read, source, path)
        except Exception:
            return super().execute_field(
                parent_type, source, field_details_list, path, position_context
            )
        field_def = parent_type.fields[field_details_list[0].node.name.value]
        return self._complete_resolved(
            field_def, parent_type, field_details_list, path, position_context, result, None
        )

    def _complete_resolved(
        self,
        field_def: GraphQLField,
        parent_type: GraphQLObjectType,
        field_details_list: Any,
        path: Any,
        position_context: Any,
        result: Any,
        info: Any,
    ) -> Any:
        """What graphql-core's `execute_field` does with a resolver's `result`, an object going
        straight to its fields (`_object_fields`); `info` is built when completion needs it."""
        return_type: Any = field_def.type
        try:
            if result.__class__ is list and position_context is None:
                plain = self._plain_list_of(return_type, field_details_list, result)
                if plain is not None:
                    return plain
            completed = self._object_fields(
                return_type, field_details_list, path, position_context, result
            )
            if completed is FULL_PATH:
                if info is None:
                    nodes = to_nodes(field_details_list)
                    info = self.build_resolve_info(field_def, nodes, parent_type, path)
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

    def _plain_list_of(
        self, return_type: Any, field_details_list: Any, items: list[Any]
    ) -> list[dict[str, Any]] | None:
        """A resolver's list of plain objects (a mine's licences) completed in one loop, as
        `complete_list_value` would reach `_plain_list`; None when it is not one."""
        list_type = return_type.of_type if return_type.__class__ is GraphQLNonNull else return_type
        if list_type.__class__ is not GraphQLList:
            return None
        return self._plain_list(list_type.of_type, field_details_list, items)

    def _object_fields(
        self,
        return_type: Any,
        field_details_list: Any,
        path: Any,
        position_context: Any,
        result: Any,
    ) -> Any:
        """An object's fields, executed as graphql-core's `complete_value` would reach them for
        an object type without `is_type_of`, outside deferred fragments; FULL_PATH for anything
        else (null, an error or an awaitable as the value, lists, leaves, abstract types)."""
        non_null = isinstance(return_type, GraphQLNonNull)
        object_type = return_type.of_type if non_null else return_type
        if (
            position_context is not None
            or not isinstance(object_type, GraphQLObjectType)
            or object_type.is_type_of is not None
            or result is None
            or result is Undefined
            or isinstance(result, Exception)
            or self.is_awaitable(result)
        ):
            return FULL_PATH
        grouped_field_set, deferred, *_ = self.collect_subfields(object_type, field_details_list)
        if deferred:
            return FULL_PATH
        return self.execute_fields(object_type, result, path, grouped_field_set, None)

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
            coerce = plan.by_class.get(kind)
            if coerce is not None:
                return coerce(value)
        except Exception:  # the full path raises it again, located, as graphql-core reports it
            return FULL_PATH
        return self._leaf_rest(plan, value)

    def _leaf_rest(self, plan: LeafRead, value: Any) -> Any:
        """`_plain_value` for a value its class alone does not settle (also what the functions
        of `schema/leaf_functions.py` call for such a value)."""
        if value is None:
            return None if plan.nullable else FULL_PATH
        try:
            # graphql-core reports an exception held as a value as the field's error
            if value.__class__ not in plan.plain and (
                isinstance(value, Exception) or self.is_awaitable(value)
            ):
                return FULL_PATH
            coerced = plan.coerce(value)
        except Exception:  # the full path raises it again, located, as graphql-core reports it
            return FULL_PATH
        # graphql-core reports a scalar that serialises to nothing (Undefined or None)
        return FULL_PATH if coerced is Undefined or coerced is None else coerced


async def _awaited_fields(results: dict[str, Any], awaitable_fields: list[str]) -> dict[str, Any]:
    """graphql-core's `get_results`: the fields' awaitables awaited together, in place."""
    if len(awaitable_fields) == 1:
        field = awaitable_fields[0]
        results[field] = await results[field]
    else:
        awaited = await gather_with_cancel(*(results[field] for field in awaitable_fields))
        results.update(zip(awaitable_fields, awaited, strict=True))
    return results
