"""The document's numeric rules by code, batched (the use cases read 6 months, 10%, 1 year and
the 2028 targets from the graph rather than from constants in code)."""

from __future__ import annotations

from collections.abc import Sequence

from graph import statements
from graph.document import RuleRecord
from graph.engine import Engine

BY_CODE = statements.read(
    "rules.by_code",
    """
    UNWIND $codes AS code
    MATCH (x:Rule {code: code})
    OPTIONAL MATCH (x)-[:FROM_CLAUSE]->(c:Clause)
    RETURN x.code AS code, x.kind AS kind, x.textZh AS text_zh, x.textEn AS text_en,
           x.value AS value, x.unit AS unit, x.scale AS scale, x.stage AS stage,
           x.year AS year, x.due AS due, c.ref AS clause_ref
    """,
)


async def by_code(engine: Engine, codes: Sequence[str]) -> dict[str, RuleRecord]:
    result = await engine.read(BY_CODE, {"codes": list(codes)})
    return {r.code: r for r in (RuleRecord(**row) for row in result.records)}
