"""Analysts' read-only Cypher over the API.

Only the analyst role may run it: officers and admins act on the graph and get their reads from
the typed API; an admin who needs ad hoc reads is issued an analyst token, so a token that can
change the graph cannot also export it wholesale. The text runs in the engine's read-only mode
(a write is refused by the database itself and changes nothing), under its own server-side time
limit, and returns at most a configured number of rows, saying when it cut the result.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph import adhoc
from graph.errors import BadParameter, QueryFailed, QueryTimeout, ReadOnlyViolation
from graph.values import to_json
from resolvers.auth import Role, require_role
from resolvers.context import Context
from resolvers.errors import BadUserInput, Forbidden

log = logging.getLogger("greenmine.analyst")

ACTION = "running Cypher"
#: parameters nest at most this deep (maps and lists), which keeps every walk over them shallow
MAX_PARAM_DEPTH = 32
_PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class CypherAnswer:
    columns: list[str]
    #: JSON-ready values; nodes and relationships as labelled property maps (graph.values.to_json)
    rows: list[list[Any]]
    truncated: bool
    row_limit: int


async def run(ctx: Context, query: str, params: object | None) -> CypherAnswer:
    actor = await ctx.actor()
    require_role(actor, Role.ANALYST, action=ACTION)
    ctx.analyst_queries += 1
    if ctx.analyst_queries > 1:
        raise BadUserInput(
            "one cypher query per request: send the others in their own requests", field="query"
        )
    limits = ctx.settings.limits
    text = query.strip()
    if not text:
        raise BadUserInput("query must not be empty", field="query")
    refused = adhoc.refusal(text)
    if refused is not None:
        raise Forbidden(refused, field="query")
    values = _parameters(params, max_bytes=limits.cypher_max_params_bytes)
    try:
        result = await ctx.engine.read_only_text(
            text, values, timeout_ms=limits.cypher_timeout_ms, max_rows=limits.cypher_row_limit
        )
    except ReadOnlyViolation as error:
        raise Forbidden(str(error), field="query") from error
    except QueryTimeout as error:
        raise BadUserInput(
            f"the query ran past its time limit of {limits.cypher_timeout_ms} ms and was "
            "stopped; narrow the MATCH or add a LIMIT",
            field="query",
        ) from error
    except QueryFailed as error:
        raise BadUserInput(f"the database refused the query: {error}", field="query") from error
    except BadParameter as error:
        raise BadUserInput(str(error), field="params") from error
    log.info(
        "cypher by %s (token %s): %d row(s)%s: %.300s",
        actor.user, actor.token_id, len(result.rows),
        " (truncated)" if result.truncated else "", text,
    )  # fmt: skip
    return CypherAnswer(
        columns=list(result.columns),
        rows=[[_json_safe(to_json(v)) for v in row] for row in result.rows],
        truncated=result.truncated,
        row_limit=limits.cypher_row_limit,
    )


def _parameters(params: object | None, *, max_bytes: int) -> dict[str, Any]:
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise BadUserInput(
            f"params must be a JSON object of parameter names and values, not {_kind(params)}",
            field="params",
        )
    for name in params:
        if not isinstance(name, str) or not _PARAMETER_NAME.fullmatch(name):
            raise BadUserInput(
                f"params has the name {name!r}; parameter names are letters, digits and _ "
                "and do not start with a digit",
                field="params",
            )
    if _depth(params) > MAX_PARAM_DEPTH:
        raise BadUserInput(f"params nest more than {MAX_PARAM_DEPTH} levels deep", field="params")
    size = len(json.dumps(params, ensure_ascii=False).encode())
    if size > max_bytes:
        raise BadUserInput(
            f"params are {size} bytes as JSON; the limit is {max_bytes}", field="params"
        )
    return dict(params)


def _depth(value: object) -> int:
    """Nesting depth of maps and lists, found without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: list[object] = list(item.values())
        elif isinstance(item, list | tuple):
            children = list(item)
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_PARAM_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


def _kind(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


def _json_safe(value: Any) -> Any:
    """JSON has no NaN or infinities: send them as the strings JavaScript prints for them."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    return value
