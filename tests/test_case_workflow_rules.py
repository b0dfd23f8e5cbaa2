"""A case's workflow without a database: the states and steps, the conflicts that name them,
the clause every step cites, and the mutation behind each step."""

from __future__ import annotations

import pytest

from resolvers import case_workflow, lifecycle
from resolvers.case_access import MUTATION_ACCESS
from resolvers.case_workflow import CaseAction, CaseState
from resolvers.errors import Conflict
from resolvers.lifecycle import Action, ListStatus


def test_a_case_runs_open_referred_decided_closed() -> None:
    state = CaseState.OPEN
    seen = []
    for action in (CaseAction.REFER, CaseAction.DECIDE, CaseAction.CLOSE):
        state = case_workflow.require(state, action, case_id="c").target_from(state)
        seen.append(state)
    assert seen == [CaseState.REFERRED, CaseState.DECIDED, CaseState.CLOSED]


def test_a_refused_step_names_the_current_state_and_the_reachable_ones() -> None:
    with pytest.raises(Conflict) as raised:
        case_workflow.require(CaseState.OPEN, CaseAction.DECIDE, case_id="c1")
    error = raised.value
    assert error.current == "OPEN"
    assert error.allowed == ("OPEN", "REFERRED", "WITHDRAWN")
    assert (
        "decideCase needs it REFERRED" in error.message and "referCase (REFERRED)" in error.message
    )


def test_withdrawn_is_final_and_closed_only_keeps_its_lead_and_penalties() -> None:
    assert case_workflow.allowed_from(CaseState.WITHDRAWN) == []
    assert {s.action for s in case_workflow.allowed_from(CaseState.CLOSED)} == {
        CaseAction.TRANSFER_LEAD,
        CaseAction.RECORD_PENALTY,
    }
    assert case_workflow.next_states(CaseState.CLOSED) == [CaseState.CLOSED]


def test_every_step_is_a_mutation_with_an_access_rule_and_cites_clause_二四() -> None:
    for step in case_workflow.STEPS.values():
        assert step.mutation in MUTATION_ACCESS, step.action
        assert step.clause_ref == "二(四)"


def test_a_decision_to_rectify_is_a_lifecycle_step_from_listed_only() -> None:
    rectify = lifecycle.transition(Action.RECTIFY_BY_DECISION)
    assert rectify.sources == {ListStatus.LISTED}
    assert rectify.target is ListStatus.UNDER_RECTIFICATION
    assert rectify.rule_code == "rectification_max_months" and rectify.mutation == "decideCase"
    with pytest.raises(Conflict):
        lifecycle.require(
            ListStatus.UNDER_RECTIFICATION, Action.RECTIFY_BY_DECISION, licence_number="X"
        )
