"""The demo province at national scale (`greenmine seed --demo --cases-per-mine X`, which
`greenmine bench scale` loads): routine supervision's cases on top of the demo's stories, about X
a mine, through the same workflow and rows; the spot checks stay the document's yearly 10%
sample; the same seed gives the same province and the rows grow linearly; and the benchmark's
hand-written page statement returns the same data as the API's mines page."""

from __future__ import annotations

import functools
import math
import os
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

from graph import benchmarks, roundtrips
from graph.engine import Engine
from greenmine.bench_scale import OPEN_CASE_STATES, PAGE_QUERY, PICK_FILTERS
from greenmine.config import Settings
from resolvers import case_workflow, lifecycle
from resolvers.auth import Role
from resolvers.case_workflow import CaseAction, CaseState
from resolvers.lifecycle import Action, ListStatus
from seed.demo.generator import DemoProvince, generate
from seed.demo.loader import load_demo
from tests.conftest import FIXED_NOW, GraphQLClient, TokenFactory, reseed
from tests.factories import data

TODAY = FIXED_NOW.date()
ROOT = Path(__file__).resolve().parent.parent
PER_MINE = 2.0
Row = dict[str, Any]


@functools.cache
def province(mines: int = 300, seed: int = 7, cases_per_mine: float | None = PER_MINE) -> Any:
    return generate(
        mines=mines, seed=seed, today=TODAY, batch_id="b", cases_per_mine=cases_per_mine
    )


def grouped(rows: list[Row], key: str) -> dict[str, list[Row]]:
    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        groups[str(row[key])].append(row)
    return groups


def test_routine_supervision_brings_about_the_cases_and_referrals_asked_per_mine() -> None:
    demo: DemoProvince = province()
    rows, mines = demo.cases, len(demo.mines)
    assert 0.85 * PER_MINE <= len(rows.cases) / mines <= 1.15 * PER_MINE
    assert len(rows.referrals) / mines >= 0.7 * PER_MINE
    with_cases = {c["mine"] for c in rows.cases}
    assert len(with_cases) >= 0.7 * mines  # spread over the mines, not piled on a few
    states = Counter(c["props"]["state"] for c in rows.cases)
    assert {s.value for s in CaseState} <= set(states)
    outcomes = Counter(d["props"]["outcome"] for d in rows.decisions)
    assert outcomes["KEEP"] > outcomes["RECTIFY"] > outcomes["REMOVE"] > 0
    assert rows.leads and rows.penalties and rows.rectifications
    routine = [e for e in rows.evidence if "例行监督检查" in e["props"]["text"]]
    assert len(routine) >= len(rows.cases) - len(province(cases_per_mine=None).cases.cases)
    assert all(c["props"]["synthetic"] and c["props"]["demoBatch"] == "b" for c in rows.cases)


def test_without_the_option_the_demo_has_its_case_stories_alone() -> None:
    default, zero = province(cases_per_mine=None), province(cases_per_mine=0.0)
    assert default == zero
    assert len(default.cases.cases) / len(default.mines) < 0.2


def test_spot_checks_stay_the_yearly_ten_percent_sample_whatever_the_cases() -> None:
    default, busy = province(cases_per_mine=None), province()
    # the cases are simulated after the spot checks: the draws and results are the same ones
    assert (busy.draws, busy.samples, busy.results) == (default.draws, default.samples,
                                                         default.results)  # fmt: skip
    assert busy.draws
    for draw in busy.draws:
        assert draw["share"] == 0.1
        assert draw["sampleSize"] == math.ceil(0.1 * draw["populationSize"])


def _walk(steps: list[Row]) -> CaseState:
    state = CaseState.OPEN
    for s in steps[1:]:
        state = case_workflow.require(state, CaseAction(s["action"]), case_id="x").target_from(
            state
        )
        assert s["toState"] == state.value
    return state


def test_every_case_and_every_mine_history_is_a_valid_walk_in_date_order() -> None:
    demo: DemoProvince = province()
    events = grouped(demo.cases.events, "case")
    for case in demo.cases.cases:
        props = case["props"]
        steps = [e["props"] for e in events[props["id"]]]
        days = [s["occurredOn"] for s in steps]
        assert [s["seq"] for s in steps] == list(range(1, len(steps) + 1))
        assert days == sorted(days) and days[-1] <= TODAY.isoformat()
        assert steps[0]["action"] == "FILE" and props["foundOn"] <= days[0]
        assert props["state"] == _walk(steps).value and props["eventCount"] == len(steps)
    histories = grouped(demo.events, "mine")
    for mine in demo.mines:
        history = [e["props"] for e in histories[mine["licenceNumber"]]]
        days = [e["occurredOn"] for e in history]
        assert days == sorted(days)
        status = ListStatus.NOT_APPLIED
        for event in history[1:]:
            step = lifecycle.require(status, Action(event["action"]), licence_number="x")
            status = step.target_from(status)
            assert event["toStatus"] == status.value
        assert mine["status"] == status.value and mine["eventCount"] == len(history)


def test_every_decision_that_moves_a_mine_rests_on_a_referral_and_a_session_before_it() -> None:
    demo: DemoProvince = province()
    rows = demo.cases
    moves = {e["props"]["id"]: e for e in demo.events
             if e["props"]["action"] in ("REMOVE_FOR_CONDITION", "RECTIFY_BY_DECISION")}  # fmt: skip
    decisions = {d["lifecycleEvent"]: d for d in rows.decisions if d["lifecycleEvent"]}
    assert moves and set(moves) == set(decisions)
    referrals = {r["case"]: r["props"]["referredOn"] for r in rows.referrals}
    held = {s["props"]["id"]: s["props"]["heldOn"] for s in rows.sessions}
    for event_id, decision in decisions.items():
        props = decision["props"]
        assert props["mine"] == moves[event_id]["mine"]
        assert referrals[decision["case"]] <= held[decision["meeting"]] <= props["decidedOn"]
        assert props["decidedOn"] == moves[event_id]["props"]["occurredOn"]


def test_the_same_seed_gives_the_same_province_and_the_rows_grow_linearly() -> None:
    again = generate(mines=300, seed=7, today=TODAY, batch_id="b", cases_per_mine=PER_MINE)
    assert again == province()
    assert province(seed=8).cases.cases != province().cases.cases

    def per_mine(demo: DemoProvince) -> float:
        rows = demo.cases
        written = len(rows.cases) + len(rows.events) + len(rows.referrals) + len(rows.decisions)
        return (written + len(rows.leads) + len(rows.penalties)) / len(demo.mines)

    small, large = province(200, 1, 1.0), province(2000, 1, 1.0)
    assert 0.8 < per_mine(large) / per_mine(small) < 1.25


def test_cases_per_mine_out_of_range_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cases per mine"):
        generate(mines=10, seed=1, today=TODAY, batch_id="b", cases_per_mine=-1)
    env = {**os.environ, "GREENMINE_DATA_DIR": str(tmp_path / "data")}
    env.pop("NEO4J_URI", None)
    refused = subprocess.run(
        [sys.executable, "-m", "greenmine", "seed", "--demo", "--mines", "10",
         "--cases-per-mine", "50"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "--cases-per-mine must be between 0 and 20, not 50" in refused.stderr
    assert not (tmp_path / "data").exists()


def _api_row(node: Row) -> Row:
    return {
        "licence": node["licenceNumber"],
        "status": node["status"],
        "prefecture": node["prefecture"]["code"],
        "licences": [
            (x["kind"], x["number"], x["validFrom"], x["validUntil"])
            for x in sorted(node["licences"], key=lambda x: x["kind"])
        ],  # fmt: skip
        "history": [
            (h["seq"], h["action"], h["toStatus"], h["occurredOn"]) for h in node["history"]
        ],  # fmt: skip
        "open cases": node["cases"]["totalCount"],
    }


def _by_hand_row(row: Row) -> Row:
    return {
        "licence": row["licence_number"],
        "status": row["status"],
        "prefecture": row["prefecture"],
        "licences": [
            (x["kind"], x["number"], x["validFrom"], x.get("validUntil")) for x in row["licences"]
        ],  # fmt: skip
        "history": [
            (h["seq"], h["action"], h["toStatus"], h["occurredOn"]) for h in row["history"]
        ],  # fmt: skip
        "open cases": row["open_cases"],
    }


async def test_the_benchmarks_hand_written_page_returns_what_the_api_page_does(
    engine: Engine, settings: Settings
) -> None:
    await reseed(engine)
    try:
        await load_demo(engine, mines_count=150, seed=5, today=TODAY, cases_per_mine=4.0)
        analyst = await TokenFactory(engine)(Role.ANALYST, "natural_resources")
        picked = (await engine.read_only_text(PICK_FILTERS)).records[0]
        prefecture, scale = str(picked["prefecture"]), str(picked["scale"])
        variables = {"first": 50, "filter": {"prefectures": [prefecture], "scales": [scale]}}
        with roundtrips.counting() as counter:
            page = data(await GraphQLClient(engine, settings)(PAGE_QUERY, variables,
                                                              token=analyst), "mines")  # fmt: skip
        # the open cases of the whole page are counted in one statement, as every nested level
        # comes in one (the page asks only for their number: they are not read)
        assert counter.statements.count("cases.counts_of_mines") == 1
        assert len(counter.statements) == len(set(counter.statements))
        by_hand = await benchmarks.mines_page_by_hand(
            engine, prefectures=[prefecture], scales=[scale], case_states=OPEN_CASE_STATES,
            limit=50,
        )  # fmt: skip
        api = [_api_row(e["node"]) for e in page["edges"]]
        assert api == [_by_hand_row(r) for r in by_hand]
        assert {r["total"] for r in by_hand} == {page["totalCount"]}
        assert len(api) > 5 and any(r["open cases"] for r in api)
    finally:
        await reseed(engine)
