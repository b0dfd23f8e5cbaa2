"""Yearly random spot checks as GraphQL: draws (with their population and sample) and results."""

from __future__ import annotations

import datetime as dt

import strawberry

from resolvers import spot_checks
from resolvers.lifecycle import CheckOutcome
from schema.access import SIGNED_IN
from schema.document import Ctx
from schema.mine_types import SpotCheckDraw, SpotCheckResult


@strawberry.input(description="Draw the year's spot-check sample (at least the Rule's share).")
class DrawSpotCheckSampleInput:
    year: int
    seed: str = strawberry.field(description="Any text; with the population it fixes the sample.")
    replace: bool = strawberry.field(
        default=False, description="Draw again for a year already drawn; the old draw is kept."
    )


@strawberry.input(description="The on-site check of a sampled mine.")
class RecordSpotCheckResultInput:
    year: int
    licence_number: str
    checked_on: dt.date
    outcome: CheckOutcome
    findings: str | None = strawberry.field(default=None, description="Required for a failure.")
    rectification_deadline: dt.date | None = strawberry.field(
        default=None,
        description="For FIXABLE_FAILURE: at most rectification_max_months after checkedOn.",
    )
    measures: str | None = strawberry.field(default=None, description="整改措施要求.")
    department_codes: list[str] = strawberry.field(
        default_factory=list, description="Co-building departments that took part."
    )


@strawberry.type
class SpotCheckQueries:
    @strawberry.field(
        description="Spot-check draws, newest first, replaced ones included (needs a token).",
        directives=[SIGNED_IN],
    )
    async def spot_check_draws(self, info: Ctx, year: int | None = None) -> list[SpotCheckDraw]:
        records = await spot_checks.draws(info.context, year)
        return [SpotCheckDraw.from_record(r) for r in records]


@strawberry.type
class SpotCheckMutations:
    @strawberry.mutation(description="Draw the yearly random sample of LISTED mines.")
    async def draw_spot_check_sample(
        self, info: Ctx, input: DrawSpotCheckSampleInput
    ) -> SpotCheckDraw:
        record = await spot_checks.draw_sample(
            info.context, year=input.year, seed=input.seed, replace=input.replace
        )
        return SpotCheckDraw.from_record(record)

    @strawberry.mutation(
        description="A sampled mine's result: PASSED keeps it LISTED, FIXABLE_FAILURE puts it "
        "UNDER_RECTIFICATION, UNFIXABLE_FAILURE removes it."
    )
    async def record_spot_check_result(
        self, info: Ctx, input: RecordSpotCheckResultInput
    ) -> SpotCheckResult:
        record = await spot_checks.record_result(
            info.context,
            year=input.year,
            licence_number=input.licence_number,
            checked_on=input.checked_on,
            outcome=input.outcome,
            findings=input.findings,
            rectification_deadline=input.rectification_deadline,
            measures=input.measures,
            department_codes=input.department_codes,
        )
        return SpotCheckResult.from_record(record)
