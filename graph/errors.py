"""Errors raised by the graph layer; driver exceptions never leave `graph/` unwrapped."""

from __future__ import annotations


class GraphError(Exception):
    """Base of every error the graph layer raises."""


class GraphUnavailable(GraphError):
    """The database does not answer (down, restarting, unreachable)."""


class DataDirInUse(GraphError):
    """A live embedded server already owns the data directory."""


class EmbeddedUnsupported(GraphError):
    """The embedded engine's binaries are not available on this platform."""


class ConstraintViolation(GraphError):
    """A uniqueness constraint refused the write; nothing was written."""


class ReadOnlyViolation(GraphError):
    """A statement sent as read-only tried to write; nothing was written."""

    MESSAGE = "refused: the query writes to the graph, and only reads are allowed; nothing changed"

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


class QueryTimeout(GraphError):
    """The statement ran past its server-side time limit."""


class BadParameter(GraphError):
    """A parameter value the engines cannot carry safely (NUL bytes, NaN, out-of-range ints)."""


class QueryFailed(GraphError):
    """The database refused the statement (syntax, semantics, type errors)."""
