"""DataLoaders for cases and what hangs off them, created per request (see `resolvers/loaders.py`):
a page of cases with their evidence, history, referral, decision, lead path and penalties costs one
round trip per level; so do the cases of a page of mines.

`mine_cases(case_filter)` is a loader per filter: every `Mine.cases` field of a request that asks
with the same arguments shares one, so a page of 100 mines costs one statement for their cases.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from strawberry.dataloader import DataLoader

from graph import cases, decisions, penalties
from graph.case_model import (
    CaseEventRecord,
    CaseRecord,
    EvidenceRecord,
    LeadTransferRecord,
    ReferralRecord,
    SuggestionRecord,
)
from graph.cases import CaseFilter
from graph.decisions import DecisionRecord, SessionRecord
from graph.document import AgendaItemRecord, JointMeetingRecord, RegisterRecord
from graph.engine import Engine
from graph.penalties import PenaltyRecord
from resolvers.loaders import forget, many_each, one_each

V = TypeVar("V")


@dataclass
class CaseLoaders:
    engine: Engine
    case: DataLoader[str, CaseRecord | None]
    evidence: DataLoader[str, list[EvidenceRecord]]
    suggestions: DataLoader[str, list[SuggestionRecord]]
    history: DataLoader[str, list[CaseEventRecord]]
    referral: DataLoader[str, ReferralRecord | None]
    decision: DataLoader[str, DecisionRecord | None]
    lead_chain: DataLoader[str, list[LeadTransferRecord]]
    case_penalties: DataLoader[str, list[PenaltyRecord]]
    mine_penalties: DataLoader[str, list[PenaltyRecord]]
    penalty: DataLoader[str, PenaltyRecord | None]
    session: DataLoader[str, SessionRecord | None]
    session_decisions: DataLoader[str, list[DecisionRecord]]
    body: DataLoader[str, JointMeetingRecord | None]
    body_agenda: DataLoader[str, list[AgendaItemRecord]]
    register: DataLoader[str, RegisterRecord | None]
    _mine_cases: dict[str, DataLoader[str, list[CaseRecord]]] = field(default_factory=dict)
    _mine_case_counts: dict[str, DataLoader[str, int]] = field(default_factory=dict)
    #: what the last count of a mine's cases was asked with, and the loader that answered it
    #: (every mine of a page asks with the same: worked out once, not 50 times)
    last_count: tuple[object, DataLoader[str, int] | None] | None = None
    #: the field a page's counts were loaded for (`count_cases_of`), and their loader
    counted_along: tuple[Sequence[object], DataLoader[str, int]] | None = None

    @classmethod
    def create(cls, engine: Engine) -> CaseLoaders:
        return cls(
            engine=engine,
            case=one_each(engine, cases.by_id),
            evidence=many_each(engine, cases.evidence_of),
            suggestions=many_each(engine, cases.suggestions_of),
            history=many_each(engine, cases.history_of),
            referral=one_each(engine, cases.referrals_of),
            decision=one_each(engine, decisions.decisions_of_cases),
            lead_chain=many_each(engine, cases.lead_chains),
            case_penalties=many_each(engine, penalties.of_cases),
            mine_penalties=many_each(engine, penalties.of_mines),
            penalty=one_each(engine, penalties.by_id),
            session=one_each(engine, decisions.sessions_by_id),
            session_decisions=many_each(engine, decisions.decisions_of_sessions),
            body=one_each(engine, decisions.bodies_by_code),
            body_agenda=many_each(engine, decisions.agenda_of_bodies),
            register=one_each(engine, penalties.registers_by_code),
        )

    def mine_cases(self, case_filter: CaseFilter) -> DataLoader[str, list[CaseRecord]]:
        """The cases of mines (by licence number) that `case_filter` lets through, unsorted."""
        return _per_filter(self._mine_cases, self.engine, case_filter, cases.of_mines, list)

    def mine_case_counts(self, case_filter: CaseFilter) -> DataLoader[str, int]:
        """How many cases of mines (by licence number) `case_filter` lets through."""
        return _per_filter(
            self._mine_case_counts, self.engine, case_filter, cases.counts_of_mines, int
        )

    def forget_case(self, case_id: str) -> None:
        """Drop what is cached about a case after a write changed it."""
        forget(self.case, case_id)
        forget(self.evidence, case_id)
        forget(self.suggestions, case_id)
        forget(self.history, case_id)
        forget(self.referral, case_id)
        forget(self.decision, case_id)
        forget(self.lead_chain, case_id)
        forget(self.case_penalties, case_id)
        self._mine_cases.clear()
        self._mine_case_counts.clear()
        self.last_count = None
        self.counted_along = None

    def forget_penalty(self, penalty: PenaltyRecord) -> None:
        forget(self.penalty, penalty.id)
        forget(self.mine_penalties, penalty.mine)
        if penalty.case is not None:
            forget(self.case_penalties, penalty.case)


def _per_filter(
    loaders: dict[str, DataLoader[str, V]],
    engine: Engine,
    case_filter: CaseFilter,
    fetch: Callable[[Engine, Sequence[str], CaseFilter], Awaitable[Mapping[str, V]]],
    empty: Callable[[], V],
) -> DataLoader[str, V]:
    """The request's loader of `fetch` for `case_filter`: fields asking with the same filter
    share it, so they cost one statement together. `empty()` is a mine's value without any."""
    # a CaseFilter is a dataclass of strings, numbers and lists of them: its repr names it
    # (the same for every mine of a page, so it is worked out 50 times a page)
    key = repr(case_filter)
    loader = loaders.get(key)
    if loader is None:

        async def load(licences: list[str]) -> list[V]:
            found = await fetch(engine, licences, case_filter)
            return [found[licence] if licence in found else empty() for licence in licences]

        loader = loaders[key] = DataLoader(load_fn=load)
    return loader
