"""Strawberry objects a page makes by the hundred, made without their generated `__init__`.

A page of 50 mines makes some 350 licences and lifecycle steps. A Strawberry type's `__init__`
is the dataclass one: it takes every field as a keyword argument and sets it, nothing more
(no `__post_init__`, checked here), and its keyword handling cost about as much as converting
the record's values (0.4 ms of a page's CPU, measured). A maker sets the same attributes
straight from one dict; `tests/test_performance.py` holds each use to what the constructor
makes of the same record.
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

    def make(fields: dict[str, Any]) -> T:
        made = new(cls)
        made.__dict__ = fields
        return made

    return make
