"""The list lifecycle as GraphQL: the state machine as data, and one mutation per step."""

from __future__ import annotations

import datetime as dt

import strawberry

from resolvers import lifecycle, listing
from schema.document import Ctx
from schema.mine_types import LifecycleTransition, Mine


@strawberry.input(
    description="The mine applies for the provincial list (again, after REJECTED or REMOVED)."
)
class ApplyForListingInput:
    licence_number: str
    applied_on: dt.date
    details: str | None = None


@strawberry.input(description="A third-party evaluation report (第三方评估).")
class RecordEvaluationInput:
    licence_number: str
    evaluator: str = strawberry.field(description="The evaluating organisation.")
    report_date: dt.date
    passed: bool = True
    details: str | None = None


@strawberry.input(
    description="Verification by Natural Resources with co-building departments (抽查核查)."
)
class RecordVerificationInput:
    licence_number: str
    verified_on: dt.date
    department_codes: list[str] = strawberry.field(
        description="The co-building departments that took part (natural_resources is implied)."
    )
    passed: bool = True
    details: str | None = None


@strawberry.input(description="The public notice period (向社会公示).")
class StartPublicNoticeInput:
    licence_number: str
    starts_on: dt.date
    ends_on: dt.date
    details: str | None = None


@strawberry.input(description="An objection received during the public notice.")
class RecordObjectionInput:
    licence_number: str
    received_on: dt.date
    objector: str
    summary: str


@strawberry.input(description="The outcome of looking into an objection; upheld means not listed.")
class ResolveObjectionInput:
    licence_number: str
    objection_id: str
    resolved_on: dt.date
    upheld: bool
    resolution: str


@strawberry.input(description="Put a mine whose notice drew no (open) objection on the list.")
class ListMineInput:
    licence_number: str
    listed_on: dt.date = strawberry.field(description="After the notice period has ended.")
    details: str | None = None


@strawberry.input(description="The re-check at the end of a rectification period (复核).")
class RecordRecheckInput:
    licence_number: str
    rechecked_on: dt.date
    passed: bool
    rectification_completed_on: dt.date | None = strawberry.field(
        default=None,
        description="When the mine finished rectifying; after the deadline is overdue.",
    )
    department_codes: list[str] = strawberry.field(default_factory=list)
    details: str | None = None


@strawberry.input(description="Remove a mine from the list on one of the 14 conditions of 二(四).")
class RemoveMineInput:
    licence_number: str
    condition_number: int = strawberry.field(description="1 to 14.")
    decided_on: dt.date
    reason: str
    department_codes: list[str] = strawberry.field(
        default_factory=list, description="Departments whose findings the decision rests on."
    )


@strawberry.type
class ListingQueries:
    @strawberry.field(description="The list lifecycle: every step, from which states to which.")
    def lifecycle_transitions(self) -> list[LifecycleTransition]:
        return [LifecycleTransition.from_transition(t) for t in lifecycle.TRANSITIONS.values()]


@strawberry.type
class ListingMutations:
    @strawberry.mutation(description="NOT_APPLIED, REJECTED or REMOVED -> APPLIED.")
    async def apply_for_listing(self, info: Ctx, input: ApplyForListingInput) -> Mine:
        record = await listing.apply_for_listing(
            info.context, input.licence_number, applied_on=input.applied_on, details=input.details
        )
        return Mine.from_record(record)

    @strawberry.mutation(description="APPLIED -> EVALUATED (passed) or REJECTED.")
    async def record_evaluation(self, info: Ctx, input: RecordEvaluationInput) -> Mine:
        record = await listing.record_evaluation(
            info.context,
            input.licence_number,
            evaluator=input.evaluator,
            report_date=input.report_date,
            passed=input.passed,
            details=input.details,
        )
        return Mine.from_record(record)

    @strawberry.mutation(description="EVALUATED -> VERIFIED (passed) or REJECTED.")
    async def record_verification(self, info: Ctx, input: RecordVerificationInput) -> Mine:
        record = await listing.record_verification(
            info.context,
            input.licence_number,
            verified_on=input.verified_on,
            passed=input.passed,
            department_codes=input.department_codes,
            details=input.details,
        )
        return Mine.from_record(record)

    @strawberry.mutation(description="VERIFIED -> PUBLIC_NOTICE.")
    async def start_public_notice(self, info: Ctx, input: StartPublicNoticeInput) -> Mine:
        record = await listing.start_public_notice(
            info.context,
            input.licence_number,
            starts_on=input.starts_on,
            ends_on=input.ends_on,
            details=input.details,
        )
        return Mine.from_record(record)

    @strawberry.mutation(description="Record an objection during PUBLIC_NOTICE; it blocks listing.")
    async def record_objection(self, info: Ctx, input: RecordObjectionInput) -> Mine:
        record = await listing.record_objection(
            info.context,
            input.licence_number,
            received_on=input.received_on,
            objector=input.objector,
            summary=input.summary,
        )
        return Mine.from_record(record)

    @strawberry.mutation(
        description="Dismiss an objection, or uphold it (PUBLIC_NOTICE -> REJECTED)."
    )
    async def resolve_objection(self, info: Ctx, input: ResolveObjectionInput) -> Mine:
        record = await listing.resolve_objection(
            info.context,
            input.licence_number,
            objection_id=input.objection_id,
            resolved_on=input.resolved_on,
            upheld=input.upheld,
            resolution=input.resolution,
        )
        return Mine.from_record(record)

    @strawberry.mutation(
        description="PUBLIC_NOTICE -> LISTED, once the notice is over and unopposed."
    )
    async def list_mine(self, info: Ctx, input: ListMineInput) -> Mine:
        record = await listing.list_mine(
            info.context, input.licence_number, listed_on=input.listed_on, details=input.details
        )
        return Mine.from_record(record)

    @strawberry.mutation(
        description="UNDER_RECTIFICATION -> LISTED (passed, completed in time) or REMOVED."
    )
    async def record_recheck(self, info: Ctx, input: RecordRecheckInput) -> Mine:
        record = await listing.record_recheck(
            info.context,
            input.licence_number,
            rechecked_on=input.rechecked_on,
            passed=input.passed,
            completed_on=input.rectification_completed_on,
            department_codes=input.department_codes,
            details=input.details,
        )
        return Mine.from_record(record)

    @strawberry.mutation(
        description="LISTED or UNDER_RECTIFICATION -> REMOVED, citing a condition."
    )
    async def remove_mine(self, info: Ctx, input: RemoveMineInput) -> Mine:
        record = await listing.remove_for_condition(
            info.context,
            input.licence_number,
            condition_number=input.condition_number,
            decided_on=input.decided_on,
            reason=input.reason,
            department_codes=input.department_codes,
        )
        return Mine.from_record(record)
