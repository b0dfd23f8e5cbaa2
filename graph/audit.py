"""Who did what: every mutation writes an AuditEntry in the same statement as its change.

Write statements include `AUDIT_CREATE` (a Cypher fragment binding `audit`) and then link it to
what changed with `(audit)-[:CHANGED]->(x)`, so a change and its record land or fail together.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph import statements
from graph.engine import Engine

AUDIT_CREATE = """
CREATE (audit:AuditEntry {id: $audit.id, at: $audit.at, actor: $audit.actor,
        role: $audit.role, department: $audit.department, operation: $audit.operation,
        summary: $audit.summary, changes: $audit.changes})
"""


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: str
    actor: str
    role: str
    department: str | None
    operation: str
    summary: str
    #: what changed, as JSON text (a property value both engines store as is)
    changes: str

    @staticmethod
    def changes_json(changes: Mapping[str, Any]) -> str:
        return json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str)

    def params(self) -> dict[str, object]:
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "role": self.role,
            "department": self.department,
            "operation": self.operation,
            "summary": self.summary,
            "changes": self.changes,
        }


RECENT = statements.read(
    "audit.recent",
    """
    MATCH (a:AuditEntry)
    WHERE a.at >= $since
    RETURN a.id AS id, a.at AS at, a.actor AS actor, a.role AS role,
           a.department AS department, a.operation AS operation, a.summary AS summary,
           a.changes AS changes
    ORDER BY a.at DESC
    LIMIT $limit
    """,
)


async def recent(engine: Engine, *, since: str, limit: int) -> list[AuditEntry]:
    result = await engine.read(RECENT, {"since": since, "limit": limit})
    return [AuditEntry(**row) for row in result.records]
