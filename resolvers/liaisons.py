"""Appointing a department's liaison (联络人): the note under the table says liaisons change
without a new document, so a successor replaces the current one and the history stays."""

from __future__ import annotations

import datetime as dt

from graph import liaisons
from graph.document import DepartmentRecord
from resolvers import document
from resolvers.auth import Role, audit_entry, require_department, require_role
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict
from resolvers.loaders import forget

MAX_NAME = 50
MAX_PHONE = 40


async def appoint(
    ctx: Context, *, department: str, name: str, since: dt.date, phone: str | None
) -> DepartmentRecord:
    actor = await ctx.actor()
    action = "appointing a liaison"
    require_role(actor, Role.OFFICER, Role.ADMIN, action=action)
    require_department(actor, department, action=action, field="input.departmentCode")
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise BadUserInput(f"input.name must be 1 to {MAX_NAME} characters", field="input.name")
    if phone is not None and (not phone.strip() or len(phone) > MAX_PHONE):
        raise BadUserInput(
            f"input.phone must be 1 to {MAX_PHONE} characters when given", field="input.phone"
        )
    record = await document.department(ctx, department, field="input.departmentCode")
    current = await ctx.loaders.current_liaison.load(department)
    if current is not None:
        if current.name == name:
            raise Conflict(f"{name} is already the liaison of {department}", field="input.name")
        if current.since is not None and since.isoformat() < current.since:
            raise BadUserInput(
                f"input.since ({since.isoformat()}) is before the current liaison's start "
                f"({current.since})",
                field="input.since",
            )
    audit = audit_entry(
        actor,
        "appointLiaison",
        f"{name} replaces {current.name if current else 'nobody'} as liaison of {department}",
        {
            "department": department,
            "name": name,
            "since": since.isoformat(),
            "previous": current.name if current else None,
        },
        at=ctx.clock(),
    )
    await liaisons.appoint(
        ctx.engine,
        department=department,
        name=name,
        since=since.isoformat(),
        phone=phone.strip() if phone else None,
        audit=audit,
    )
    forget(ctx.loaders.current_liaison, department)
    forget(ctx.loaders.liaison_history, department)
    return record
