"""The audit trail as a private read: who changed what, when, in which role, for which
department, a page at a time.

Admins and analysts read it; officers do not (FORBIDDEN), because the trail spans every
department's work, including cases an officer may not read, and each entry's `changes` carries
the values written. An officer sees their own department's work through the typed reads (a
case's history, a mine's history), which apply the per-case rules.

Filters: actors, acting departments, operations, roles, a date range on when the entry was
recorded (UTC days, inclusive), and one entity: a case (entries that changed it) or a mine
(entries that changed it, one of its cases or one of its penalties).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from graph import audit
from graph.audit import AuditEntry, AuditFilter, AuditSort, ChangedRecord
from resolvers import dates
from resolvers.auth import Role, require_role
from resolvers.case_steps import known_departments
from resolvers.context import Context
from resolvers.pagination import Page, make_page, page_request

AUDIT_LIST = "auditTrail"
ACTION = "reading the audit trail"
READERS = (Role.ADMIN, Role.ANALYST)


class ActorRole(StrEnum):
    """The role an entry's actor acted in (as stored: `resolvers.auth.Role` values)."""

    OFFICER = Role.OFFICER.value
    ADMIN = Role.ADMIN.value
    ANALYST = Role.ANALYST.value


@dataclass(frozen=True)
class AuditQuery:
    actors: list[str] | None = None
    departments: list[str] | None = None
    operations: list[str] | None = None
    roles: list[ActorRole] | None = None
    recorded_from: dt.date | None = None
    recorded_to: dt.date | None = None
    licence_number: str | None = None
    case_id: str | None = None


async def page_of_entries(
    ctx: Context,
    *,
    first: int | None,
    after: str | None,
    query: AuditQuery,
    sort: AuditSort,
) -> Page[AuditEntry]:
    require_role(await ctx.actor(), *READERS, action=ACTION)
    request = page_request(first, after, list_name=AUDIT_LIST, sort=sort.value)
    if query.departments:
        await known_departments(ctx, query.departments, field="filter.departments")
    dates.range_in_order(
        query.recorded_from,
        query.recorded_to,
        start_field="filter.recordedFrom",
        end_field="filter.recordedTo",
    )
    day_after = query.recorded_to + dt.timedelta(days=1) if query.recorded_to else None
    audit_filter = AuditFilter(
        actors=query.actors,
        departments=query.departments,
        operations=query.operations,
        roles=[r.value for r in query.roles] if query.roles is not None else None,
        at_from=query.recorded_from.isoformat() if query.recorded_from else None,
        at_before=day_after.isoformat() if day_after else None,
        mine=query.licence_number.strip().upper() if query.licence_number else None,
        case=query.case_id.strip() if query.case_id else None,
    )
    rows = await audit.page(
        ctx.engine,
        audit_filter,
        sort,
        after_key=request.after_key,
        after_id=request.after_id,
        limit=request.limit,
    )

    async def total() -> int:
        return await audit.count(ctx.engine, audit_filter)

    page = make_page(
        rows,
        request,
        list_name=AUDIT_LIST,
        sort=sort.value,
        key_of=lambda r: r.sort_key,
        id_of=lambda r: r.entry.id,
        total=total,
    )
    return Page(
        [r.entry for r in page.items], page.cursors, page.has_next, page.has_previous, page.total
    )


async def changed(ctx: Context, entry_id: str) -> list[ChangedRecord]:
    """What an entry is linked to (the page's reader was checked when the page was read)."""
    return await ctx.audit_changed.load(entry_id)
