"""Loads every module of `graph/` so that the statement registry is complete."""

from __future__ import annotations

import importlib
import pkgutil

import graph
from graph.statements import Statement, registered


def all_statements() -> list[Statement]:
    for module in pkgutil.walk_packages(graph.__path__, prefix="graph."):
        importlib.import_module(module.name)
    return registered()
