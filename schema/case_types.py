"""GraphQL types of cases and what hangs off them: evidence, routing suggestions, history, the
referral, the lead's path, joint-meeting sessions and decisions, administrative penalties.

Nested lists load through the per-request DataLoaders in `info.context.cases` (one round trip
per nesting level). `Mine` and `Prefecture` are referenced lazily: `schema/mine_types.py`
imports this module for `Mine.cases` and `Mine.penalties`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, cast

import strawberry
from graphql import FieldNode, GraphQLError, GraphQLObjectType
from graphql.execution.values import VariableValues, get_argument_values
from strawberry.types.arguments import convert_argument

from graph.case_model import (
    CaseEventRecord,
    CaseRecord,
    EvidenceRecord,
    LeadTransferRecord,
    ReferralRecord,
    SuggestionRecord,
)
from graph.cases import CaseSort, ReferralSort
from graph.decisions import DecisionRecord, SessionRecord, SessionSort
from graph.makers import maker
from graph.penalties import PenaltyRecord, PenaltySort
from resolvers import case_reads, penalties
from resolvers.case_reads import CaseQuery
from resolvers.case_workflow import (
    CaseAction,
    CaseState,
    CaseStep,
    Classification,
    DecisionOutcome,
    allowed_from,
)
from resolvers.penalties import ExecutionState, PublicationStatus, execution_state
from resolvers.ready import MaybeAwaitable, then
from schema.document import (
    AgendaItem,
    Clause,
    Ctx,
    Department,
    Duty,
    JointMeeting,
    Register,
    RemovalCondition,
    _clause,
    _departments,
)
from schema.pagination import COUNT_ONLY, Connection
from schema.selections import names_below, plain_names, plain_path

#: the page size of `Mine.cases` when a query gives none
DEFAULT_MINE_CASES = 20

if TYPE_CHECKING:
    from schema.mine_types import Mine, Prefecture

MineRef = Annotated["Mine", strawberry.lazy("schema.mine_types")]
PrefectureRef = Annotated["Prefecture", strawberry.lazy("schema.mine_types")]

strawberry.enum(CaseState, name="CaseState", description="Where a case stands (二(四)).")
strawberry.enum(CaseAction, name="CaseAction", description="A step of a case's workflow.")
strawberry.enum(
    DecisionOutcome,
    name="DecisionOutcome",
    description="Natural Resources' decision on a referred case: remove, keep, or rectify.",
)
strawberry.enum(
    Classification,
    name="CaseClassification",
    description="CITED (the reporter cited a condition), ROUTING (routing's suggestion taken), "
    "OFFICER (the officer chose after routing).",
)
strawberry.enum(CaseSort, name="CaseSort", description="Orders for `cases`; ties break on id.")
strawberry.enum(ReferralSort, name="ReferralSort")
strawberry.enum(SessionSort, name="JointMeetingSessionSort")
strawberry.enum(PenaltySort, name="PenaltySort")
strawberry.enum(
    PublicationStatus,
    name="PenaltyPublicationStatus",
    description="In the national enterprise credit information publicity system yet or not.",
)
strawberry.enum(
    ExecutionState,
    name="PenaltyExecutionState",
    description="PENDING (not yet due), EXECUTED (in time), EXECUTED_LATE, OVERDUE (past its "
    "deadline, not carried out). The last two are removal condition 2 (二(四)2).",
)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


async def _department(info: Ctx, code: str | None) -> Department | None:
    if code is None:
        return None
    record = await info.context.loaders.department.load(code)
    return Department.from_record(record) if record else None


async def _condition(info: Ctx, number: int | None) -> RemovalCondition | None:
    if number is None:
        return None
    record = await info.context.loaders.condition.load(number)
    return RemovalCondition.from_record(record) if record else None


async def _mine(info: Ctx, licence: str) -> Mine | None:
    from schema.mine_types import Mine

    record = await info.context.mines.mine.load(licence)
    return Mine.from_record(record) if record else None


async def _readable_case(info: Ctx, case_id: str | None) -> Case | None:
    if case_id is None:
        return None
    record = await case_reads.case_if_readable(info.context, case_id)
    return Case.from_record(record) if record else None


@strawberry.type(description="An item of evidence (证据材料): what was found, and where it is.")
class Evidence:
    id: str
    seq: int
    text: str
    reference: str | None = strawberry.field(description="A document number, file or link.")
    added_on: dt.date
    added_by: str
    department_code: str | None

    @classmethod
    def from_record(cls, r: EvidenceRecord) -> Evidence:
        return cls(
            id=r.id,
            seq=r.seq,
            text=r.text,
            reference=r.reference,
            added_on=dt.date.fromisoformat(r.added_on),
            added_by=r.added_by,
            department_code=r.department,
        )


@strawberry.type(
    name="CaseRoutingSuggestion",
    description="What routing suggested from the case's description when it was filed.",
)
class Suggestion:
    rank: int
    score: float
    matched_terms: list[str]
    explanation_zh: str
    explanation_en: str
    department_code: str
    condition_number: int | None
    duty_code: str | None
    clause_ref: str | None
    chosen: bool = strawberry.field(
        description="The suggested department is among the case's competent departments."
    )

    @classmethod
    def from_record(cls, r: SuggestionRecord, case: CaseRecord) -> Suggestion:
        return cls(
            rank=r.rank,
            score=r.score,
            matched_terms=list(r.matched_terms),
            explanation_zh=r.explanation_zh,
            explanation_en=r.explanation_en,
            department_code=r.department,
            condition_number=r.condition_number,
            duty_code=r.duty,
            clause_ref=r.clause_ref,
            chosen=r.department in case.competent_departments,
        )

    @strawberry.field
    async def department(self, info: Ctx) -> Department | None:
        return await _department(info, self.department_code)

    @strawberry.field
    async def removal_condition(self, info: Ctx) -> RemovalCondition | None:
        return await _condition(info, self.condition_number)

    @strawberry.field
    async def duty(self, info: Ctx) -> Duty | None:
        if self.duty_code is None:
            return None
        record = await info.context.loaders.duty.load(self.duty_code)
        return Duty.from_record(record) if record else None

    @strawberry.field
    async def clause(self, info: Ctx) -> Clause | None:
        return await _clause(info, self.clause_ref)


@strawberry.type(description="One entry of a case's history: a step, who took it, when, why.")
class CaseEvent:
    seq: int = strawberry.field(description="Order within the case's history, from 1.")
    action: CaseAction
    from_state: CaseState | None
    to_state: CaseState
    occurred_on: dt.date
    actor: str
    role: str
    department_code: str | None
    details: str | None
    clause_ref: str | None
    recorded_at: str

    @classmethod
    def from_record(cls, r: CaseEventRecord) -> CaseEvent:
        return cls(
            seq=r.seq,
            action=CaseAction(r.action),
            from_state=CaseState(r.from_state) if r.from_state else None,
            to_state=CaseState(r.to_state),
            occurred_on=dt.date.fromisoformat(r.occurred_on),
            actor=r.actor,
            role=r.role,
            department_code=r.department,
            details=r.details,
            clause_ref=r.clause_ref,
            recorded_at=r.recorded_at,
        )

    @strawberry.field(description="The department that acted.")
    async def department(self, info: Ctx) -> Department | None:
        return await _department(info, self.department_code)

    @strawberry.field
    async def clause(self, info: Ctx) -> Clause | None:
        return await _clause(info, self.clause_ref)


@strawberry.type(description="A step of a case's workflow: from which states, to which.")
class CaseTransition:
    action: CaseAction
    mutation: str
    from_states: list[CaseState]
    to_state: CaseState | None = strawberry.field(description="Null: the state is kept.")
    clause_ref: str
    description_zh: str
    description_en: str

    @classmethod
    def from_step(cls, s: CaseStep) -> CaseTransition:
        return cls(
            action=s.action,
            mutation=s.mutation,
            from_states=[x for x in CaseState if x in s.sources],
            to_state=s.target,
            clause_ref=s.clause_ref,
            description_zh=s.description_zh,
            description_en=s.description_en,
        )


@strawberry.type(
    description="A case fed back to Natural Resources with the reporting department's handling "
    "recommendation (处理意见建议)."
)
class Referral:
    id: str
    referred_on: dt.date
    recommendation: str
    recommended_outcome: DecisionOutcome | None
    condition_number: int | None = strawberry.field(description="The case's, when referred.")
    actor: str
    recorded_at: str
    case_id: str
    licence_number: str
    from_department_code: str
    to_department_code: str

    @classmethod
    def from_record(cls, r: ReferralRecord) -> Referral:
        return cls(
            id=r.id,
            referred_on=dt.date.fromisoformat(r.referred_on),
            recommendation=r.recommendation,
            recommended_outcome=(
                DecisionOutcome(r.recommended_outcome) if r.recommended_outcome else None
            ),
            condition_number=r.condition_number,
            actor=r.actor,
            recorded_at=r.recorded_at,
            case_id=r.case,
            licence_number=r.mine,
            from_department_code=r.from_department,
            to_department_code=r.to_department,
        )

    @strawberry.field
    async def from_department(self, info: Ctx) -> Department | None:
        return await _department(info, self.from_department_code)

    @strawberry.field
    async def to_department(self, info: Ctx) -> Department | None:
        return await _department(info, self.to_department_code)

    @strawberry.field
    async def case(self, info: Ctx) -> Case | None:
        return await _readable_case(info, self.case_id)

    @strawberry.field
    async def mine(self, info: Ctx) -> MineRef | None:
        return await _mine(info, self.licence_number)


@strawberry.type(description="A lead on illegal acts handed from one department to another.")
class LeadTransfer:
    id: str
    seq: int = strawberry.field(description="Its place on the lead's path, from 1.")
    transferred_on: dt.date
    summary: str
    actor: str
    role: str
    acting_department_code: str | None = strawberry.field(description="The actor's department.")
    recorded_at: str
    from_department_code: str
    to_department_code: str
    case_id: str

    @classmethod
    def from_record(cls, r: LeadTransferRecord) -> LeadTransfer:
        return cls(
            id=r.id,
            seq=r.seq,
            transferred_on=dt.date.fromisoformat(r.transferred_on),
            summary=r.summary,
            actor=r.actor,
            role=r.role,
            acting_department_code=r.acting_department,
            recorded_at=r.recorded_at,
            from_department_code=r.from_department,
            to_department_code=r.to_department,
            case_id=r.case,
        )

    @strawberry.field
    async def from_department(self, info: Ctx) -> Department | None:
        return await _department(info, self.from_department_code)

    @strawberry.field
    async def to_department(self, info: Ctx) -> Department | None:
        return await _department(info, self.to_department_code)

    @strawberry.field
    async def case(self, info: Ctx) -> Case | None:
        return await _readable_case(info, self.case_id)


@strawberry.type(
    description="Natural Resources' decision on a case, on the feedback and the joint meeting's "
    "opinion (确定是否将涉及的绿色矿山移出名录)."
)
class Decision:
    id: str
    outcome: DecisionOutcome
    decided_on: dt.date
    meeting_opinion: str = strawberry.field(description="The joint meeting's opinion (意见).")
    reason: str
    condition_number: int | None
    clause_ref: str | None
    rectification_deadline: dt.date | None
    actor: str
    recorded_at: str
    case_id: str
    licence_number: str
    meeting_id: str

    @classmethod
    def from_record(cls, r: DecisionRecord) -> Decision:
        return cls(
            id=r.id,
            outcome=DecisionOutcome(r.outcome),
            decided_on=dt.date.fromisoformat(r.decided_on),
            meeting_opinion=r.meeting_opinion,
            reason=r.reason,
            condition_number=r.condition_number,
            clause_ref=r.clause_ref,
            rectification_deadline=_date(r.rectification_deadline),
            actor=r.actor,
            recorded_at=r.recorded_at,
            case_id=r.case,
            licence_number=r.mine,
            meeting_id=r.meeting,
        )

    @strawberry.field
    async def removal_condition(self, info: Ctx) -> RemovalCondition | None:
        return await _condition(info, self.condition_number)

    @strawberry.field
    async def clause(self, info: Ctx) -> Clause | None:
        return await _clause(info, self.clause_ref)

    @strawberry.field(description="The session whose opinion it rests on.")
    async def meeting(self, info: Ctx) -> JointMeetingSession | None:
        record = await info.context.cases.session.load(self.meeting_id)
        return JointMeetingSession.from_record(record) if record else None

    @strawberry.field(description="Null when you may not read the case.")
    async def case(self, info: Ctx) -> Case | None:
        return await _readable_case(info, self.case_id)

    @strawberry.field
    async def mine(self, info: Ctx) -> MineRef | None:
        return await _mine(info, self.licence_number)


@strawberry.type(
    description="A session of the joint meeting (联席会议): date, who attended, agenda."
)
class JointMeetingSession:
    id: str
    held_on: dt.date
    agenda: list[str] = strawberry.field(description="What was discussed, as recorded.")
    summary: str | None
    actor: str
    recorded_at: str
    department_codes: list[str]
    body_code: str
    convener_code: str
    agenda_item_numbers: list[int]

    @classmethod
    def from_record(cls, r: SessionRecord) -> JointMeetingSession:
        return cls(
            id=r.id,
            held_on=dt.date.fromisoformat(r.held_on),
            agenda=list(r.agenda),
            summary=r.summary,
            actor=r.actor,
            recorded_at=r.recorded_at,
            department_codes=list(r.departments),
            body_code=r.body,
            convener_code=r.convener,
            agenda_item_numbers=list(r.agenda_items),
        )

    @strawberry.field(description="The departments that attended, the convener first.")
    async def attending_departments(self, info: Ctx) -> list[Department]:
        return await _departments(info, self.department_codes)

    @strawberry.field
    async def convener(self, info: Ctx) -> Department | None:
        return await _department(info, self.convener_code)

    @strawberry.field(description="The standing agenda items of 二(一) it covered.")
    async def agenda_items(self, info: Ctx) -> list[AgendaItem]:
        items = await info.context.cases.body_agenda.load(self.body_code)
        return [AgendaItem.from_record(a) for a in items if a.number in self.agenda_item_numbers]

    @strawberry.field(description="The joint meeting this is a session of.")
    async def body(self, info: Ctx) -> JointMeeting | None:
        record = await info.context.cases.body.load(self.body_code)
        return JointMeeting.from_record(record) if record else None

    @strawberry.field(description="The decisions taken on its opinion, oldest first.")
    async def decisions(self, info: Ctx) -> list[Decision]:
        records = await info.context.cases.session_decisions.load(self.id)
        return [Decision.from_record(r) for r in records]


@strawberry.type(
    description="An administrative penalty (行政处罚), to be published in the national enterprise "
    "credit information publicity system (二(四))."
)
class Penalty:
    id: str
    decision_number: str = strawberry.field(description="处罚决定书文号.")
    decided_on: dt.date
    performance_deadline: dt.date = strawberry.field(description="履行期限.")
    description: str
    amount: float | None = strawberry.field(description="Fine in yuan, if any.")
    executed_on: dt.date | None
    publication: PublicationStatus
    published_on: dt.date | None
    publication_reference: str | None
    actor: str
    recorded_at: str
    licence_number: str
    company: str
    issuing_department_code: str
    case_id: str | None
    register_code: str
    record: strawberry.Private[PenaltyRecord]

    @classmethod
    def from_record(cls, r: PenaltyRecord) -> Penalty:
        return cls(
            id=r.id,
            decision_number=r.decision_number,
            decided_on=dt.date.fromisoformat(r.decided_on),
            performance_deadline=dt.date.fromisoformat(r.performance_deadline),
            description=r.description,
            amount=r.amount,
            executed_on=_date(r.executed_on),
            publication=PublicationStatus(r.publication),
            published_on=_date(r.published_on),
            publication_reference=r.publication_reference,
            actor=r.actor,
            recorded_at=r.recorded_at,
            licence_number=r.mine,
            company=r.company,
            issuing_department_code=r.issuing_department,
            case_id=r.case,
            register_code=r.register,
            record=r,
        )

    @strawberry.field(description="On `asOf` (default today).")
    def execution_state(self, info: Ctx, as_of: dt.date | None = None) -> ExecutionState:
        return execution_state(self.record, as_of or info.context.today())

    @strawberry.field(
        description="Not carried out within its deadline on `asOf` (二(四)2), default today."
    )
    def meets_removal_condition_2(self, info: Ctx, as_of: dt.date | None = None) -> bool:
        return penalties.meets_condition_2(self.record, as_of or info.context.today())

    @strawberry.field
    async def issuing_department(self, info: Ctx) -> Department | None:
        return await _department(info, self.issuing_department_code)

    @strawberry.field(description="Where it is to be published.")
    async def register(self, info: Ctx) -> Register | None:
        record = await info.context.cases.register.load(self.register_code)
        return Register.from_record(record) if record else None

    @strawberry.field
    async def mine(self, info: Ctx) -> MineRef | None:
        return await _mine(info, self.licence_number)

    @strawberry.field(description="The case it came out of; null if none or not readable.")
    async def case(self, info: Ctx) -> Case | None:
        return await _readable_case(info, self.case_id)


@strawberry.type(description="A problem with a mine that a co-building department filed (二(四)).")
class Case:
    id: str
    state: CaseState
    state_since: dt.date
    found_on: dt.date = strawberry.field(description="When the problem was found.")
    filed_on: dt.date
    filed_at: str
    description: str
    condition_number: int | None = strawberry.field(
        description="The removal condition (1-14) it concerns, cited or chosen."
    )
    classification: Classification
    competent_department_codes: list[str]
    reporting_department_code: str
    licence_number: str
    prefecture_code: str
    lead_holder_code: str = strawberry.field(description="Who holds its lead on illegal acts.")
    synthetic: bool
    record: strawberry.Private[CaseRecord]

    @classmethod
    def from_record(cls, r: CaseRecord) -> Case:
        return cls(
            id=r.id,
            state=CaseState(r.state),
            state_since=dt.date.fromisoformat(r.state_since),
            found_on=dt.date.fromisoformat(r.found_on),
            filed_on=dt.date.fromisoformat(r.filed_on),
            filed_at=r.filed_at,
            description=r.description,
            condition_number=r.condition_number,
            classification=Classification(r.classification),
            competent_department_codes=list(r.competent_departments),
            reporting_department_code=r.reporting_department,
            licence_number=r.mine,
            prefecture_code=r.prefecture,
            lead_holder_code=r.lead_holder,
            synthetic=r.synthetic,
            record=r,
        )

    @strawberry.field
    async def mine(self, info: Ctx) -> MineRef | None:
        return await _mine(info, self.licence_number)

    @strawberry.field
    async def prefecture(self, info: Ctx) -> PrefectureRef | None:
        from schema.mine_types import _prefecture

        return await _prefecture(info, self.prefecture_code)

    @strawberry.field
    async def reporting_department(self, info: Ctx) -> Department | None:
        return await _department(info, self.reporting_department_code)

    @strawberry.field
    async def removal_condition(self, info: Ctx) -> RemovalCondition | None:
        return await _condition(info, self.condition_number)

    @strawberry.field(description="The removal condition's clause, 二(四)N.")
    async def clause(self, info: Ctx) -> Clause | None:
        ref = f"二(四){self.condition_number}" if self.condition_number else "二(四)"
        return await _clause(info, ref)

    @strawberry.field
    async def competent_departments(self, info: Ctx) -> list[Department]:
        return await _departments(info, self.competent_department_codes)

    @strawberry.field
    async def lead_holder(self, info: Ctx) -> Department | None:
        return await _department(info, self.lead_holder_code)

    @strawberry.field
    async def evidence(self, info: Ctx) -> list[Evidence]:
        records = await info.context.cases.evidence.load(self.id)
        return [Evidence.from_record(r) for r in records]

    @strawberry.field(description="Routing's suggestions from the description, best first.")
    async def routing_suggestions(self, info: Ctx) -> list[Suggestion]:
        records = await info.context.cases.suggestions.load(self.id)
        return [Suggestion.from_record(r, self.record) for r in records]

    @strawberry.field(description="Every step, oldest first.")
    async def history(self, info: Ctx) -> list[CaseEvent]:
        records = await info.context.cases.history.load(self.id)
        return [CaseEvent.from_record(r) for r in records]

    @strawberry.field
    async def referral(self, info: Ctx) -> Referral | None:
        record = await info.context.cases.referral.load(self.id)
        return Referral.from_record(record) if record else None

    @strawberry.field
    async def decision(self, info: Ctx) -> Decision | None:
        record = await info.context.cases.decision.load(self.id)
        return Decision.from_record(record) if record else None

    @strawberry.field(
        description="The lead's path through the departments, in order "
        "((case)-[:LEAD]->(t1)-[:NEXT]->(t2)...)."
    )
    async def lead_chain(self, info: Ctx) -> list[LeadTransfer]:
        records = await info.context.cases.lead_chain.load(self.id)
        return [LeadTransfer.from_record(r) for r in records]

    @strawberry.field(description="Administrative penalties imposed in this case.")
    async def penalties(self, info: Ctx) -> list[Penalty]:
        records = await info.context.cases.case_penalties.load(self.id)
        return [Penalty.from_record(r) for r in records]

    @strawberry.field(description="The steps its state allows now.")
    def allowed_transitions(self) -> list[CaseTransition]:
        return [CaseTransition.from_step(s) for s in allowed_from(self.state)]


@strawberry.input(description="Filter for `cases` and `Mine.cases`; every given criterion holds.")
class CaseFilter:
    mines: list[str] | None = strawberry.field(default=None, description="Licence numbers.")
    prefectures: list[str] | None = None
    reporting_departments: list[str] | None = None
    departments: list[str] | None = strawberry.field(
        default=None,
        description="Departments part of the case: reporting, referred to, on the lead's path, "
        "imposing a penalty in it.",
    )
    states: list[CaseState] | None = None
    conditions: list[int] | None = strawberry.field(default=None, description="1 to 14.")
    found_from: dt.date | None = None
    found_to: dt.date | None = None
    filed_from: dt.date | None = None
    filed_to: dt.date | None = None
    synthetic: bool | None = None

    def query(self) -> CaseQuery:
        # each mine of a page converts its `cases` filter: made from the same fields, without
        # the frozen constructor's twelve steps
        return _make_case_query({**vars(self), "field_prefix": CaseQuery.field_prefix})


_make_case_query = maker(CaseQuery)


def mine_cases(
    info: Ctx,
    licence: str,
    *,
    first: int | None,
    after: str | None,
    filter: CaseFilter | None,
    sort: CaseSort,
) -> MaybeAwaitable[Connection[Case]]:
    """`Mine.cases`, resolved here so that `schema/mine_types.py` stays small. A first page of
    which only the total is asked (a list of mines showing how many cases each has open) is
    counted, not read, and answered without an await when a page of mines loaded the counts
    with itself (`counts_along`)."""
    nodes = info._raw_info.field_nodes
    if len(nodes) == 1:  # the one node the page may have loaded the counts for
        counted = case_reads.counted_along(info.context, _counted_for(info, nodes[0]), licence)
        if counted is not None:
            return then(counted, Connection.counted)
    query = filter.query() if filter else CaseQuery()
    if after is None and names_below(info) <= COUNT_ONLY:
        total = case_reads.count_of_mine(info.context, licence, first=first, query=query)
        return then(total, Connection.counted)
    return _mine_cases_page(info, licence, first=first, after=after, query=query, sort=sort)


async def _mine_cases_page(
    info: Ctx,
    licence: str,
    *,
    first: int | None,
    after: str | None,
    query: CaseQuery,
    sort: CaseSort,
) -> Connection[Case]:
    page = await case_reads.cases_of_mine(
        info.context, licence, first=first, after=after, query=query, sort=sort
    )
    return Connection.from_page(page, Case.from_record)


def counts_along(info: Ctx) -> Callable[[list[str]], Awaitable[object]] | None:
    """For a page of mines (`info` is the `mines` field's) whose mines' `cases` field asks only
    for the total: the load of those totals, to start with the page's other loads, so that each
    mine's field finds its total there. The field's arguments are coerced by graphql-core from
    the query, as for the field itself. None when the query has no such field, more than one,
    or reaches it through a fragment or a directive (each mine's field then loads and checks
    its total itself, as it would anyway)."""
    nodes = plain_path(info._raw_info.field_nodes, ("edges", "node", "cases"))
    if nodes is None or len(nodes) != 1:
        return None
    node = nodes[0]
    names = plain_names([node])
    if names is None or not names <= COUNT_ONLY:
        return None
    mine = cast(GraphQLObjectType, info.schema._schema.type_map["Mine"])  # graphql-core's
    # the variables as the executor holds them (Strawberry hands resolvers the values only)
    variables: Any = info._raw_info.variable_values
    if not isinstance(variables, VariableValues):
        variables = VariableValues(sources={}, coerced=variables)
    try:
        arguments = get_argument_values(mine.fields["cases"], node, variables)
        query = _case_query(info, arguments.get("filter"))
    except (GraphQLError, TypeError, ValueError, KeyError):
        return None
    if arguments.get("after") is not None:
        return None
    first = arguments.get("first")
    ctx = info.context
    along = _counted_for(info, node)

    def load(licences: list[str]) -> Awaitable[object]:
        return case_reads.count_cases_of(ctx, licences, first=first, query=query, along=along)

    return load


def _counted_for(info: Ctx, node: FieldNode) -> tuple[object, object]:
    """What names the counts a page loads for its mines' `cases` field `node`, and what each
    mine's field looks them up by: the node and this execution's variables (a parsed query's
    nodes are shared by every request that sends its text; each execution has its own
    variables, whatever its context)."""
    return (node, info._raw_info.variable_values)


def _case_query(info: Ctx, coerced: object) -> CaseQuery:
    """The `CaseQuery` of a `filter` argument graphql-core coerced, converted as Strawberry
    converts the field's own argument."""
    if coerced is None:
        return CaseQuery()
    schema = info.schema
    converted = convert_argument(
        coerced, CaseFilter, schema.schema_converter.scalar_registry, schema.config
    )
    if not isinstance(converted, CaseFilter):
        raise TypeError(f"filter converted to {type(converted).__name__}, not CaseFilter")
    return converted.query()


async def mine_penalties(info: Ctx, licence: str) -> list[Penalty]:
    return [Penalty.from_record(r) for r in await penalties.of_mine(info.context, licence)]
