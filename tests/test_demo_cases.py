"""The demo province's cases: consistent with the mines' histories (every removal for a condition
has its decision, case, referral and joint-meeting session), valid walks through the case
workflow, lead paths that hand on from holder to holder, penalties that make condition 2 flags
and wait for publication — generated linearly and loaded in batches."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from graph.engine import Engine
from greenmine.config import Settings
from resolvers import case_workflow, dates
from resolvers.auth import Role
from resolvers.case_workflow import CaseAction, CaseState
from seed.demo.generator import DemoProvince, generate
from tests.conftest import FIXED_NOW, GraphQLClient, TokenFactory, reseed
from tests.factories import data, demo_province

TODAY = FIXED_NOW.date()


def province(mines: int = 400, seed: int = 2024) -> DemoProvince:
    return generate(mines=mines, seed=seed, today=TODAY, batch_id="b")


def by_key(rows: list[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[str(row[key])].append(row)
    return grouped


def test_every_removal_for_a_condition_comes_from_a_decision_on_a_referred_case() -> None:
    demo = province()
    rows = demo.cases
    decisions = {d["lifecycleEvent"]: d for d in rows.decisions if d["lifecycleEvent"]}
    cases = {c["props"]["id"]: c for c in rows.cases}
    referrals = {r["case"]: r for r in rows.referrals}
    sessions = {s["props"]["id"]: s["props"] for s in rows.sessions}
    removals = [e for e in demo.events if e["props"]["action"] == "REMOVE_FOR_CONDITION"]
    rectified = [e for e in demo.events if e["props"]["action"] == "RECTIFY_BY_DECISION"]
    assert removals and rectified
    for event in removals + rectified:
        decision = decisions[event["props"]["id"]]
        props = decision["props"]
        expected = "REMOVE" if event in removals else "RECTIFY"
        assert props["outcome"] == expected and props["mine"] == event["mine"]
        assert props["conditionNumber"] == event["props"]["conditionNumber"]
        assert event["props"]["clauseRef"] == f"二(四){props['conditionNumber']}"
        case = cases[decision["case"]]["props"]
        assert case["mine"] == event["mine"] and case["state"] in ("DECIDED", "CLOSED")
        referred = referrals[decision["case"]]["props"]["referredOn"]
        held = sessions[decision["meeting"]]["heldOn"]
        assert referred <= held <= props["decidedOn"] == event["props"]["occurredOn"]
        if expected == "RECTIFY":
            deadline = dt.date.fromisoformat(props["rectificationDeadline"])
            decided = dt.date.fromisoformat(props["decidedOn"])
            assert decided < deadline <= dates.add_months(decided, 6)


def test_every_case_is_a_valid_walk_in_date_order() -> None:
    rows = province().cases
    events = by_key(rows.events, "case")
    for case in rows.cases:
        props = case["props"]
        steps = [e["props"] for e in events[props["id"]]]
        assert [s["seq"] for s in steps] == list(range(1, len(steps) + 1))
        days = [s["occurredOn"] for s in steps]
        assert days == sorted(days) and days[-1] <= TODAY.isoformat()
        assert steps[0]["action"] == "FILE" and props["foundOn"] <= days[0]
        state = CaseState.OPEN
        for s in steps[1:]:
            chosen = case_workflow.require(state, CaseAction(s["action"]), case_id=props["id"])
            state = chosen.target_from(state)
            assert s["toState"] == state.value
        assert props["state"] == state.value and props["eventCount"] == len(steps)
        changed = [s["occurredOn"] for s in steps if s.get("fromState") != s["toState"]]
        assert props["stateSince"] == (changed[-1] if changed else days[0])


def test_leads_pass_from_holder_to_holder_and_cases_know_who_is_part_of_them() -> None:
    rows = province().cases
    leads = by_key(rows.leads, "case")
    links = {link["transfer"]: link["previous"] for link in rows.lead_links}
    assert leads
    for case in rows.cases:
        props = case["props"]
        chain = [t["props"] for t in leads.get(props["id"], [])]
        holder = props["reportingDepartment"]
        previous = None
        for transfer in chain:
            assert transfer["fromDepartment"] == holder != transfer["toDepartment"]
            assert links[transfer["id"]] == previous
            holder, previous = transfer["toDepartment"], transfer["id"]
            assert transfer["toDepartment"] in props["departments"]
        assert props["leadHolder"] == holder and props["leadCount"] == len(chain)
        if any(r["case"] == props["id"] for r in rows.referrals):
            assert "natural_resources" in props["departments"]


def test_penalties_include_late_unexecuted_published_and_pending_ones() -> None:
    demo = province()
    penalties = [p["props"] for p in demo.cases.penalties]
    today = TODAY.isoformat()
    late = [p for p in penalties if p.get("executedOn", "9") > p["performanceDeadline"]
            and "executedOn" in p]  # fmt: skip
    unexecuted = [p for p in penalties if "executedOn" not in p
                  and p["performanceDeadline"] < today]  # fmt: skip
    assert late and unexecuted
    publication = Counter(p["publication"] for p in penalties)
    assert publication["PUBLISHED"] > 0 and publication["PENDING"] > 0
    assert len({p["numberKey"] for p in penalties}) == len(penalties)
    listed = {m["licenceNumber"] for m in demo.mines if m["status"] == "LISTED"}
    assert any(p["mine"] in listed for p in unexecuted)  # so condition 2 shows in screening
    sessions = [s["props"] for s in demo.cases.sessions]
    assert all(s["departments"][0] == "natural_resources" and len(s["departments"]) > 1
               for s in sessions)  # fmt: skip


def test_the_same_seed_gives_the_same_cases_and_the_rows_grow_linearly() -> None:
    first, again = province(300, 3), province(300, 3)
    assert first.cases == again.cases
    small, large = province(500, 1), province(5000, 1)

    def per_mine(demo: DemoProvince, mines: int) -> float:
        rows = demo.cases
        counted = len(rows.cases) + len(rows.events) + len(rows.penalties) + len(rows.leads)
        return counted / mines

    assert 0.6 < per_mine(large, 5000) / per_mine(small, 500) < 1.5


CASES = """
{ cases(first: 100, filter: {synthetic: true}) { totalCount edges { node { id state } } }
  penalties(filter: {publication: [PENDING]}) { totalCount }
  jointMeetingSessions(first: 1) { totalCount edges { node { decisions { outcome } } } }
  screening(first: 100, filter: {kinds: [PENALTY_NOT_EXECUTED]}) {
    totalCount edges { node { flags { conditionNumber clauseRef } } } } }
"""
REMOVED = """
query($l: String!) { mine(licenceNumber: $l) { status
  history { action conditionNumber clauseRef }
  cases { edges { node { state decision { outcome meeting { heldOn } } referral { referredOn }
                         leadChain { seq } } } } } }
"""


async def test_the_loaded_demo_answers_over_graphql(engine: Engine, settings: Settings) -> None:
    report = await demo_province(engine)
    try:
        gql = GraphQLClient(engine, settings)
        admin = await TokenFactory(engine)(Role.ADMIN, "natural_resources")
        found = data(await gql(CASES, token=admin), "cases")
        assert found["totalCount"] > 10
        result = await gql(CASES, token=admin)
        assert result.data is not None
        assert result.data["penalties"]["totalCount"] > 0
        assert result.data["jointMeetingSessions"]["totalCount"] > 4
        flagged = result.data["screening"]
        assert flagged["totalCount"] > 0
        assert all(f["conditionNumber"] == 2 and f["clauseRef"] == "二(四)2"
                   for e in flagged["edges"] for f in e["node"]["flags"])  # fmt: skip
        removal = await engine.read_only_text(
            "MATCH (e:LifecycleEvent {action: 'REMOVE_FOR_CONDITION'})-[:ABOUT]->(d:Decision) "
            "RETURN d.mine AS mine LIMIT 1"
        )
        [row] = removal.records
        mine = data(await gql(REMOVED, {"l": row["mine"]}, token=admin), "mine")
        assert mine["status"] in ("REMOVED", "APPLIED")
        removed = [h for h in mine["history"] if h["action"] == "REMOVE_FOR_CONDITION"]
        assert removed and removed[-1]["clauseRef"] == f"二(四){removed[-1]['conditionNumber']}"
        outcomes = [c["node"]["decision"]["outcome"] for c in mine["cases"]["edges"]
                    if c["node"]["decision"]]  # fmt: skip
        assert "REMOVE" in outcomes
        assert report.mines == 300
    finally:
        await reseed(engine)
