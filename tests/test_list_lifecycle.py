"""The list lifecycle through GraphQL: each step enforced, invalid steps refused naming the state,
dates checked, objections blocking listing, re-checks, removals, the history and the audit,
and the guard that keeps two concurrent requests from both applying."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest

from graph import audit, lifecycle
from graph.engine import Engine
from greenmine.config import Settings
from resolvers.auth import SYSTEM, Role, audit_entry
from resolvers.events import lifecycle_event
from resolvers.lifecycle import Action, ListStatus, transition
from tests.conftest import TokenFactory
from tests.factories import (
    EVALUATE,
    LIST,
    NOTICE,
    VERIFY,
    Clock,
    ClockedClient,
    MineFactory,
    data,
)

HISTORY = """
query($l: String!) {
  mine(licenceNumber: $l) {
    status statusSince listedOn
    listing { appliedOn evaluator evaluatedOn verifiedOn noticeStart noticeEnd removedOn
              rectificationDeadline openObjections }
    history { seq action fromStatus toStatus occurredOn actor role departmentCode details
              clauseRef ruleCode conditionNumber departmentCodes
              clause { ref } rule { code value } removalCondition { number } }
    objections { id open upheld resolution }
    rectifications { deadline closedOn outcome overdue }
    allowedTransitions { action toStatus mutation }
  }
}
"""
OBJECT = """
mutation($input: RecordObjectionInput!) { recordObjection(input: $input) { status listing { openObjections } objections { id open } } }
"""
RESOLVE = """
mutation($input: ResolveObjectionInput!) { resolveObjection(input: $input) { status listing { openObjections } } }
"""
APPLY = """
mutation($input: ApplyForListingInput!) { applyForListing(input: $input) { status listing { appliedOn evaluator } } }
"""
RECHECK = """
mutation($input: RecordRecheckInput!) { recordRecheck(input: $input) { status listing { removedOn rectificationDeadline } } }
"""
REMOVE = """
mutation($input: RemoveMineInput!) { removeMine(input: $input) { status statusSince listing { removedOn } } }
"""


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(seeded_graph: Engine, settings: Settings, clock: Clock) -> ClockedClient:
    return ClockedClient(seeded_graph, settings, clock)


@pytest.fixture
async def admin(tokens: TokenFactory) -> str:
    return await tokens(Role.ADMIN, "natural_resources")


@pytest.fixture
def mines(client: ClockedClient, admin: str) -> MineFactory:
    return MineFactory(client, admin)


async def history(client: ClockedClient, token: str, licence: str) -> dict[str, Any]:
    return data(await client(HISTORY, {"l": licence}, token=token), "mine")


async def test_the_history_records_every_step_in_order_with_who_and_why(
    client: ClockedClient, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    mine = await history(client, admin, licence)
    steps = [(e["seq"], e["action"], e["fromStatus"], e["toStatus"]) for e in mine["history"]]
    assert steps == [
        (1, "APPLY", None, "APPLIED"),
        (2, "PASS_EVALUATION", "APPLIED", "EVALUATED"),
        (3, "PASS_VERIFICATION", "EVALUATED", "VERIFIED"),
        (4, "START_NOTICE", "VERIFIED", "PUBLIC_NOTICE"),
        (5, "LIST", "PUBLIC_NOTICE", "LISTED"),
    ]
    verify, listed = mine["history"][2], mine["history"][4]
    assert verify["departmentCodes"] == [
        "natural_resources",
        "ecology_environment",
        "water_resources",
    ]
    assert (
        verify["actor"] == "admin@natural_resources"
        and verify["departmentCode"] == "natural_resources"
    )
    assert listed["clause"] == {"ref": "二(三)1"}
    assert listed["rule"]["code"] == "notice_without_objection_lists"
    assert mine["listing"]["evaluator"] == "甘肃某绿色矿山评估中心"
    assert mine["listing"]["verifiedOn"] == "2026-03-15" and mine["listedOn"] == "2026-04-15"
    assert mine["statusSince"] == "2026-04-15"


async def test_an_invalid_transition_is_a_conflict_naming_states_and_writes_nothing(
    client: ClockedClient, mines: MineFactory, admin: str
) -> None:
    licence = await mines.register(appliedOn="2026-05-01")
    refused = await client(LIST, {"input": {"licenceNumber": licence, "listedOn": "2026-06-01"}},
                           token=admin)  # fmt: skip
    assert refused.codes == ["CONFLICT"]
    extensions = refused.errors[0]["extensions"]
    assert extensions["current"] == "APPLIED"
    assert extensions["allowed"] == ["EVALUATED", "REJECTED"]
    assert "APPLIED" in refused.errors[0]["message"]
    mine = await history(client, admin, licence)
    assert mine["status"] == "APPLIED" and len(mine["history"]) == 1


@pytest.mark.parametrize(
    ("step", "body", "field"),
    [
        (EVALUATE, {"evaluator": "某中心", "reportDate": "2026-04-30"}, "input.reportDate"),
        (EVALUATE, {"evaluator": "某中心", "reportDate": "2026-12-30"}, "input.reportDate"),
        (EVALUATE, {"evaluator": " ", "reportDate": "2026-05-30"}, "input.evaluator"),
    ],
)
async def test_dates_before_the_last_step_or_in_the_future_are_bad_input(
    client: ClockedClient, mines: MineFactory, admin: str, step: str, body: dict[str, Any],
    field: str,
) -> None:  # fmt: skip
    licence = await mines.register(appliedOn="2026-05-01")
    result = await client(step, {"input": {"licenceNumber": licence, **body}}, token=admin)
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["field"] == field


async def test_a_notice_ending_before_it_starts_is_bad_input(
    client: ClockedClient, mines: MineFactory, admin: str
) -> None:
    licence = await mines.register(appliedOn="2026-01-10")
    await mines.call(EVALUATE, "recordEvaluation", licenceNumber=licence, evaluator="某中心",
                     reportDate="2026-02-01")  # fmt: skip
    await mines.call(VERIFY, "recordVerification", licenceNumber=licence,
                     verifiedOn="2026-03-01", departmentCodes=["audit"])  # fmt: skip
    result = await client(NOTICE, {"input": {"licenceNumber": licence, "startsOn": "2026-04-10",
                                             "endsOn": "2026-04-01"}}, token=admin)  # fmt: skip
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "input.endsOn"


async def test_verification_names_its_departments_and_unknown_ones_are_not_found(
    client: ClockedClient, mines: MineFactory, admin: str
) -> None:
    licence = await mines.register(appliedOn="2026-01-10")
    await mines.call(EVALUATE, "recordEvaluation", licenceNumber=licence, evaluator="某中心",
                     reportDate="2026-02-01")  # fmt: skip
    body = {"licenceNumber": licence, "verifiedOn": "2026-03-01"}
    unknown = await client(VERIFY, {"input": {**body, "departmentCodes": ["audit", "mining_bureau"]}},
                           token=admin)  # fmt: skip
    assert unknown.codes == ["NOT_FOUND"]
    assert unknown.errors[0]["extensions"]["field"] == "input.departmentCodes[1]"
    alone = await client(VERIFY, {"input": {**body, "departmentCodes": ["natural_resources"]}},
                         token=admin)  # fmt: skip
    assert alone.codes == ["BAD_USER_INPUT"]


async def test_an_open_objection_blocks_listing_until_dismissed(
    client: ClockedClient, mines: MineFactory, admin: str
) -> None:
    licence = await _on_notice(mines)
    objected = data(await client(OBJECT, {"input": {
        "licenceNumber": licence, "receivedOn": "2026-04-03", "objector": "周边村民",
        "summary": "扬尘影响农田"}}, token=admin), "recordObjection")  # fmt: skip
    assert objected["status"] == "PUBLIC_NOTICE" and objected["listing"]["openObjections"] == 1
    refused = await client(LIST, {"input": {"licenceNumber": licence, "listedOn": "2026-04-15"}},
                           token=admin)  # fmt: skip
    assert refused.codes == ["CONFLICT"]
    assert refused.errors[0]["extensions"]["current"] == "PUBLIC_NOTICE"
    objection = objected["objections"][0]["id"]
    dismissed = data(await client(RESOLVE, {"input": {
        "licenceNumber": licence, "objectionId": objection, "resolvedOn": "2026-04-12",
        "upheld": False, "resolution": "经核实已整改"}}, token=admin), "resolveObjection")  # fmt: skip
    assert dismissed == {"status": "PUBLIC_NOTICE", "listing": {"openObjections": 0}}
    listed = data(await client(LIST, {"input": {"licenceNumber": licence, "listedOn": "2026-04-15"}},
                               token=admin), "listMine")  # fmt: skip
    assert listed["status"] == "LISTED"


async def test_an_upheld_objection_rejects_and_the_mine_may_apply_again(
    client: ClockedClient, mines: MineFactory, admin: str
) -> None:
    licence = await _on_notice(mines)
    objected = data(await client(OBJECT, {"input": {
        "licenceNumber": licence, "receivedOn": "2026-04-03", "objector": "村委会",
        "summary": "复垦承诺未兑现"}}, token=admin), "recordObjection")  # fmt: skip
    upheld = data(await client(RESOLVE, {"input": {
        "licenceNumber": licence, "objectionId": objected["objections"][0]["id"],
        "resolvedOn": "2026-04-20", "upheld": True, "resolution": "情况属实"}}, token=admin),
        "resolveObjection")  # fmt: skip
    assert upheld["status"] == "REJECTED"
    again = data(await client(APPLY, {"input": {"licenceNumber": licence, "appliedOn": "2026-06-01"}},
                              token=admin), "applyForListing")  # fmt: skip
    assert again == {"status": "APPLIED", "listing": {"appliedOn": "2026-06-01", "evaluator": None}}


async def test_an_objection_after_the_notice_ended_is_bad_input(
    client: ClockedClient, mines: MineFactory, admin: str
) -> None:
    licence = await _on_notice(mines)
    late = await client(OBJECT, {"input": {"licenceNumber": licence, "receivedOn": "2026-04-11",
                                           "objector": "x", "summary": "y"}}, token=admin)  # fmt: skip
    assert late.codes == ["BAD_USER_INPUT"]
    assert late.errors[0]["extensions"]["field"] == "input.receivedOn"


async def _on_notice(mines: MineFactory) -> str:
    licence = await mines.register(appliedOn="2026-01-10")
    await mines.call(EVALUATE, "recordEvaluation", licenceNumber=licence, evaluator="某中心",
                     reportDate="2026-02-01")  # fmt: skip
    await mines.call(VERIFY, "recordVerification", licenceNumber=licence,
                     verifiedOn="2026-03-01", departmentCodes=["audit"])  # fmt: skip
    await mines.call(NOTICE, "startPublicNotice", licenceNumber=licence,
                     startsOn="2026-04-01", endsOn="2026-04-10")  # fmt: skip
    return licence


async def _under_rectification(mines: MineFactory, clock: Clock, deadline: str) -> str:
    """A mine listed in April, sampled alone in a fresh year's draw, failed fixably in June."""
    licence = await mines.listed()
    clock.on("2026-05-01")
    draw = await mines.draw(2026, seed=licence)
    assert draw["sample"] == [licence]  # the only listed mine of a fresh graph
    clock.on("2026-06-01")
    result = await mines.check(2026, licence, "FIXABLE_FAILURE", checkedOn="2026-06-01",
                               findings="复垦滞后", rectificationDeadline=deadline)  # fmt: skip
    assert result["mine"]["status"] == "UNDER_RECTIFICATION"
    return licence


async def test_a_passed_recheck_in_time_keeps_the_listing(
    fresh_graph: Engine, settings: Settings, tokens_fresh: TokenFactory
) -> None:
    clock = Clock()
    client = ClockedClient(fresh_graph, settings, clock)
    admin = await tokens_fresh(Role.ADMIN, "natural_resources")
    mines = MineFactory(client, admin)
    licence = await _under_rectification(mines, clock, "2026-11-30")
    clock.on("2026-12-02")
    kept = data(await client(RECHECK, {"input": {
        "licenceNumber": licence, "recheckedOn": "2026-12-01", "passed": True,
        "rectificationCompletedOn": "2026-11-20"}}, token=admin), "recordRecheck")  # fmt: skip
    assert kept == {
        "status": "LISTED",
        "listing": {"removedOn": None, "rectificationDeadline": None},
    }
    mine = await history(client, admin, licence)
    assert [e["action"] for e in mine["history"]][-2:] == [
        "FAIL_SPOT_CHECK_FIXABLE",
        "PASS_RECHECK",
    ]
    assert mine["history"][-1]["rule"]["code"] == "recheck_keeps_listing"
    assert mine["rectifications"] == [
        {"deadline": "2026-11-30", "closedOn": "2026-12-01", "outcome": "PASSED", "overdue": False}
    ]


async def test_rectification_completed_after_the_deadline_removes_the_mine(
    fresh_graph: Engine, settings: Settings, tokens_fresh: TokenFactory
) -> None:
    clock = Clock()
    client = ClockedClient(fresh_graph, settings, clock)
    admin = await tokens_fresh(Role.ADMIN, "natural_resources")
    mines = MineFactory(client, admin)
    licence = await _under_rectification(mines, clock, "2026-09-30")
    clock.on("2026-11-01")
    mine = await history(client, admin, licence)
    assert mine["rectifications"][0]["overdue"] is True
    removed = data(await client(RECHECK, {"input": {
        "licenceNumber": licence, "recheckedOn": "2026-10-20", "passed": True,
        "rectificationCompletedOn": "2026-10-15"}}, token=admin), "recordRecheck")  # fmt: skip
    assert removed["status"] == "REMOVED" and removed["listing"]["removedOn"] == "2026-10-20"
    mine = await history(client, admin, licence)
    assert mine["history"][-1]["action"] == "RECTIFICATION_OVERDUE"
    assert mine["history"][-1]["rule"]["code"] == "overdue_or_failed_rectification_removes"
    assert mine["rectifications"][0]["outcome"] == "OVERDUE"


async def test_a_removal_decision_cites_one_of_the_fourteen_conditions(
    client: ClockedClient, mines: MineFactory, admin: str
) -> None:
    licence = await mines.listed()
    body = {"licenceNumber": licence, "decidedOn": "2026-10-01", "reason": "越界开采",
            "departmentCodes": ["natural_resources"]}  # fmt: skip
    bad = await client(REMOVE, {"input": {**body, "conditionNumber": 15}}, token=admin)
    assert bad.codes == ["BAD_USER_INPUT"]
    assert bad.errors[0]["extensions"]["field"] == "input.conditionNumber"
    removed = data(await client(REMOVE, {"input": {**body, "conditionNumber": 4}}, token=admin),
                   "removeMine")  # fmt: skip
    assert removed == {"status": "REMOVED", "statusSince": "2026-10-01",
                       "listing": {"removedOn": "2026-10-01"}}  # fmt: skip
    last = (await history(client, admin, licence))["history"][-1]
    assert last["action"] == "REMOVE_FOR_CONDITION" and last["conditionNumber"] == 4
    assert last["clause"] == {"ref": "二(四)4"} and last["removalCondition"] == {"number": 4}
    again = await client(REMOVE, {"input": {**body, "conditionNumber": 4}}, token=admin)
    assert again.codes == ["CONFLICT"]
    assert again.errors[0]["extensions"] == {
        "code": "CONFLICT", "field": "input.licenceNumber", "current": "REMOVED",
        "allowed": ["APPLIED"],
    }  # fmt: skip


async def test_only_an_admin_of_natural_resources_runs_the_list(
    client: ClockedClient, mines: MineFactory, tokens: TokenFactory
) -> None:
    licence = await mines.register(appliedOn="2026-05-01")
    body = {"input": {"licenceNumber": licence, "evaluator": "某中心", "reportDate": "2026-05-20"}}
    water = await tokens(Role.OFFICER, "water_resources")
    natural = await tokens(Role.OFFICER, "natural_resources")
    analyst = await tokens(Role.ANALYST, "natural_resources")
    for token in (water, natural, analyst):
        assert (await client(EVALUATE, body, token=token)).codes == ["FORBIDDEN"]
    assert (await client(EVALUATE, body)).codes == ["UNAUTHENTICATED"]


async def test_every_step_is_audited_with_actor_department_and_change(
    client: ClockedClient, mines: MineFactory, seeded_graph: Engine
) -> None:
    licence = await mines.listed()
    entries = [e for e in await audit.recent(seeded_graph, since="2000-01-01", limit=1000)
               if licence in e.summary]  # fmt: skip
    operations = sorted(e.operation for e in entries)
    assert operations == sorted(["registerMine", "recordEvaluation", "recordVerification",
                                 "startPublicNotice", "listMine"])  # fmt: skip
    listing = next(e for e in entries if e.operation == "listMine")
    assert listing.actor == "admin@natural_resources" and listing.role == "admin"
    assert '"from": "PUBLIC_NOTICE"' in listing.changes and '"to": "LISTED"' in listing.changes


async def test_a_guarded_transition_does_nothing_once_the_status_has_moved_on(
    mines: MineFactory, seeded_graph: Engine
) -> None:
    licence = await mines.register(appliedOn="2026-05-01")

    def attempt() -> Any:
        event = lifecycle_event(transition(Action.PASS_EVALUATION), current=ListStatus.APPLIED,
                                occurred_on=dt.date(2026, 5, 20), actor=SYSTEM,
                                at=Clock().now)  # fmt: skip
        return lifecycle.transition(
            seeded_graph, licence=licence, expected="APPLIED", event=event,
            audit=audit_entry(SYSTEM, "test", "guard", {}),
        )  # fmt: skip

    first = await attempt()
    second = await attempt()
    assert first is not None and first.status == "EVALUATED"
    assert second is None
    events = await lifecycle.history_of(seeded_graph, [licence])
    assert [e.action for e in events[licence]] == ["APPLY", "PASS_EVALUATION"]


async def test_two_concurrent_requests_for_the_same_step_apply_once(
    client: ClockedClient, mines: MineFactory, admin: str
) -> None:
    licence = await mines.register(appliedOn="2026-05-01")
    body = {"input": {"licenceNumber": licence, "evaluator": "某中心", "reportDate": "2026-05-20"}}
    results = await asyncio.gather(*(client(EVALUATE, body, token=admin) for _ in range(4)))
    assert sorted(r.codes[0] if r.codes else "OK" for r in results).count("OK") == 1
    assert all(r.codes in ([], ["CONFLICT"]) for r in results)
    mine = await history(client, admin, licence)
    assert [e["action"] for e in mine["history"]] == ["APPLY", "PASS_EVALUATION"]
