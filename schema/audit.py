"""The audit trail as GraphQL: `auditTrail(first, after, filter, sort)`, a Relay connection of
audit entries that admins and analysts may read (`@private`); see `resolvers/audit_trail.py`."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from graph.audit import AuditEntry as AuditEntryRecord
from graph.audit import AuditSort, ChangedRecord
from resolvers import audit_trail
from resolvers.audit_trail import ActorRole, AuditQuery
from resolvers.auth import Role
from schema.access import private
from schema.document import Ctx, Department
from schema.pagination import Connection

strawberry.enum(
    AuditSort, name="AuditSort", description="Orders for `auditTrail`; ties break on entry id."
)
strawberry.enum(ActorRole, name="ActorRole", description="The role a change was made in.")


@strawberry.type(description="Something an audit entry is linked to: what the change was about.")
class AuditSubject:
    kind: str = strawberry.field(description="Its label: Mine, Case, Referral, Penalty, ...")
    key: str = strawberry.field(
        description="Its id: a licence number, a case or penalty id, a department code, a term."
    )

    @classmethod
    def from_record(cls, r: ChangedRecord) -> AuditSubject:
        return cls(kind=r.kind, key=r.key)


@strawberry.type(description="One change made to the graph: who, when, what (written with it).")
class AuditEntry:
    id: str
    at: str = strawberry.field(description="When it was recorded, ISO 8601 in UTC.")
    actor: str = strawberry.field(description="The user named by the token (or the operator).")
    role: ActorRole
    department_code: str | None = strawberry.field(description="The department acted for.")
    operation: str = strawberry.field(description="The mutation (or command), e.g. fileCase.")
    summary: str
    changes: JSON = strawberry.field(description="What was written, as a JSON object.")

    @classmethod
    def from_record(cls, r: AuditEntryRecord) -> AuditEntry:
        return cls(
            id=r.id,
            at=r.at,
            actor=r.actor,
            role=ActorRole(r.role),
            department_code=r.department,
            operation=r.operation,
            summary=r.summary,
            changes=JSON(r.changes_value()),
        )

    @strawberry.field
    async def department(self, info: Ctx) -> Department | None:
        if self.department_code is None:
            return None
        record = await info.context.loaders.department.load(self.department_code)
        return Department.from_record(record) if record else None

    @strawberry.field(description="What the change was about, by kind and key.")
    async def changed(self, info: Ctx) -> list[AuditSubject]:
        return [
            AuditSubject.from_record(r) for r in await audit_trail.changed(info.context, self.id)
        ]


@strawberry.input(description="Filter for `auditTrail`; every given criterion must hold.")
class AuditFilter:
    actors: list[str] | None = strawberry.field(default=None, description="Users, exactly.")
    departments: list[str] | None = strawberry.field(
        default=None, description="Department codes acted for."
    )
    operations: list[str] | None = strawberry.field(
        default=None, description="Mutation names, e.g. [fileCase, referCase]."
    )
    roles: list[ActorRole] | None = None
    recorded_from: dt.date | None = strawberry.field(
        default=None, description="UTC day, inclusive."
    )
    recorded_to: dt.date | None = strawberry.field(default=None, description="UTC day, inclusive.")
    licence_number: str | None = strawberry.field(
        default=None,
        description="Entries about this mine: that changed it, one of its cases or its penalties.",
    )
    case_id: str | None = strawberry.field(
        default=None, description="Entries that changed this case (filing, steps, decision...)."
    )

    def query(self) -> AuditQuery:
        return AuditQuery(
            actors=self.actors,
            departments=self.departments,
            operations=self.operations,
            roles=self.roles,
            recorded_from=self.recorded_from,
            recorded_to=self.recorded_to,
            licence_number=self.licence_number,
            case_id=self.case_id,
        )


First = Annotated[int | None, strawberry.argument(description="Page size, ≤ 100.")]


@strawberry.type
class AuditQueries:
    @strawberry.field(
        description="Every change made to the graph, newest first (admins and analysts).",
        directives=[private(Role.ADMIN, Role.ANALYST)],
    )
    async def audit_trail(
        self,
        info: Ctx,
        first: First = 20,
        after: str | None = None,
        filter: AuditFilter | None = None,
        sort: AuditSort = AuditSort.AT_DESC,
    ) -> Connection[AuditEntry]:
        page = await audit_trail.page_of_entries(
            info.context,
            first=first,
            after=after,
            query=filter.query() if filter else AuditQuery(),
            sort=sort,
        )
        return Connection.from_page(page, AuditEntry.from_record)
