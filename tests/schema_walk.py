"""Walks the GraphQL schema the code builds, so tests cover whatever fields exist when they run.

- `argument_sites()`: every argument of every field reachable from Query or Mutation, with a path
  of fields from the root that reaches it (preferring fields with no required arguments).
- `leaf_paths(type)`: every text leaf (String, ID, JSON) inside an argument's type, e.g.
  `input.name`.
- `operation(site, variables)`: a GraphQL document calling the site's field along its path, with
  required arguments filled by placeholder values and the site's argument passed as `$value`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    get_named_type,
    is_non_null_type,
    is_object_type,
)

from schema.root import schema as strawberry_schema

TEXT_SCALARS = frozenset({"String", "ID", "JSON"})
PLACEHOLDERS: dict[str, Any] = {
    "String": "x",
    "ID": "x",
    "Int": 1,
    "Float": 1.0,
    "Boolean": True,
    "Date": "2026-12-01",
    "JSON": {},
}


def graphql_schema() -> GraphQLSchema:
    return strawberry_schema._schema


@dataclass(frozen=True)
class Step:
    name: str
    field: GraphQLField


@dataclass(frozen=True)
class Site:
    """An argument of a field, and how to reach the field from the root."""

    operation: str  # "query" or "mutation"
    path: tuple[Step, ...]
    argument: str

    @property
    def field(self) -> GraphQLField:
        return self.path[-1].field

    @property
    def arg(self) -> GraphQLArgument:
        return self.field.args[self.argument]

    @property
    def label(self) -> str:
        return f"{self.operation}.{'.'.join(s.name for s in self.path)}({self.argument})"


def roots(schema: GraphQLSchema) -> list[tuple[str, GraphQLObjectType]]:
    found = [("query", schema.query_type)]
    if schema.mutation_type is not None:
        found.append(("mutation", schema.mutation_type))
    return [(name, root) for name, root in found if root is not None]


def paths(schema: GraphQLSchema | None = None) -> Iterator[tuple[str, tuple[Step, ...]]]:
    """One shortest path to every (type, field) reachable from the roots."""
    schema = schema or graphql_schema()
    for operation, root in roots(schema):
        seen: set[tuple[str, str]] = set()
        queue: deque[tuple[GraphQLObjectType, tuple[Step, ...]]] = deque([(root, ())])
        while queue:
            parent, path = queue.popleft()
            for name, field in sorted(parent.fields.items(), key=lambda kv: _required(kv[1])):
                if name.startswith("__") or (parent.name, name) in seen:
                    continue
                seen.add((parent.name, name))
                here = (*path, Step(name, field))
                yield operation, here
                target = get_named_type(field.type)
                if is_object_type(target) and operation == "query":
                    queue.append((target, here))  # type: ignore[arg-type]
                elif is_object_type(target):
                    # below a mutation's result, reads are queries: don't mutate to reach them
                    continue


def argument_sites(schema: GraphQLSchema | None = None) -> list[Site]:
    return [
        Site(operation, path, argument)
        for operation, path in paths(schema)
        for argument in path[-1].field.args
    ]


def _required(field: GraphQLField) -> int:
    return sum(is_required(a) for a in field.args.values())


def is_required(argument: Any) -> bool:
    """A non-null argument or input field without a default must be given."""
    return is_non_null_type(argument.type) and argument.default_value is Undefined


def leaf_paths(type_: GraphQLInputType, prefix: str) -> Iterator[tuple[str, str]]:
    """(path, scalar name) of every text leaf inside an input type, e.g. `input.tags[0]`."""
    if isinstance(type_, GraphQLNonNull):
        yield from leaf_paths(type_.of_type, prefix)
    elif isinstance(type_, GraphQLList):
        yield from leaf_paths(type_.of_type, f"{prefix}[0]")
    elif isinstance(type_, GraphQLScalarType) and type_.name in TEXT_SCALARS:
        yield prefix, type_.name
    elif isinstance(type_, GraphQLInputObjectType):
        for name, field in type_.fields.items():
            yield from leaf_paths(field.type, f"{prefix}.{name}")


def placeholder(type_: GraphQLInputType, *, with_optional: bool = False) -> Any:
    """A value of the type (required input fields only, unless asked)."""
    if isinstance(type_, GraphQLNonNull):
        return placeholder(type_.of_type, with_optional=with_optional)
    if isinstance(type_, GraphQLList):
        return [placeholder(type_.of_type, with_optional=with_optional)]
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, GraphQLInputObjectType):
        return {
            name: placeholder(field.type, with_optional=with_optional)
            for name, field in type_.fields.items()
            if with_optional or is_required(field)
        }
    assert isinstance(type_, GraphQLScalarType)
    return PLACEHOLDERS.get(type_.name, "x")


def with_leaf(value: Any, path: str, leaf: Any) -> Any:
    """`value` (built from placeholders) with the leaf at `path` (after the root) replaced."""
    steps = [s for s in path.replace("[0]", ".[0]").split(".") if s][1:]
    if not steps:
        return leaf
    root = value
    for i, step in enumerate(steps):
        key: Any = 0 if step == "[0]" else step
        if i == len(steps) - 1:
            value[key] = leaf
        else:
            value = value[key]
    return root


def literal(value: Any, type_: GraphQLInputType) -> str:
    """`value` as a GraphQL literal of the type."""
    named = get_named_type(type_)
    if value is None:
        return "null"
    if isinstance(value, list):
        inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        item = inner.of_type if isinstance(inner, GraphQLList) else inner
        return "[" + ", ".join(literal(v, item) for v in value) + "]"
    if isinstance(named, GraphQLEnumType):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _string_literal(value)
    if isinstance(named, GraphQLInputObjectType):
        return (
            "{"
            + ", ".join(f"{k}: {literal(v, named.fields[k].type)}" for k, v in value.items())
            + "}"
        )
    # a JSON value written as a GraphQL object literal
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(v, type_)}" for k, v in value.items()) + "}"
    raise TypeError(f"no literal for {value!r}")


def _string_literal(text: str) -> str:
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or 0xD800 <= ord(char) <= 0xDFFF:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def selection(field: GraphQLField) -> str:
    return " { __typename }" if is_object_type(get_named_type(field.type)) else ""


def operation(site: Site, *, argument_literal: str | None = None) -> str:
    """A document calling the site's field with `$value` (or the literal given) as its argument."""
    variable = "" if argument_literal is not None else f"($value: {site.arg.type})"
    text = ""
    for i, step in enumerate(reversed(site.path)):
        depth = len(site.path) - 1 - i
        args = {
            name: literal(placeholder(arg.type), arg.type)
            for name, arg in step.field.args.items()
            if is_required(arg)
        }
        if depth == len(site.path) - 1:
            args[site.argument] = argument_literal if argument_literal is not None else "$value"
        rendered = "(" + ", ".join(f"{k}: {v}" for k, v in args.items()) + ")" if args else ""
        inner = f" {{ {text} }}" if text else selection(step.field)
        text = f"{step.name}{rendered}{inner}"
    return f"{site.operation}{variable} {{ {text} }}"
