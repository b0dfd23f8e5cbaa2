"""A run of plain leaf fields read by one generated function.

`PlainLeafExecutor._plain_value` reads one plain leaf: the attribute, a check of its class
against the one the type returns unchanged and the ones it coerces without fail, and the type's
own coercion for anything else. A page of 50 mines reads some 1,800 of them, and in that loop
the calls and look-ups around each read cost more than the read. Here a run of leaves (a
licence's four fields, a mine's ten) becomes one function, generated once per schema and run of
plans, with each leaf's checks written out: an attribute read, identity tests of its class, a
dictionary display for the result. What the checks do not settle goes through the executor's own
remainder of `_plain_value` (`rest`), so both give the same value, or the same refusal: `None`
from the function sends the whole object to the path that reports the field's error.

Only attribute names that are plain identifiers are written into the code, and response names
only as `repr` literals; every other value (classes, coercions, plans) is handed to it by name.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Sequence
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from graphql import GraphQLInt, GraphQLSchema

from schema.leaf_plans import FULL_PATH, LeafRead

#: graphql-core's Int: a value of exactly `int` within these bounds is its own coercion
INT_BOUNDS = (-(2**31), 2**31 - 1)


class LeafRest(Protocol):
    """The executor's remainder of `_plain_value`, for a value the function's checks leave."""

    def __call__(self, plan: LeafRead, value: Any, /) -> Any: ...


#: a run's leaves as a response, or None when one of them needs graphql-core's full path
LeafFunction = Callable[[Any, LeafRest], "dict[str, Any] | None"]

Leaves = Sequence[tuple[str, LeafRead]]

#: how many functions a schema keeps: queries choose their fields, their order and their
#: response names (aliases), so the runs a client can ask for are endless; the one used least
#: recently goes first
MAX_FUNCTIONS = 1024

#: each schema's functions, by their runs' response names and plans (plans live as long as the
#: schema, in `schema/execution.py`'s table, so their ids stay theirs)
_FUNCTIONS: WeakKeyDictionary[
    GraphQLSchema, dict[tuple[tuple[str, int], ...], tuple[tuple[LeafRead, ...], LeafFunction]]
] = WeakKeyDictionary()


def leaf_function(schema: GraphQLSchema, leaves: Leaves) -> LeafFunction:
    """The function reading `leaves` (response name, plan) off one object, made once per
    schema and run."""
    functions = _FUNCTIONS.setdefault(schema, {})
    key = tuple((name, id(plan)) for name, plan in leaves)
    plans = tuple(plan for _, plan in leaves)
    cached = functions.pop(key, None)
    if cached is not None and all(a is b for a, b in zip(cached[0], plans, strict=True)):
        functions[key] = cached  # the most recently used, last
        return cached[1]
    function = _generated(leaves)
    if len(functions) >= MAX_FUNCTIONS:
        del functions[next(iter(functions))]
    functions[key] = (plans, function)
    return function


def _generated(leaves: Leaves) -> LeafFunction:
    names: dict[str, Any] = {"FULL_PATH": FULL_PATH, "int": int}
    lines = ["def leaves(source, rest):", "    try:"]
    for index, (_, plan) in enumerate(leaves):
        lines.extend(_leaf_lines(index, plan, names))
    if not leaves:  # every field skipped (`@skip`, `@include`): an empty object
        lines.append("        pass")
    lines.append("    except Exception:")
    lines.append("        return None")
    result = ", ".join(f"{name!r}: r{index}" for index, (name, _) in enumerate(leaves))
    lines.append(f"    return {{{result}}}")
    exec(compile("\n".join(lines), "<leaf function>", "exec"), names)  # noqa: S102
    function: LeafFunction = names["leaves"]
    return function


def _leaf_lines(index: int, plan: LeafRead, names: dict[str, Any]) -> list[str]:
    """The lines setting `r<index>`: the value read and coerced, or a return of None."""
    names[f"p{index}"] = plan
    if plan.read is getattr and _plain_identifier(plan.attribute):
        read = f"source.{plan.attribute}"
    else:
        names[f"read{index}"], names[f"attribute{index}"] = plan.read, plan.attribute
        read = f"read{index}(source, attribute{index})"
    lines = [f"        v = {read}", "        k = v.__class__"]
    tests: list[tuple[str, str]] = []
    if plan.unchanged is not None:
        names[f"u{index}"] = plan.unchanged
        tests.append((f"k is u{index}", "v"))
    for number, (kind, coerce) in enumerate(plan.by_class.items()):
        names[f"c{index}_{number}"], names[f"b{index}_{number}"] = kind, coerce
        tests.append((f"k is c{index}_{number}", f"b{index}_{number}(v)"))
    if plan.coerce is GraphQLInt.coerce_output_value:
        low, high = INT_BOUNDS
        tests.append((f"k is int and {low} <= v <= {high}", "v"))
    for number, (test, value) in enumerate(tests):
        lines.append(f"        {'if' if number == 0 else 'elif'} {test}:")
        lines.append(f"            r{index} = {value}")
    rest = [f"r{index} = rest(p{index}, v)", f"if r{index} is FULL_PATH:", "    return None"]
    if tests:
        lines.append("        else:")
        lines.extend(f"            {line}" for line in rest)
    else:
        lines.extend(f"        {line}" for line in rest)
    return lines


def _plain_identifier(name: str) -> bool:
    return name.isidentifier() and name.isascii() and not keyword.iskeyword(name)
