"""The green-mine list lifecycle of 二(三) and 二(四) as a state machine. Pure: no I/O, no clock.

    NOT_APPLIED ─apply─▶ APPLIED ─evaluation passed─▶ EVALUATED ─verification passed─▶ VERIFIED
    VERIFIED ─public notice─▶ PUBLIC_NOTICE ─no open objection, notice over─▶ LISTED
    LISTED ─spot check passed─▶ LISTED
    LISTED ─fixable failure (deadline ≤ rectification_max_months)─▶ UNDER_RECTIFICATION
    UNDER_RECTIFICATION ─re-check passed, completed in time─▶ LISTED
    UNDER_RECTIFICATION ─re-check failed, or completed late─▶ REMOVED
    LISTED ─unfixable failure─▶ REMOVED
    LISTED | UNDER_RECTIFICATION ─decision citing one of the 14 conditions─▶ REMOVED
    LISTED ─decision on a case: rectify (deadline ≤ rectification_max_months)─▶ UNDER_RECTIFICATION
    APPLIED | EVALUATED ─evaluation or verification failed─▶ REJECTED
    PUBLIC_NOTICE ─objection upheld─▶ REJECTED
    REJECTED | REMOVED ─apply again─▶ APPLIED

Objections during the notice are events that keep the state (an open one blocks listing).
Each transition names the clause (and, where one is seeded, the Rule) it applies, so the history
of a mine says why each step was taken. Use cases (`resolvers/listing.py`, and later decisions on
cases) call `require()` before they write, and the write repeats the check as a guard.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from resolvers.dates import add_months
from resolvers.errors import BadUserInput, Conflict


class ListStatus(StrEnum):
    NOT_APPLIED = "NOT_APPLIED"
    APPLIED = "APPLIED"
    EVALUATED = "EVALUATED"
    VERIFIED = "VERIFIED"
    PUBLIC_NOTICE = "PUBLIC_NOTICE"
    LISTED = "LISTED"
    UNDER_RECTIFICATION = "UNDER_RECTIFICATION"
    REMOVED = "REMOVED"
    REJECTED = "REJECTED"


#: On the provincial list (名录): a mine under rectification stays on it until removed.
ON_LIST: frozenset[ListStatus] = frozenset({ListStatus.LISTED, ListStatus.UNDER_RECTIFICATION})
#: Applied and on the way to the list.
IN_PIPELINE: frozenset[ListStatus] = frozenset(
    {ListStatus.APPLIED, ListStatus.EVALUATED, ListStatus.VERIFIED, ListStatus.PUBLIC_NOTICE}
)


class Action(StrEnum):
    REGISTER = "REGISTER"
    APPLY = "APPLY"
    PASS_EVALUATION = "PASS_EVALUATION"
    FAIL_EVALUATION = "FAIL_EVALUATION"
    PASS_VERIFICATION = "PASS_VERIFICATION"
    FAIL_VERIFICATION = "FAIL_VERIFICATION"
    START_NOTICE = "START_NOTICE"
    RECORD_OBJECTION = "RECORD_OBJECTION"
    DISMISS_OBJECTION = "DISMISS_OBJECTION"
    UPHOLD_OBJECTION = "UPHOLD_OBJECTION"
    LIST = "LIST"
    PASS_SPOT_CHECK = "PASS_SPOT_CHECK"
    FAIL_SPOT_CHECK_FIXABLE = "FAIL_SPOT_CHECK_FIXABLE"
    FAIL_SPOT_CHECK_UNFIXABLE = "FAIL_SPOT_CHECK_UNFIXABLE"
    PASS_RECHECK = "PASS_RECHECK"
    FAIL_RECHECK = "FAIL_RECHECK"
    RECTIFICATION_OVERDUE = "RECTIFICATION_OVERDUE"
    REMOVE_FOR_CONDITION = "REMOVE_FOR_CONDITION"
    RECTIFY_BY_DECISION = "RECTIFY_BY_DECISION"


class CheckOutcome(StrEnum):
    PASSED = "PASSED"
    FIXABLE_FAILURE = "FIXABLE_FAILURE"
    UNFIXABLE_FAILURE = "UNFIXABLE_FAILURE"


LISTING_CLAUSE = "二(三)1"
SPOT_CHECK_CLAUSE = "二(三)2"
REMOVAL_CLAUSE = "二(四)"
REMOVAL_CONDITION_COUNT = 14

RECTIFICATION_RULE = "rectification_max_months"
SPOT_CHECK_RULE = "yearly_spot_check_share"
NEW_MINE_RULE = "new_mine_verification_within"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[ListStatus]
    #: None: the event keeps the mine's status (objections, a passed spot check)
    target: ListStatus | None
    #: the GraphQL mutation that performs it
    mutation: str
    clause_ref: str
    rule_code: str | None
    description_zh: str
    description_en: str

    def target_from(self, status: ListStatus) -> ListStatus:
        return self.target if self.target is not None else status


def _t(
    action: Action,
    sources: set[ListStatus],
    target: ListStatus | None,
    mutation: str,
    clause: str,
    rule: str | None,
    zh: str,
    en: str,
) -> Transition:
    return Transition(action, frozenset(sources), target, mutation, clause, rule, zh, en)


S = ListStatus
TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        _t(
            Action.REGISTER,
            set(),
            S.NOT_APPLIED,
            "registerMine",
            "",
            None,
            "矿山登记",
            "The mine is registered",
        ),
        _t(
            Action.APPLY,
            {S.NOT_APPLIED, S.REJECTED, S.REMOVED},
            S.APPLIED,
            "applyForListing",
            LISTING_CLAUSE,
            None,
            "申请纳入绿色矿山名录",
            "The mine applies for the list",
        ),
        _t(
            Action.PASS_EVALUATION,
            {S.APPLIED},
            S.EVALUATED,
            "recordEvaluation",
            LISTING_CLAUSE,
            None,
            "通过第三方评估",
            "Passed the third-party evaluation",
        ),
        _t(
            Action.FAIL_EVALUATION,
            {S.APPLIED},
            S.REJECTED,
            "recordEvaluation",
            LISTING_CLAUSE,
            None,
            "未通过第三方评估",
            "Failed the third-party evaluation",
        ),
        _t(
            Action.PASS_VERIFICATION,
            {S.EVALUATED},
            S.VERIFIED,
            "recordVerification",
            LISTING_CLAUSE,
            None,
            "省自然资源厅会同共建部门抽查核查确认",
            "Verified by Natural Resources with the co-building departments",
        ),
        _t(
            Action.FAIL_VERIFICATION,
            {S.EVALUATED},
            S.REJECTED,
            "recordVerification",
            LISTING_CLAUSE,
            None,
            "抽查核查未通过",
            "Failed verification",
        ),
        _t(
            Action.START_NOTICE,
            {S.VERIFIED},
            S.PUBLIC_NOTICE,
            "startPublicNotice",
            LISTING_CLAUSE,
            None,
            "确认后向社会公示",
            "Public notice",
        ),
        _t(
            Action.RECORD_OBJECTION,
            {S.PUBLIC_NOTICE},
            None,
            "recordObjection",
            LISTING_CLAUSE,
            "notice_without_objection_lists",
            "公示期间收到异议",
            "An objection to the notice was received",
        ),
        _t(
            Action.DISMISS_OBJECTION,
            {S.PUBLIC_NOTICE},
            None,
            "resolveObjection",
            LISTING_CLAUSE,
            "notice_without_objection_lists",
            "异议经核实不成立",
            "The objection was looked into and dismissed",
        ),
        _t(
            Action.UPHOLD_OBJECTION,
            {S.PUBLIC_NOTICE},
            S.REJECTED,
            "resolveObjection",
            LISTING_CLAUSE,
            "notice_without_objection_lists",
            "异议成立，不予纳入名录",
            "The objection was upheld; the mine is not listed",
        ),
        _t(
            Action.LIST,
            {S.PUBLIC_NOTICE},
            S.LISTED,
            "listMine",
            LISTING_CLAUSE,
            "notice_without_objection_lists",
            "公示无异议，纳入省级绿色矿山名录",
            "No objection to the notice: put on the provincial list",
        ),
        _t(
            Action.PASS_SPOT_CHECK,
            {S.LISTED},
            None,
            "recordSpotCheckResult",
            SPOT_CHECK_CLAUSE,
            SPOT_CHECK_RULE,
            "随机抽查符合绿色矿山建设标准",
            "Spot check passed",
        ),
        _t(
            Action.FAIL_SPOT_CHECK_FIXABLE,
            {S.LISTED},
            S.UNDER_RECTIFICATION,
            "recordSpotCheckResult",
            SPOT_CHECK_CLAUSE,
            RECTIFICATION_RULE,
            "不符合标准但能够限期整改，明确整改期限及措施要求",
            "Failed, fixable: a rectification period and measures are set",
        ),
        _t(
            Action.FAIL_SPOT_CHECK_UNFIXABLE,
            {S.LISTED},
            S.REMOVED,
            "recordSpotCheckResult",
            SPOT_CHECK_CLAUSE,
            None,
            "不符合标准且不能限期整改，移出名录",
            "Failed and cannot be fixed: removed from the list",
        ),
        _t(
            Action.PASS_RECHECK,
            {S.UNDER_RECTIFICATION},
            S.LISTED,
            "recordRecheck",
            SPOT_CHECK_CLAUSE,
            "recheck_keeps_listing",
            "期满完成整改经复核满足标准，保留名录",
            "Rectified in time and passed the re-check: stays on the list",
        ),
        _t(
            Action.FAIL_RECHECK,
            {S.UNDER_RECTIFICATION},
            S.REMOVED,
            "recordRecheck",
            SPOT_CHECK_CLAUSE,
            "overdue_or_failed_rectification_removes",
            "整改不满足绿色矿山建设标准，移出名录",
            "Failed the re-check: removed from the list",
        ),
        _t(
            Action.RECTIFICATION_OVERDUE,
            {S.UNDER_RECTIFICATION},
            S.REMOVED,
            "recordRecheck",
            SPOT_CHECK_CLAUSE,
            "overdue_or_failed_rectification_removes",
            "经复核超期未完成整改，移出名录",
            "Rectification not completed by its deadline: removed from the list",
        ),
        _t(
            Action.REMOVE_FOR_CONDITION,
            {S.LISTED, S.UNDER_RECTIFICATION},
            S.REMOVED,
            "removeMine",
            REMOVAL_CLAUSE,
            None,
            "存在移出情形，移出绿色矿山名录",
            "A removal condition is met: removed from the list",
        ),
        _t(
            Action.RECTIFY_BY_DECISION,
            {S.LISTED},
            S.UNDER_RECTIFICATION,
            "decideCase",
            REMOVAL_CLAUSE,
            RECTIFICATION_RULE,
            "根据反馈情况及联席会议意见，责令限期整改",
            "Decided on a case, with the joint meeting's opinion: rectify by a deadline",
        ),
    )
}


def transition(action: Action) -> Transition:
    return TRANSITIONS[action]


def allowed_from(status: ListStatus) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources]


def next_states(status: ListStatus) -> list[ListStatus]:
    """The states a mine in `status` can reach in one step, in lifecycle order."""
    reachable = {t.target_from(status) for t in allowed_from(status)}
    return [s for s in ListStatus if s in reachable]


def require(status: ListStatus, action: Action, *, licence_number: str) -> Transition:
    """The transition, if `action` is allowed from `status`; otherwise a CONFLICT naming both."""
    chosen = TRANSITIONS[action]
    if status in chosen.sources:
        return chosen
    allowed = next_states(status)
    routes = ", ".join(
        f"{t.target_from(status).value} ({t.mutation})" for t in allowed_from(status)
    )
    needs = " or ".join(s.value for s in ListStatus if s in chosen.sources)
    raise Conflict(
        f"mine {licence_number} is {status.value}; {chosen.mutation} ({action.value}) needs it "
        f"{needs}. From {status.value} it can go to: {routes or 'nothing (final state)'}",
        field="input.licenceNumber",
        current=status.value,
        allowed=[s.value for s in allowed],
    )


def removal_clause(condition: int) -> str:
    return f"{REMOVAL_CLAUSE}{condition}"


def check_condition_number(condition: int, *, field: str) -> None:
    if not 1 <= condition <= REMOVAL_CONDITION_COUNT:
        raise BadUserInput(
            f"{field} must be one of the {REMOVAL_CONDITION_COUNT} removal conditions of 二(四) "
            f"(1 to {REMOVAL_CONDITION_COUNT}), not {condition}",
            field=field,
        )


def spot_check_action(outcome: CheckOutcome) -> Action:
    return {
        CheckOutcome.PASSED: Action.PASS_SPOT_CHECK,
        CheckOutcome.FIXABLE_FAILURE: Action.FAIL_SPOT_CHECK_FIXABLE,
        CheckOutcome.UNFIXABLE_FAILURE: Action.FAIL_SPOT_CHECK_UNFIXABLE,
    }[outcome]


def recheck_action(passed: bool, completed_on: dt.date | None, deadline: dt.date) -> Action:
    """二(三)2: kept only when the rectification was completed by its deadline and passes;
    a late completion is 超期未完成整改 even if the re-check finds it fixed."""
    if not passed:
        return Action.FAIL_RECHECK
    if completed_on is None or completed_on > deadline:
        return Action.RECTIFICATION_OVERDUE
    return Action.PASS_RECHECK


def latest_deadline(found_on: dt.date, max_months: int) -> dt.date:
    return add_months(found_on, max_months)


def check_rectification_deadline(
    found_on: dt.date, deadline: dt.date, max_months: int, *, field: str, found_field: str
) -> None:
    """A rectification deadline comes after the finding and at most `max_months` after it."""
    if deadline <= found_on:
        raise BadUserInput(
            f"{field} ({deadline.isoformat()}) must be after {found_field} "
            f"({found_on.isoformat()})",
            field=field,
        )
    latest = latest_deadline(found_on, max_months)
    if deadline > latest:
        raise BadUserInput(
            f"{field} ({deadline.isoformat()}) is more than {max_months} months after "
            f"{found_field} ({found_on.isoformat()}); the latest allowed is {latest.isoformat()} "
            f"(rule {RECTIFICATION_RULE}, clause {SPOT_CHECK_CLAUSE}: 整改期限原则上不超过"
            f"{max_months}个月)",
            field=field,
        )
