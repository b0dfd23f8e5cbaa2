"""Who is calling, and what they may do.

Tokens look like `gm_<id>_<secret>`; the graph stores the id and a SHA-256 of the secret (a
random 256-bit secret needs no slow hash). Roles: anonymous reads public information; an officer
acts for their own department; an admin of Natural Resources runs the list, decisions, meetings
and the routing vocabulary; an analyst reads everything, including through read-only Cypher.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeGuard

from graph import tokens
from graph.audit import AuditEntry
from graph.engine import Engine
from graph.tokens import TokenRecord
from resolvers.errors import BadUserInput, Forbidden, NotFound, Unauthenticated

ADMIN_DEPARTMENT = "natural_resources"
TOKEN_PREFIX = "gm"
DEFAULT_TOKEN_DAYS = 365


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    OFFICER = "officer"
    ADMIN = "admin"
    ANALYST = "analyst"


@dataclass(frozen=True)
class Actor:
    user: str
    role: Role
    department: str | None = None
    token_id: str | None = None

    @property
    def is_anonymous(self) -> bool:
        return self.role is Role.ANONYMOUS


ANONYMOUS = Actor(user="anonymous", role=Role.ANONYMOUS)
SYSTEM = Actor(user="system", role=Role.ADMIN, department=ADMIN_DEPARTMENT)


@dataclass(frozen=True)
class IssuedToken:
    token: str
    record: TokenRecord


def now_iso(clock: dt.datetime | None = None) -> str:
    return (clock or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")


def audit_entry(
    actor: Actor,
    operation: str,
    summary: str,
    changes: dict[str, object],
    at: dt.datetime | None = None,
) -> AuditEntry:
    return AuditEntry(
        id=uuid.uuid4().hex,
        at=now_iso(at),
        actor=actor.user,
        role=actor.role.value,
        department=actor.department,
        operation=operation,
        summary=summary,
        changes=AuditEntry.changes_json(changes),
    )


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def claims_sign_in(authorization: str | None) -> TypeGuard[str]:
    """The header names a caller: `authenticate` returns a signed-in actor for it, or raises."""
    return bool(authorization and authorization.strip())


async def authenticate(
    engine: Engine,
    authorization: str | None,
    *,
    admin_token: str | None,
    now: dt.datetime | None = None,
) -> Actor:
    """The actor behind an `Authorization: Bearer ...` header; anonymous without one."""
    if not claims_sign_in(authorization):
        return ANONYMOUS
    scheme, _, token = authorization.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("the Authorization header must be 'Bearer <token>'")
    if admin_token and hmac.compare_digest(token.encode(), admin_token.encode()):
        return Actor(
            user="admin (GREENMINE_ADMIN_TOKEN)", role=Role.ADMIN, department=ADMIN_DEPARTMENT
        )
    prefix, _, rest = token.partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != TOKEN_PREFIX or not token_id or not secret or len(token) > 200:
        raise Unauthenticated("the bearer token is not a GreenMine token")
    record = await tokens.find(engine, token_id)
    if record is None or not hmac.compare_digest(record.secret_hash, _hash(secret)):
        raise Unauthenticated("the bearer token is not valid")
    if record.revoked_at is not None:
        raise Unauthenticated("the bearer token has been revoked")
    if record.expires_at is not None and record.expires_at <= now_iso(now):
        raise Unauthenticated(f"the bearer token expired at {record.expires_at}")
    return Actor(
        user=record.user, role=Role(record.role), department=record.department, token_id=record.id
    )


def require_role(actor: Actor, *roles: Role, action: str) -> None:
    if actor.role in roles:
        return
    if actor.is_anonymous:
        raise Unauthenticated(f"{action} needs a bearer token")
    wanted = " or ".join(r.value for r in roles)
    raise Forbidden(f"{action} needs the {wanted} role; this token is {actor.role.value}")


def require_department(actor: Actor, department: str, *, action: str, field: str) -> None:
    """Officers act only for their own department; admins act for any."""
    if actor.role is Role.ADMIN:
        return
    if actor.department != department:
        raise Forbidden(
            f"{action}: an officer of {actor.department} cannot act for {department}",
            field=field,
        )


async def issue_token(
    engine: Engine,
    *,
    user: str,
    role: Role,
    department: str,
    days: int | None = DEFAULT_TOKEN_DAYS,
    issued_by: Actor = SYSTEM,
    now: dt.datetime | None = None,
) -> IssuedToken:
    user = user.strip()
    if not user or len(user) > 100:
        raise BadUserInput("user must be 1 to 100 characters", field="user")
    if role is Role.ANONYMOUS:
        raise BadUserInput("tokens are for officer, admin or analyst roles", field="role")
    if role is Role.ADMIN and department != ADMIN_DEPARTMENT:
        raise BadUserInput(
            f"an admin acts for {ADMIN_DEPARTMENT}, not {department}", field="department"
        )
    if days is not None and days <= 0:
        raise BadUserInput(f"days must be positive, not {days}", field="days")
    moment = now or dt.datetime.now(dt.UTC)
    token_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    record = TokenRecord(
        id=token_id,
        secret_hash=_hash(secret),
        role=role.value,
        user=user,
        department=department,
        created_at=now_iso(moment),
        expires_at=now_iso(moment + dt.timedelta(days=days)) if days is not None else None,
        revoked_at=None,
    )
    audit = audit_entry(
        issued_by,
        "createToken",
        f"token {token_id} for {user} ({role.value}, {department})",
        {"token": token_id, "user": user, "role": role.value, "department": department},
        at=moment,
    )
    stored = await tokens.create(engine, record, audit)
    if stored is None:
        raise NotFound(f"there is no department with code {department!r}", field="department")
    return IssuedToken(f"{TOKEN_PREFIX}_{token_id}_{secret}", stored)


async def revoke_token(engine: Engine, token_id: str, *, revoked_by: Actor = SYSTEM) -> TokenRecord:
    audit = audit_entry(revoked_by, "revokeToken", f"token {token_id} revoked", {"token": token_id})
    record = await tokens.revoke(engine, token_id, audit.at, audit)
    if record is None:
        raise NotFound(f"there is no token with id {token_id!r}", field="id")
    return record
