"""The audit trail as a private read: `auditTrail` pages through every change made to the graph,
newest first, filtered by actor, department, operation, role, day and entity (a case, or a mine
with its cases and penalties). Admins and analysts read it; officers and anonymous callers not.

That every mutation leaves an entry readable here, naming its caller and linked to what it
changed, is checked for each mutation in tests/test_authorization.py (the right callers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest_asyncio

from graph.engine import Engine
from greenmine.config import Settings
from resolvers.auth import Role, issue_token
from tests.case_factories import CaseFactory
from tests.conftest import FIXED_NOW, GraphQLClient, TokenFactory
from tests.factories import MineFactory, data

TRAIL = """
query($first: Int, $after: String, $filter: AuditFilter, $sort: AuditSort! = AT_DESC) {
  auditTrail(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id at actor role departmentCode operation summary changes
                          department { code } changed { kind key } } }
  }
}
"""


@dataclass
class Story:
    """A small history made through the API: two mines, one case through its steps."""

    gql: GraphQLClient
    analyst: str
    admin: str
    officer: str
    licence: str
    other_licence: str
    case_id: str
    penalty_id: str
    lead_id: str

    async def trail(self, token: str | None = None, **variables: Any) -> dict[str, Any]:
        return data(await self.gql(TRAIL, variables, token=token or self.analyst), "auditTrail")

    async def nodes(self, **variables: Any) -> list[dict[str, Any]]:
        trail = await self.trail(first=100, **variables)
        assert not trail["pageInfo"]["hasNextPage"]
        return [e["node"] for e in trail["edges"]]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def story(seeded_graph: Engine, settings: Settings) -> Story:
    gql = GraphQLClient(seeded_graph, settings)
    tokens = TokenFactory(seeded_graph)
    cases = CaseFactory(gql, tokens)
    admin = await cases.admin()
    mines = MineFactory(gql, admin)
    licence = await mines.listed()
    other = await mines.listed()
    for days_ago in (5, 3):  # entries of earlier days, for the day filters
        await issue_token(
            seeded_graph, user=f"early-{days_ago}@finance", role=Role.OFFICER,
            department="finance", now=FIXED_NOW - dt.timedelta(days=days_ago),
        )  # fmt: skip
    case = await cases.referred(licence, conditionNumber=8)
    lead = await cases.transfer(
        case["id"], "water_resources", by="ecology_environment", transferredOn="2026-11-25"
    )
    penalty = await cases.penalty(
        licence, department="water_resources", caseId=case["id"], decidedOn="2026-11-25",
        performanceDeadline="2026-12-25",
    )  # fmt: skip
    await cases.file(other, conditionNumber=3)
    meeting = await cases.meeting()
    await cases.decide(case["id"], meeting["id"], "REMOVE")
    return Story(
        gql=gql,
        analyst=await tokens(Role.ANALYST, "natural_resources"),
        admin=admin,
        officer=await cases.token(department="ecology_environment"),
        licence=licence,
        other_licence=other,
        case_id=case["id"],
        penalty_id=penalty["id"],
        lead_id=lead["id"],
    )


async def test_an_analyst_pages_through_the_whole_trail_newest_first(story: Story) -> None:
    seen: list[dict[str, Any]] = []
    after = None
    while True:
        page = await story.trail(first=7, after=after)
        seen += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        after = page["pageInfo"]["endCursor"]
    ids = [n["id"] for n in seen]
    assert len(ids) == len(set(ids)) == page["totalCount"] > 20
    keys = [(n["at"], n["id"]) for n in seen]
    assert keys == sorted(keys, key=lambda k: (_reverse(k[0]), k[1]))
    oldest_first = await story.nodes(sort="AT_ASC", filter={"roles": ["ADMIN", "OFFICER"]})
    assert {n["id"] for n in oldest_first} == set(ids)
    assert [n["at"] for n in oldest_first] == sorted(n["at"] for n in oldest_first)


def _reverse(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


async def test_an_entry_says_who_acted_for_which_department_and_what_was_written(
    story: Story,
) -> None:
    [filed] = await story.nodes(filter={"caseId": story.case_id, "operations": ["fileCase"]})
    assert filed["actor"] == "officer@ecology_environment"
    assert filed["role"] == "OFFICER"
    assert filed["departmentCode"] == "ecology_environment"
    assert filed["department"] == {"code": "ecology_environment"}
    assert filed["changed"] == [{"kind": "Case", "key": story.case_id}]
    assert filed["changes"]["mine"] == story.licence
    assert story.case_id in filed["summary"] or story.licence in filed["summary"]


async def test_a_cases_trail_is_every_step_that_changed_it(story: Story) -> None:
    entries = await story.nodes(filter={"caseId": story.case_id}, sort="AT_ASC")
    assert sorted(n["operation"] for n in entries) == sorted(
        ["fileCase", "referCase", "transferLead", "recordPenalty", "decideCase"]
    )
    changed = {(c["kind"], c["key"]) for n in entries for c in n["changed"]}
    assert ("LeadTransfer", story.lead_id) in changed
    assert ("Penalty", story.penalty_id) in changed
    assert {"Referral", "Decision", "Mine"} <= {kind for kind, _ in changed}
    # a case of another mine is not this one's
    assert (
        await story.nodes(filter={"caseId": story.case_id, "licenceNumber": story.other_licence})
        == []
    )


async def test_a_mines_trail_holds_its_lifecycle_its_cases_and_its_penalties(story: Story) -> None:
    entries = await story.nodes(filter={"licenceNumber": story.licence.lower()})
    operations = [n["operation"] for n in entries]
    assert set(operations) == {
        "registerMine", "recordEvaluation", "recordVerification", "startPublicNotice", "listMine",
        "fileCase", "referCase", "transferLead", "recordPenalty", "decideCase",
    }  # fmt: skip
    assert len(operations) == len(set(operations)), "an entry about the mine twice is shown once"
    other = await story.nodes(filter={"licenceNumber": story.other_licence})
    assert "referCase" not in {n["operation"] for n in other}
    assert "fileCase" in {n["operation"] for n in other}
    assert await story.nodes(filter={"licenceNumber": "NO-SUCH-MINE-1"}) == []


async def test_filters_by_actor_department_operation_role_and_day_combine(story: Story) -> None:
    everything = await story.nodes()

    def expected(keep: Any) -> set[str]:
        return {n["id"] for n in everything if keep(n)}

    async def got(**filter_: Any) -> set[str]:
        trail = await story.trail(first=100, filter=filter_)
        assert trail["totalCount"] == len(trail["edges"])
        return {e["node"]["id"] for e in trail["edges"]}

    by_officer = await got(actors=["officer@ecology_environment"])
    assert by_officer == expected(lambda n: n["actor"] == "officer@ecology_environment")
    assert by_officer
    assert await got(departments=["water_resources"]) == expected(
        lambda n: n["departmentCode"] == "water_resources"
    )
    assert await got(operations=["referCase", "decideCase"]) == expected(
        lambda n: n["operation"] in ("referCase", "decideCase")
    )
    assert await got(roles=["OFFICER"], operations=["fileCase"]) == expected(
        lambda n: n["role"] == "OFFICER" and n["operation"] == "fileCase"
    )
    # the story's entries carry the test clock's day, the early tokens' entries earlier days
    days = sorted({n["at"][:10] for n in everything})
    assert len(days) == 3
    for day in days:
        assert await got(recordedFrom=day, recordedTo=day) == expected(
            lambda n, day=day: n["at"][:10] == day
        )
    middle = days[1]
    assert await got(recordedFrom=middle) == expected(lambda n: n["at"][:10] >= middle)
    assert await got(recordedTo=middle) == expected(lambda n: n["at"][:10] <= middle)
    before = (dt.date.fromisoformat(days[0]) - dt.timedelta(days=1)).isoformat()
    after = (dt.date.fromisoformat(days[-1]) + dt.timedelta(days=1)).isoformat()
    assert await got(recordedTo=before) == set() == await got(recordedFrom=after)


async def test_officers_and_anonymous_callers_may_not_read_the_trail(story: Story) -> None:
    refused = await story.gql(TRAIL, {"first": 5}, token=story.officer)
    assert refused.codes == ["FORBIDDEN"] and refused.data is None
    anonymous = await story.gql(TRAIL, {"first": 5})
    assert anonymous.codes == ["UNAUTHENTICATED"]
    assert (await story.trail(story.admin, first=1))["totalCount"] > 0


async def test_bad_filters_and_cursors_are_bad_user_input_naming_the_field(story: Story) -> None:
    cases = [
        ({"filter": {"recordedFrom": "2026-11-02", "recordedTo": "2026-11-01"}},
         "filter.recordedTo"),
        ({"filter": {"departments": ["water_resources", "水利"]}}, "filter.departments[1]"),
        ({"first": 101}, "first"),
        ({"after": "not-a-cursor"}, "after"),
    ]  # fmt: skip
    page = await story.trail(first=1)
    cases.append(({"after": page["pageInfo"]["endCursor"], "sort": "AT_ASC"}, "after"))
    for variables, field in cases:
        reply = await story.gql(TRAIL, variables, token=story.analyst)
        assert reply.codes == ["BAD_USER_INPUT"], (variables, reply.errors)
        assert reply.errors[0]["extensions"]["field"] == field
