"""Mutations on liaisons."""

from __future__ import annotations

import datetime as dt

import strawberry

from resolvers import liaisons
from schema.document import Ctx, Department


@strawberry.input(description="A new liaison for a department; the current one's term ends.")
class AppointLiaisonInput:
    department_code: str
    name: str
    since: dt.date = strawberry.field(description="First day of the new liaison's term.")
    phone: str | None = None


@strawberry.type
class LiaisonMutation:
    @strawberry.mutation(
        description="Appoint a department's liaison (officer of that department, or admin)."
    )
    async def appoint_liaison(self, info: Ctx, input: AppointLiaisonInput) -> Department:
        record = await liaisons.appoint(
            info.context,
            department=input.department_code,
            name=input.name,
            since=input.since,
            phone=input.phone,
        )
        return Department.from_record(record)
