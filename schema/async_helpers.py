"""The resolve-info helpers of an executor, holding it weakly.

graphql-core gives every executor `async_helpers` made of two of its own bound methods, so the
executor refers to itself: a reference cycle. Everything the request reached through it (the
context, its loaders, their futures, every record a page read: about 1,100 objects for 50
mines) then outlives the request until the garbage collector finds the cycle, and those
collections, walking tens of thousands of young objects at a time, cost about a tenth of the
page's CPU. Holding the executor weakly here leaves no cycle, so reference counting frees the
request's objects as soon as the response is built.

While the request runs, its coroutines hold the executor, so the helpers always reach it then.
A resolver that kept its info and calls a helper after the executor is gone gets what
graphql-core does without an executor: awaitables gathered (cancelling the rest if one fails),
or settled in the background.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from inspect import isawaitable, iscoroutine
from typing import Any, Protocol
from weakref import ref

from graphql import GraphQLResolveInfoHelpers
from graphql.pyutils import gather_with_cancel


class AsyncWorker(Protocol):
    def gather_async_work(self, values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]: ...

    def track_async_work(self, values: Sequence[Any]) -> None: ...


def weak_helpers(executor: AsyncWorker) -> GraphQLResolveInfoHelpers:
    """`executor`'s own helpers, reached through a weak reference."""
    weak = ref(executor)

    def gather(values: Sequence[Awaitable[Any]]) -> Awaitable[list[Any]]:
        alive = weak()
        if alive is None:
            return gather_with_cancel(*values)
        return alive.gather_async_work(values)

    def track(values: Sequence[Any]) -> None:
        alive = weak()
        if alive is None:
            _settle_in_background(values)
            return
        alive.track_async_work(values)

    return GraphQLResolveInfoHelpers(gather=gather, track=track)


#: what helpers whose executor is gone are settling
_SETTLING: set[asyncio.Future[Any]] = set()


def _settle_in_background(values: Sequence[Any]) -> None:
    """graphql-core's `settle_in_background`, with nobody left to wait for it."""
    awaitables = [value for value in values if isawaitable(value)]
    if not awaitables:
        return
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # nothing can run them: coroutines are closed instead
        for awaitable in awaitables:
            if iscoroutine(awaitable):
                awaitable.close()
        return
    settling = asyncio.gather(*awaitables, return_exceptions=True)
    _SETTLING.add(settling)  # the loop keeps only a weak reference
    settling.add_done_callback(_SETTLING.discard)
