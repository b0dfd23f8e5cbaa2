"""DataLoaders, created per request: nested lists cost one round trip per level, not per item."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import TypeVar, cast

from strawberry.dataloader import DataLoader
from strawberry.exceptions import WrongNumberOfResultsReturned

from graph import document
from graph.document import (
    AssignmentRecord,
    ClauseRecord,
    DepartmentRecord,
    DutyRecord,
    LiaisonRecord,
    MetricRecord,
    ProcedureStepRecord,
    RemovalConditionRecord,
)
from graph.engine import Engine

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def one_each(
    engine: Engine, fetch: Callable[[Engine, Sequence[K]], Awaitable[Mapping[K, V]]]
) -> DataLoader[K, V | None]:
    """A loader for at most one value per key (None when the key has none)."""

    async def load(keys: list[K]) -> list[V | None]:
        found = await fetch(engine, keys)
        return [found.get(key) for key in keys]

    return DataLoader(load_fn=load)


def many_each(
    engine: Engine, fetch: Callable[[Engine, Sequence[K]], Awaitable[Mapping[K, list[V]]]]
) -> DataLoader[K, list[V]]:
    """A loader for a list per key (empty when the key has none)."""

    async def load(keys: list[K]) -> list[list[V]]:
        found = await fetch(engine, keys)
        return [found.get(key, []) for key in keys]

    return DataLoader(load_fn=load)


@dataclass(frozen=True)
class DocumentLoaders:
    department: DataLoader[str, DepartmentRecord | None]
    current_liaison: DataLoader[str, LiaisonRecord | None]
    liaison_history: DataLoader[str, list[LiaisonRecord]]
    duties_of_department: DataLoader[str, list[DutyRecord]]
    conditions_of_department: DataLoader[str, list[RemovalConditionRecord]]
    duty: DataLoader[str, DutyRecord | None]
    assignments_of_duty: DataLoader[str, list[AssignmentRecord]]
    metrics_of_duty: DataLoader[str, list[MetricRecord]]
    condition: DataLoader[int, RemovalConditionRecord | None]
    competence_for_condition: DataLoader[int, list[AssignmentRecord]]
    duties_of_condition: DataLoader[int, list[DutyRecord]]
    clause: DataLoader[str, ClauseRecord | None]
    clause_children: DataLoader[str, list[ClauseRecord]]
    procedure_steps: DataLoader[str, list[ProcedureStepRecord]]

    @classmethod
    def create(cls, engine: Engine) -> DocumentLoaders:
        return cls(
            department=one_each(engine, document.departments_by_code),
            current_liaison=one_each(engine, document.current_liaisons),
            liaison_history=many_each(engine, document.liaison_history),
            duties_of_department=many_each(engine, document.duties_of_departments),
            conditions_of_department=many_each(engine, document.conditions_of_departments),
            duty=one_each(engine, document.duties_by_code),
            assignments_of_duty=many_each(engine, document.assignments_of_duties),
            metrics_of_duty=many_each(engine, document.metrics_of_duties),
            condition=one_each(engine, document.removal_conditions_by_number),
            competence_for_condition=many_each(engine, document.competence_for_conditions),
            duties_of_condition=many_each(engine, document.duties_of_conditions),
            clause=one_each(engine, document.clauses_by_ref),
            clause_children=many_each(engine, document.clause_children),
            procedure_steps=many_each(engine, document.procedure_steps),
        )


def forget(loader: DataLoader[K, V], key: K) -> None:
    """Drop a cached value after a write (Strawberry's `clear` raises for an uncached key)."""
    with suppress(KeyError):
        loader.clear(key)


async def fill(loader: DataLoader[K, V], keys: Sequence[K]) -> None:
    """Load `keys` into `loader` in one call of its batch function, as `load_many` would, for
    fields to find there later (`resolvers/ready.py`). `load_many` makes a future, a task entry
    and a gather callback per key, each resolved through the event loop: for a page of 50
    mines' licences, history and counts, some 150 futures and 300 loop callbacks no one waits
    on. Here each key's future is cached at once, pending (a field that asks meanwhile waits
    for it instead of loading the key again), and settled when the batch answers. A failed
    load settles every key with its error, so each field that asks for one reports it, as
    after a failed `load_many`; a cancelled one hands its keys to ordinary loads, for whoever
    waits on them. Keys the loader has (or is loading) already are left alone."""
    if not loader.cache:  # nothing to keep them in: the fields will load them themselves
        return
    missing = [key for key in dict.fromkeys(keys) if _absent(loader, key)]
    if not missing:
        return
    loop = asyncio.get_running_loop()
    pending: list[asyncio.Future[V]] = [loop.create_future() for _ in missing]
    for key, future in zip(missing, pending, strict=True):
        loader.cache_map.set(key, future)
    try:
        values: list[object] = list(await loader.load_fn(missing))
    except Exception as error:  # each field that asks reports it
        values = [error] * len(missing)
    except BaseException:  # cancelled: a field waiting on a key gets it from a load of its own
        for key, future in zip(missing, pending, strict=True):
            if not future.done():
                _hand_over(loader, key, future)
        raise
    if len(values) != len(missing):  # as Strawberry's batch: no key gets another key's value
        wrong = WrongNumberOfResultsReturned(expected=len(missing), received=len(values))
        values = [wrong] * len(missing)
    for future, value in zip(pending, values, strict=True):
        _settle(future, value)


def _settle(future: asyncio.Future[V], value: object) -> None:
    """`value` (or the error it is) as `future`'s outcome, unless a field's task that was
    waiting on it has cancelled it."""
    if future.done():
        return
    if isinstance(value, BaseException):
        future.set_exception(value)
        future.exception()  # reported by the fields that ask, not as never retrieved
    else:
        future.set_result(value)  # type: ignore[arg-type]


def _hand_over(loader: DataLoader[K, V], key: K, future: asyncio.Future[V]) -> None:
    """Settle `future`, which a cancelled fill leaves pending, from an ordinary load of `key`:
    a field elsewhere in the query may be waiting on it, and was not cancelled itself."""
    if loader.cache_map.get(key) is future:
        loader.cache_map.delete(key)
    fresh = cast(asyncio.Future[V], loader.load(key))

    def settle(done: asyncio.Future[V]) -> None:
        if done.cancelled():
            future.cancel()
        else:
            error = done.exception()
            _settle(future, error if error is not None else done.result())

    fresh.add_done_callback(settle)


def _absent(loader: DataLoader[K, V], key: K) -> bool:
    """Nothing usable cached for `key`: Strawberry's `load` loads a cancelled one again."""
    future = loader.cache_map.get(key)
    return future is None or future.cancelled()
