"""Registering a batch of mines from a spreadsheet in one statement (`greenmine import mines`).

Each row creates what `registerMine` creates (graph/mines.py `REGISTER`): the mine, its
licences, its first LifecycleEvent; the batch gets one AuditEntry linked to every mine it created.
One statement per batch, so a batch lands whole or not at all (a licence number registered
meanwhile trips the uniqueness constraint and the batch writes nothing). No filter follows the
CREATEs (FalkorDB 4.16, DESIGN.md): the prefecture and the clause are matched first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph import statements
from graph.audit import AUDIT_CREATE, AuditEntry
from graph.engine import Engine

REGISTER_BATCH = statements.write(
    "mine_import.register_batch",
    f"""
    UNWIND $rows AS r
    MATCH (p:Prefecture {{code: r.mine.prefecture}})
    OPTIONAL MATCH (clause:Clause {{ref: r.event.clauseRef}})
    OPTIONAL MATCH (rule:Rule {{code: r.event.ruleCode}})
    CREATE (m:Mine)
    SET m = r.mine
    CREATE (m)-[:IN_PREFECTURE]->(p)
    FOREACH (l IN r.licences |
        CREATE (m)-[:HOLDS]->(:Licence {{key: l.key, kind: l.kind, number: l.number,
                validFrom: l.validFrom, validUntil: l.validUntil, revokedOn: l.revokedOn,
                synthetic: false}}))
    SET m.eventCount = 1, m.status = r.event.toStatus, m.statusSince = r.event.statusSince
    CREATE (m)-[:HAS_EVENT]->(event:LifecycleEvent {{id: r.event.id, seq: 1,
            action: r.event.action, fromStatus: r.event.fromStatus, toStatus: r.event.toStatus,
            occurredOn: r.event.occurredOn, actor: r.event.actor, role: r.event.role,
            department: r.event.department, details: r.event.details,
            clauseRef: r.event.clauseRef, ruleCode: r.event.ruleCode,
            conditionNumber: r.event.conditionNumber, departments: r.event.departments,
            recordedAt: r.event.recordedAt, synthetic: false}})
    FOREACH (_ IN CASE WHEN clause IS NULL THEN [] ELSE [1] END |
        CREATE (event)-[:APPLIES]->(clause))
    FOREACH (_ IN CASE WHEN rule IS NULL THEN [] ELSE [1] END | CREATE (event)-[:APPLIES]->(rule))
    WITH collect(m) AS created
    {AUDIT_CREATE}
    FOREACH (m IN created | CREATE (audit)-[:CHANGED]->(m))
    RETURN size(created) AS created
    """,
)


async def register_batch(
    engine: Engine, rows: Sequence[Mapping[str, object]], audit: AuditEntry
) -> int:
    """Create the mines of `rows` ({mine, licences, event} parameter maps); how many it created.
    A licence number already in the graph raises `ConstraintViolation` and writes nothing."""
    result = await engine.write(
        REGISTER_BATCH, {"rows": [dict(r) for r in rows], "audit": audit.params()}
    )
    row = result.single()
    return int(row["created"]) if row else 0
