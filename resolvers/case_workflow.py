"""The life of a case (二(四)) as a state machine. Pure: no I/O, no clock.

    fileCase ─▶ OPEN ─referCase─▶ REFERRED ─decideCase─▶ DECIDED ─closeCase─▶ CLOSED
    OPEN | REFERRED ─withdrawCase─▶ WITHDRAWN

A co-building department files a case (OPEN) and refers it to Natural Resources with its handling
recommendation (REFERRED: 反馈省自然资源厅，并提出处理意见建议); Natural Resources decides on the
feedback and the joint meeting's opinion (DECIDED: remove, keep or rectify); once the decision is
carried out it closes the case (CLOSED). The reporting department may withdraw a case that has not
been decided. Some steps keep the state: classifying a case (OPEN), adding evidence (OPEN,
REFERRED), transferring a lead on illegal acts to the competent department and recording an
administrative penalty (any state but WITHDRAWN: a lead keeps its course after the list decision).

Use cases call `require()` before they write; the write repeats the check as a guard.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from resolvers.errors import Conflict

CASE_CLAUSE = "二(四)"


class CaseState(StrEnum):
    OPEN = "OPEN"
    REFERRED = "REFERRED"
    DECIDED = "DECIDED"
    CLOSED = "CLOSED"
    WITHDRAWN = "WITHDRAWN"


class CaseAction(StrEnum):
    FILE = "FILE"
    CLASSIFY = "CLASSIFY"
    ADD_EVIDENCE = "ADD_EVIDENCE"
    REFER = "REFER"
    WITHDRAW = "WITHDRAW"
    DECIDE = "DECIDE"
    CLOSE = "CLOSE"
    TRANSFER_LEAD = "TRANSFER_LEAD"
    RECORD_PENALTY = "RECORD_PENALTY"


class DecisionOutcome(StrEnum):
    """What Natural Resources decides on a referred case (确定是否将涉及的绿色矿山移出名录)."""

    REMOVE = "REMOVE"
    KEEP = "KEEP"
    RECTIFY = "RECTIFY"


class Classification(StrEnum):
    """Where a case's removal condition and competent departments come from."""

    #: the reporting department cited one of the 14 conditions when it filed
    CITED = "CITED"
    #: filed as free text; the case took routing's best suggestion
    ROUTING = "ROUTING"
    #: filed as free text; the officer chose (at filing or later) after seeing the suggestions
    OFFICER = "OFFICER"


@dataclass(frozen=True)
class CaseStep:
    action: CaseAction
    sources: frozenset[CaseState]
    #: None: the step keeps the case's state
    target: CaseState | None
    mutation: str
    clause_ref: str
    description_zh: str
    description_en: str

    def target_from(self, state: CaseState) -> CaseState:
        return self.target if self.target is not None else state


def _s(
    action: CaseAction,
    sources: set[CaseState],
    target: CaseState | None,
    mutation: str,
    zh: str,
    en: str,
) -> CaseStep:
    return CaseStep(action, frozenset(sources), target, mutation, CASE_CLAUSE, zh, en)


C = CaseState
ACTIVE: frozenset[CaseState] = frozenset({C.OPEN, C.REFERRED, C.DECIDED, C.CLOSED})
STEPS: dict[CaseAction, CaseStep] = {
    s.action: s
    for s in (
        _s(
            CaseAction.FILE,
            set(),
            C.OPEN,
            "fileCase",
            "共建部门发现绿色矿山建设问题并立案",
            "A co-building department files a problem it found",
        ),
        _s(
            CaseAction.CLASSIFY,
            {C.OPEN},
            None,
            "classifyCase",
            "确定涉及的移出情形和职能部门",
            "The removal condition and the competent departments are chosen",
        ),
        _s(
            CaseAction.ADD_EVIDENCE,
            {C.OPEN, C.REFERRED},
            None,
            "addCaseEvidence",
            "补充证据材料",
            "Evidence is added",
        ),
        _s(
            CaseAction.REFER,
            {C.OPEN},
            C.REFERRED,
            "referCase",
            "及时反馈省自然资源厅，并提出处理意见建议",
            "Reported to Natural Resources with a handling recommendation",
        ),
        _s(
            CaseAction.WITHDRAW,
            {C.OPEN, C.REFERRED},
            C.WITHDRAWN,
            "withdrawCase",
            "报送部门撤回",
            "Withdrawn by the reporting department",
        ),
        _s(
            CaseAction.DECIDE,
            {C.REFERRED},
            C.DECIDED,
            "decideCase",
            "省自然资源厅根据反馈情况及联席会议意见作出决定",
            "Natural Resources decides on the feedback and the joint meeting's opinion",
        ),
        _s(
            CaseAction.CLOSE,
            {C.DECIDED},
            C.CLOSED,
            "closeCase",
            "决定执行完毕，结案",
            "The decision has been carried out; the case is closed",
        ),
        _s(
            CaseAction.TRANSFER_LEAD,
            set(ACTIVE),
            None,
            "transferLead",
            "发现违法违规线索的，及时移交职能部门依法处理",
            "A lead on illegal acts is handed to the competent department",
        ),
        _s(
            CaseAction.RECORD_PENALTY,
            set(ACTIVE),
            None,
            "recordPenalty",
            "涉企行政处罚信息归集至国家企业信用信息公示系统",
            "An administrative penalty, to be published in the national credit system",
        ),
    )
}


def step(action: CaseAction) -> CaseStep:
    return STEPS[action]


def allowed_from(state: CaseState) -> list[CaseStep]:
    return [s for s in STEPS.values() if state in s.sources]


def next_states(state: CaseState) -> list[CaseState]:
    """The states a case in `state` can reach in one step, in workflow order."""
    reachable = {s.target_from(state) for s in allowed_from(state)}
    return [s for s in CaseState if s in reachable]


def require(state: CaseState, action: CaseAction, *, case_id: str) -> CaseStep:
    """The step, if `action` is allowed from `state`; otherwise a CONFLICT naming both."""
    chosen = STEPS[action]
    if state in chosen.sources:
        return chosen
    routes = ", ".join(f"{s.mutation} ({s.target_from(state).value})" for s in allowed_from(state))
    needs = " or ".join(s.value for s in CaseState if s in chosen.sources)
    raise Conflict(
        f"case {case_id} is {state.value}; {chosen.mutation} needs it {needs}. "
        f"From {state.value} it allows: {routes or 'nothing (final state)'}",
        field="input.caseId",
        current=state.value,
        allowed=[s.value for s in next_states(state)],
    )
