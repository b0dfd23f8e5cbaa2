"""Values a request already holds, answered without an await.

A page of 50 mines asks for each mine's prefecture, licences and history: 150 nested fields.
Resolved as coroutines, each costs graphql-core an awaitable to track and a task to gather, which
was a large share of the page's CPU, although the page's loaders had fetched every one of them
in one round trip per level. These helpers let a resolver hand back the value itself when the
request's loader already has it, and the awaitable otherwise; graphql-core accepts either.
"""

from __future__ import annotations

from asyncio import Future
from collections.abc import Awaitable, Callable, Hashable
from inspect import isawaitable
from types import CoroutineType, GeneratorType
from typing import TYPE_CHECKING, TypeAlias, TypeVar, cast

from strawberry.dataloader import DataLoader

from resolvers.auth import Actor

if TYPE_CHECKING:  # the context imports the loaders, which page with these helpers
    from resolvers.context import Context

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")

MaybeAwaitable: TypeAlias = T | Awaitable[T]


def ready(loader: DataLoader[K, V], key: K) -> MaybeAwaitable[V]:
    """The value when this request's loader has finished loading it; else the load to await."""
    future = loader.cache_map.get(key) if loader.cache else None
    if future is None or not future.done() or future.cancelled():
        return loader.load(key)
    if future.exception() is not None:  # `load` answers with the failure, as before
        return loader.load(key)
    return future.result()


#: classes of what loaders and resolvers hand back that are never awaitable, so decided without
#: the Awaitable ABC's check: the plain ones, then each record class the first time it is seen
_SETTLED: set[type] = {list, tuple, dict, str, int, float, bool, type(None)}


def is_pending(value: object) -> bool:
    """True for an awaitable still to await (a load, a coroutine)."""
    kind = value.__class__
    if kind in _SETTLED:
        return False
    if isinstance(value, Future | CoroutineType) or isawaitable(value):
        return True
    if kind is not GeneratorType:  # a generator's awaitability is its own, not its class's
        _SETTLED.add(kind)
    return False


def then(value: MaybeAwaitable[V], convert: Callable[[V], T]) -> MaybeAwaitable[T]:
    """`convert` applied to the value, now or once it arrives."""
    if is_pending(value):
        return _converted(cast(Awaitable[V], value), convert)
    return convert(cast(V, value))


async def _converted(value: Awaitable[V], convert: Callable[[V], T]) -> T:
    return convert(await value)


def as_caller(
    ctx: Context, check: Callable[[Actor], None], answer: Callable[[], MaybeAwaitable[T]]
) -> MaybeAwaitable[T]:
    """`answer()` once `check` accepts the caller; without an await when the request has
    already authenticated the caller (the first nested field of a page usually has)."""
    actor = ctx.known_actor
    if actor is not None:
        check(actor)
        return answer()
    return _checked(ctx, check, answer)


async def _checked(
    ctx: Context, check: Callable[[Actor], None], answer: Callable[[], MaybeAwaitable[T]]
) -> T:
    check(await ctx.actor())
    value = answer()
    if is_pending(value):
        return await cast(Awaitable[T], value)
    return cast(T, value)
