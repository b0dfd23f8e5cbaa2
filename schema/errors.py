"""Maps errors to GraphQL error codes, once, for the whole schema.

Domain errors keep their message and get `extensions.code` (plus `field`, and for conflicts
`current` and `allowed`); graph errors become the domain error they stand for; anything else is
logged with its stack and reaches the client only as "Internal server error" with code INTERNAL.
Parse and validation errors get the codes GraphQL servers commonly use for them.

The conversion runs on the finished result of `GreenMineSchema.execute`, so it covers errors of
every phase (a schema extension's `on_operation` does not see parse errors).
"""

from __future__ import annotations

import logging
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext, ExecutionResult

from resolvers.errors import Conflict, DomainError, from_graph_error

log = logging.getLogger("greenmine.graphql")

INTERNAL_MESSAGE = "Internal server error"


def _code_for_request_error(message: str) -> str:
    if message.startswith("Syntax Error"):
        return "GRAPHQL_PARSE_FAILED"
    if message.startswith("Variable '$"):
        return "BAD_USER_INPUT"
    return "GRAPHQL_VALIDATION_FAILED"


def _is_request_error(error: GraphQLError) -> bool:
    """Parse, validation and variable errors: found before execution, so they have no path.

    An exception of ours raised outside a resolver (in an extension, say) has no path either;
    it is not a request error and is masked like any other unexpected error.
    """
    if error.path is not None:
        return False
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return True
    # a variable value that could not be coerced carries the scalar's own exception
    return error.message.startswith("Variable '$") and _domain_error(original) is None


def convert(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if _is_request_error(error):
        if error.extensions and "code" in error.extensions:
            return error
        return _with(error, error.message, {"code": _code_for_request_error(error.message)})
    domain = _domain_error(original)
    if domain is None:
        return _with(error, INTERNAL_MESSAGE, {"code": "INTERNAL"})
    extensions: dict[str, object] = {"code": domain.code}
    if domain.field:
        extensions["field"] = domain.field
    if isinstance(domain, Conflict) and domain.current is not None:
        extensions["current"] = domain.current
        extensions["allowed"] = list(domain.allowed)
    return _with(error, domain.message, extensions)


def _with(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None,
        extensions=extensions,
    )


def _domain_error(original: Exception | None) -> DomainError | None:
    if original is None or isinstance(original, DomainError):
        return original
    return from_graph_error(original)


def is_expected(error: GraphQLError) -> bool:
    return _is_request_error(error) or _domain_error(error.original_error) is not None


class GreenMineSchema(strawberry.Schema):
    async def execute(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        result = await super().execute(*args, **kwargs)
        if result.errors:
            result.errors = [convert(e) for e in result.errors]
        return result

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        """Log what went wrong on our side, with its stack; a caller's mistake is not logged."""
        for error in errors:
            if not is_expected(error):
                log.error(
                    "unexpected error at %s: %s",
                    error.path,
                    error.message,
                    exc_info=error.original_error,
                )
