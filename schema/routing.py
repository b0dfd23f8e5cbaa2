"""Referral routing over GraphQL: `route`, and the admin mutations on its vocabulary."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from graph.routing import LinkRecord, TargetLabel, TermRecord
from resolvers import routing, routing_vocabulary
from resolvers.routing import RouteResult
from schema.document import Clause, Ctx, Department, Duty, ProcedureStep, RemovalCondition


@strawberry.type(description="A department that handles the problem described, and why.")
class RouteMatch:
    department: Department
    score: float = strawberry.field(
        description="Summed evidence for this department (terms x weight x specificity)."
    )
    duty: Duty | None = strawberry.field(description="The duty that makes it competent.")
    removal_condition: RemovalCondition | None = strawberry.field(
        description="The removal condition (of the 14) the problem amounts to, if any."
    )
    matched_terms: list[str] = strawberry.field(
        description="Vocabulary terms found in the text that point here, strongest first."
    )
    explanation: str = strawberry.field(description="Why, in one Chinese sentence.")
    explanation_en: str = strawberry.field(description="Why, in English.")
    clause: Clause | None = strawberry.field(
        description="The clause that makes the department competent."
    )
    next_steps: list[ProcedureStep] = strawberry.field(
        description="What the document prescribes next: the referral procedure of 二(四)."
    )

    @classmethod
    def from_result(cls, r: RouteResult) -> RouteMatch:
        return cls(
            department=Department.from_record(r.department),
            score=r.score,
            duty=Duty.from_record(r.duty) if r.duty else None,
            removal_condition=RemovalCondition.from_record(r.condition) if r.condition else None,
            matched_terms=list(r.matched_terms),
            explanation=r.explanation_zh,
            explanation_en=r.explanation_en,
            clause=Clause.from_record(r.clause) if r.clause else None,
            next_steps=[ProcedureStep.from_record(s) for s in r.next_steps],
        )


@strawberry.enum(description="How a routing term is used.")
class TermKind(Enum):
    OFFICIAL = "official"
    SYNONYM = "synonym"
    ABBREVIATION = "abbreviation"
    COLLOQUIAL = "colloquial"
    ENGLISH = "english"
    CONTEXT = "context"


@strawberry.type(description="Where a routing term points, and how strongly.")
class RoutingTermLink:
    weight: float
    active: bool
    source: str = strawberry.field(description="seed or admin.")
    label: strawberry.Private[str]
    code: strawberry.Private[str | None]
    number: strawberry.Private[int | None]

    @classmethod
    def from_record(cls, r: LinkRecord) -> RoutingTermLink:
        return cls(
            weight=r.weight, active=bool(r.active), source=r.source, label=r.label, code=r.code,
            number=r.number,
        )  # fmt: skip

    @strawberry.field
    async def duty(self, info: Ctx) -> Duty | None:
        if self.label != TargetLabel.DUTY or self.code is None:
            return None
        record = await info.context.loaders.duty.load(self.code)
        return Duty.from_record(record) if record else None

    @strawberry.field
    async def removal_condition(self, info: Ctx) -> RemovalCondition | None:
        if self.label != TargetLabel.REMOVAL_CONDITION or self.number is None:
            return None
        record = await info.context.loaders.condition.load(self.number)
        return RemovalCondition.from_record(record) if record else None

    @strawberry.field
    async def department(self, info: Ctx) -> Department | None:
        if self.label != TargetLabel.DEPARTMENT or self.code is None:
            return None
        record = await info.context.loaders.department.load(self.code)
        return Department.from_record(record) if record else None


@strawberry.type(description="A word or phrase of the routing vocabulary and its links.")
class RoutingTerm:
    text: str
    lang: str
    kind: TermKind
    domain_weight: float = strawberry.field(
        description="How far the term alone shows a text is about green-mine work (0 to 1)."
    )
    source: str = strawberry.field(description="seed or admin.")
    active: bool
    links: list[RoutingTermLink]

    @classmethod
    def from_record(cls, r: TermRecord) -> RoutingTerm:
        return cls(
            text=r.text, lang=r.lang, kind=TermKind(r.kind), domain_weight=r.domain_weight,
            source=r.source, active=bool(r.active),
            links=[RoutingTermLink.from_record(link) for link in r.links],
        )  # fmt: skip


@strawberry.type(description="The routing vocabulary's version and size.")
class RoutingVocabulary:
    version: int = strawberry.field(description="Bumped by every change, in every process.")
    term_count: int


@strawberry.type
class RoutingQuery:
    @strawberry.field(
        description="Which departments handle the problem described in `text`, best first; "
        "an empty list when nothing in the graph matches."
    )
    async def route(
        self,
        info: Ctx,
        text: Annotated[str, strawberry.argument(description="1 to 2,000 characters.")],
        limit: Annotated[int, strawberry.argument(description="1 to 18.")] = 3,
    ) -> list[RouteMatch]:
        results = await routing.route(info.context, text, limit)
        return [RouteMatch.from_result(r) for r in results]

    @strawberry.field(description="A routing term by its text.")
    async def routing_term(self, info: Ctx, text: str) -> RoutingTerm:
        return RoutingTerm.from_record(await routing_vocabulary.term(info.context, text))

    @strawberry.field(description="The routing vocabulary's version and number of active terms.")
    async def routing_vocabulary(self, info: Ctx) -> RoutingVocabulary:
        version, count = await routing_vocabulary.vocabulary_summary(info.context)
        return RoutingVocabulary(version=version, term_count=count)


@strawberry.input(
    description="A term to add, pointing to exactly one duty, condition or department."
)
class AddRoutingTermInput:
    text: str
    duty_code: str | None = None
    removal_condition_number: int | None = None
    department_code: str | None = None
    weight: float = strawberry.field(default=1.0, description="Above 0, at most 3.")
    domain_weight: float = strawberry.field(
        default=1.0,
        description="1: the term alone shows the text is about green-mine work; "
        "0.25: an everyday word that needs other evidence.",
    )
    kind: TermKind = TermKind.SYNONYM


@strawberry.input(description="A term to remove: one of its links, or all of it.")
class RemoveRoutingTermInput:
    text: str
    duty_code: str | None = None
    removal_condition_number: int | None = None
    department_code: str | None = None


@strawberry.type
class RoutingMutation:
    @strawberry.mutation(description="Add a routing term or link (admin). Routing uses it at once.")
    async def add_routing_term(self, info: Ctx, input: AddRoutingTermInput) -> RoutingTerm:
        record = await routing_vocabulary.add_term(
            info.context,
            text=input.text,
            kind=input.kind.value,
            weight=input.weight,
            domain_weight=input.domain_weight,
            duty_code=input.duty_code,
            condition_number=input.removal_condition_number,
            department_code=input.department_code,
        )
        return RoutingTerm.from_record(record)

    @strawberry.mutation(description="Remove a routing term, or one of its links (admin).")
    async def remove_routing_term(self, info: Ctx, input: RemoveRoutingTermInput) -> RoutingTerm:
        record = await routing_vocabulary.remove_term(
            info.context,
            text=input.text,
            duty_code=input.duty_code,
            condition_number=input.removal_condition_number,
            department_code=input.department_code,
        )
        return RoutingTerm.from_record(record)
