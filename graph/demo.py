"""Bulk writes of the synthetic demo province (`seed/demo/`), in UNWIND batches, and its removal.

Every node written here has `synthetic: true`; the batch itself is a `DemoBatch` node. Removing
the demo deletes every synthetic node of each label, a batch of rows at a time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph import statements
from graph.case_demo import CASE_LABELS
from graph.engine import Engine
from graph.statements import Statement
from graph.values import WriteStats

Rows = Sequence[Mapping[str, object]]

BATCH = statements.write(
    "demo.batch",
    """
    CREATE (b:DemoBatch {id: $batch.id, seed: $batch.seed, mines: $batch.mines,
            generatedFor: $batch.generatedFor, createdAt: $batch.createdAt,
            descriptionZh: $batch.descriptionZh, descriptionEn: $batch.descriptionEn,
            synthetic: true})
    CREATE (audit:AuditEntry {id: $audit.id, at: $audit.at, actor: $audit.actor,
            role: $audit.role, department: $audit.department, operation: $audit.operation,
            summary: $audit.summary, changes: $audit.changes, synthetic: true})
    CREATE (audit)-[:CHANGED]->(b)
    RETURN b.id AS id
    """,
)

BATCHES = statements.read(
    "demo.batches",
    """
    MATCH (b:DemoBatch)
    RETURN b.id AS id, b.seed AS seed, b.mines AS mines, b.createdAt AS created_at
    ORDER BY b.createdAt
    """,
)

MINES = statements.write(
    "demo.mines",
    """
    UNWIND $rows AS r
    MATCH (p:Prefecture {code: r.prefecture})
    CREATE (m:Mine)
    SET m = r
    CREATE (m)-[:IN_PREFECTURE]->(p)
    """,
)

LICENCES = statements.write(
    "demo.licences",
    """
    UNWIND $rows AS r
    MATCH (m:Mine {licenceNumber: r.mine})
    CREATE (m)-[:HOLDS]->(l:Licence)
    SET l = r.props
    """,
)

# no aggregation per row (grouping on the row's map is costly): departments are linked apart
EVENTS = statements.write(
    "demo.events",
    """
    UNWIND $rows AS r
    MATCH (m:Mine {licenceNumber: r.mine})
    OPTIONAL MATCH (clause:Clause {ref: r.props.clauseRef})
    OPTIONAL MATCH (rule:Rule {code: r.props.ruleCode})
    OPTIONAL MATCH (condition:RemovalCondition {number: r.props.conditionNumber})
    CREATE (m)-[:HAS_EVENT]->(e:LifecycleEvent)
    SET e = r.props
    FOREACH (_ IN CASE WHEN clause IS NULL THEN [] ELSE [1] END | CREATE (e)-[:APPLIES]->(clause))
    FOREACH (_ IN CASE WHEN rule IS NULL THEN [] ELSE [1] END | CREATE (e)-[:APPLIES]->(rule))
    FOREACH (_ IN CASE WHEN condition IS NULL THEN [] ELSE [1] END |
        CREATE (e)-[:CITES]->(condition))
    """,
)

EVENT_DEPARTMENTS = statements.write(
    "demo.event_departments",
    """
    UNWIND $rows AS r
    MATCH (e:LifecycleEvent {id: r.event}), (d:Department {code: r.department})
    CREATE (e)-[:WITH_DEPARTMENT]->(d)
    """,
)

OBJECTIONS = statements.write(
    "demo.objections",
    """
    UNWIND $rows AS r
    MATCH (m:Mine {licenceNumber: r.mine}), (recorded:LifecycleEvent {id: r.recordedBy})
    OPTIONAL MATCH (resolved:LifecycleEvent {id: r.resolvedBy})
    CREATE (m)-[:HAS_OBJECTION]->(o:Objection)
    SET o = r.props
    CREATE (recorded)-[:ABOUT]->(o)
    FOREACH (_ IN CASE WHEN resolved IS NULL THEN [] ELSE [1] END |
        CREATE (resolved)-[:ABOUT]->(o))
    """,
)

DRAWS = statements.write(
    "demo.draws",
    """
    UNWIND $rows AS r
    CREATE (d:SpotCheckDraw)
    SET d = r
    """,
)

SAMPLES = statements.write(
    "demo.samples",
    """
    UNWIND $rows AS r
    MATCH (d:SpotCheckDraw {id: r.draw}), (m:Mine {licenceNumber: r.mine})
    CREATE (d)-[:SAMPLED {resultId: r.resultId}]->(m)
    """,
)

RESULTS = statements.write(
    "demo.results",
    """
    UNWIND $rows AS r
    MATCH (d:SpotCheckDraw {id: r.draw}), (m:Mine {licenceNumber: r.mine}),
          (e:LifecycleEvent {id: r.event})
    CREATE (d)-[:HAS_RESULT]->(x:SpotCheckResult)-[:OF_MINE]->(m)
    SET x = r.props
    CREATE (e)-[:ABOUT]->(x)
    """,
)

RECTIFICATIONS = statements.write(
    "demo.rectifications",
    """
    UNWIND $rows AS r
    MATCH (m:Mine {licenceNumber: r.mine}), (res:SpotCheckResult {id: r.result})
    OPTIONAL MATCH (closing:LifecycleEvent {id: r.closedBy})
    CREATE (m)-[:HAS_RECTIFICATION]->(x:Rectification)<-[:REQUIRED]-(res)
    SET x = r.props
    FOREACH (_ IN CASE WHEN closing IS NULL THEN [] ELSE [1] END |
        CREATE (closing)-[:ABOUT]->(x))
    """,
)

SYNTHETIC_LABELS = (
    *CASE_LABELS,
    "LifecycleEvent",
    "Licence",
    "Objection",
    "Rectification",
    "SpotCheckResult",
    "SpotCheckDraw",
    "Mine",
    "AuditEntry",
    "DemoBatch",
)


def _remover(label: str) -> Statement:
    if not label.isalpha():
        raise ValueError(f"{label!r} is not a plain label")
    return statements.write(
        f"demo.remove.{label.lower()}",
        f"""
        MATCH (n:{label})
        WHERE n.synthetic = true
        WITH n LIMIT $limit
        DETACH DELETE n
        RETURN count(*) AS deleted
        """,
    )


REMOVERS: dict[str, Statement] = {label: _remover(label) for label in SYNTHETIC_LABELS}


async def write_batch(engine: Engine, statement: Statement, rows: Rows) -> WriteStats:
    return (await engine.write(statement, {"rows": list(rows)})).stats


async def create_batch(
    engine: Engine, batch: Mapping[str, object], audit: Mapping[str, object]
) -> WriteStats:
    return (await engine.write(BATCH, {"batch": dict(batch), "audit": dict(audit)})).stats


async def batches(engine: Engine) -> list[dict[str, object]]:
    return (await engine.read(BATCHES)).records


async def remove_some(engine: Engine, label: str, limit: int) -> int:
    row = (await engine.write(REMOVERS[label], {"limit": limit})).single()
    return int(row["deleted"]) if row else 0
