"""API tokens, stored hashed. The secret part of a token is never stored or logged."""

from __future__ import annotations

from dataclasses import dataclass

from graph import statements
from graph.audit import AUDIT_CREATE, AuditEntry
from graph.engine import Engine


@dataclass(frozen=True)
class TokenRecord:
    id: str
    secret_hash: str
    role: str
    user: str
    department: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None


_COLUMNS = """
    t.id AS id, t.secretHash AS secret_hash, t.role AS role, t.user AS user,
    t.department AS department, t.createdAt AS created_at, t.expiresAt AS expires_at,
    t.revokedAt AS revoked_at
"""

CREATE = statements.write(
    "tokens.create",
    f"""
    MATCH (d:Department {{code: $department}})
    CREATE (t:ApiToken {{id: $id, secretHash: $secretHash, role: $role, user: $user,
            department: $department, createdAt: $createdAt, expiresAt: $expiresAt}})
    CREATE (t)-[:ACTS_FOR]->(d)
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(t)
    RETURN {_COLUMNS}
    """,
)

FIND = statements.read(
    "tokens.find",
    f"MATCH (t:ApiToken {{id: $id}}) RETURN {_COLUMNS}",
)

LIST = statements.read(
    "tokens.list",
    f"MATCH (t:ApiToken) RETURN {_COLUMNS} ORDER BY t.createdAt",
)

REVOKE = statements.write(
    "tokens.revoke",
    f"""
    MATCH (t:ApiToken {{id: $id}})
    SET t.revokedAt = coalesce(t.revokedAt, $at)
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(t)
    RETURN {_COLUMNS}
    """,
)


async def create(engine: Engine, token: TokenRecord, audit: AuditEntry) -> TokenRecord | None:
    """Store a token; None when its department does not exist."""
    result = await engine.write(
        CREATE,
        {
            "id": token.id,
            "secretHash": token.secret_hash,
            "role": token.role,
            "user": token.user,
            "department": token.department,
            "createdAt": token.created_at,
            "expiresAt": token.expires_at,
            "audit": audit.params(),
        },
    )
    row = result.single()
    return TokenRecord(**row) if row else None


async def find(engine: Engine, token_id: str) -> TokenRecord | None:
    row = (await engine.read(FIND, {"id": token_id})).single()
    return TokenRecord(**row) if row else None


async def all_tokens(engine: Engine) -> list[TokenRecord]:
    return [TokenRecord(**row) for row in (await engine.read(LIST)).records]


async def revoke(engine: Engine, token_id: str, at: str, audit: AuditEntry) -> TokenRecord | None:
    row = (await engine.write(REVOKE, {"id": token_id, "at": at, "audit": audit.params()})).single()
    return TokenRecord(**row) if row else None
