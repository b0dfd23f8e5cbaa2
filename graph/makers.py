"""Dataclass instances made by the hundred, without their generated `__init__`.

A page of 50 mines makes some 350 records from its answers' rows, and as many Strawberry
licences and lifecycle steps from those. A dataclass's `__init__` takes every field as an
argument and sets it, nothing more when the class has no `__post_init__` (checked here). A
frozen one sets each field through `object.__setattr__`: a mine's record of 24 fields cost
12 µs that way and 3 µs made from its dict; a page statement's 50 rows became records in
0.9 ms, and take 0.4 ms made so (measured).
A maker sets the instance's attributes from one dict naming every field; the instance is
then what the constructor makes of the same values, frozen if its class is.
`tests/test_performance.py` holds each use to what the constructor makes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[[dict[str, Any]], T]:
    """A function making a `cls` whose attributes are a dict's (which must name every field)."""
    if not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} is not a plain dataclass: make it with its constructor")
    if "__slots__" in vars(cls):
        raise TypeError(f"{cls.__name__} has slots: make it with its constructor")
    new = object.__new__
    set_attribute = object.__setattr__  # a frozen class refuses its own

    def make(fields: dict[str, Any]) -> T:
        made = new(cls)
        set_attribute(made, "__dict__", fields)
        return made

    return make
