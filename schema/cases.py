"""Cases, referrals, joint-meeting sessions, decisions, leads and penalties as GraphQL: the
queries (Relay connections with a filter, a sort and a page cap) and one mutation per step, each
taking one `input` and returning what it changed. Who may call what: `resolvers/case_access.py`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry

from graph.cases import CaseSort, ReferralSort
from graph.decisions import SessionSort
from graph.penalties import PenaltySort
from resolvers import case_reads, cases, decisions, leads, penalties
from resolvers.case_reads import CaseQuery, ReferralQuery
from resolvers.case_workflow import STEPS, CaseState, DecisionOutcome
from resolvers.cases import EvidenceItem, Filing
from resolvers.decisions import Meeting, Ruling
from resolvers.penalties import ExecutionState, NewPenalty, PenaltyQuery, PublicationStatus
from schema.access import SIGNED_IN
from schema.case_types import (
    Case,
    CaseFilter,
    CaseTransition,
    JointMeetingSession,
    LeadTransfer,
    Penalty,
    Referral,
)
from schema.document import Ctx
from schema.pagination import Connection

First = Annotated[int | None, strawberry.argument(description="Page size, ≤ 100.")]


@strawberry.input(description="An item of evidence: what was found; optionally where it is.")
class EvidenceInput:
    text: str
    reference: str | None = strawberry.field(
        default=None, description="A document number, file or link."
    )

    def value(self) -> EvidenceItem:
        return EvidenceItem(self.text, self.reference)


@strawberry.input(
    description="File a case against a mine (an officer for their own department, or an admin). "
    "Cite one of the 14 removal conditions, or describe the problem and let routing suggest "
    "the competent departments and the condition."
)
class FileCaseInput:
    licence_number: str
    reporting_department_code: str
    found_on: dt.date = strawberry.field(description="When the problem was found.")
    description: str = strawberry.field(description="The problem, in plain words (≤ 2,000).")
    evidence: list[EvidenceInput] = strawberry.field(description="At least one item.")
    condition_number: int | None = strawberry.field(
        default=None, description="Cite a removal condition (1-14); omit to have routing suggest."
    )
    competent_department_codes: list[str] | None = strawberry.field(
        default=None,
        description="The departments you consider competent; default: the condition's, or "
        "routing's suggestions.",
    )


@strawberry.input(description="Choose the case's condition and competent departments (OPEN).")
class ClassifyCaseInput:
    case_id: str
    condition_number: int | None = strawberry.field(
        default=None, description="1-14; omitted: the case keeps its condition."
    )
    competent_department_codes: list[str] | None = strawberry.field(
        default=None, description="Omitted: the condition's competent departments."
    )


@strawberry.input(description="Add evidence to an OPEN or REFERRED case.")
class AddCaseEvidenceInput:
    case_id: str
    evidence: list[EvidenceInput]


@strawberry.input(
    description="Refer the case to Natural Resources with your handling recommendation "
    "(处理意见建议): OPEN -> REFERRED."
)
class ReferCaseInput:
    case_id: str
    referred_on: dt.date
    recommendation: str
    recommended_outcome: DecisionOutcome | None = None


@strawberry.input(description="Withdraw a case not yet decided (OPEN or REFERRED -> WITHDRAWN).")
class WithdrawCaseInput:
    case_id: str
    withdrawn_on: dt.date
    reason: str


@strawberry.input(description="A session of the joint meeting (admin of Natural Resources).")
class RecordJointMeetingInput:
    held_on: dt.date
    attending_department_codes: list[str] = strawberry.field(
        description="Co-building departments that attended; natural_resources (the convener) "
        "and at least one other."
    )
    agenda: list[str] = strawberry.field(
        default_factory=list, description="What was discussed (topics, cases)."
    )
    agenda_item_numbers: list[int] = strawberry.field(
        default_factory=list, description="Standing agenda items of 二(一) covered (1-4)."
    )
    summary: str | None = None


@strawberry.input(
    description="Decide a REFERRED case on the feedback and the joint meeting's opinion: "
    "REMOVE (the mine leaves the list citing a condition), KEEP, or RECTIFY (LISTED -> "
    "UNDER_RECTIFICATION with a deadline at most rectification_max_months after the decision)."
)
class DecideCaseInput:
    case_id: str
    meeting_id: str = strawberry.field(description="The session whose opinion it rests on.")
    outcome: DecisionOutcome
    decided_on: dt.date
    meeting_opinion: str = strawberry.field(description="The joint meeting's opinion (意见).")
    reason: str
    condition_number: int | None = strawberry.field(
        default=None, description="Default: the case's; REMOVE needs one."
    )
    rectification_deadline: dt.date | None = strawberry.field(
        default=None, description="For RECTIFY."
    )
    rectification_measures: str | None = strawberry.field(
        default=None, description="For RECTIFY (整改措施要求)."
    )


@strawberry.input(description="Close a DECIDED case once its decision has been carried out.")
class CloseCaseInput:
    case_id: str
    closed_on: dt.date
    note: str


@strawberry.input(
    description="Hand the case's lead on illegal acts to the competent department (the holder "
    "of the lead acts: the reporting department first)."
)
class TransferLeadInput:
    case_id: str
    to_department_code: str
    transferred_on: dt.date
    summary: str


@strawberry.input(
    description="An administrative penalty, recorded by the department that imposed it; it is "
    "marked for publication in the national enterprise credit information publicity system."
)
class RecordPenaltyInput:
    licence_number: str
    issuing_department_code: str
    decision_number: str = strawberry.field(description="处罚决定书文号, unique per department.")
    decided_on: dt.date
    performance_deadline: dt.date = strawberry.field(description="履行期限, after decidedOn.")
    description: str
    amount: float | None = strawberry.field(default=None, description="Fine in yuan.")
    case_id: str | None = strawberry.field(
        default=None, description="The case it came out of (the department must be part of it)."
    )


@strawberry.input(description="The penalty was carried out (执行到位) on this day.")
class RecordPenaltyExecutionInput:
    penalty_id: str
    executed_on: dt.date


@strawberry.input(description="The penalty was published in the national credit system.")
class RecordPenaltyPublicationInput:
    penalty_id: str
    published_on: dt.date
    reference: str | None = strawberry.field(default=None, description="Its entry or link.")


@strawberry.input(description="Filter for `referrals`.")
class ReferralFilter:
    mines: list[str] | None = None
    prefectures: list[str] | None = None
    from_departments: list[str] | None = None
    conditions: list[int] | None = None
    case_states: list[CaseState] | None = None
    referred_from: dt.date | None = None
    referred_to: dt.date | None = None

    def query(self) -> ReferralQuery:
        return ReferralQuery(
            mines=self.mines,
            prefectures=self.prefectures,
            from_departments=self.from_departments,
            conditions=self.conditions,
            case_states=self.case_states,
            referred_from=self.referred_from,
            referred_to=self.referred_to,
        )


@strawberry.input(description="Filter for `jointMeetingSessions`.")
class JointMeetingSessionFilter:
    held_from: dt.date | None = None
    held_to: dt.date | None = None
    departments: list[str] | None = strawberry.field(
        default=None, description="Attended by any of these."
    )


@strawberry.input(
    description="Filter for `penalties`; `publication: [PENDING]` is what is still to be "
    "published in the national credit system."
)
class PenaltyFilter:
    mines: list[str] | None = None
    prefectures: list[str] | None = None
    issuing_departments: list[str] | None = None
    publication: list[PublicationStatus] | None = None
    execution: list[ExecutionState] | None = strawberry.field(
        default=None, description="As of today."
    )
    decided_from: dt.date | None = None
    decided_to: dt.date | None = None
    synthetic: bool | None = None

    def query(self) -> PenaltyQuery:
        return PenaltyQuery(
            mines=self.mines,
            prefectures=self.prefectures,
            issuing_departments=self.issuing_departments,
            publication=self.publication,
            execution=self.execution,
            decided_from=self.decided_from,
            decided_to=self.decided_to,
            synthetic=self.synthetic,
        )


@strawberry.type
class CaseQueries:
    @strawberry.field(description="A case's workflow: every step, from which states, to which.")
    def case_transitions(self) -> list[CaseTransition]:
        return [CaseTransition.from_step(s) for s in STEPS.values()]

    @strawberry.field(description="A case you may read (needs a token).", directives=[SIGNED_IN])
    async def case(self, info: Ctx, id: str) -> Case:
        return Case.from_record(await case_reads.readable_case(info.context, id))

    @strawberry.field(
        description="Cases you may read, a page at a time (at most 100).", directives=[SIGNED_IN]
    )
    async def cases(
        self,
        info: Ctx,
        first: First = 20,
        after: str | None = None,
        filter: CaseFilter | None = None,
        sort: CaseSort = CaseSort.FILED_AT_DESC,
    ) -> Connection[Case]:
        page = await case_reads.page_of_cases(
            info.context,
            first=first,
            after=after,
            query=filter.query() if filter else CaseQuery(),
            sort=sort,
        )
        return Connection.from_page(page, Case.from_record)

    @strawberry.field(
        description="Referrals to Natural Resources of cases you may read.", directives=[SIGNED_IN]
    )
    async def referrals(
        self,
        info: Ctx,
        first: First = 20,
        after: str | None = None,
        filter: ReferralFilter | None = None,
        sort: ReferralSort = ReferralSort.REFERRED_ON_DESC,
    ) -> Connection[Referral]:
        page = await case_reads.page_of_referrals(
            info.context,
            first=first,
            after=after,
            query=filter.query() if filter else ReferralQuery(),
            sort=sort,
        )
        return Connection.from_page(page, Referral.from_record)

    @strawberry.field(
        description="Sessions of the joint meeting (needs a token).", directives=[SIGNED_IN]
    )
    async def joint_meeting_sessions(
        self,
        info: Ctx,
        first: First = 20,
        after: str | None = None,
        filter: JointMeetingSessionFilter | None = None,
        sort: SessionSort = SessionSort.HELD_ON_DESC,
    ) -> Connection[JointMeetingSession]:
        page = await decisions.page_of_sessions(
            info.context,
            first=first,
            after=after,
            held_from=filter.held_from if filter else None,
            held_to=filter.held_to if filter else None,
            departments=filter.departments if filter else None,
            sort=sort,
        )
        return Connection.from_page(page, JointMeetingSession.from_record)

    @strawberry.field(
        description="A session of the joint meeting (needs a token).", directives=[SIGNED_IN]
    )
    async def joint_meeting_session(self, info: Ctx, id: str) -> JointMeetingSession:
        return JointMeetingSession.from_record(await decisions.session(info.context, id))

    @strawberry.field(
        description="Administrative penalties (needs a token).", directives=[SIGNED_IN]
    )
    async def penalties(
        self,
        info: Ctx,
        first: First = 20,
        after: str | None = None,
        filter: PenaltyFilter | None = None,
        sort: PenaltySort = PenaltySort.DECIDED_ON_DESC,
    ) -> Connection[Penalty]:
        page = await penalties.page_of_penalties(
            info.context,
            first=first,
            after=after,
            query=filter.query() if filter else PenaltyQuery(),
            sort=sort,
        )
        return Connection.from_page(page, Penalty.from_record)

    @strawberry.field(
        description="An administrative penalty (needs a token).", directives=[SIGNED_IN]
    )
    async def penalty(self, info: Ctx, id: str) -> Penalty:
        return Penalty.from_record(await penalties.penalty(info.context, id))


@strawberry.type
class CaseMutations:
    @strawberry.mutation(description="File a case (-> OPEN).")
    async def file_case(self, info: Ctx, input: FileCaseInput) -> Case:
        record = await cases.file_case(
            info.context,
            Filing(
                licence_number=input.licence_number,
                reporting_department=input.reporting_department_code,
                found_on=input.found_on,
                description=input.description,
                evidence=[e.value() for e in input.evidence],
                condition_number=input.condition_number,
                competent_departments=input.competent_department_codes,
            ),
        )
        return Case.from_record(record)

    @strawberry.mutation(description="Choose the case's condition and competent departments.")
    async def classify_case(self, info: Ctx, input: ClassifyCaseInput) -> Case:
        record = await cases.classify_case(
            info.context,
            input.case_id,
            condition_number=input.condition_number,
            competent_departments=input.competent_department_codes,
        )
        return Case.from_record(record)

    @strawberry.mutation(description="Add evidence to a case.")
    async def add_case_evidence(self, info: Ctx, input: AddCaseEvidenceInput) -> Case:
        record = await cases.add_evidence(
            info.context, input.case_id, [e.value() for e in input.evidence]
        )
        return Case.from_record(record)

    @strawberry.mutation(description="OPEN -> REFERRED, to natural_resources.")
    async def refer_case(self, info: Ctx, input: ReferCaseInput) -> Case:
        record = await cases.refer_case(
            info.context,
            input.case_id,
            referred_on=input.referred_on,
            recommendation=input.recommendation,
            recommended_outcome=input.recommended_outcome,
        )
        return Case.from_record(record)

    @strawberry.mutation(description="OPEN or REFERRED -> WITHDRAWN.")
    async def withdraw_case(self, info: Ctx, input: WithdrawCaseInput) -> Case:
        record = await cases.withdraw_case(
            info.context, input.case_id, withdrawn_on=input.withdrawn_on, reason=input.reason
        )
        return Case.from_record(record)

    @strawberry.mutation(description="Record a session of the joint meeting.")
    async def record_joint_meeting(
        self, info: Ctx, input: RecordJointMeetingInput
    ) -> JointMeetingSession:
        record = await decisions.record_joint_meeting(
            info.context,
            Meeting(
                held_on=input.held_on,
                department_codes=input.attending_department_codes,
                agenda=input.agenda,
                agenda_item_numbers=input.agenda_item_numbers,
                summary=input.summary,
            ),
        )
        return JointMeetingSession.from_record(record)

    @strawberry.mutation(description="REFERRED -> DECIDED: remove, keep or rectify.")
    async def decide_case(self, info: Ctx, input: DecideCaseInput) -> Case:
        record = await decisions.decide_case(
            info.context,
            Ruling(
                case_id=input.case_id,
                meeting_id=input.meeting_id,
                outcome=input.outcome,
                decided_on=input.decided_on,
                meeting_opinion=input.meeting_opinion,
                reason=input.reason,
                condition_number=input.condition_number,
                rectification_deadline=input.rectification_deadline,
                measures=input.rectification_measures,
            ),
        )
        return Case.from_record(record)

    @strawberry.mutation(description="DECIDED -> CLOSED.")
    async def close_case(self, info: Ctx, input: CloseCaseInput) -> Case:
        record = await cases.close_case(
            info.context, input.case_id, closed_on=input.closed_on, note=input.note
        )
        return Case.from_record(record)

    @strawberry.mutation(description="Hand the case's lead to another department.")
    async def transfer_lead(self, info: Ctx, input: TransferLeadInput) -> LeadTransfer:
        record = await leads.transfer_lead(
            info.context,
            input.case_id,
            to_department=input.to_department_code,
            transferred_on=input.transferred_on,
            summary=input.summary,
        )
        return LeadTransfer.from_record(record)

    @strawberry.mutation(description="Record an administrative penalty (pending publication).")
    async def record_penalty(self, info: Ctx, input: RecordPenaltyInput) -> Penalty:
        record = await penalties.record_penalty(
            info.context,
            NewPenalty(
                licence_number=input.licence_number,
                issuing_department=input.issuing_department_code,
                decision_number=input.decision_number,
                decided_on=input.decided_on,
                performance_deadline=input.performance_deadline,
                description=input.description,
                amount=input.amount,
                case_id=input.case_id,
            ),
        )
        return Penalty.from_record(record)

    @strawberry.mutation(description="The penalty was carried out.")
    async def record_penalty_execution(
        self, info: Ctx, input: RecordPenaltyExecutionInput
    ) -> Penalty:
        record = await penalties.record_execution(info.context, input.penalty_id, input.executed_on)
        return Penalty.from_record(record)

    @strawberry.mutation(description="The penalty was published in the national credit system.")
    async def record_penalty_publication(
        self, info: Ctx, input: RecordPenaltyPublicationInput
    ) -> Penalty:
        record = await penalties.record_publication(
            info.context, input.penalty_id, input.published_on, input.reference
        )
        return Penalty.from_record(record)
