"""Who may call each mutation and each private read: the table the attack tests are driven by.

Every field of the Mutation type and every field marked `@private` in the schema needs an entry
here, keyed `Type.field`; tests/test_authorization.py fails while one lacks it (or while an entry
names a field that no longer exists). An entry says which roles may call the field, whether an
officer may act only for one department, and how to make a minimal valid call, so the tests can
show both that the right caller succeeds and that every wrong one is refused with nothing changed.

To add a mutation: add a `Rule` with a `make` that returns a valid call (create what it needs
first through `setup.admin`), acting for `department` when officers are limited to their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from resolvers.auth import Role
from tests.api import Api


@dataclass(frozen=True)
class Call:
    query: str
    variables: dict[str, Any] = field(default_factory=dict)


@dataclass
class Setup:
    """What a call maker gets: a serial number for unique values, and an admin to prepare with."""

    api: Api
    admin: str
    serial: int


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    make: Callable[[Setup], Awaitable[Call]]
    #: officers may act only for this department's records (None: not department-scoped)
    department: str | None = None
    #: a successful call records one AuditEntry (every mutation does; reads do not)
    audited: bool = True


async def appoint_liaison(setup: Setup) -> Call:
    since = dt.date(2027, 1, 1) + dt.timedelta(days=setup.serial)
    return Call(
        "mutation($input: AppointLiaisonInput!) { appointLiaison(input: $input) { code } }",
        {
            "input": {
                "departmentCode": "water_resources",
                "name": f"继任者{setup.serial}",
                "since": since.isoformat(),
                "phone": "0931-0000000",
            }
        },
    )


ADD_TERM = """
mutation($input: AddRoutingTermInput!) { addRoutingTerm(input: $input) { text active } }
"""


def routing_term(setup: Setup) -> dict[str, Any]:
    return {"text": f"测试词{setup.serial}", "departmentCode": "water_resources", "weight": 1.0}


async def add_routing_term(setup: Setup) -> Call:
    return Call(ADD_TERM, {"input": routing_term(setup)})


async def remove_routing_term(setup: Setup) -> Call:
    term = routing_term(setup)
    added = await setup.api.graphql(ADD_TERM, {"input": term}, token=setup.admin)
    assert added.errors == [], added.errors
    return Call(
        "mutation($input: RemoveRoutingTermInput!) { removeRoutingTerm(input: $input) { text } }",
        {"input": {"text": term["text"], "departmentCode": term["departmentCode"]}},
    )


async def cypher(setup: Setup) -> Call:
    return Call(
        "query($q: String!) { cypher(query: $q) { columns rows } }",
        {"q": "MATCH (d:Department) RETURN count(d) AS n"},
    )


ACCESS: dict[str, Rule] = {
    "Mutation.appointLiaison": Rule(
        roles=frozenset({Role.OFFICER, Role.ADMIN}),
        department="water_resources",
        make=appoint_liaison,
    ),
    "Mutation.addRoutingTerm": Rule(roles=frozenset({Role.ADMIN}), make=add_routing_term),
    "Mutation.removeRoutingTerm": Rule(roles=frozenset({Role.ADMIN}), make=remove_routing_term),
    "Query.cypher": Rule(roles=frozenset({Role.ANALYST}), make=cypher, audited=False),
}
