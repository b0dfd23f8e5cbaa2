"""Liaison succession: a new liaison replaces the current one, whose term is closed, not erased."""

from __future__ import annotations

from graph import statements
from graph.audit import AUDIT_CREATE, AuditEntry
from graph.engine import Engine

APPOINT = statements.write(
    "liaisons.appoint",
    f"""
    MATCH (d:Department {{code: $department}})
    OPTIONAL MATCH (:Person)-[current:LIAISON_OF]->(d)
    WHERE current.until IS NULL
    SET current.until = $since
    MERGE (p:Person {{id: $personId}})
    ON CREATE SET p.name = $name
    CREATE (p)-[:LIAISON_OF {{since: $since, source: 'appointment', phone: $phone}}]->(d)
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(d)
    CREATE (audit)-[:CHANGED]->(p)
    RETURN d.code AS code
    """,
)


def person_id(department: str, name: str) -> str:
    return f"{department}:{name}"


async def appoint(
    engine: Engine,
    *,
    department: str,
    name: str,
    since: str,
    phone: str | None,
    audit: AuditEntry,
) -> bool:
    """Close the current term and open the new one in one statement; False if no department."""
    result = await engine.write(
        APPOINT,
        {
            "department": department,
            "personId": person_id(department, name),
            "name": name,
            "since": since,
            "phone": phone,
            "audit": audit.params(),
        },
    )
    return result.single() is not None
