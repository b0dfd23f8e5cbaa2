"""The executor's short path for plain leaf fields answers exactly as graphql-core's full path:
same data, same errors (message, path, location), and it steps aside for anything else."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc
import json
import types
import weakref
from collections import Counter
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator, Iterator, Sequence
from enum import Enum
from typing import Any, ClassVar, NewType, cast

import pytest
import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    coerce_input_value,
    get_named_type,
    get_nullable_type,
)
from graphql.pyutils import gather_with_cancel
from strawberry.dataloader import DataLoader
from strawberry.extensions import SchemaExtension
from strawberry.permission import BasePermission
from strawberry.scalars import JSON
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.arguments import convert_argument
from strawberry.types.base import StrawberryObjectDefinition

from schema.async_helpers import weak_helpers
from schema.direct_calls import direct_call
from schema.execution import PlainLeafExecutor
from schema.inputs import build_flat_inputs_directly
from schema.leaf_plans import leaf_read
from schema.walk import WalkingExecutor
from tests.walks import CountingWalks

#: the executors that must answer as graphql-core's own
SHORT_PATHS = [PlainLeafExecutor, WalkingExecutor]
#: how many times each counted resolver ran, by field
CALLS: Counter[str] = Counter()


@strawberry.enum
class Colour(Enum):
    RED = "red"
    GREEN = "green"


@strawberry.input
class Window:
    colours: list[Colour] | None = None
    since: dt.date | None = None


@strawberry.input
class Nested:
    window: Window
    label: str = "n"


class Deny(BasePermission):
    message = "not for you"

    def has_permission(self, source: Any, info: strawberry.Info, **kwargs: Any) -> bool:
        return False


@strawberry.type
class Item:
    name: str
    note: str | None
    colour: Colour
    day: dt.date
    count: int
    tags: list[str]
    blob: JSON | None = None

    @strawberry.field
    def shout(self) -> str:
        return self.name.upper()

    @strawberry.field
    def described(
        self,
        info: strawberry.Info,
        prefix: str = ">",
        colours: list[Colour] | None = None,
        window: Window | None = None,
        nested: Nested | None = None,
    ) -> str:
        return f"{prefix}{self.name} {info.field_name} {info.path.as_list()} {colours} {window} {nested}"

    @strawberry.field
    async def later(self, times: int = 1) -> str:
        return self.name * times

    @strawberry.field
    def fails(self) -> str | None:
        raise ValueError(f"no answer for {self.name}")

    @strawberry.field
    def hoard(self, tags: list[str]) -> list[str]:
        tags.append(self.name)  # changing an argument must not change the next call's
        return tags

    @strawberry.field
    def noted(self, meta: JSON) -> JSON:
        meta["seen"] = self.name  # a JSON argument changed in place must stay this call's
        return meta

    @strawberry.field(permission_classes=[Deny])
    def guarded(self) -> str | None:
        return self.name

    @strawberry.field
    def counted(self) -> str:
        CALLS["counted"] += 1
        return self.name

    @strawberry.field
    async def counted_later(self) -> str:
        CALLS["counted_later"] += 1
        await asyncio.sleep(0)
        return self.name


def _items() -> list[Item]:
    good = Item(
        name="a", note=None, colour=Colour.RED, day=dt.date(2026, 1, 2), count=3, tags=["x"]
    )
    # what a buggy resolver could hand over: a null for a non-null field, a value its enum
    # and its Int refuse
    wrong: Any = {
        "name": None,
        "colour": "not a colour",
        "count": "three",
        "blob": ValueError("boom"),
    }
    broken = Item(**wrong, note="n", day=dt.date(2026, 1, 3), tags=[])
    last = Item(
        name="c", note="note", colour=Colour.GREEN, day=dt.date(2026, 1, 4), count=5, tags=["y"]
    )
    return [good, broken, last]


@strawberry.interface
class Shape:
    @strawberry.field
    def size(self, unit: str = "cm") -> str:
        return unit


@strawberry.type
class Square(Shape):
    pass


@strawberry.type
class Circle(Shape):
    @strawberry.field
    def size(self, unit: str = "mm") -> str:
        return unit


Blank = NewType("Blank", str)

#: a scalar that serialises an empty string to nothing (graphql-core reports it)
SCALARS: dict[object, Any] = {
    Blank: strawberry.scalar(
        name="Blank", serialize=lambda value: value or None, parse_value=lambda value: value
    )
}


@strawberry.type
class Labelled:
    label: Blank


@strawberry.input
class Positive:
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError(f"value must not be negative, not {self.value}")


@strawberry.type
class Holder:
    """Attributes holding objects and lists, as a connection holds its edges and nodes."""

    inner: Item
    maybe: Item | None
    missing: Item
    shelf: list[Item]
    failed: Item | None
    waiting: Item | None
    broken: Item | None = None

    @strawberry.field
    def twin(self) -> Item:
        return self.inner

    @strawberry.field
    def nobody(self) -> Item:
        nothing: Any = None
        return nothing

    @strawberry.field
    def shape(self) -> Shape:
        return Circle()


@strawberry.type
class Numbers:
    """Values an Int and a Date field may hold, at and beyond the edges of what they take."""

    count: int | None
    day: dt.date | None


def _numbers() -> list[Numbers]:
    """Int takes exactly ±2**31 - 1 and -2**31, a bool as 0 or 1, a float only if whole; Date
    takes a datetime as its ISO text."""
    counts: list[Any] = [2**31 - 1, -(2**31), 2**31, -(2**31) - 1, True, 2.0, 2.5, "4"]
    moment = dt.datetime(2026, 1, 2, 3, 4)
    return [Numbers(count=count, day=moment if i % 2 else None) for i, count in enumerate(counts)]


@strawberry.type
class Cornered:
    """A non-null object whose non-null field fails: the null goes up to `Query.corner`."""

    inner: Item


class Later:
    """An awaitable that is not a coroutine: nothing warns when a query does not await it."""

    def __init__(self, value: Item) -> None:
        self.value = value

    def __await__(self) -> Generator[Any, None, Item]:
        yield from asyncio.sleep(0).__await__()
        return self.value


class Unreadable(Holder):
    """A holder whose `broken` attribute raises when read."""

    def __getattribute__(self, name: str) -> Any:
        if name == "broken":
            raise ValueError("this attribute cannot be read")
        return super().__getattribute__(name)


def _holder() -> Holder:
    good, _, last = _items()
    failed: Any = ValueError("an exception held as an object")
    waiting: Any = Later(last)
    missing: Any = None
    return Unreadable(
        inner=good, maybe=None, missing=missing, shelf=[good, last], failed=failed,
        waiting=waiting,
    )  # fmt: skip


@strawberry.type
class Query:
    @strawberry.field
    def holder(self) -> Holder | None:
        return _holder()

    @strawberry.field
    def numbers(self, at: list[int]) -> list[Numbers]:
        every = _numbers()
        return [every[i] for i in at]

    @strawberry.field
    def number(self, at: int) -> Numbers:
        return _numbers()[at]

    @strawberry.field
    def corner(self) -> Cornered | None:
        return Cornered(inner=_items()[1])

    @strawberry.field
    def items(self) -> list[Item | None]:
        return list(_items())

    @strawberry.field
    def shapes(self) -> list[Shape]:
        return [Square(), Circle()]

    @strawberry.field
    def labelled(self) -> Labelled | None:
        return Labelled(label="")

    @strawberry.field
    async def broken(self) -> str | None:
        raise ValueError("broken resolves to an error")

    @strawberry.field
    async def checked(self, given: Positive) -> int | None:
        return given.value

    @strawberry.field
    def plain(self) -> Item:
        return _items()[0]

    @strawberry.field
    def goods(self) -> list[Item]:
        good, _, last = _items()
        return [good, last]

    @strawberry.field
    def rows(self) -> list[list[Item]]:
        good, _, last = _items()
        return [[good, last], [last]]

    @strawberry.field
    async def later_goods(self) -> list[Item]:
        good, _, last = _items()
        return [good, last]

    @strawberry.field
    def gaps(self) -> list[Item | None]:
        good, _, last = _items()
        return [good, None, last]

    @strawberry.field
    def failing(self) -> list[Item | None]:
        good, _, last = _items()
        failed: Any = ValueError("this item failed")
        return [good, failed, last]

    @strawberry.field
    def pending(self) -> list[Item]:
        good, _, last = _items()

        async def later() -> Item:
            return last

        waiting: Any = later()
        return [good, waiting]


def _schema(
    executor: type[StrawberryGraphQLCoreExecutionContext], **kwargs: Any
) -> strawberry.Schema:
    return strawberry.Schema(
        query=Query,
        execution_context_class=executor,
        config=StrawberryConfig(scalar_map=SCALARS),
        types=[Square, Circle],
        **kwargs,
    )


QUERIES = {
    "every kind of leaf": "{ plain { name note colour day count tags shout } }",
    "nulls, refused values and their errors": "{ items { name note colour day count shout } }",
    "a value its enum refuses": "{ items { note colour } }",
    "a value Int refuses": "{ items { note count } }",
    "Int's bounds and datetimes in a list": "{ numbers(at: [0, 1]) { count day } }",
    "an Int beyond 32 bits in a list": "{ numbers(at: [0, 2]) { count day } }",
    "an Int beyond 32 bits in an object": "{ number(at: 2) { count day } }",
    "Int's bounds, a bool and a whole float in objects": """{ a: number(at: 0) { count }
        b: number(at: 1) { count } c: number(at: 4) { count } d: number(at: 5) { count } }""",
    "a bool and a whole float in a list": "{ numbers(at: [4, 5]) { count } }",
    "a float that is not whole, and text, as an Int": "{ numbers(at: [6, 7]) { count } }",
    "an exception held as a value": "{ plain { name blob } items { note blob } }",
    "aliases and repeated fields": "{ plain { a: name b: name name colour c: colour } }",
    "skip and include": "{ plain { name @skip(if: true) note @include(if: false) count } }",
    "every field skipped": "{ plain { name @skip(if: true) } goods { name @include(if: false) } }",
    "leaves before, between and after resolvers": """{ plain { name shout note colour }
        goods { shout name count again: shout day } }""",
    "a list of lists": "{ rows { name count day } }",
    "fragments": "query { items { ...F } } fragment F on Item { name count tags }",
    "typename": "{ plain { __typename name } }",
    "a list of plain objects with nulls in nullable fields": "{ goods { name note colour day } }",
    "a list with a null item": "{ gaps { name note count } }",
    "a list with a failed item": "{ failing { name count } }",
    "a list with a pending item": "{ pending { name colour } }",
    "a list of objects with a resolved field": "{ goods { name shout } }",
    "resolver arguments of every kind": """{ goods { described(prefix: "#", colours: [RED],
        window: {colours: [GREEN], since: "2026-01-01"}, nested: {window: {since: "2026-02-02"}})
        again: described } }""",
    "an async resolver": "{ goods { later(times: 2) } plain { later } }",
    "a failing resolver": "{ goods { name fails } }",
    "a resolver that changes its argument": '{ goods { hoard(tags: ["t"]) } }',
    "a field with a permission class": "{ plain { name guarded } }",
    "a JSON argument changed by a resolver": "{ goods { noted(meta: {a: 1}) } }",
    "an argument default that an implementation changes": "{ shapes { size } }",
    "a scalar that serialises to null in a non-null field": "{ labelled { label } plain { name } }",
    "an async field whose argument fails to convert": "{ broken checked(given: {value: -1}) }",
    "objects held in attributes": "{ holder { inner { name colour } shelf { name count } } }",
    "a null object in a nullable attribute": "{ holder { maybe { name } inner { name } } }",
    "a null object in a non-null attribute": "{ holder { missing { name } } plain { name } }",
    "an exception held as an object": "{ holder { failed { name } inner { name } } }",
    "an awaitable held as an object": "{ holder { waiting { name later } inner { name } } }",
    "an attribute that cannot be read": "{ holder { broken { name } } plain { name } }",
    "objects from resolvers": "{ holder { twin { name shout } nobody { name } } }",
    "an abstract type from a resolver": "{ holder { shape { size } twin { name } } }",
    "a non-null field's error nulls its nullable parent": "{ corner { inner { name } } }",
}

VARIABLE_QUERIES = {
    "arguments from variables": (
        "query($c: [Colour!], $w: Window) { goods { described(colours: $c, window: $w) } }",
        {"c": ["GREEN", "RED"], "w": {"colours": ["RED"]}},
    ),
    "a list variable changed by a resolver": (
        "query($t: [String!]!) { goods { hoard(tags: $t) } }",
        {"t": ["v"]},
    ),
}


async def _outcome(
    schema: strawberry.Schema, query: str, variables: dict[str, Any] | None = None
) -> tuple[Any, list[Any]]:
    result = await schema.execute(query, variable_values=variables)
    return result.data, [e.formatted for e in result.errors or []]


@pytest.mark.parametrize("executor", SHORT_PATHS)
@pytest.mark.parametrize("query", QUERIES.values(), ids=list(QUERIES))
async def test_the_short_path_answers_as_the_full_path(
    query: str, executor: type[PlainLeafExecutor]
) -> None:
    full = await _outcome(_schema(StrawberryGraphQLCoreExecutionContext), query)
    short = await _outcome(_schema(executor), query)
    assert short == full
    assert json.dumps(short[0]) == json.dumps(full[0])  # the fields in the same order too
    assert full[0] is not None  # the query ran: equal answers are not two equal failures


@pytest.mark.parametrize("executor", SHORT_PATHS)
@pytest.mark.parametrize("query", VARIABLE_QUERIES.values(), ids=list(VARIABLE_QUERIES))
async def test_resolver_arguments_from_variables_answer_as_the_full_path(
    query: tuple[str, dict[str, Any]], executor: type[PlainLeafExecutor]
) -> None:
    full = await _outcome(_schema(StrawberryGraphQLCoreExecutionContext), *query)
    short = await _outcome(_schema(executor), *query)
    assert short == full
    assert full[0] is not None


#: queries whose walk stops after it has called resolvers, synchronous and pending
STOPPING = {
    "a null in a non-null field after the resolvers": (
        "{ goods { counted countedLater } items { name count } }"
    ),
    "a failing resolver between the resolvers": "{ goods { counted fails countedLater } }",
    "a pending item below the resolvers": "{ goods { countedLater } pending { counted name } }",
    "an abstract type after the resolvers": "{ goods { counted countedLater } shapes { size } }",
}


@pytest.mark.parametrize("query", STOPPING.values(), ids=list(STOPPING))
async def test_a_walk_that_stops_leaves_the_answer_to_graphql_core_calling_each_resolver_once(
    query: str,
) -> None:
    CALLS.clear()
    full = await _outcome(_schema(StrawberryGraphQLCoreExecutionContext), query)
    calls = dict(CALLS)
    assert calls  # the query calls counted resolvers
    CALLS.clear()
    CountingWalks.reset()
    walked = await _outcome(_schema(CountingWalks), query)
    assert CountingWalks.counted() == (1, 1)
    assert walked == full
    assert dict(CALLS) == calls


async def test_a_query_that_succeeds_is_answered_by_its_walk_alone() -> None:
    CountingWalks.reset()
    CALLS.clear()
    # a pending root field is awaited, then its selection walked
    data, errors = await _outcome(
        _schema(CountingWalks), "{ laterGoods { name counted shout } goods { counted } }"
    )
    assert errors == [] and CountingWalks.counted() == (1, 0)
    assert data == {
        "laterGoods": [{"name": n, "counted": n, "shout": n.upper()} for n in ("a", "c")],
        "goods": [{"counted": "a"}, {"counted": "c"}],
    }
    assert CALLS == {"counted": 4}


class _CountingInfos(WalkingExecutor):
    built: ClassVar[list[str]] = []

    def build_resolve_info(self, field_def: Any, *args: Any, **kwargs: Any) -> Any:
        info = super().build_resolve_info(field_def, *args, **kwargs)
        self.built.append(info.field_name)
        return info


async def test_a_walk_builds_resolve_info_only_for_resolvers_that_take_it_or_arguments() -> None:
    _CountingInfos.built.clear()
    query = '{ goods { shout counted described(prefix: "*") } }'
    data, errors = await _outcome(_schema(_CountingInfos), query)
    assert errors == [] and data == (await _outcome(_schema(PlainLeafExecutor), query))[0]
    # `described` takes info; `goods`, `shout` and `counted` take neither it nor arguments;
    # the info is built for the list's first object, and each next one gets it with its path
    assert _CountingInfos.built == ["described"]
    assert data["goods"] == [
        {
            "shout": "A",
            "counted": "a",
            "described": "*a described ['goods', 0, 'described'] None None None",
        },
        {
            "shout": "C",
            "counted": "c",
            "described": "*c described ['goods', 1, 'described'] None None None",
        },
    ]


class _UntupledInfos(_CountingInfos):
    built: ClassVar[list[str]] = []

    def build_resolve_info(self, field_def: Any, *args: Any, **kwargs: Any) -> Any:
        info = super().build_resolve_info(field_def, *args, **kwargs)
        return types.SimpleNamespace(**info._asdict())


async def test_a_resolve_info_that_is_not_graphql_cores_tuple_is_built_for_each_object() -> None:
    query = '{ goods { described(prefix: "*") } }'
    data, errors = await _outcome(_schema(_UntupledInfos), query)
    assert errors == [] and data == (await _outcome(_schema(PlainLeafExecutor), query))[0]
    assert _UntupledInfos.built == ["described", "described"]


async def test_a_pending_result_below_the_root_is_left_to_graphql_core() -> None:
    CountingWalks.reset()
    CALLS.clear()
    query = "{ goods { counted countedLater } }"
    walked = await _outcome(_schema(CountingWalks), query)
    assert CountingWalks.counted() == (1, 1)
    assert CALLS == {"counted": 2, "counted_later": 2}
    assert walked == await _outcome(_schema(StrawberryGraphQLCoreExecutionContext), query)


# -- pending results, as graphql-core awaits them --------------------------------------------

#: the keys each batch of the timing schema's loader was asked for
BATCHES: list[list[int]] = []


async def _values(keys: list[int]) -> list[str]:
    BATCHES.append(list(keys))
    return [f"v{key}" for key in keys]


@types.coroutine
def _one_shot() -> Generator[Any, None, str]:
    """An awaitable that is not a coroutine object and can be awaited once only."""
    yield from asyncio.sleep(0).__await__()
    return "once"


@strawberry.type
class Node:
    id: int

    @strawberry.field
    def value(self, info: strawberry.Info) -> str | None:
        loaded: Any = info.context["loader"].load(self.id)
        return cast(str | None, loaded)

    @strawberry.field
    async def child(self) -> Node | None:
        return Node(id=self.id + 1)

    @strawberry.field
    async def side(self) -> str | None:
        CALLS["side"] += 1
        raise ValueError(f"no side for {self.id}")


@strawberry.type
class Boxed:
    fresh_items: list[Item]


class _FreshBox:
    """What a resolver may hand over for a `Boxed`: its list is a property, new coroutines
    each time it is read."""

    @property
    def fresh_items(self) -> list[Any]:
        CALLS["fresh"] += 1

        async def item() -> Item:
            return _items()[0]

        return [item()]


@strawberry.type
class TimingQuery:
    @strawberry.field
    def node(self, id: int) -> Node:
        return Node(id=id)

    @strawberry.field
    async def async_node(self, id: int) -> Node:
        await asyncio.sleep(0)
        return Node(id=id)

    @strawberry.field
    async def slow_node(self) -> Node | None:
        await asyncio.sleep(0.05)
        return Node(id=0)

    @strawberry.field
    async def slow_failure(self) -> str | None:
        await asyncio.sleep(0.02)
        raise ValueError("the slow one failed")

    @strawberry.field
    async def fast_failure(self) -> str | None:
        raise ValueError("the fast one failed")

    @strawberry.field
    async def next_turn_failure(self) -> str | None:
        await asyncio.sleep(0)
        raise ValueError("the one a turn later failed")

    @strawberry.field
    async def missing(self) -> str:
        nothing: Any = None
        return cast(str, nothing)

    @strawberry.field
    def one_shot(self) -> str:
        return cast(str, _one_shot())

    @strawberry.field
    def fails(self) -> str | None:
        raise ValueError("fails")

    @strawberry.field
    def box(self) -> Boxed:
        return cast(Boxed, _FreshBox())

    @strawberry.field
    def slow_future(self) -> Node | None:
        """A task of the resolver's own, handed back pending."""

        async def work() -> Node:
            try:
                await asyncio.sleep(0.3)
            except asyncio.CancelledError:
                CALLS["work_cancelled"] += 1
                raise
            return Node(id=2)

        return cast(Node, asyncio.ensure_future(work()))

    @strawberry.field
    async def done_future(self) -> Node | None:
        """A result that is itself an awaitable: graphql-core does not await it again."""
        done = asyncio.get_running_loop().create_future()
        done.set_result(Node(id=1))
        return cast(Node, done)


TIMING = {
    "errors in the order they happened": "{ slowFailure fastFailure }",
    "a null that reaches the root cancels what still runs": "{ slowNode { side } missing }",
    "loads made completing a pending result join the open batch": (
        "{ node(id: 1) { value child { value child { value } } } }"
    ),
    "an awaitable that can be awaited once": "{ oneShot fails }",
    "an attribute read once, its coroutines awaited once": "{ box { freshItems { name } } }",
    "a pending root field's result that is an awaitable itself": "{ doneFuture { id } }",
    "errors a turn of the event loop apart": "{ nextTurnFailure fastFailure }",
    "loads below nested async fields join one batch": (
        "{ a: asyncNode(id: 1) { child { child { value } } } b: asyncNode(id: 2) { value } }"
    ),
}


async def _timed_outcome(
    executor: type[StrawberryGraphQLCoreExecutionContext], query: str
) -> tuple[Any, list[Any], dict[str, int], list[list[int]]]:
    schema = strawberry.Schema(query=TimingQuery, execution_context_class=executor)
    CALLS.clear()
    BATCHES.clear()
    loader: DataLoader[int, str] = DataLoader(load_fn=_values)
    result = await schema.execute(query, context_value={"loader": loader})
    await asyncio.sleep(0.1)  # whatever is left running finishes, or not
    errors = [e.formatted for e in result.errors or []]
    return result.data, errors, dict(CALLS), list(BATCHES)


@pytest.mark.parametrize("query", TIMING.values(), ids=list(TIMING))
async def test_pending_results_are_awaited_as_graphql_core_awaits_them(query: str) -> None:
    full = await _timed_outcome(StrawberryGraphQLCoreExecutionContext, query)
    walked = await _timed_outcome(WalkingExecutor, query)
    assert walked == full


@pytest.mark.parametrize("executor", [StrawberryGraphQLCoreExecutionContext, *SHORT_PATHS])
async def test_a_resolvers_error_carries_no_trace_of_the_walk(
    executor: type[StrawberryGraphQLCoreExecutionContext],
) -> None:
    schema = strawberry.Schema(query=TimingQuery, execution_context_class=executor)
    for query in ("{ fails }", "{ fastFailure }", "{ node(id: 1) { side } }"):
        result = await schema.execute(query)
        assert result.errors
        error = result.errors[0].original_error
        assert isinstance(error, ValueError) and error.__context__ is None, query


@pytest.mark.parametrize("executor", [StrawberryGraphQLCoreExecutionContext, *SHORT_PATHS])
async def test_a_cancelled_request_cancels_the_future_its_root_field_returned(
    executor: type[StrawberryGraphQLCoreExecutionContext],
) -> None:
    schema = strawberry.Schema(query=TimingQuery, execution_context_class=executor)
    CALLS.clear()
    request = asyncio.ensure_future(schema.execute("{ slowFuture { id } }"))
    await asyncio.sleep(0.01)
    request.cancel()
    with pytest.raises(asyncio.CancelledError):
        await request
    await asyncio.sleep(0.01)
    assert CALLS == {"work_cancelled": 1}


@pytest.mark.parametrize(
    "query", ["{ slowNode { id } }", "{ slowNode { id } again: slowNode { id } }"]
)
async def test_a_cancelled_request_leaves_no_executor_behind(query: str) -> None:
    executors: list[weakref.ref[WalkingExecutor]] = []

    class Remembered(WalkingExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            executors.append(weakref.ref(self))

    schema = strawberry.Schema(query=TimingQuery, execution_context_class=Remembered)
    gc.disable()
    try:
        request = asyncio.ensure_future(schema.execute(query))
        await asyncio.sleep(0.01)
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
        await asyncio.sleep(0.01)
        assert len(executors) == 1 and executors[0]() is None
    finally:
        gc.enable()


def _flat(schema: strawberry.Schema) -> strawberry.Schema:
    # the hook is set on the input's class, so on the first schema built for it
    build_flat_inputs_directly(schema)
    definition: Any = Window.__strawberry_definition__  # type: ignore[attr-defined]
    assert definition.from_input is not None
    return schema


@pytest.mark.parametrize(
    "query",
    [(QUERIES["resolver arguments of every kind"], None), *VARIABLE_QUERIES.values()],
    ids=["literals", *VARIABLE_QUERIES],
)
async def test_inputs_that_build_themselves_answer_as_the_full_path(
    query: tuple[str, dict[str, Any] | None],
) -> None:
    full = await _outcome(_flat(_schema(StrawberryGraphQLCoreExecutionContext)), *query)
    short = await _outcome(_flat(_schema(PlainLeafExecutor)), *query)
    assert short == full
    assert full[0] is not None


async def test_each_call_gets_its_own_copy_of_a_list_argument() -> None:
    data, errors = await _outcome(_schema(PlainLeafExecutor), '{ goods { hoard(tags: ["t"]) } }')
    assert errors == []
    assert data == {"goods": [{"hoard": ["t", "a"]}, {"hoard": ["t", "c"]}]}


def test_a_subscription_is_never_called_directly() -> None:
    @strawberry.type
    class Subscription:
        @strawberry.subscription
        async def ticks(self) -> AsyncGenerator[int, None]:
            yield 1

    schema = strawberry.Schema(
        query=Query,
        subscription=Subscription,
        execution_context_class=PlainLeafExecutor,
        config=StrawberryConfig(scalar_map=SCALARS),
    )
    field = schema._schema.type_map["Subscription"].fields["ticks"]  # type: ignore[attr-defined]
    assert direct_call(field, schema) is None


def test_resolvers_without_field_extensions_are_called_directly() -> None:
    schema = _schema(PlainLeafExecutor)
    fields = schema._schema.type_map["Item"].fields  # type: ignore[attr-defined]
    direct = {name for name, f in fields.items() if direct_call(f, schema) is not None}
    # `guarded` has a permission class (a field extension); the rest are attributes
    assert direct == {
        "shout", "described", "later", "fails", "hoard", "noted", "counted", "countedLater"
    }  # fmt: skip


async def test_a_null_in_a_non_null_field_is_reported_where_it_happened() -> None:
    data, errors = await _outcome(_schema(PlainLeafExecutor), "{ items { name count } }")
    assert data == {"items": [{"name": "a", "count": 3}, None, {"name": "c", "count": 5}]}
    assert [e["path"] for e in errors] == [["items", 1, "name"]]
    assert "Cannot return null for non-nullable field Item.name" in errors[0]["message"]


class _CountingItems(PlainLeafExecutor):
    """Counts the list items graphql-core completes one by one."""

    items = 0

    def complete_list_item_value(self, *args: Any, **kwargs: Any) -> Any:
        type(self).items += 1
        return super().complete_list_item_value(*args, **kwargs)


async def test_a_list_of_plain_objects_is_completed_in_one_loop() -> None:
    _CountingItems.items = 0
    data, errors = await _outcome(_schema(_CountingItems), "{ goods { name note day } }")
    assert errors == [] and data is not None and len(data["goods"]) == 2
    assert _CountingItems.items == 0
    # an item needing the full path sends the whole list there, answered as above
    await _outcome(_schema(_CountingItems), "{ gaps { name } }")
    assert _CountingItems.items == 3


class _CountingPlainLists(WalkingExecutor):
    """Counts the lists the walk completes in one loop."""

    lists = 0

    def _plain_items(self, *args: Any, **kwargs: Any) -> Any:
        type(self).lists += 1
        return super()._plain_items(*args, **kwargs)


async def test_each_inner_list_of_a_list_of_lists_is_completed_in_one_loop() -> None:
    _CountingPlainLists.lists = 0
    data, errors = await _outcome(_schema(_CountingPlainLists), "{ rows { name } }")
    assert errors == [] and data == {"rows": [[{"name": "a"}, {"name": "c"}], [{"name": "c"}]]}
    assert _CountingPlainLists.lists == 2


class _CountingAwaitChecks(PlainLeafExecutor):
    """Notes the class of every value graphql-core's awaitability check is asked about."""

    checked: ClassVar[list[str]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        check = self.is_awaitable

        def noted(value: Any) -> bool:
            type(self).checked.append(type(value).__name__)
            return check(value)

        self.is_awaitable = noted


async def test_the_items_of_a_plain_list_are_checked_for_awaitables_once_per_class() -> None:
    _CountingAwaitChecks.checked = []
    data, errors = await _outcome(_schema(_CountingAwaitChecks), "{ goods { name note day } }")
    assert errors == [] and data is not None and len(data["goods"]) == 2
    assert _CountingAwaitChecks.checked.count("Item") == 1
    # an item of another class is checked, and a pending one sends the list to the full path
    _CountingAwaitChecks.checked = []
    data, errors = await _outcome(_schema(_CountingAwaitChecks), "{ pending { name colour } }")
    assert errors == []
    assert data == {"pending": [{"name": "a", "colour": "RED"}, {"name": "c", "colour": "GREEN"}]}
    assert "coroutine" in _CountingAwaitChecks.checked


def test_only_attribute_reads_of_scalars_and_enums_take_the_short_path() -> None:
    fields = _schema(PlainLeafExecutor)._schema.type_map["Item"].fields  # type: ignore[attr-defined]
    short = {name for name, f in fields.items() if leaf_read(f) is not None}
    # `shout` has a resolver; `tags` is a list
    assert short == {"name", "note", "colour", "day", "count", "blob"}


@strawberry.type(name="Item")
class MaskedItem:
    # the same attribute name as `Item.name`'s, but the field is its resolver's
    name: strawberry.Private[str]

    @strawberry.field(name="name")
    def masked_name(self) -> str:
        return "*" * len(self.name)


@strawberry.type(name="Query")
class MaskedQuery:
    @strawberry.field
    def plain(self) -> MaskedItem:
        return MaskedItem(name="secret")


async def test_two_schemas_with_a_type_of_the_same_name_each_answer_with_their_own_fields() -> None:
    plain = _schema(PlainLeafExecutor)
    masked = strawberry.Schema(query=MaskedQuery, execution_context_class=PlainLeafExecutor)
    assert await _outcome(plain, "{ plain { name } }") == ({"plain": {"name": "a"}}, [])
    assert await _outcome(masked, "{ plain { name } }") == ({"plain": {"name": "******"}}, [])


class _EveryField(SchemaExtension):
    seen: list[str] = []

    def resolve(
        self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any
    ) -> Any:
        self.seen.append(info.field_name)
        return _next(root, info, *args, **kwargs)


@pytest.fixture
def every_field() -> Iterator[type[_EveryField]]:
    _EveryField.seen = []
    yield _EveryField


async def test_an_extension_that_wraps_resolvers_still_sees_every_leaf(
    every_field: type[_EveryField],
) -> None:
    schema = _schema(PlainLeafExecutor, extensions=[every_field])
    data, errors = await _outcome(schema, "{ plain { name count colour } }")
    assert errors == [] and data == {"plain": {"name": "a", "count": 3, "colour": "RED"}}
    assert every_field.seen == ["plain", "name", "count", "colour"]


# -- inputs built straight from coerced values ------------------------------------------------

RAW_LEAVES: dict[str, object] = {
    "String": "汞 mercury",
    "Int": 7,
    "Float": 0.25,
    "Boolean": True,
    "Date": "2026-03-04",
}


def _raw_value(field_type: GraphQLInputType) -> object:
    """A value a client could send for `field_type`, every list with one item."""
    named = get_named_type(field_type)
    if isinstance(named, GraphQLEnumType):
        leaf: object = next(iter(named.values))
    else:
        leaf = RAW_LEAVES[named.name]
    inner = get_nullable_type(field_type)
    return [leaf] if isinstance(inner, GraphQLList) else leaf


def _flat_inputs() -> list[StrawberryObjectDefinition]:
    from schema.root import schema

    return [
        concrete.definition
        for concrete in schema.schema_converter.type_map.values()
        if isinstance(concrete.definition, StrawberryObjectDefinition)
        and concrete.definition.is_input
        and concrete.definition.from_input is not None
    ]


def test_the_filters_and_most_inputs_are_built_directly() -> None:
    names = {d.name for d in _flat_inputs()}
    assert {"CaseFilter", "MineFilter", "ReferralFilter", "ReferCaseInput"} <= names
    # an input holding other inputs keeps Strawberry's conversion
    assert "RegisterMineInput" not in names and "FileCaseInput" not in names


@pytest.mark.parametrize("definition", _flat_inputs(), ids=lambda d: d.name)
@pytest.mark.parametrize("filled", [True, False], ids=["every field", "required fields only"])
def test_a_directly_built_input_equals_strawberrys_conversion(
    definition: StrawberryObjectDefinition, filled: bool
) -> None:
    from schema.root import schema

    graphql_type = schema._schema.type_map[definition.name]  # type: ignore[attr-defined]
    assert isinstance(graphql_type, GraphQLInputObjectType)
    raw = {
        name: _raw_value(field.type)
        for name, field in graphql_type.fields.items()
        if filled or isinstance(field.type, GraphQLNonNull)
    }
    coerced = coerce_input_value(raw, graphql_type)
    registry = schema.schema_converter.scalar_registry
    direct = convert_argument(coerced, definition.origin, registry, schema.config)
    builder, definition.from_input = definition.from_input, None
    try:
        generic = convert_argument(coerced, definition.origin, registry, schema.config)
    finally:
        definition.from_input = builder
    assert direct == generic
    # lists are copies: graphql-core hands every request the same default list
    for field in definition.fields:
        value = getattr(direct, field.python_name)
        if isinstance(value, list):
            assert value is not coerced[schema.config.name_converter.from_field(field)]


# -- incremental delivery ---------------------------------------------------------------------


@strawberry.type
class Shelf:
    goods: list[Item]
    one: Item


@strawberry.type
class DeferQuery:
    @strawberry.field
    def shelf(self) -> Shelf:
        good, _, last = _items()
        return Shelf(goods=[good, last], one=good)


async def _payloads(executor: type[StrawberryGraphQLCoreExecutionContext], query: str) -> Any:
    schema = strawberry.Schema(
        query=DeferQuery,
        execution_context_class=executor,
        config=StrawberryConfig(enable_experimental_incremental_execution=True),
    )
    result: Any = await schema.execute(query)
    if not hasattr(result, "initial_result"):
        return [(result.data, [e.formatted for e in result.errors or []])]
    payloads = [result.initial_result.formatted]
    async for later in result.subsequent_results:
        payloads.append(later.formatted)
    return payloads


DEFERRED = {
    "a deferred field of an object": "{ shelf { one { name } ... @defer { one { count } } } }",
    "a deferred field of a list's objects": (
        "{ shelf { goods { name } ... @defer { goods { count } } } }"
    ),
}


@pytest.mark.parametrize("executor", SHORT_PATHS)
@pytest.mark.parametrize("query", DEFERRED.values(), ids=list(DEFERRED))
async def test_deferred_fields_arrive_later_as_from_the_full_path(
    query: str, executor: type[PlainLeafExecutor]
) -> None:
    full = await _payloads(StrawberryGraphQLCoreExecutionContext, query)
    short = await _payloads(executor, query)
    assert len(full) == 2  # the deferred fields come in a second payload
    assert short == full


async def test_the_resolve_info_helpers_reach_their_executor_and_still_work_once_it_is_gone() -> (
    None
):
    calls: list[str] = []

    class Worker:
        def gather_async_work(self, values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
            calls.append("gather")
            return gather_with_cancel(*values)

        def track_async_work(self, values: Sequence[Any]) -> None:
            calls.append("track")

    async def value(v: int) -> int:
        return v

    worker = Worker()
    helpers = weak_helpers(worker)
    assert await helpers.gather([value(1)]) == [1]
    helpers.track([])
    assert calls == ["gather", "track"]

    del worker
    assert await helpers.gather([value(2), value(3)]) == [2, 3]
    settled = asyncio.Event()

    async def later() -> None:
        settled.set()

    async def failing() -> None:
        raise ValueError("settled, not raised")

    helpers.track([later(), failing(), "not awaitable"])
    await asyncio.wait_for(settled.wait(), timeout=5)
    assert calls == ["gather", "track"]
