"""The list lifecycle's rules, without a database: the state machine, the rectification deadline,
the re-check outcome, month arithmetic, the spot-check sample and paging cursors."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from resolvers import lifecycle, pagination, sampling
from resolvers.dates import add_months
from resolvers.errors import BadUserInput, Conflict
from resolvers.lifecycle import Action, CheckOutcome, ListStatus
from resolvers.pagination import Cursor, decode_cursor, encode_cursor, page_request

D = dt.date


def test_the_listing_path_runs_applied_evaluated_verified_notice_listed() -> None:
    status = ListStatus.NOT_APPLIED
    path = [Action.APPLY, Action.PASS_EVALUATION, Action.PASS_VERIFICATION,
            Action.START_NOTICE, Action.LIST]  # fmt: skip
    seen = []
    for action in path:
        status = lifecycle.require(status, action, licence_number="X").target_from(status)
        seen.append(status)
    assert seen == [ListStatus.APPLIED, ListStatus.EVALUATED, ListStatus.VERIFIED,
                    ListStatus.PUBLIC_NOTICE, ListStatus.LISTED]  # fmt: skip


def test_an_invalid_transition_names_the_current_state_and_the_allowed_ones() -> None:
    with pytest.raises(Conflict) as raised:
        lifecycle.require(ListStatus.APPLIED, Action.LIST, licence_number="C1")
    error = raised.value
    assert error.current == "APPLIED"
    assert error.allowed == ("EVALUATED", "REJECTED")
    assert "APPLIED" in error.message and "listMine" in error.message
    assert "EVALUATED (recordEvaluation)" in error.message


def test_a_removed_mine_can_only_apply_again() -> None:
    assert lifecycle.next_states(ListStatus.REMOVED) == [ListStatus.APPLIED]
    with pytest.raises(Conflict):
        lifecycle.require(ListStatus.REMOVED, Action.PASS_RECHECK, licence_number="X")


def test_every_step_but_registration_cites_a_clause_of_the_document() -> None:
    for transition in lifecycle.TRANSITIONS.values():
        if transition.action is Action.REGISTER:
            continue
        assert transition.clause_ref.startswith(("二(三)", "二(四)")), transition.action


def test_spot_check_outcomes_map_to_keep_rectify_and_remove() -> None:
    targets = {
        outcome: lifecycle.transition(lifecycle.spot_check_action(outcome)).target_from(
            ListStatus.LISTED
        )
        for outcome in CheckOutcome
    }
    assert targets == {
        CheckOutcome.PASSED: ListStatus.LISTED,
        CheckOutcome.FIXABLE_FAILURE: ListStatus.UNDER_RECTIFICATION,
        CheckOutcome.UNFIXABLE_FAILURE: ListStatus.REMOVED,
    }


def test_a_recheck_keeps_the_listing_only_if_rectified_by_the_deadline() -> None:
    deadline = D(2026, 6, 30)
    assert lifecycle.recheck_action(True, D(2026, 6, 30), deadline) is Action.PASS_RECHECK
    assert lifecycle.recheck_action(True, D(2026, 7, 1), deadline) is Action.RECTIFICATION_OVERDUE
    assert lifecycle.recheck_action(True, None, deadline) is Action.RECTIFICATION_OVERDUE
    assert lifecycle.recheck_action(False, D(2026, 6, 1), deadline) is Action.FAIL_RECHECK


def test_a_deadline_six_months_after_the_finding_is_allowed_and_a_day_more_is_not() -> None:
    found = D(2026, 3, 15)
    lifecycle.check_rectification_deadline(found, D(2026, 9, 15), 6, field="f", found_field="g")
    with pytest.raises(BadUserInput) as raised:
        lifecycle.check_rectification_deadline(
            found, D(2026, 9, 16), 6, field="input.rectificationDeadline", found_field="g"
        )
    assert raised.value.field == "input.rectificationDeadline"
    assert "2026-09-15" in raised.value.message and "二(三)2" in raised.value.message


def test_a_deadline_on_or_before_the_finding_is_refused() -> None:
    with pytest.raises(BadUserInput):
        lifecycle.check_rectification_deadline(D(2026, 3, 15), D(2026, 3, 15), 6,
                                               field="f", found_field="g")  # fmt: skip


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2026, 1, 15), 12, D(2027, 1, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 11, 25), -12, D(2025, 11, 25)),
    ],
)
def test_months_are_added_calendar_wise(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def test_removal_conditions_are_one_to_fourteen() -> None:
    lifecycle.check_condition_number(14, field="input.conditionNumber")
    for bad in (0, 15):
        with pytest.raises(BadUserInput):
            lifecycle.check_condition_number(bad, field="input.conditionNumber")
    assert lifecycle.removal_clause(5) == "二(四)5"


# -- the spot-check sample ----------------------------------------------------------------


def test_the_sample_is_ten_percent_rounded_up_exactly() -> None:
    assert sampling.sample_size(0.1, 30) == 3
    assert sampling.sample_size(0.1, 31) == 4
    assert sampling.sample_size(0.1, 1) == 1
    assert sampling.sample_size(0.1, 0) == 0


def test_the_same_seed_draws_the_same_sample_and_another_seed_another() -> None:
    population = [f"C{n:05d}" for n in range(200)]
    first = sampling.draw(population, seed="2026-甘肃", share=0.1)
    again = sampling.draw(list(reversed(population)), seed="2026-甘肃", share=0.1)
    other = sampling.draw(population, seed="2026-other", share=0.1)
    assert first.sample == again.sample and len(first.sample) == 20
    assert set(first.sample) <= set(population)
    assert other.sample != first.sample
    assert sampling.verify(first)


def test_the_sample_can_be_redrawn_by_hand_from_the_documented_algorithm() -> None:
    population = ["C3", "C1", "C2", "C5", "C4"]
    drawn = sampling.draw(population, seed="s", share=0.5)
    by_hand = sorted(population, key=lambda n: hashlib.sha256(f"s|{n}".encode()).hexdigest())
    assert list(drawn.sample) == by_hand[:3]


def test_a_tampered_sample_does_not_verify() -> None:
    drawn = sampling.draw([f"C{n}" for n in range(50)], seed="x", share=0.1)
    forged = sampling.Sample(drawn.algorithm, drawn.seed, drawn.share, drawn.population,
                             ("C0", *drawn.sample[1:]))  # fmt: skip
    assert drawn.sample[0] != "C0" and not sampling.verify(forged)


# -- paging --------------------------------------------------------------------------------


def test_a_cursor_round_trips_and_is_bound_to_its_list_and_sort() -> None:
    cursor = Cursor("mines", "NAME_ASC", "金川镍矿", "C1")
    text = encode_cursor(cursor)
    assert decode_cursor(text, list_name="mines", sort="NAME_ASC") == cursor
    with pytest.raises(BadUserInput, match="sort"):
        decode_cursor(text, list_name="mines", sort="LICENCE_NUMBER_ASC")
    with pytest.raises(BadUserInput):
        decode_cursor(text, list_name="cases", sort="NAME_ASC")


def test_a_pages_cursors_are_made_and_encoded_when_asked_for_and_read_as_a_lists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = [Cursor("mines", "NAME_ASC", f"矿{n}", f"C{n}") for n in range(4)]
    encoded: list[Cursor] = []

    def counting(cursor: Cursor) -> str:
        encoded.append(cursor)
        return encode_cursor(cursor)

    monkeypatch.setattr(pagination, "encode_cursor", counting)
    made: list[int] = []

    def cursor_of(row: Cursor) -> Cursor:
        made.append(rows.index(row))
        return row

    cursors = pagination.Cursors(rows, cursor_of)
    assert encoded == [] and made == []
    assert cursors[-1] == encode_cursor(rows[3]) and cursors[3] == cursors[-1]
    assert encoded == [rows[3]] and made == [3]  # once, however often it is read
    assert list(cursors) == [encode_cursor(r) for r in rows]
    assert cursors[1:3] == [encode_cursor(r) for r in rows[1:3]]
    assert len(cursors) == 4 and len(encoded) == 4
    with pytest.raises(IndexError):
        cursors[4]


@pytest.mark.parametrize("garbage", ["", "!!!", "e30", "WyJtaW5lcyJd", "a" * 2000])
def test_a_forged_cursor_is_bad_input_naming_after(garbage: str) -> None:
    with pytest.raises(BadUserInput) as raised:
        decode_cursor(garbage, list_name="mines", sort="NAME_ASC")
    assert raised.value.field == "after"


def test_the_page_size_is_capped() -> None:
    assert page_request(None, None, list_name="mines", sort="S").first == 20
    assert page_request(100, None, list_name="mines", sort="S").limit == 101
    for bad in (101, -1):
        with pytest.raises(BadUserInput) as raised:
            page_request(bad, None, list_name="mines", sort="S")
        assert raised.value.field == "first" and "100" in raised.value.message
