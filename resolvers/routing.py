"""Referral routing: which department handles this, who to call, what happens next.

A request costs one round trip once the process is warm: the matcher works in memory, and one
read (`graph.routing.route_details`) fetches the vocabulary's version together with everything
the matches show. When that version is not the one the matcher was built from (another process
or a seed changed the vocabulary), the matcher is rebuilt and the text matched again, so a
change made anywhere routes the very next request.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from graph import document, routing
from graph.document import (
    ClauseRecord,
    DepartmentRecord,
    DutyRecord,
    ProcedureStepRecord,
    RemovalConditionRecord,
)
from graph.engine import Engine
from graph.routing import REFERRAL_PROCEDURE, RouteDetails, VocabularyVersion
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.routing_matcher import Knowledge, Match, Matcher

MAX_TEXT = 2000
MIN_LIMIT = 1
MAX_LIMIT = 18
MAX_REBUILDS = 3


@dataclass(frozen=True)
class RouteResult:
    department: DepartmentRecord
    score: float
    duty: DutyRecord | None
    condition: RemovalConditionRecord | None
    clause: ClauseRecord | None
    matched_terms: tuple[str, ...]
    explanation_zh: str
    explanation_en: str
    next_steps: tuple[ProcedureStepRecord, ...]


def check_text(text: str, *, field: str = "text") -> str:
    if not text or not text.strip():
        raise BadUserInput(f"{field} must not be empty or only whitespace", field=field)
    if len(text) > MAX_TEXT:
        raise BadUserInput(
            f"{field} is {len(text):,} characters; the limit is {MAX_TEXT:,}", field=field
        )
    return text


def check_limit(limit: int, *, field: str = "limit") -> int:
    if not MIN_LIMIT <= limit <= MAX_LIMIT:
        raise BadUserInput(
            f"{field} must be between {MIN_LIMIT} and {MAX_LIMIT}, not {limit}", field=field
        )
    return limit


class MatcherCache:
    """This process's matcher, rebuilt when the graph's vocabulary version moves on."""

    def __init__(self) -> None:
        self.matcher: Matcher | None = None
        self._locks: dict[asyncio.AbstractEventLoop, asyncio.Lock] = {}

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        if loop not in self._locks:
            self._locks = {loop: asyncio.Lock()}  # loops of finished `asyncio.run`s go
        return self._locks[loop]

    async def get(self, engine: Engine, *, stale: VocabularyVersion | None = None) -> Matcher:
        """The current matcher; `stale` names a version known to be out of date."""
        matcher = self.matcher
        if matcher is not None and (stale is None or matcher.version != stale):
            return matcher
        async with self._lock():
            matcher = self.matcher
            if matcher is None or (stale is not None and matcher.version == stale):
                matcher = Matcher(await load_knowledge(engine))
                self.matcher = matcher
            return matcher


MATCHERS = MatcherCache()


async def load_knowledge(engine: Engine) -> Knowledge:
    # the version is read first: a change landing during these reads makes the matcher look
    # older than it is, which costs one extra rebuild, never a stale answer
    version = await routing.version(engine)
    if version is None:
        raise NotFound("the routing vocabulary is not in the graph yet; run `greenmine seed`")
    departments = await document.departments(engine)
    duties = await document.duties(engine)
    conditions = await document.removal_conditions(engine)
    numbers = [x.number for x in conditions]
    return Knowledge(
        version=version,
        terms=await routing.active_terms(engine),
        links=await routing.active_links(engine),
        departments=departments,
        duties=duties,
        duty_assignments=await document.assignments_of_duties(engine, [u.code for u in duties]),
        conditions=conditions,
        competence=await document.competence_for_conditions(engine, numbers),
        condition_duties=await document.duties_of_conditions(engine, numbers),
    )


async def matches(engine: Engine, text: str, limit: int) -> tuple[list[Match], RouteDetails]:
    """Match with a current matcher, and read what the matches show, in one round trip."""
    matcher = await MATCHERS.get(engine)
    for _ in range(MAX_REBUILDS):
        found = matcher.match(text, limit)
        details = await routing.route_details(engine, details_params(found))
        if details.version == matcher.version:
            break
        if details.version is None:
            raise NotFound("the routing vocabulary is not in the graph yet; run `greenmine seed`")
        matcher = await MATCHERS.get(engine, stale=matcher.version)
    # a vocabulary changing faster than it can be read: answer with the newest matcher seen
    return found, details


def details_params(found: list[Match]) -> dict[str, object]:
    return routing.details_params(
        departments=[m.department for m in found],
        duties=[m.duty for m in found if m.duty],
        conditions=[m.condition for m in found if m.condition is not None],
        clauses=[m.clause_ref for m in found if m.clause_ref],
        with_steps=bool(found),
    )


async def route(ctx: Context, text: str, limit: int = 3) -> list[RouteResult]:
    check_text(text)
    check_limit(limit)
    found, details = await matches(ctx.engine, text, limit)
    _prime(ctx, details)
    steps = tuple(details.steps)
    results: list[RouteResult] = []
    for m in found:
        department = details.departments.get(m.department)
        if department is None:
            continue
        results.append(
            RouteResult(
                department=department,
                score=m.score,
                duty=details.duties.get(m.duty) if m.duty else None,
                condition=details.conditions.get(m.condition) if m.condition else None,
                clause=details.clauses.get(m.clause_ref) if m.clause_ref else None,
                matched_terms=m.matched_terms,
                explanation_zh=m.explanation_zh,
                explanation_en=m.explanation_en,
                next_steps=steps,
            )
        )
    return results


def _prime(ctx: Context, details: RouteDetails) -> None:
    """Hand what the one read fetched to the request's loaders, so nested fields cost nothing."""
    loaders = ctx.loaders
    for code, department in details.departments.items():
        loaders.department.prime(code, department)
        loaders.current_liaison.prime(code, details.liaisons.get(code))
    for code, duty in details.duties.items():
        loaders.duty.prime(code, duty)
    for number, condition in details.conditions.items():
        loaders.condition.prime(number, condition)
    for ref, clause in details.clauses.items():
        loaders.clause.prime(ref, clause)
    if details.steps:
        loaders.procedure_steps.prime(REFERRAL_PROCEDURE, list(details.steps))
