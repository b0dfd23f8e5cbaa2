"""What one GraphQL request may ask for: one per-request extension, `RequestLimits`.

- The depth and alias limits are Strawberry's own `QueryDepthLimiter` and `MaxAliasesLimiter`,
  built once per schema: `RequestLimits` adds their validation rules to each operation as they
  would, and the parser's token limit as `MaxTokensLimiter` would. One extension instead of
  four: each extension costs its hooks on every request (0.4 ms of a page for the four,
  measured). Built once, a limiter's validation rule stays the same class, and Strawberry's
  `ValidationCache` keeps hitting (a limiter built per request makes a new rule class each time).
- The operation's arguments are read once before execution (never per field): every
  `first`/`last`/`limit` argument anywhere in the schema is capped at the page size limit,
  and every string (arguments, input fields, JSON values) must be valid Unicode, free of NUL
  and other control characters (tab, line feed, carriage return allowed) and no longer than the
  string limit. Its errors are BAD_USER_INPUT naming the argument, e.g. `input.name` or `first`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)
from strawberry.extensions import (
    MaxAliasesLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from greenmine.config import Limits
from resolvers.errors import BadUserInput

#: arguments that size a list; every one is capped at `Limits.max_page_size`
SIZE_ARGUMENTS = frozenset({"first", "last", "limit"})
#: C0 control characters other than tab, line feed and carriage return (no text needs them, and
#: FalkorDB 4.16 crashes on U+0001 in a property under a uniqueness constraint)
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f]")


def limit_extensions(limits: Limits) -> list[Callable[[], SchemaExtension]]:
    """The per-request factory of `RequestLimits` (the limiters built once, here)."""
    depth = QueryDepthLimiter(max_depth=limits.max_depth)
    aliases = MaxAliasesLimiter(max_alias_count=limits.max_aliases)
    rules = (*depth.validation_rules, *aliases.validation_rules)
    return [lambda: RequestLimits(limits, rules)]


class RequestLimits(SchemaExtension):
    def __init__(self, limits: Limits, rules: tuple[type[ASTValidationRule], ...]) -> None:
        super().__init__()
        self.limits = limits
        self.rules = rules

    def on_operation(self) -> Iterator[None]:
        # as MaxTokensLimiter and the two limiters built on AddValidationRules do
        context = self.execution_context
        context.parse_options["max_tokens"] = self.limits.max_tokens
        context.validation_rules = context.validation_rules + self.rules
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None:
            check_arguments(context.graphql_document, context.variables or {}, self.limits)
        yield


def check_arguments(document: DocumentNode, variables: Mapping[str, Any], limits: Limits) -> None:
    """Raise BadUserInput for the first argument value that breaks a limit."""
    defaults = _variable_defaults(document)
    for field in _fields(document):
        for argument in field.arguments or ():
            name = argument.name.value
            for path, value in _values(name, argument.value, variables, defaults):
                _check_value(path, value, limits)
            if name in SIZE_ARGUMENTS:
                size = _resolve(argument.value, variables, defaults)
                _check_size(name, size, limits.max_page_size)


def _check_value(path: str, value: object, limits: Limits) -> None:
    if not isinstance(value, str):
        return
    if "\x00" in value:
        raise BadUserInput(
            f"{path} contains a NUL character (U+0000), which no text may hold", field=path
        )
    control = _CONTROL.search(value)
    if control is not None:
        raise BadUserInput(
            f"{path} contains the control character U+{ord(control.group()):04X}, which no text "
            "may hold (tab, line feed and carriage return are allowed)",
            field=path,
        )
    if not _is_unicode(value):
        raise BadUserInput(
            f"{path} is not valid Unicode text (it holds a lone surrogate code point)", field=path
        )
    if len(value) > limits.max_string_length:
        raise BadUserInput(
            f"{path} is {len(value)} characters long; the limit is {limits.max_string_length}",
            field=path,
        )


def _is_unicode(text: str) -> bool:
    """JSON can carry a lone surrogate (\\ud800), which no database can store as text."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_size(name: str, size: object, cap: int) -> None:
    """Only the cap: the lower bound (and any tighter cap) is the field's own rule."""
    if isinstance(size, int) and not isinstance(size, bool) and size > cap:
        raise BadUserInput(f"{name} must be at most {cap}, not {size}", field=name)


def _fields(document: DocumentNode) -> Iterator[FieldNode]:
    """Every field of every operation and fragment, walked without recursion."""
    stack: list[SelectionSetNode] = [
        definition.selection_set
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while stack:
        for selection in stack.pop().selections:
            if isinstance(selection, FieldNode):
                yield selection
            if isinstance(selection, FieldNode | InlineFragmentNode) and selection.selection_set:
                stack.append(selection.selection_set)


def _variable_defaults(document: DocumentNode) -> dict[str, ValueNode]:
    defaults: dict[str, ValueNode] = {}
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            for variable in definition.variable_definitions or ():
                if variable.default_value is not None:
                    defaults[variable.variable.name.value] = variable.default_value
    return defaults


def _resolve(
    node: ValueNode, variables: Mapping[str, Any], defaults: Mapping[str, ValueNode]
) -> object:
    if isinstance(node, VariableNode):
        name = node.name.value
        if name in variables:
            return variables[name]
        default = defaults.get(name)
        return _resolve(default, {}, {}) if default is not None else None
    if isinstance(node, IntValueNode):
        return int(node.value)
    if isinstance(node, StringValueNode):
        return node.value
    return None


def _values(
    root: str, node: ValueNode, variables: Mapping[str, Any], defaults: Mapping[str, ValueNode]
) -> Iterator[tuple[str, object]]:
    """(path, value) of every leaf under an argument: literals, variables and JSON values."""
    stack: list[tuple[str, object]] = [(root, node)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, VariableNode):
            name = item.name.value
            if name in variables:
                stack.append((path, variables[name]))
            elif name in defaults:
                stack.append((path, defaults[name]))
        elif isinstance(item, ObjectValueNode):
            stack.extend((f"{path}.{f.name.value}", f.value) for f in item.fields)
        elif isinstance(item, ListValueNode):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(item.values))
        elif isinstance(item, StringValueNode):
            yield path, item.value
        elif isinstance(item, Mapping):
            stack.extend((f"{path}.{k}", v) for k, v in item.items())
            yield from ((path, key) for key in item)  # keys are text too
        elif isinstance(item, list | tuple):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(item))
        else:
            yield path, item
