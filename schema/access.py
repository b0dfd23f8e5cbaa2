"""Marks on the schema that say who may read a field.

A field that only some roles may read carries `@private(roles: [...])` in the SDL. The mark is
documentation and a contract for the tests (tests/test_authorization.py refuses to pass while a
private field or a mutation lacks an entry in its access table); the check itself is done by the
resolver with `resolvers.auth.require_role`, as for mutations.
"""

from __future__ import annotations

import strawberry
from strawberry.schema_directive import Location

from resolvers.auth import Role


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    description="Only callers with one of these roles may read this field.",
)
class Private:
    roles: list[str]


def private(*roles: Role) -> Private:
    return Private(roles=[role.value for role in roles])


#: fields any caller with a token may read (officer, admin or analyst), but anonymous callers not
SIGNED_IN = private(Role.OFFICER, Role.ADMIN, Role.ANALYST)
