"""The domain's errors. Each maps to one GraphQL error code (done once, in `schema/errors.py`).

Messages are for the person who sent the request: they name the field, the bad value and the
rule, and never carry internals.
"""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    code = "INTERNAL"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class BadUserInput(DomainError):
    code = "BAD_USER_INPUT"


class NotFound(DomainError):
    code = "NOT_FOUND"


class Conflict(DomainError):
    """A duplicate, or a transition the current state does not allow."""

    code = "CONFLICT"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        current: str | None = None,
        allowed: Sequence[str] = (),
    ) -> None:
        super().__init__(message, field=field)
        self.current = current
        self.allowed = tuple(allowed)


class Unauthenticated(DomainError):
    code = "UNAUTHENTICATED"


class Forbidden(DomainError):
    code = "FORBIDDEN"


class ServiceUnavailable(DomainError):
    """The graph database does not answer; the client may retry."""

    code = "SERVICE_UNAVAILABLE"


def from_graph_error(error: Exception) -> DomainError | None:
    """The domain error a graph-layer error stands for, or None for an unexpected one."""
    from graph import errors as graph_errors

    if isinstance(error, graph_errors.GraphUnavailable):
        return ServiceUnavailable("the graph database is not answering; try again shortly")
    if isinstance(error, graph_errors.ConstraintViolation):
        return Conflict("that record already exists")
    if isinstance(error, graph_errors.BadParameter):
        return BadUserInput(str(error))
    if isinstance(error, graph_errors.QueryTimeout):
        return ServiceUnavailable("the query ran past its time limit")
    return None
