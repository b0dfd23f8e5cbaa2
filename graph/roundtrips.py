"""Counts database round trips, per process and per unit of work (a GraphQL request, a test).

A unit of work opens a `RoundTripCounter` with `counting()`; engines call `record()` once per
statement sent. The counter lives in a context variable, so concurrent requests don't mix.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class RoundTripCounter:
    count: int = 0
    statements: list[str] = field(default_factory=list)


_current: ContextVar[RoundTripCounter | None] = ContextVar("greenmine_round_trips", default=None)


def record(statement_name: str) -> None:
    counter = _current.get()
    if counter is not None:
        counter.count += 1
        counter.statements.append(statement_name)


def current() -> RoundTripCounter | None:
    """The counter of the unit of work in progress, if one is counting."""
    return _current.get()


@contextmanager
def counting() -> Iterator[RoundTripCounter]:
    counter = RoundTripCounter()
    token = _current.set(counter)
    try:
        yield counter
    finally:
        _current.reset(token)
