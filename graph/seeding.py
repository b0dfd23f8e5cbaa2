"""Idempotent writes that put the source document into the graph.

Every statement MERGEs on natural keys, so running the seed again creates nothing new; SET
refreshes the text, so a corrected translation reaches the graph on the next seed. Every node
taken from the document gets a `FROM_CLAUSE` relationship to the Clause it comes from.
Rows are filtered in Python, never with WHERE after a MERGE (see DESIGN.md on FalkorDB 4.16).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from graph import statements
from graph.engine import Engine
from graph.values import WriteStats

Rows = Sequence[Mapping[str, object]]

DOCUMENT = statements.write(
    "seed.document",
    """
    MERGE (d:Document {code: $code})
    SET d.titleZh = $titleZh, d.titleEn = $titleEn, d.attachmentZh = $attachmentZh
    """,
)

CLAUSES = statements.write(
    "seed.clauses",
    """
    UNWIND $rows AS r
    MERGE (c:Clause {ref: r.ref})
    SET c.titleZh = r.titleZh, c.titleEn = r.titleEn, c.heading = r.heading,
        c.marker = r.marker, c.textZh = r.textZh, c.order = r.order
    """,
)

TOP_CLAUSES = statements.write(
    "seed.clauses.top",
    """
    MATCH (d:Document {code: $document})
    UNWIND $refs AS ref
    MATCH (c:Clause {ref: ref})
    MERGE (c)-[:PART_OF]->(d)
    """,
)

CHILD_CLAUSES = statements.write(
    "seed.clauses.children",
    """
    UNWIND $rows AS r
    MATCH (c:Clause {ref: r.ref}), (p:Clause {ref: r.parent})
    MERGE (c)-[:PART_OF]->(p)
    """,
)

DEPARTMENTS = statements.write(
    "seed.departments",
    """
    MATCH (c:Clause {ref: $clause})
    UNWIND $rows AS r
    MERGE (d:Department {code: r.code})
    SET d.nameZh = r.nameZh, d.nameEn = r.nameEn, d.shortNameZh = r.shortNameZh,
        d.sectorZh = r.sectorZh, d.order = r.order, d.coBuilding = true
    MERGE (d)-[:FROM_CLAUSE]->(c)
    """,
)

# A liaison named by the document starts on the day the graph first learns of them; the
# relationship is only created once, so a successor appointed later is never undone by a re-seed.
LIAISONS = statements.write(
    "seed.liaisons",
    """
    MATCH (c:Clause {ref: $clause})
    UNWIND $rows AS r
    MATCH (d:Department {code: r.department})
    MERGE (p:Person {id: r.id})
    ON CREATE SET p.name = r.name
    MERGE (p)-[:FROM_CLAUSE]->(c)
    MERGE (p)-[l:LIAISON_OF]->(d)
    ON CREATE SET l.since = $today, l.until = null, l.source = 'document'
    """,
)

DUTIES = statements.write(
    "seed.duties",
    """
    UNWIND $rows AS r
    MATCH (c:Clause {ref: r.clause})
    MERGE (u:Duty {code: r.code})
    SET u.titleZh = r.titleZh, u.titleEn = r.titleEn, u.textZh = r.textZh, u.order = r.order
    MERGE (u)-[:FROM_CLAUSE]->(c)
    """,
)

DUTY_ASSIGNMENTS = statements.write(
    "seed.duties.assignments",
    """
    UNWIND $rows AS r
    MATCH (d:Department {code: r.department}), (u:Duty {code: r.target})
    MERGE (d)-[a:RESPONSIBLE_FOR]->(u)
    SET a.basis = r.basis, a.clause = r.clause, a.reasonZh = r.reasonZh
    """,
)

METRICS = statements.write(
    "seed.metrics",
    """
    UNWIND $rows AS r
    MATCH (u:Duty {code: r.duty})-[:FROM_CLAUSE]->(c:Clause)
    MERGE (m:Metric {code: r.code})
    SET m.nameZh = r.nameZh, m.nameEn = r.nameEn, m.order = r.order
    MERGE (u)-[:HAS_METRIC]->(m)
    MERGE (m)-[:FROM_CLAUSE]->(c)
    """,
)

REMOVAL_CONDITIONS = statements.write(
    "seed.removal_conditions",
    """
    UNWIND $rows AS r
    MATCH (c:Clause {ref: r.clause})
    MERGE (x:RemovalCondition {number: r.number})
    SET x.titleZh = r.titleZh, x.titleEn = r.titleEn, x.textZh = r.textZh, x.textEn = r.textEn
    MERGE (x)-[:FROM_CLAUSE]->(c)
    """,
)

COMPETENCE = statements.write(
    "seed.removal_conditions.competence",
    """
    UNWIND $rows AS r
    MATCH (d:Department {code: r.department}), (x:RemovalCondition {number: r.target})
    MERGE (d)-[a:COMPETENT_FOR]->(x)
    SET a.basis = r.basis, a.clause = r.clause, a.reasonZh = r.reasonZh, a.order = r.order
    """,
)

CONDITION_DUTIES = statements.write(
    "seed.removal_conditions.duties",
    """
    UNWIND $rows AS r
    MATCH (x:RemovalCondition {number: r.number}), (u:Duty {code: r.duty})
    MERGE (x)-[:BROUGHT_TO_LIGHT_BY]->(u)
    """,
)

JOINT_MEETING = statements.write(
    "seed.joint_meeting",
    """
    MATCH (c:Clause {ref: $clause}), (convener:Department {code: $convener})
    MERGE (j:JointMeeting {code: $code})
    SET j.nameZh = $nameZh, j.nameEn = $nameEn, j.attendanceZh = $attendanceZh
    MERGE (j)-[:FROM_CLAUSE]->(c)
    MERGE (j)-[:CONVENED_BY]->(convener)
    WITH j, c
    MATCH (member:Department)
    MERGE (member)-[:MEMBER_OF]->(j)
    """,
)

AGENDA = statements.write(
    "seed.joint_meeting.agenda",
    """
    MATCH (j:JointMeeting {code: $meeting})-[:FROM_CLAUSE]->(c:Clause)
    UNWIND $rows AS r
    MERGE (a:AgendaItem {code: r.code})
    SET a.number = r.number, a.textZh = r.textZh, a.textEn = r.textEn
    MERGE (j)-[:HAS_AGENDA_ITEM]->(a)
    MERGE (a)-[:FROM_CLAUSE]->(c)
    """,
)

RULES = statements.write(
    "seed.rules",
    """
    UNWIND $rows AS r
    MATCH (c:Clause {ref: r.clause})
    MERGE (x:Rule {code: r.code})
    SET x.kind = r.kind, x.textZh = r.textZh, x.textEn = r.textEn, x.value = r.value,
        x.unit = r.unit, x.scale = r.scale, x.stage = r.stage, x.year = r.year, x.due = r.due
    MERGE (x)-[:FROM_CLAUSE]->(c)
    """,
)

WORK_REQUIREMENTS = statements.write(
    "seed.work_requirements",
    """
    UNWIND $rows AS r
    MATCH (c:Clause {ref: r.clause})
    MERGE (w:WorkRequirement {number: r.number})
    SET w.titleZh = r.titleZh, w.titleEn = r.titleEn, w.textZh = c.textZh
    MERGE (w)-[:FROM_CLAUSE]->(c)
    """,
)

PROCEDURES = statements.write(
    "seed.procedures",
    """
    UNWIND $rows AS r
    MATCH (c:Clause {ref: r.clause})
    MERGE (p:Procedure {code: r.code})
    SET p.nameZh = r.nameZh, p.nameEn = r.nameEn
    MERGE (p)-[:FROM_CLAUSE]->(c)
    """,
)

PROCEDURE_STEPS = statements.write(
    "seed.procedures.steps",
    """
    UNWIND $rows AS r
    MATCH (p:Procedure {code: r.procedure})-[:FROM_CLAUSE]->(c:Clause)
    MERGE (s:ProcedureStep {code: r.code})
    SET s.order = r.order, s.textZh = r.textZh, s.textEn = r.textEn, s.actorRoleZh = r.actorRoleZh
    MERGE (p)-[:HAS_STEP]->(s)
    MERGE (s)-[:FROM_CLAUSE]->(c)
    """,
)

STEP_ACTORS = statements.write(
    "seed.procedures.actors",
    """
    UNWIND $rows AS r
    MATCH (s:ProcedureStep {code: r.step}), (d:Department {code: r.department})
    MERGE (s)-[:PERFORMED_BY]->(d)
    """,
)

REGISTERS = statements.write(
    "seed.registers",
    """
    UNWIND $rows AS r
    MATCH (c:Clause {ref: r.clause})
    MERGE (x:Register {code: r.code})
    SET x.nameZh = r.nameZh, x.nameEn = r.nameEn, x.external = r.external
    MERGE (x)-[:FROM_CLAUSE]->(c)
    """,
)

REGISTER_KEEPERS = statements.write(
    "seed.registers.keepers",
    """
    UNWIND $rows AS r
    MATCH (x:Register {code: r.register}), (d:Department {code: r.department})
    MERGE (x)-[:MAINTAINED_BY]->(d)
    """,
)

PRINCIPLES = statements.write(
    "seed.principles",
    """
    MATCH (c:Clause {ref: $clause})
    UNWIND $rows AS r
    MERGE (x:Principle {code: r.code})
    SET x.nameZh = r.nameZh, x.nameEn = r.nameEn, x.order = r.order
    MERGE (x)-[:FROM_CLAUSE]->(c)
    """,
)

COUNT_BY_LABEL = statements.read(
    "seed.count_by_label",
    """
    MATCH (n)
    RETURN labels(n)[0] AS label, count(n) AS n
    ORDER BY label
    """,
)

COUNT_RELATIONSHIPS = statements.read(
    "seed.count_relationships",
    "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS n ORDER BY type",
)

HAS_DOCUMENT = statements.read(
    "seed.has_document",
    "MATCH (d:Document {code: $code}) RETURN count(d) AS n",
)


async def apply(
    engine: Engine, statement: statements.Statement, params: Mapping[str, object]
) -> WriteStats:
    result = await engine.write(statement, params)
    return result.stats


async def count_nodes(engine: Engine) -> dict[str, int]:
    result = await engine.read(COUNT_BY_LABEL)
    return {str(r["label"]): int(r["n"]) for r in result.records}


async def count_relationships(engine: Engine) -> dict[str, int]:
    result = await engine.read(COUNT_RELATIONSHIPS)
    return {str(r["type"]): int(r["n"]) for r in result.records}


async def has_document(engine: Engine, code: str) -> bool:
    row = (await engine.read(HAS_DOCUMENT, {"code": code})).single()
    return bool(row and row["n"])
