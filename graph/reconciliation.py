"""What a load run reconciles against (`greenmine bench load`): how many mines, cases,
spot-check draws and results and audit entries the graph holds, and which of a list of natural
keys it holds, so that every write the API acknowledged can be found afterwards."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from graph import statements
from graph.engine import Engine
from graph.statements import Statement

#: keys are looked up this many at a time (well under the result ceiling)
CHUNK = 2000


@dataclass(frozen=True)
class GraphCounts:
    mines: int
    cases: int
    draws: int
    results: int
    audit_entries: int


class Kept(StrEnum):
    """The kinds of node a load run writes, each found by its natural key."""

    MINE = "Mine"
    CASE = "Case"
    DRAW = "SpotCheckDraw"
    RESULT = "SpotCheckResult"


COUNTS = statements.read(
    "reconciliation.counts",
    """
    OPTIONAL MATCH (m:Mine)
    WITH count(m) AS mines
    OPTIONAL MATCH (c:Case)
    WITH mines, count(c) AS cases
    OPTIONAL MATCH (d:SpotCheckDraw)
    WITH mines, cases, count(d) AS draws
    OPTIONAL MATCH (r:SpotCheckResult)
    WITH mines, cases, draws, count(r) AS results
    OPTIONAL MATCH (a:AuditEntry)
    RETURN mines, cases, draws, results, count(a) AS audit_entries
    """,
)

_FOUND: dict[Kept, Statement] = {
    Kept.MINE: statements.read(
        "reconciliation.found.mine",
        "UNWIND $keys AS key MATCH (x:Mine {licenceNumber: key}) RETURN DISTINCT key",
    ),
    Kept.CASE: statements.read(
        "reconciliation.found.case",
        "UNWIND $keys AS key MATCH (x:Case {id: key}) RETURN DISTINCT key",
    ),
    Kept.DRAW: statements.read(
        "reconciliation.found.draw",
        "UNWIND $keys AS key MATCH (x:SpotCheckDraw {id: key}) RETURN DISTINCT key",
    ),
    Kept.RESULT: statements.read(
        "reconciliation.found.result",
        "UNWIND $keys AS key MATCH (x:SpotCheckResult {id: key}) RETURN DISTINCT key",
    ),
}


async def counts(engine: Engine) -> GraphCounts:
    row = (await engine.read(COUNTS)).single()
    assert row is not None, "an aggregate always returns a row"
    return GraphCounts(**{name: int(value) for name, value in row.items()})


async def found(engine: Engine, kind: Kept, keys: Sequence[str]) -> set[str]:
    """Which of `keys` the graph holds as nodes of `kind`."""
    present: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = list(keys[start : start + CHUNK])
        result = await engine.read(_FOUND[kind], {"keys": chunk})
        present |= {str(row["key"]) for row in result.records}
    return present
