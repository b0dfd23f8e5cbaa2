"""A query answered in one walk over its selection, when nothing in it fails or waits.

Even with plain leaves read directly (`schema/execution.py`), graphql-core spends much of a page
of 50 mines' CPU on its own steps for each object and each resolver field: a completion dispatch
per value, an error handler per field, an awaitable check at every level, a coroutine and a
gather for every object with a pending field. Almost every query a front end sends succeeds,
and a successful query needs none of that bookkeeping: its answer is the resolvers' values
completed by their types.

`WalkingExecutor` answers a query by walking its selection once: leaves read and coerced as the
short path does, resolvers called through their `DirectCall` with the resolve info graphql-core
would build, objects and lists completed by their types. One root field whose result is pending
(a page of mines, read from the database) is awaited, as graphql-core awaits a lone pending
field, and its selection walked when it arrives.

Whatever a walk cannot answer exactly as graphql-core would stops it there: an error raised or
returned, a null for a non-null field, a value a type refuses, an abstract type, `@defer`,
introspection, or any other pending value (graphql-core's order of awaiting, of errors and of
cancelling is its own). graphql-core's executor then answers the whole operation again, in the
same step of the event loop, errors and partial data included. It is handed, by the field's
path, what each resolver the walk called returned or raised (a pending result unstarted) and what
each attribute it read held, so nothing is called or read twice: resolvers keep per-request
state (loaders, the analyst's one-query budget), and each runs once per request either way.
Mutations are never walked: their fields run one at a time, and each runs once.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    GraphQLField,
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    OperationType,
    Undefined,
)
from graphql.execution.collect_fields import collect_fields
from graphql.execution.executor import to_nodes
from graphql.pyutils import Path

from schema.direct_calls import DirectCall
from schema.execution import PlainLeafExecutor
from schema.leaf_functions import LeafFunction, leaf_function
from schema.leaf_plans import FULL_PATH, AttributeRead, LeafRead

TYPENAME = "__typename"

NO_ARGUMENTS: dict[str, Any] = {}

#: where a resolve info holds its path (graphql-core's `GraphQLResolveInfo` fields)
PATH_INDEX = 4


class Unwalkable(Exception):
    """The walk met something only graphql-core's executor answers as it must."""


@dataclass(frozen=True, slots=True)
class Raised:
    """A resolver's call raised `error` during the walk (graphql-core's run raises it again)."""

    error: Exception


@dataclass(frozen=True, slots=True)
class Arrived:
    """What the pending root field's result gave once the walk awaited it."""

    value: Any


@dataclass(frozen=True, slots=True)
class LeafRun:
    """Consecutive plain leaves of a selection, read off an object by one function."""

    leaves: LeafFunction


#: a resolve info's fields before its path, and after it, with its class
InfoParts = tuple[type, tuple[Any, ...], tuple[Any, ...]]


@dataclass(slots=True)
class WalkStep:
    """One selected field of one type (or a run of its plain leaves), as the walk executes it."""

    name: str
    plan: LeafRun | AttributeRead | DirectCall | None
    details: Any
    field: GraphQLField | None
    nodes: list[Any]
    #: the field's collected subfields on its object type, once per request (for every
    #: object of a list)
    subfields: Any = None
    #: the field's resolve info before and after its path (the same for every object of a
    #: list), once built; empty when it is not a tuple with the path where graphql-core's has it
    info_parts: InfoParts | tuple[()] | None = None
    #: the last item type of its lists and the function reading such an item's leaves, or
    #: None if they are not plain objects (a list of lists has two item types)
    item_leaves: tuple[Any, LeafFunction | None] | None = None


async def _already(value: Any) -> Any:
    """An awaitable of what a pending result gave, for graphql-core to await in its place."""
    return value


def _info_parts(raw: Any) -> InfoParts | tuple[()]:
    """`raw`'s fields before and after its path, if it is a named tuple holding the path
    where graphql-core's resolve info does (Strawberry's is); empty otherwise."""
    fields = getattr(type(raw), "_fields", ())
    if not (isinstance(raw, tuple) and len(fields) > PATH_INDEX and fields[PATH_INDEX] == "path"):
        return ()
    return type(raw), tuple(raw[:PATH_INDEX]), tuple(raw[PATH_INDEX + 1 :])


def _path_key(path: Path) -> tuple[str | int, ...]:
    return tuple(path.as_list())


class WalkingExecutor(PlainLeafExecutor):
    """`PlainLeafExecutor`, walking a query's selection when it can (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._walk_steps: dict[tuple[str, int], tuple[Any, list[WalkStep]]] = {}
        #: the one root field whose result is pending, awaited before its selection is walked
        #: (with its place in `_calls`)
        self._root_pending: tuple[Any, WalkStep, Path, GraphQLField, int] | None = None
        #: what each resolver the walk called returned or raised, and what each attribute it
        #: read held, in order, with the field's path
        self._calls: list[tuple[Path, Any]] = []
        #: the same by path, once graphql-core answers again after a stopped walk
        self._replay: dict[tuple[str | int, ...], Any] | None = None

    def execute_operation(self, serially: bool | None = None) -> Any:
        if not self._walkable(serially):
            return super().execute_operation(serially)
        try:
            data: dict[str, Any] | None = self._walk_root()
        except Exception:  # Unwalkable, or a failure graphql-core's run will report
            data = None
        if data is None:  # answered outside the handler: its errors get no false context
            return self._answer_fully(serially)
        if self._root_pending is None:
            return self.build_response(data)
        return self._walk_after_root(data, serially)

    def _walkable(self, serially: bool | None) -> bool:
        return (
            self._short_path
            and not serially
            and self.operation.operation is OperationType.QUERY
            and self.abort_signal is None
        )

    def _walk_root(self) -> dict[str, Any]:
        root_type = self.schema.query_type
        if root_type is None:
            raise Unwalkable
        try:
            grouped, defer_usages, forbidden = collect_fields(
                self.schema,
                self.fragments,
                self.variable_values,
                root_type,
                self.operation,
                self.hide_suggestions,
            )
        except Exception as error:  # graphql-core reports it (too deep a selection, ...)
            raise Unwalkable from error
        if defer_usages or forbidden:
            raise Unwalkable
        return self._walk_object(root_type, self.root_value, None, grouped)

    async def _walk_after_root(self, data: dict[str, Any], serially: bool | None) -> Any:
        """The pending root field awaited here, as graphql-core awaits a lone pending field,
        then its selection walked; graphql-core answers if that stops, handed what arrived
        (or what was raised) as the resolver's result."""
        assert self._root_pending is not None
        pending, step, path, field, noted = self._root_pending
        try:
            arrived = await pending
        except Exception as error:
            self._calls[noted] = (path, Raised(error))
        else:
            self._calls[noted] = (path, Arrived(arrived))
            try:
                data[step.name] = self._complete(field.type, step, path, arrived)
            except Exception:
                pass  # answered below, outside the handler
            else:
                return self.build_response(data)
        return await self._answered(self._answer_fully(serially))

    async def _answered(self, result: Any) -> Any:
        return await result if self.is_awaitable(result) else result

    def _answer_fully(self, serially: bool | None) -> Any:
        """graphql-core's answer to the whole operation, given what the walk's resolvers
        returned (pending results unstarted) and what its attributes held. It runs in the
        same step of the event loop as the walk, so its loads join the batches the walk's
        opened, and it awaits, orders and cancels what is pending as it always does."""
        self._replay = {_path_key(path): outcome for path, outcome in self._calls}
        self._calls = []
        result = super().execute_operation(serially)
        if self.is_awaitable(result):
            return self._then_forget_replay(result)
        self._replay = None
        return result

    async def _then_forget_replay(self, result: Awaitable[Any]) -> Any:
        # what graphql-core did not ask for (a null cut it off) would otherwise hold the
        # executor, through the tracebacks of what its resolvers raised, until a collection
        try:
            return await result
        finally:
            self._replay = None

    def _replayed(self, path: Path) -> Any:
        """What the walk got at `path`, once graphql-core answers again; FULL_PATH when the
        walk got nothing there (or is not being answered again)."""
        replay = self._replay
        return FULL_PATH if replay is None else replay.pop(_path_key(path), FULL_PATH)

    def _resolve(self, call: DirectCall, source: Any, coerced: dict[str, Any], info: Any) -> Any:
        outcome = self._replayed(info.path)
        if outcome is FULL_PATH:
            return super()._resolve(call, source, coerced, info)
        if outcome.__class__ is Raised:
            raise outcome.error
        if outcome.__class__ is Arrived:  # graphql-core awaits a pending result again
            return _already(outcome.value)
        return outcome

    def _read(self, read: AttributeRead, source: Any, path: Any) -> Any:
        held = self._replayed(path)
        return super()._read(read, source, path) if held is FULL_PATH else held

    def _steps(self, object_type: GraphQLObjectType, grouped: Any) -> list[WalkStep]:
        key = (object_type.name, id(grouped))
        cached = self._walk_steps.get(key)
        if cached is not None and cached[0] is grouped:
            return cached[1]
        steps: list[WalkStep] = []
        run: list[tuple[str, LeafRead]] = []
        for name, details, plan in self._selection(object_type, grouped).steps:
            if plan.__class__ is LeafRead:
                run.append((name, plan))
                continue
            self._end_run(run, steps)
            field_name = details[0].node.name.value
            field = object_type.fields.get(field_name)
            if plan is None and field_name != TYPENAME:
                raise Unwalkable
            steps.append(WalkStep(name, cast(AttributeRead | DirectCall | None, plan), details,
                                  field, to_nodes(details)))  # fmt: skip
        self._end_run(run, steps)
        self._walk_steps[key] = (grouped, steps)
        return steps

    def _end_run(self, run: list[tuple[str, LeafRead]], steps: list[WalkStep]) -> None:
        """The plain leaves in `run` as one step of `steps`, read by one function."""
        if run:
            steps.append(WalkStep("", LeafRun(leaf_function(self.schema, run)), None, None, []))
            run.clear()

    def _walk_object(
        self, object_type: GraphQLObjectType, source: Any, path: Path | None, grouped: Any
    ) -> dict[str, Any]:
        results: dict[str, Any] = {}
        for step in self._steps(object_type, grouped):
            plan = step.plan
            kind = plan.__class__
            if kind is LeafRun:
                leaves = plan.leaves(source, self._leaf_rest)  # type: ignore[union-attr]
                if leaves is None:
                    raise Unwalkable
                if results:
                    results.update(leaves)
                else:  # a new dict, the function's own
                    results = leaves
                continue
            field = step.field
            if field is None:  # __typename
                results[step.name] = object_type.name
                continue
            field_path = Path(path, step.name, object_type.name)
            if kind is DirectCall:
                value = self._call(plan, object_type, source, step, field, field_path)  # type: ignore[arg-type]
                if value.__class__ not in self._settled_classes and self.is_awaitable(value):
                    self._calls.append((field_path, value))  # unstarted: graphql-core's
                    if path is not None or self._root_pending is not None:
                        raise Unwalkable  # graphql-core awaits it, as it always does
                    self._root_pending = (value, step, field_path, field, len(self._calls) - 1)
                    results[step.name] = None  # holds its place in the fields' order
                    continue
            else:
                try:
                    value = plan.read(source, plan.attribute)  # type: ignore[union-attr]
                except Exception as error:  # read again, and reported, by graphql-core
                    raise Unwalkable from error
            self._calls.append((field_path, value))
            results[step.name] = self._complete(field.type, step, field_path, value)
        return results

    def _call(
        self,
        call: DirectCall,
        object_type: GraphQLObjectType,
        source: Any,
        step: WalkStep,
        field: GraphQLField,
        path: Path,
    ) -> Any:
        """The resolver's result (what it raised is noted by path, and stops the walk). A
        resolver that takes neither `info` nor arguments is given none (a connection's total
        for each mine of a page): nothing else reads it."""
        raw = self._resolve_info(field, step, object_type, path) if call.needs_info else None
        try:
            if raw is None:
                return call.call(source, NO_ARGUMENTS, None)
            node = step.details[0].node
            coerced = self._coerced_arguments(object_type, field, node, call.shares_arguments)
            return call.call(source, coerced, call.info(raw))
        except Exception as error:
            self._calls.append((path, Raised(error)))
            raise Unwalkable from error

    def _resolve_info(
        self, field: GraphQLField, step: WalkStep, object_type: GraphQLObjectType, path: Path
    ) -> Any:
        """The resolve info of `step` at `path`: built for the first object of a list, then
        the same with each next object's path (a page's mines ask for 150 of them)."""
        parts = step.info_parts
        if not parts:
            raw = self.build_resolve_info(field, step.nodes, object_type, path)
            if parts is None:
                step.info_parts = _info_parts(raw)
            return raw
        kind, before, after = parts
        return tuple.__new__(kind, (*before, path, *after))

    def _complete(self, return_type: Any, step: WalkStep, path: Path, value: Any) -> Any:
        """`value` completed by `return_type`."""
        # a pending value below a resolver's result (an item of its list, an attribute of its
        # object) is left unstarted for graphql-core, which awaits it where it is
        if value.__class__ not in self._settled_classes and not self._settled(value):
            raise Unwalkable
        if return_type.__class__ is GraphQLNonNull:
            if value is None or value is Undefined:
                raise Unwalkable
            return_type = return_type.of_type
        elif value is None or value is Undefined:
            return None
        type_kind = return_type.__class__
        if type_kind is GraphQLObjectType:
            grouped = step.subfields
            if grouped is None:
                grouped = step.subfields = self._subfields(return_type, step)
            return self._walk_object(return_type, value, path, grouped)
        if type_kind is GraphQLList:
            return self._complete_list(return_type.of_type, step, path, value)
        if isinstance(return_type, GraphQLLeafType):
            try:
                coerced = return_type.coerce_output_value(value)
            except Exception as error:
                raise Unwalkable from error
            if coerced is None or coerced is Undefined:
                raise Unwalkable
            return coerced
        raise Unwalkable  # an interface or a union

    def _subfields(self, object_type: GraphQLObjectType, step: WalkStep) -> Any:
        if object_type.is_type_of is not None:
            raise Unwalkable
        grouped, defer_usages, *_ = self.collect_subfields(object_type, step.details)
        if defer_usages:
            raise Unwalkable
        return grouped

    def _complete_list(self, item_type: Any, step: WalkStep, path: Path, items: Any) -> list[Any]:
        if not isinstance(items, list | tuple):
            raise Unwalkable
        known = step.item_leaves
        if known is not None and known[0] is item_type:  # each list this step completes
            leaves = known[1]
        else:
            leaves = self._item_leaves(item_type, step.details)
            step.item_leaves = (item_type, leaves)
        if leaves is not None:
            plain = self._plain_items(leaves, items)
            if plain is not None:
                return plain
        return [
            self._complete(item_type, step, Path(path, index, None), item)
            for index, item in enumerate(items)
        ]
