"""Who may read and change mines.

Public (anonymous): the published list — mines on the provincial list (LISTED, or
UNDER_RECTIFICATION: a mine stays on the list while it rectifies) with their registry facts
(name, company, mineral, scale, stage, prefecture, county, production start, status, listing date),
and the prefectures. Everything else needs a token of any role: mines not on the list, licences,
lifecycle history, objections, rectifications, spot-check draws and results, screening and targets.

Changes: the registry (registering a mine) is Natural Resources' (it issues mining licences);
each licence is updated by the department that issues it (mining: natural_resources, safety
production: emergency_management, business: market_regulation), as removal condition 1's
competence in the graph says; an admin (of Natural Resources) may do all of these. The list
lifecycle and spot checks are run by an admin of Natural Resources only (二(三)).
"""

from __future__ import annotations

from enum import StrEnum

from resolvers.auth import ADMIN_DEPARTMENT, Actor, Role, require_role
from resolvers.context import Context
from resolvers.errors import Forbidden, Unauthenticated
from resolvers.lifecycle import ON_LIST, ListStatus


class LicenceKind(StrEnum):
    MINING = "MINING"
    SAFETY_PRODUCTION = "SAFETY_PRODUCTION"
    BUSINESS = "BUSINESS"


LICENCE_ISSUERS: dict[LicenceKind, str] = {
    LicenceKind.MINING: "natural_resources",
    LicenceKind.SAFETY_PRODUCTION: "emergency_management",
    LicenceKind.BUSINESS: "market_regulation",
}
LICENCE_NAMES_ZH: dict[LicenceKind, str] = {
    LicenceKind.MINING: "采矿许可证",
    LicenceKind.SAFETY_PRODUCTION: "安全生产许可证",
    LicenceKind.BUSINESS: "营业执照",
}
REGISTRY_DEPARTMENT = ADMIN_DEPARTMENT
PUBLIC_STATUSES: frozenset[ListStatus] = ON_LIST


def is_public(status: str) -> bool:
    return status in PUBLIC_STATUSES


async def signed_in(ctx: Context, action: str) -> Actor:
    actor = await ctx.actor()
    require_signed_in(actor, action)
    return actor


def require_signed_in(actor: Actor, action: str) -> None:
    if actor.is_anonymous:
        raise Unauthenticated(f"{action} needs a bearer token (it is not public information)")


async def list_admin(ctx: Context, action: str) -> Actor:
    """二(三): the provincial list is run by Natural Resources; its admins act for it."""
    actor = await ctx.actor()
    require_role(actor, Role.ADMIN, action=action)
    return actor


def within_remit(actor: Actor, department: str, *, action: str, field: str) -> None:
    """An officer acts only within their department's remit; an admin acts for any."""
    if actor.role is Role.ADMIN:
        return
    if actor.department != department:
        raise Forbidden(
            f"{action} is the remit of {department}; an officer of {actor.department} cannot do it",
            field=field,
        )


async def registry_officer(ctx: Context, action: str) -> Actor:
    actor = await ctx.actor()
    require_role(actor, Role.OFFICER, Role.ADMIN, action=action)
    within_remit(actor, REGISTRY_DEPARTMENT, action=action, field="input")
    return actor
