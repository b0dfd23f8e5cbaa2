"""The document's numeric rules, read from the graph (seeded from `seed/mechanism.py`), so the
6 months, 10%, 1 year and the 2028 targets live in one place: the Rule nodes."""

from __future__ import annotations

from graph.document import RuleRecord
from resolvers.context import Context
from resolvers.errors import NotFound


async def rule(ctx: Context, code: str) -> RuleRecord:
    record = await ctx.mines.rule.load(code)
    if record is None:
        raise NotFound(f"the rule {code} is not in the graph yet; run `greenmine seed`")
    return record


async def value(ctx: Context, code: str) -> float:
    record = await rule(ctx, code)
    if record.value is None:
        raise NotFound(f"the rule {code} has no value in the graph; run `greenmine seed`")
    return float(record.value)
