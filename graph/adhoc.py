"""Analysts' ad hoc Cypher: what the service refuses to send, even in read-only mode.

Read-only mode (FalkorDB's GRAPH.RO_QUERY, Neo4j's READ access mode) already refuses every
write. What it leaves open is reaching outside the graph: LOAD CSV reads files or URLs from the
database host, and procedures outside `db.*` and `algo.*` (`apoc.*`, `dbms.*`, plugins) read the
server's configuration, files or network. This screen runs on the query's code only: comments
and string literals are blanked first, so a word inside them refuses nothing.
"""

from __future__ import annotations

import re

#: procedure namespaces an analyst may call: the graph's own catalogue and its algorithms
ALLOWED_PROCEDURES = ("db.", "algo.")

_LOAD_CSV = re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE)
# `CALL name(` or `CALL name YIELD`; `CALL {` and `CALL (x) {` are subqueries, not procedures
_PROCEDURE = re.compile(r"\bCALL\s+([A-Za-z_][\w.]*)", re.IGNORECASE)


def refusal(text: str) -> str | None:
    """Why the service will not send `text`, or None when it may."""
    code = code_only(text)
    if _LOAD_CSV.search(code):
        return (
            "refused: LOAD CSV reads files or URLs from the database host, which analysts' "
            "queries may not do; nothing was run"
        )
    for match in _PROCEDURE.finditer(code):
        name = match.group(1)
        if not name.lower().startswith(ALLOWED_PROCEDURES):
            allowed = ", ".join(f"{p}*" for p in ALLOWED_PROCEDURES)
            return f"refused: procedure {name} is not allowed (only {allowed}); nothing was run"
    return None


def code_only(text: str) -> str:
    """`text` with comments and string literals blanked and `backquoted` names unquoted."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
            out.append(" ")
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
        elif char in "'\"":
            i = _string_end(text, i)
            out.append("''")
        elif char == "`":
            end = text.find("`", i + 1)
            end = n if end < 0 else end
            out.append(text[i + 1 : end])
            i = end + 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal opening at `start` (backslash escapes honoured)."""
    quote, i = text[start], start + 1
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] == quote:
            return i + 1
        else:
            i += 1
    return len(text)
