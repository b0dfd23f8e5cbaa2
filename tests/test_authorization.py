"""Authorization as an attacker tries it, driven by the schema itself: every mutation and every
private read (tests/access_table.py) is called anonymously, with the wrong role, with a
wrong-department officer, and with expired, revoked and forged credentials. Each gets
UNAUTHENTICATED or FORBIDDEN, no data, and the graph (nodes, relationships, audit entries) is
exactly as before. The right callers succeed, so the refusals are not an artefact of bad input."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import pytest_asyncio

from graph.engine import Engine
from greenmine.config import Settings
from resolvers.auth import Role, issue_token, revoke_token
from schema.access import Private
from tests.access_table import ACCESS, Rule, Setup
from tests.api import Api, serving, snapshot
from tests.conftest import TokenFactory
from tests.schema_walk import graphql_schema

ADMIN_SECRET = "s3cret-admin-token-for-tests"
OFFICER_DEPARTMENT = "water_resources"
OTHER_DEPARTMENT = "finance"
SERIAL = itertools.count(1)


def guarded_fields() -> dict[str, list[str] | None]:
    """`Type.field` of every mutation (roles None) and every @private field (its roles)."""
    schema = graphql_schema()
    found: dict[str, list[str] | None] = {}
    if schema.mutation_type is not None:
        found |= {f"Mutation.{name}": None for name in schema.mutation_type.fields}
    for type_name, named in schema.type_map.items():
        for name, field in getattr(named, "fields", {}).items():
            definition = (getattr(field, "extensions", None) or {}).get("strawberry-definition")
            for directive in getattr(definition, "directives", None) or ():
                if isinstance(directive, Private):
                    found[f"{type_name}.{name}"] = list(directive.roles)
    return found


def test_every_mutation_and_private_read_has_an_access_rule() -> None:
    fields = guarded_fields()
    assert "Query.cypher" in fields, "the analyst field is marked @private"
    missing = sorted(set(fields) - set(ACCESS))
    stale = sorted(set(ACCESS) - set(fields))
    assert missing == [], f"add an access rule to tests/access_table.py for {missing}"
    assert stale == [], f"tests/access_table.py names fields the schema no longer has: {stale}"
    for name, roles in fields.items():
        if roles is not None:
            assert sorted(roles) == sorted(r.value for r in ACCESS[name].roles), (
                f"{name}: the @private roles and the access table disagree"
            )


@dataclass(frozen=True)
class Caller:
    label: str
    authorization: str | None
    code: str


@dataclass
class Keys:
    """Real tokens of every role, and the credentials an attacker would try."""

    officer: str
    officers: dict[str, str]
    admin: str
    analyst: str
    bad: list[Caller]

    def token(self, role: Role, department: str | None = None) -> str:
        if role is Role.OFFICER:
            return self.officers[department or OFFICER_DEPARTMENT]
        return {Role.ADMIN: self.admin, Role.ANALYST: self.analyst}[role]

    def other_officer(self, department: str) -> tuple[str, str]:
        """An officer of some other department than `department`, and that department."""
        other = OTHER_DEPARTMENT if department != OTHER_DEPARTMENT else OFFICER_DEPARTMENT
        return other, self.officers[other]


async def make_keys(engine: Engine) -> Keys:
    tokens = TokenFactory(engine)
    officer = await tokens(Role.OFFICER, "water_resources")
    now = dt.datetime.now(dt.UTC)
    expired = await issue_token(
        engine,
        user="expired@water_resources",
        role=Role.OFFICER,
        department="water_resources",
        days=1,
        now=now - dt.timedelta(days=3),
    )
    revoked = await issue_token(
        engine, user="revoked@water_resources", role=Role.ADMIN, department="natural_resources"
    )
    await revoke_token(engine, revoked.record.id)
    prefix, token_id, secret = officer.split("_", 2)
    flipped = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    bad = [
        ("expired token", f"Bearer {expired.token}"),
        ("revoked admin token", f"Bearer {revoked.token}"),
        ("wrong secret for a real id", f"Bearer {prefix}_{token_id}_{'x' * len(secret)}"),
        ("one character of the secret changed", f"Bearer {prefix}_{token_id}_{flipped}"),
        ("secret with a suffix", f"Bearer {officer}x"),
        ("unknown token id", f"Bearer {prefix}_{'0' * len(token_id)}_{secret}"),
        ("another token's id with this secret", f"Bearer {prefix}_{revoked.record.id}_{secret}"),
        ("malformed: no secret", f"Bearer {prefix}_{token_id}"),
        ("malformed: wrong prefix", f"Bearer xx_{token_id}_{secret}"),
        ("malformed: not a token", "Bearer hello"),
        ("malformed: a JWT", "Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoiYWRtaW4ifQ."),
        ("oversized token", f"Bearer {prefix}_{token_id}_{'y' * 5000}"),
        ("wrong scheme: Basic", f"Basic {officer}"),
        ("wrong scheme: Token", f"Token {officer}"),
        ("no scheme", officer),
        ("scheme without a token", "Bearer"),
        ("admin secret off by one character", f"Bearer {ADMIN_SECRET[:-1]}X"),
        ("admin secret as a prefix", f"Bearer {ADMIN_SECRET[:-3]}"),
    ]
    departments = {OFFICER_DEPARTMENT, OTHER_DEPARTMENT} | {
        rule.department for rule in ACCESS.values() if rule.department is not None
    }
    officers = {OFFICER_DEPARTMENT: officer}
    for department in sorted(departments - {OFFICER_DEPARTMENT}):
        officers[department] = await tokens(Role.OFFICER, department)
    return Keys(
        officer=officer,
        officers=officers,
        admin=await tokens(Role.ADMIN, "natural_resources"),
        analyst=await tokens(Role.ANALYST, "natural_resources"),
        bad=[Caller(label, header, "UNAUTHENTICATED") for label, header in bad],
    )


def refused_callers(rule: Rule, keys: Keys) -> list[Caller]:
    callers = [Caller("anonymous", None, "UNAUTHENTICATED"), *keys.bad]
    for role in (Role.OFFICER, Role.ADMIN, Role.ANALYST):
        if role not in rule.roles:
            callers.append(Caller(f"{role.value} token", f"Bearer {keys.token(role)}", "FORBIDDEN"))
    if Role.OFFICER in rule.roles and rule.department is not None:
        other, token = keys.other_officer(rule.department)
        callers.append(
            Caller(f"officer of {other}, not {rule.department}", f"Bearer {token}", "FORBIDDEN")
        )
    return callers


def with_admin_secret(settings: Settings) -> Settings:
    return Settings(**{**settings.__dict__, "admin_token": ADMIN_SECRET})


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def attack(seeded_graph: Engine, settings: Settings) -> AsyncIterator[tuple[Api, Keys]]:
    keys = await make_keys(seeded_graph)
    async with serving(with_admin_secret(settings)) as api:
        yield api, keys


@pytest.mark.parametrize("name", sorted(ACCESS))
async def test_every_refused_caller_is_refused_and_nothing_changes(
    attack: tuple[Api, Keys], seeded_graph: Engine, name: str
) -> None:
    api, keys = attack
    rule = ACCESS[name]
    field = name.split(".", 1)[1]
    failures: list[str] = []
    for caller in refused_callers(rule, keys):
        call = await rule.make(Setup(api, keys.admin, next(SERIAL)))
        before = await snapshot(seeded_graph)
        reply = await api.graphql(call.query, call.variables, authorization=caller.authorization)
        after = await snapshot(seeded_graph)
        if reply.codes != [caller.code]:
            failures.append(f"{caller.label}: got {reply.codes or reply.status}, not {caller.code}")
        if reply.data and reply.data.get(field) is not None:
            failures.append(f"{caller.label}: data leaked: {reply.data}")
        if after != before:
            failures.append(f"{caller.label}: the graph changed: {before} -> {after}")
        if reply.problems():
            failures.append(f"{caller.label}: {reply.problems()}")
    assert failures == []


TRAIL = """
query($filter: AuditFilter) {
  auditTrail(first: 100, filter: $filter) {
    edges { node { id actor operation changed { kind key } } }
  }
}
"""


def user_of(authorization: str, role: Role, department: str | None) -> str:
    """Who the audit trail names for a caller (see tests.conftest.TokenFactory)."""
    if authorization == f"Bearer {ADMIN_SECRET}":
        return "admin (GREENMINE_ADMIN_TOKEN)"
    return f"{role.value}@{department}"


async def trail_ids(api: Api, keys: Keys, operation: str, actor: str) -> dict[str, Any]:
    reply = await api.graphql(
        TRAIL, {"filter": {"operations": [operation], "actors": [actor]}}, token=keys.analyst
    )
    assert reply.errors == [], reply.errors
    return {e["node"]["id"]: e["node"] for e in reply.data["auditTrail"]["edges"]}


def key_of(changed: dict[str, Any]) -> str | None:
    """The natural key of what a mutation returned (the access table's selections)."""
    for name in ("licenceNumber", "id", "code", "text"):
        if name in changed:
            return str(changed[name])
    return None


async def test_the_right_callers_succeed_and_each_mutation_is_audited_once(
    fresh_graph: Engine, settings: Settings
) -> None:
    """...and the entry is readable in `auditTrail`, naming the caller and linked to what the
    mutation returned."""
    keys = await make_keys(fresh_graph)
    async with serving(with_admin_secret(settings)) as api:
        for name, rule in sorted(ACCESS.items()):
            roles = sorted(rule.roles)
            callers = [(f"Bearer {keys.token(r, rule.department)}", r) for r in roles]
            if Role.ADMIN in rule.roles:
                callers.append((f"Bearer {ADMIN_SECRET}", Role.ADMIN))  # the environment's admin
            field = name.split(".", 1)[1]
            for authorization, role in callers:
                call = await rule.make(Setup(api, keys.admin, next(SERIAL)))
                department = rule.department if role is Role.OFFICER else "natural_resources"
                actor = user_of(authorization, role, department or OFFICER_DEPARTMENT)
                trail_before = await trail_ids(api, keys, field, actor) if rule.audited else {}
                before = await snapshot(fresh_graph)
                reply = await api.graphql(call.query, call.variables, authorization=authorization)
                assert reply.errors == [], (name, authorization[:20], reply.errors)
                after = await snapshot(fresh_graph)
                added = after.audit_entries - before.audit_entries
                assert added == (1 if rule.audited else 0), name
                if not rule.audited:
                    continue
                trail_after = await trail_ids(api, keys, field, actor)
                [new] = [e for i, e in trail_after.items() if i not in trail_before]
                key = key_of(reply.data[field])
                assert key in {c["key"] for c in new["changed"]}, (name, key, new)


async def test_an_unknown_token_costs_one_lookup_and_says_nothing_about_why(
    attack: tuple[Api, Keys],
) -> None:
    """Wrong secret and unknown id get the same answer, so tokens cannot be probed."""
    api, keys = attack
    rule = ACCESS["Mutation.appointLiaison"]
    messages = set()
    for label in ("wrong secret for a real id", "unknown token id"):
        [caller] = [c for c in keys.bad if c.label == label]
        call = await rule.make(Setup(api, keys.admin, next(SERIAL)))
        reply = await api.graphql(call.query, call.variables, authorization=caller.authorization)
        messages.add(reply.errors[0]["message"])
    assert messages == {"the bearer token is not valid"}
