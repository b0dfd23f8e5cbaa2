"""Liaison succession keeps history; tokens decide who may change it; every change is audited."""

from __future__ import annotations

import asyncio
import datetime as dt
import gc

import pytest

from graph import audit, roundtrips, tokens
from graph.engine import Engine
from greenmine.config import Settings
from resolvers.auth import Role, authenticate, issue_token, revoke_token
from resolvers.context import Context
from resolvers.errors import Unauthenticated
from tests.conftest import FIXED_NOW, GraphQLClient, TokenFactory

APPOINT = """
mutation($input: AppointLiaisonInput!) {
  appointLiaison(input: $input) { code liaison { name since phone } liaisons { name since until current } }
}
"""


def appointment(department: str = "water_resources", name: str = "李明", since: str = "2026-12-01"):
    return {
        "input": {
            "departmentCode": department,
            "name": name,
            "since": since,
            "phone": "0931-0000000",
        }
    }


async def test_an_officer_appoints_their_departments_successor_and_history_stays(
    gql_fresh: GraphQLClient, tokens_fresh: TokenFactory
) -> None:
    token = await tokens_fresh(Role.OFFICER, "water_resources")
    result = await gql_fresh(APPOINT, appointment(), token=token)
    assert result.errors == []
    assert result.data is not None
    department = result.data["appointLiaison"]
    assert department["liaison"] == {"name": "李明", "since": "2026-12-01", "phone": "0931-0000000"}
    assert department["liaisons"] == [
        {"name": "王淑娟", "since": "2026-11-25", "until": "2026-12-01", "current": False},
        {"name": "李明", "since": "2026-12-01", "until": None, "current": True},
    ]


async def test_the_appointment_is_audited_with_actor_and_change(
    gql_fresh: GraphQLClient, tokens_fresh: TokenFactory, fresh_graph: Engine
) -> None:
    token = await tokens_fresh(Role.OFFICER, "water_resources")
    await gql_fresh(APPOINT, appointment(), token=token)
    entries = await audit.recent(fresh_graph, since="2026-01-01", limit=10)
    entry = next(e for e in entries if e.operation == "appointLiaison")
    assert entry.actor == "officer@water_resources"
    assert entry.role == "officer" and entry.department == "water_resources"
    assert '"previous": "王淑娟"' in entry.changes and '"name": "李明"' in entry.changes


async def test_anonymous_callers_cannot_appoint(gql: GraphQLClient) -> None:
    result = await gql(APPOINT, appointment())
    assert result.codes == ["UNAUTHENTICATED"]
    assert result.data is None


async def test_an_officer_cannot_appoint_for_another_department(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    token = await tokens(Role.OFFICER, "finance")
    result = await gql(APPOINT, appointment("water_resources"), token=token)
    assert result.codes == ["FORBIDDEN"]
    assert result.errors[0]["extensions"]["field"] == "input.departmentCode"
    check = await gql('{ department(code: "water_resources") { liaison { name } } }')
    assert check.data == {"department": {"liaison": {"name": "王淑娟"}}}


async def test_an_analyst_cannot_appoint(gql: GraphQLClient, tokens: TokenFactory) -> None:
    token = await tokens(Role.ANALYST, "natural_resources")
    assert (await gql(APPOINT, appointment(), token=token)).codes == ["FORBIDDEN"]


async def test_a_start_before_the_current_term_is_refused(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    token = await tokens(Role.ADMIN, "natural_resources")
    result = await gql(APPOINT, appointment(since="2020-01-01"), token=token)
    assert result.codes == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "input.since"


async def test_unknown_department_and_blank_name_are_named(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    token = await tokens(Role.ADMIN, "natural_resources")
    unknown = await gql(APPOINT, appointment("mining_bureau"), token=token)
    assert unknown.codes == ["NOT_FOUND"]
    assert unknown.errors[0]["extensions"]["field"] == "input.departmentCode"
    blank = await gql(APPOINT, appointment(name="   "), token=token)
    assert blank.codes == ["BAD_USER_INPUT"]
    assert blank.errors[0]["extensions"]["field"] == "input.name"
    bad_date = await gql(APPOINT, appointment(since="2026-13-45"), token=token)
    assert bad_date.codes == ["BAD_USER_INPUT"]


async def test_tokens_are_stored_hashed(seeded_graph: Engine) -> None:
    issued = await issue_token(
        seeded_graph, user="张工", role=Role.OFFICER, department="finance", now=FIXED_NOW
    )
    secret = issued.token.split("_", 2)[2]
    stored = await tokens.find(seeded_graph, issued.record.id)
    assert stored is not None and secret not in stored.secret_hash


async def test_forged_expired_and_revoked_tokens_are_refused(seeded_graph: Engine) -> None:
    issued = await issue_token(
        seeded_graph, user="张工", role=Role.OFFICER, department="finance", days=1, now=FIXED_NOW
    )
    actor = await authenticate(
        seeded_graph, f"Bearer {issued.token}", admin_token=None, now=FIXED_NOW
    )
    assert actor.department == "finance" and actor.role is Role.OFFICER
    forged = issued.token[:-4] + "AAAA"
    for header, message in [
        (f"Bearer {forged}", "not valid"),
        ("Bearer gm_0000_xyz", "not valid"),
        ("Bearer hello", "not a GreenMine token"),
        (f"Basic {issued.token}", "Bearer"),
    ]:
        with pytest.raises(Unauthenticated, match=message):
            await authenticate(seeded_graph, header, admin_token=None, now=FIXED_NOW)
    later = FIXED_NOW + dt.timedelta(days=2)
    with pytest.raises(Unauthenticated, match="expired"):
        await authenticate(seeded_graph, f"Bearer {issued.token}", admin_token=None, now=later)
    await revoke_token(seeded_graph, issued.record.id)
    with pytest.raises(Unauthenticated, match="revoked"):
        await authenticate(seeded_graph, f"Bearer {issued.token}", admin_token=None, now=FIXED_NOW)


async def test_the_admin_token_from_the_environment_is_a_natural_resources_admin(
    seeded_graph: Engine,
) -> None:
    actor = await authenticate(seeded_graph, "Bearer s3cret-admin", admin_token="s3cret-admin")
    assert actor.role is Role.ADMIN and actor.department == "natural_resources"
    with pytest.raises(Unauthenticated):
        await authenticate(seeded_graph, "Bearer s3cret-admim", admin_token="s3cret-admin")


async def test_an_invalid_token_fails_even_a_public_read(
    gql: GraphQLClient, seeded_graph: Engine
) -> None:
    """A client whose token expired is told so, not quietly served as anonymous."""
    issued = await issue_token(
        seeded_graph, user="过期", role=Role.OFFICER, department="finance", days=1,
        now=FIXED_NOW - dt.timedelta(days=3),
    )  # fmt: skip
    for token in (issued.token, "gm_0000_forged"):
        result = await gql("{ departments { code } }", token=token)
        assert result.codes == ["UNAUTHENTICATED"]
        assert result.data is None
    assert (await gql("{ departments { code } }")).errors == []


FORGED = "gm_00000000_forged"


async def test_a_mutation_with_a_bad_token_sends_nothing_but_the_token_lookup(
    gql: GraphQLClient,
) -> None:
    with roundtrips.counting() as counter:
        result = await gql(APPOINT, appointment(), token=FORGED)
    assert (result.data, result.codes) == (None, ["UNAUTHENTICATED"])
    assert counter.statements == ["tokens.find"]


async def test_a_querys_fields_share_the_one_token_lookup_made_while_they_run(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    token = await tokens(Role.ANALYST, "natural_resources")
    query = """{
      mines(first: 3) { edges { node { licenceNumber licences { kind } history { seq } } } }
      cases(first: 2) { totalCount }
      departments { code }
    }"""
    with roundtrips.counting() as counter:
        result = await gql(query, token=token)
    assert result.errors == []  # `cases` needs the token: an anonymous caller is refused
    assert counter.statements.count("tokens.find") == 1


async def test_a_query_with_a_bad_token_answers_nothing_it_read_meanwhile(
    gql: GraphQLClient,
) -> None:
    result = await gql("{ departments { code } mines(first: 2) { totalCount } }", token=FORGED)
    assert (result.data, result.codes) == (None, ["UNAUTHENTICATED"])
    assert [e["message"] for e in result.errors] == ["the bearer token is not valid"]


async def test_a_check_stopped_before_it_ends_is_cancelled_and_one_that_failed_is_kept_as_read(
    seeded_graph: Engine, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    pending = Context(engine=seeded_graph, settings=settings, authorization=f"Bearer {FORGED}")
    pending.check_caller_meanwhile()
    checking = pending._checking
    assert checking is not None
    pending.stop_checking()
    await asyncio.sleep(0)
    assert checking.cancelled()

    unread = Context(engine=seeded_graph, settings=settings, authorization=f"Bearer {FORGED}")
    unread.check_caller_meanwhile()
    checking = unread._checking
    assert checking is not None
    await asyncio.wait([checking])  # it fails, and nobody asked for the caller
    unread.stop_checking()
    with roundtrips.counting() as counter, pytest.raises(Unauthenticated):
        await unread.actor()  # the ended check's answer, kept: no second lookup
    assert counter.statements == []
    del checking, unread
    gc.collect()
    assert "never retrieved" not in caplog.text
