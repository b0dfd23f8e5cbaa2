"""Reads of the document graph: departments, liaisons, duties, removal conditions, clauses,
the joint meeting, rules, procedures, registers. Batched reads take a list of keys (for
DataLoaders) and answer in one round trip. Each query returns columns named like the fields of
the record it maps to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from graph import statements
from graph.engine import Engine
from graph.values import Result

R = TypeVar("R")


def _map(result: Result, record_type: type[R]) -> list[R]:
    return [record_type(**row) for row in result.records]


def _group(result: Result, key: str, record_type: type[R]) -> dict[Any, list[R]]:
    grouped: dict[Any, list[R]] = defaultdict(list)
    for row in result.records:
        grouped[row.pop(key)].append(record_type(**row))
    return grouped


def _index_many(records: list[R], key: Callable[[R], Any]) -> dict[Any, list[R]]:
    grouped: dict[Any, list[R]] = defaultdict(list)
    for record in records:
        grouped[key(record)].append(record)
    return grouped


# -- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentRecord:
    code: str
    title_zh: str
    title_en: str
    attachment_zh: str


@dataclass(frozen=True)
class ClauseRecord:
    ref: str
    title_zh: str
    title_en: str
    heading: str
    marker: str
    text_zh: str
    order: int
    parent_ref: str | None


@dataclass(frozen=True)
class DepartmentRecord:
    code: str
    name_zh: str
    name_en: str
    short_name_zh: str
    sector_zh: str
    order: int
    clause_ref: str | None


@dataclass(frozen=True)
class LiaisonRecord:
    person_id: str
    name: str
    department_code: str
    since: str | None
    until: str | None
    source: str | None
    phone: str | None


@dataclass(frozen=True)
class DutyRecord:
    code: str
    title_zh: str
    title_en: str
    text_zh: str
    order: int
    clause_ref: str | None


@dataclass(frozen=True)
class AssignmentRecord:
    """A RESPONSIBLE_FOR or COMPETENT_FOR link: which department, on what basis, and why."""

    department_code: str
    basis: str
    clause_ref: str | None
    reason_zh: str


@dataclass(frozen=True)
class MetricRecord:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class RemovalConditionRecord:
    number: int
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str
    clause_ref: str | None


@dataclass(frozen=True)
class JointMeetingRecord:
    code: str
    name_zh: str
    name_en: str
    attendance_zh: str
    convener_code: str
    clause_ref: str | None


@dataclass(frozen=True)
class AgendaItemRecord:
    number: int
    text_zh: str
    text_en: str


@dataclass(frozen=True)
class RuleRecord:
    code: str
    kind: str
    text_zh: str
    text_en: str
    value: float | None
    unit: str
    scale: str | None
    stage: str | None
    year: int | None
    due: str | None
    clause_ref: str | None


@dataclass(frozen=True)
class WorkRequirementRecord:
    number: int
    title_zh: str
    title_en: str
    text_zh: str
    clause_ref: str | None


@dataclass(frozen=True)
class ProcedureRecord:
    code: str
    name_zh: str
    name_en: str
    clause_ref: str | None


@dataclass(frozen=True)
class ProcedureStepRecord:
    code: str
    order: int
    text_zh: str
    text_en: str
    actor_role_zh: str
    actor_code: str | None


@dataclass(frozen=True)
class RegisterRecord:
    code: str
    name_zh: str
    name_en: str
    external: bool
    keeper_codes: list[str]
    clause_ref: str | None


@dataclass(frozen=True)
class PrincipleRecord:
    code: str
    name_zh: str
    name_en: str


# -- statements ----------------------------------------------------------------------------

DOCUMENT = statements.read(
    "document.get",
    """
    MATCH (d:Document)
    RETURN d.code AS code, d.titleZh AS title_zh, d.titleEn AS title_en,
           d.attachmentZh AS attachment_zh
    LIMIT 1
    """,
)

_CLAUSE_COLUMNS = """
    c.ref AS ref, c.titleZh AS title_zh, c.titleEn AS title_en, c.heading AS heading,
    c.marker AS marker, c.textZh AS text_zh, c.order AS order, p.ref AS parent_ref
"""

CLAUSES = statements.read(
    "document.clauses",
    f"""
    MATCH (c:Clause)
    OPTIONAL MATCH (c)-[:PART_OF]->(p:Clause)
    RETURN {_CLAUSE_COLUMNS}
    ORDER BY c.order
    """,
)

CLAUSES_BY_REF = statements.read(
    "document.clauses_by_ref",
    f"""
    UNWIND $refs AS ref
    MATCH (c:Clause {{ref: ref}})
    OPTIONAL MATCH (c)-[:PART_OF]->(p:Clause)
    RETURN {_CLAUSE_COLUMNS}
    """,
)

CLAUSE_CHILDREN = statements.read(
    "document.clause_children",
    f"""
    UNWIND $refs AS ref
    MATCH (c:Clause)-[:PART_OF]->(p:Clause {{ref: ref}})
    RETURN {_CLAUSE_COLUMNS}
    ORDER BY c.order
    """,
)

_DEPARTMENT_COLUMNS = """
    d.code AS code, d.nameZh AS name_zh, d.nameEn AS name_en, d.shortNameZh AS short_name_zh,
    d.sectorZh AS sector_zh, d.order AS order, c.ref AS clause_ref
"""

DEPARTMENTS = statements.read(
    "document.departments",
    f"""
    MATCH (d:Department)
    OPTIONAL MATCH (d)-[:FROM_CLAUSE]->(c:Clause)
    RETURN {_DEPARTMENT_COLUMNS}
    ORDER BY d.order
    """,
)

DEPARTMENTS_BY_CODE = statements.read(
    "document.departments_by_code",
    f"""
    UNWIND $codes AS code
    MATCH (d:Department {{code: code}})
    OPTIONAL MATCH (d)-[:FROM_CLAUSE]->(c:Clause)
    RETURN {_DEPARTMENT_COLUMNS}
    """,
)

_LIAISON_COLUMNS = """
    p.id AS person_id, p.name AS name, d.code AS department_code, l.since AS since,
    l.until AS until, l.source AS source, l.phone AS phone
"""

CURRENT_LIAISONS = statements.read(
    "document.current_liaisons",
    f"""
    UNWIND $codes AS code
    MATCH (p:Person)-[l:LIAISON_OF]->(d:Department {{code: code}})
    WHERE l.until IS NULL
    RETURN {_LIAISON_COLUMNS}
    """,
)

LIAISON_HISTORY = statements.read(
    "document.liaison_history",
    f"""
    UNWIND $codes AS code
    MATCH (p:Person)-[l:LIAISON_OF]->(d:Department {{code: code}})
    RETURN {_LIAISON_COLUMNS}
    ORDER BY l.since, p.id
    """,
)

_DUTY_COLUMNS = """
    u.code AS code, u.titleZh AS title_zh, u.titleEn AS title_en, u.textZh AS text_zh,
    u.order AS order, c.ref AS clause_ref
"""

DUTIES = statements.read(
    "document.duties",
    f"""
    MATCH (u:Duty)
    OPTIONAL MATCH (u)-[:FROM_CLAUSE]->(c:Clause)
    RETURN {_DUTY_COLUMNS}
    ORDER BY u.order
    """,
)

DUTIES_BY_CODE = statements.read(
    "document.duties_by_code",
    f"""
    UNWIND $codes AS code
    MATCH (u:Duty {{code: code}})
    OPTIONAL MATCH (u)-[:FROM_CLAUSE]->(c:Clause)
    RETURN {_DUTY_COLUMNS}
    """,
)

DUTIES_OF_DEPARTMENTS = statements.read(
    "document.duties_of_departments",
    f"""
    UNWIND $codes AS department
    MATCH (:Department {{code: department}})-[:RESPONSIBLE_FOR]->(u:Duty)
    OPTIONAL MATCH (u)-[:FROM_CLAUSE]->(c:Clause)
    RETURN department, {_DUTY_COLUMNS}
    ORDER BY u.order
    """,
)

_ASSIGNMENT_COLUMNS = """
    d.code AS department_code, a.basis AS basis, a.clause AS clause_ref, a.reasonZh AS reason_zh
"""

ASSIGNMENTS_OF_DUTIES = statements.read(
    "document.assignments_of_duties",
    f"""
    UNWIND $codes AS duty
    MATCH (d:Department)-[a:RESPONSIBLE_FOR]->(:Duty {{code: duty}})
    RETURN duty, {_ASSIGNMENT_COLUMNS}
    ORDER BY a.basis, d.order
    """,
)

METRICS_OF_DUTIES = statements.read(
    "document.metrics_of_duties",
    """
    UNWIND $codes AS duty
    MATCH (:Duty {code: duty})-[:HAS_METRIC]->(m:Metric)
    RETURN duty, m.code AS code, m.nameZh AS name_zh, m.nameEn AS name_en
    ORDER BY m.order
    """,
)

_CONDITION_COLUMNS = """
    x.number AS number, x.titleZh AS title_zh, x.titleEn AS title_en, x.textZh AS text_zh,
    x.textEn AS text_en, c.ref AS clause_ref
"""

REMOVAL_CONDITIONS = statements.read(
    "document.removal_conditions",
    f"""
    MATCH (x:RemovalCondition)
    OPTIONAL MATCH (x)-[:FROM_CLAUSE]->(c:Clause)
    RETURN {_CONDITION_COLUMNS}
    ORDER BY x.number
    """,
)

REMOVAL_CONDITIONS_BY_NUMBER = statements.read(
    "document.removal_conditions_by_number",
    f"""
    UNWIND $numbers AS number
    MATCH (x:RemovalCondition {{number: number}})
    OPTIONAL MATCH (x)-[:FROM_CLAUSE]->(c:Clause)
    RETURN {_CONDITION_COLUMNS}
    """,
)

COMPETENCE_FOR_CONDITIONS = statements.read(
    "document.competence_for_conditions",
    f"""
    UNWIND $numbers AS number
    MATCH (d:Department)-[a:COMPETENT_FOR]->(:RemovalCondition {{number: number}})
    RETURN number, {_ASSIGNMENT_COLUMNS}
    ORDER BY a.order
    """,
)

CONDITIONS_OF_DEPARTMENTS = statements.read(
    "document.conditions_of_departments",
    f"""
    UNWIND $codes AS department
    MATCH (:Department {{code: department}})-[:COMPETENT_FOR]->(x:RemovalCondition)
    OPTIONAL MATCH (x)-[:FROM_CLAUSE]->(c:Clause)
    RETURN department, {_CONDITION_COLUMNS}
    ORDER BY x.number
    """,
)

DUTIES_OF_CONDITIONS = statements.read(
    "document.duties_of_conditions",
    f"""
    UNWIND $numbers AS number
    MATCH (:RemovalCondition {{number: number}})-[:BROUGHT_TO_LIGHT_BY]->(u:Duty)
    OPTIONAL MATCH (u)-[:FROM_CLAUSE]->(c:Clause)
    RETURN number, {_DUTY_COLUMNS}
    ORDER BY u.order
    """,
)

JOINT_MEETING = statements.read(
    "document.joint_meeting",
    """
    MATCH (j:JointMeeting)-[:CONVENED_BY]->(d:Department)
    OPTIONAL MATCH (j)-[:FROM_CLAUSE]->(c:Clause)
    RETURN j.code AS code, j.nameZh AS name_zh, j.nameEn AS name_en,
           j.attendanceZh AS attendance_zh, d.code AS convener_code, c.ref AS clause_ref
    LIMIT 1
    """,
)

JOINT_MEETING_MEMBERS = statements.read(
    "document.joint_meeting_members",
    """
    MATCH (d:Department)-[:MEMBER_OF]->(:JointMeeting {code: $code})
    RETURN d.code AS code
    ORDER BY d.order
    """,
)

AGENDA = statements.read(
    "document.joint_meeting_agenda",
    """
    MATCH (:JointMeeting {code: $code})-[:HAS_AGENDA_ITEM]->(a:AgendaItem)
    RETURN a.number AS number, a.textZh AS text_zh, a.textEn AS text_en
    ORDER BY a.number
    """,
)

RULES = statements.read(
    "document.rules",
    """
    MATCH (x:Rule)
    OPTIONAL MATCH (x)-[:FROM_CLAUSE]->(c:Clause)
    RETURN x.code AS code, x.kind AS kind, x.textZh AS text_zh, x.textEn AS text_en,
           x.value AS value, x.unit AS unit, x.scale AS scale, x.stage AS stage,
           x.year AS year, x.due AS due, c.ref AS clause_ref
    ORDER BY c.order, x.code
    """,
)

WORK_REQUIREMENTS = statements.read(
    "document.work_requirements",
    """
    MATCH (w:WorkRequirement)
    OPTIONAL MATCH (w)-[:FROM_CLAUSE]->(c:Clause)
    RETURN w.number AS number, w.titleZh AS title_zh, w.titleEn AS title_en,
           w.textZh AS text_zh, c.ref AS clause_ref
    ORDER BY w.number
    """,
)

PROCEDURES = statements.read(
    "document.procedures",
    """
    MATCH (p:Procedure)
    OPTIONAL MATCH (p)-[:FROM_CLAUSE]->(c:Clause)
    RETURN p.code AS code, p.nameZh AS name_zh, p.nameEn AS name_en, c.ref AS clause_ref
    ORDER BY c.order
    """,
)

PROCEDURE_STEPS = statements.read(
    "document.procedure_steps",
    """
    UNWIND $codes AS procedure
    MATCH (:Procedure {code: procedure})-[:HAS_STEP]->(s:ProcedureStep)
    OPTIONAL MATCH (s)-[:PERFORMED_BY]->(d:Department)
    RETURN procedure, s.code AS code, s.order AS order, s.textZh AS text_zh,
           s.textEn AS text_en, s.actorRoleZh AS actor_role_zh, d.code AS actor_code
    ORDER BY s.order
    """,
)

REGISTERS = statements.read(
    "document.registers",
    """
    MATCH (x:Register)
    OPTIONAL MATCH (x)-[:FROM_CLAUSE]->(c:Clause)
    OPTIONAL MATCH (x)-[:MAINTAINED_BY]->(d:Department)
    WITH x, c, d ORDER BY d.order
    RETURN x.code AS code, x.nameZh AS name_zh, x.nameEn AS name_en, x.external AS external,
           collect(d.code) AS keeper_codes, c.ref AS clause_ref
    ORDER BY code
    """,
)

PRINCIPLES = statements.read(
    "document.principles",
    """
    MATCH (x:Principle)
    RETURN x.code AS code, x.nameZh AS name_zh, x.nameEn AS name_en
    ORDER BY x.order
    """,
)


# -- queries -------------------------------------------------------------------------------


async def document(engine: Engine) -> DocumentRecord | None:
    records = _map(await engine.read(DOCUMENT), DocumentRecord)
    return records[0] if records else None


async def clauses(engine: Engine) -> list[ClauseRecord]:
    return _map(await engine.read(CLAUSES), ClauseRecord)


async def clauses_by_ref(engine: Engine, refs: Sequence[str]) -> dict[str, ClauseRecord]:
    records = _map(await engine.read(CLAUSES_BY_REF, {"refs": list(refs)}), ClauseRecord)
    return {r.ref: r for r in records}


async def clause_children(engine: Engine, refs: Sequence[str]) -> dict[str, list[ClauseRecord]]:
    records = _map(await engine.read(CLAUSE_CHILDREN, {"refs": list(refs)}), ClauseRecord)
    return _index_many(records, lambda r: r.parent_ref)


async def departments(engine: Engine) -> list[DepartmentRecord]:
    return _map(await engine.read(DEPARTMENTS), DepartmentRecord)


async def departments_by_code(engine: Engine, codes: Sequence[str]) -> dict[str, DepartmentRecord]:
    result = await engine.read(DEPARTMENTS_BY_CODE, {"codes": list(codes)})
    return {r.code: r for r in _map(result, DepartmentRecord)}


async def current_liaisons(engine: Engine, codes: Sequence[str]) -> dict[str, LiaisonRecord]:
    result = await engine.read(CURRENT_LIAISONS, {"codes": list(codes)})
    return {r.department_code: r for r in _map(result, LiaisonRecord)}


async def liaison_history(engine: Engine, codes: Sequence[str]) -> dict[str, list[LiaisonRecord]]:
    records = _map(await engine.read(LIAISON_HISTORY, {"codes": list(codes)}), LiaisonRecord)
    return _index_many(records, lambda r: r.department_code)


async def duties(engine: Engine) -> list[DutyRecord]:
    return _map(await engine.read(DUTIES), DutyRecord)


async def duties_by_code(engine: Engine, codes: Sequence[str]) -> dict[str, DutyRecord]:
    result = await engine.read(DUTIES_BY_CODE, {"codes": list(codes)})
    return {r.code: r for r in _map(result, DutyRecord)}


async def duties_of_departments(
    engine: Engine, codes: Sequence[str]
) -> dict[str, list[DutyRecord]]:
    result = await engine.read(DUTIES_OF_DEPARTMENTS, {"codes": list(codes)})
    return _group(result, "department", DutyRecord)


async def assignments_of_duties(
    engine: Engine, codes: Sequence[str]
) -> dict[str, list[AssignmentRecord]]:
    result = await engine.read(ASSIGNMENTS_OF_DUTIES, {"codes": list(codes)})
    return _group(result, "duty", AssignmentRecord)


async def metrics_of_duties(engine: Engine, codes: Sequence[str]) -> dict[str, list[MetricRecord]]:
    result = await engine.read(METRICS_OF_DUTIES, {"codes": list(codes)})
    return _group(result, "duty", MetricRecord)


async def removal_conditions(engine: Engine) -> list[RemovalConditionRecord]:
    return _map(await engine.read(REMOVAL_CONDITIONS), RemovalConditionRecord)


async def removal_conditions_by_number(
    engine: Engine, numbers: Sequence[int]
) -> dict[int, RemovalConditionRecord]:
    result = await engine.read(REMOVAL_CONDITIONS_BY_NUMBER, {"numbers": list(numbers)})
    return {r.number: r for r in _map(result, RemovalConditionRecord)}


async def competence_for_conditions(
    engine: Engine, numbers: Sequence[int]
) -> dict[int, list[AssignmentRecord]]:
    result = await engine.read(COMPETENCE_FOR_CONDITIONS, {"numbers": list(numbers)})
    return _group(result, "number", AssignmentRecord)


async def conditions_of_departments(
    engine: Engine, codes: Sequence[str]
) -> dict[str, list[RemovalConditionRecord]]:
    result = await engine.read(CONDITIONS_OF_DEPARTMENTS, {"codes": list(codes)})
    return _group(result, "department", RemovalConditionRecord)


async def duties_of_conditions(
    engine: Engine, numbers: Sequence[int]
) -> dict[int, list[DutyRecord]]:
    result = await engine.read(DUTIES_OF_CONDITIONS, {"numbers": list(numbers)})
    return _group(result, "number", DutyRecord)


async def joint_meeting(engine: Engine) -> JointMeetingRecord | None:
    records = _map(await engine.read(JOINT_MEETING), JointMeetingRecord)
    return records[0] if records else None


async def joint_meeting_members(engine: Engine, code: str) -> list[str]:
    result = await engine.read(JOINT_MEETING_MEMBERS, {"code": code})
    return [str(row["code"]) for row in result.records]


async def agenda(engine: Engine, code: str) -> list[AgendaItemRecord]:
    return _map(await engine.read(AGENDA, {"code": code}), AgendaItemRecord)


async def rules(engine: Engine) -> list[RuleRecord]:
    return _map(await engine.read(RULES), RuleRecord)


async def work_requirements(engine: Engine) -> list[WorkRequirementRecord]:
    return _map(await engine.read(WORK_REQUIREMENTS), WorkRequirementRecord)


async def procedures(engine: Engine) -> list[ProcedureRecord]:
    return _map(await engine.read(PROCEDURES), ProcedureRecord)


async def procedure_steps(
    engine: Engine, codes: Sequence[str]
) -> dict[str, list[ProcedureStepRecord]]:
    result = await engine.read(PROCEDURE_STEPS, {"codes": list(codes)})
    return _group(result, "procedure", ProcedureStepRecord)


async def registers(engine: Engine) -> list[RegisterRecord]:
    return _map(await engine.read(REGISTERS), RegisterRecord)


async def principles(engine: Engine) -> list[PrincipleRecord]:
    return _map(await engine.read(PRINCIPLES), PrincipleRecord)
