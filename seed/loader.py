"""Loads the document into the graph, idempotently, and reports what each step created."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from graph import routing, seeding
from graph.engine import Engine
from graph.liaisons import person_id
from graph.statements import Statement
from graph.values import WriteStats
from seed.document import DOCUMENT, full_text
from seed.model import Document
from seed.routing_terms import TERMS as ROUTING_TERMS
from seed.routing_vocabulary import seed_vocabulary


@dataclass
class SeedReport:
    steps: list[tuple[str, WriteStats]] = field(default_factory=list)
    schema_created: list[str] = field(default_factory=list)

    @property
    def total(self) -> WriteStats:
        total = WriteStats()
        for _, stats in self.steps:
            total = total + stats
        return total


Progress = Callable[[str, WriteStats], None]


async def seed_document(
    engine: Engine,
    document: Document = DOCUMENT,
    *,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> SeedReport:
    """Create constraints and indexes, then MERGE the whole document. Safe to run again."""
    report = SeedReport(schema_created=await engine.ensure_schema())
    for name, statement, params in _steps(document, (today or dt.date.today()).isoformat()):
        stats = await seeding.apply(engine, statement, params)
        report.steps.append((name, stats))
        if progress is not None:
            progress(name, stats)
    for name, stats in await seed_vocabulary(engine, ROUTING_TERMS):
        report.steps.append((name, stats))
        if progress is not None:
            progress(name, stats)
    return report


def _steps(doc: Document, today: str) -> list[tuple[str, Statement, dict[str, object]]]:
    clause_rows = [
        {
            "ref": c.ref,
            "titleZh": c.title_zh,
            "titleEn": c.title_en,
            "heading": c.heading,
            "marker": c.marker,
            "textZh": full_text(c, doc.clauses),
            "order": i,
        }
        for i, c in enumerate(doc.clauses)
    ]
    meeting = doc.joint_meeting
    return [
        (
            "document",
            seeding.DOCUMENT,
            {
                "code": doc.code,
                "titleZh": doc.title_zh,
                "titleEn": doc.title_en,
                "attachmentZh": doc.attachment_zh,
            },
        ),
        ("clauses", seeding.CLAUSES, {"rows": clause_rows}),
        (
            "clause hierarchy",
            seeding.TOP_CLAUSES,
            {"document": doc.code, "refs": [c.ref for c in doc.clauses if c.parent is None]},
        ),
        (
            "clause hierarchy",
            seeding.CHILD_CLAUSES,
            {"rows": [{"ref": c.ref, "parent": c.parent} for c in doc.clauses if c.parent]},
        ),
        (
            "departments",
            seeding.DEPARTMENTS,
            {"clause": "序", "rows": [d.row(i) for i, d in enumerate(doc.departments)]},
        ),
        (
            "liaisons",
            seeding.LIAISONS,
            {
                "clause": doc.liaison_clause,
                "today": today,
                "rows": [
                    {"id": person_id(d.code, d.liaison), "name": d.liaison, "department": d.code}
                    for d in doc.departments
                ],
            },
        ),
        (
            "duties",
            seeding.DUTIES,
            {
                "rows": [
                    {
                        "code": u.code,
                        "titleZh": u.title_zh,
                        "titleEn": u.title_en,
                        "textZh": u.text_zh,
                        "clause": u.clause,
                        "order": i,
                    }
                    for i, u in enumerate(doc.duties)
                ]
            },
        ),
        (
            "duty assignments",
            seeding.DUTY_ASSIGNMENTS,
            {"rows": [a.row(u.code) for u in doc.duties for a in u.departments]},
        ),
        (
            "metrics",
            seeding.METRICS,
            {
                "rows": [
                    {
                        "duty": u.code,
                        "code": m.code,
                        "nameZh": m.name_zh,
                        "nameEn": m.name_en,
                        "order": i,
                    }
                    for u in doc.duties
                    for i, m in enumerate(u.metrics)
                ]
            },
        ),
        (
            "removal conditions",
            seeding.REMOVAL_CONDITIONS,
            {
                "rows": [
                    {
                        "number": x.number,
                        "clause": x.clause,
                        "titleZh": x.title_zh,
                        "titleEn": x.title_en,
                        "textZh": x.text_zh,
                        "textEn": x.text_en,
                    }
                    for x in doc.removal_conditions
                ]
            },
        ),
        (
            "removal condition competence",
            seeding.COMPETENCE,
            {
                "rows": [
                    {**a.row(x.number), "order": i}
                    for x in doc.removal_conditions
                    for i, a in enumerate(x.competent)
                ]
            },
        ),
        (
            "removal condition duties",
            seeding.CONDITION_DUTIES,
            {
                "rows": [
                    {"number": x.number, "duty": duty}
                    for x in doc.removal_conditions
                    for duty in x.duties
                ]
            },
        ),
        (
            "joint meeting",
            seeding.JOINT_MEETING,
            {
                "code": meeting.code,
                "clause": meeting.clause,
                "convener": meeting.convener,
                "nameZh": meeting.name_zh,
                "nameEn": meeting.name_en,
                "attendanceZh": meeting.attendance_zh,
            },
        ),
        (
            "joint meeting agenda",
            seeding.AGENDA,
            {
                "meeting": meeting.code,
                "rows": [
                    {
                        "code": f"{meeting.code}:{a.number}",
                        "number": a.number,
                        "textZh": a.text_zh,
                        "textEn": a.text_en,
                    }
                    for a in meeting.agenda
                ],
            },
        ),
        ("rules", seeding.RULES, {"rows": [r.row() for r in doc.rules]}),
        (
            "work requirements",
            seeding.WORK_REQUIREMENTS,
            {
                "rows": [
                    {
                        "number": w.number,
                        "titleZh": w.title_zh,
                        "titleEn": w.title_en,
                        "clause": w.clause,
                    }
                    for w in doc.work_requirements
                ]
            },
        ),
        (
            "procedures",
            seeding.PROCEDURES,
            {
                "rows": [
                    {"code": p.code, "nameZh": p.name_zh, "nameEn": p.name_en, "clause": p.clause}
                    for p in doc.procedures
                ]
            },
        ),
        (
            "procedure steps",
            seeding.PROCEDURE_STEPS,
            {
                "rows": [
                    {
                        "procedure": p.code,
                        "code": f"{p.code}:{s.order}",
                        "order": s.order,
                        "textZh": s.text_zh,
                        "textEn": s.text_en,
                        "actorRoleZh": s.actor_role_zh,
                    }
                    for p in doc.procedures
                    for s in p.steps
                ]
            },
        ),
        (
            "procedure actors",
            seeding.STEP_ACTORS,
            {
                "rows": [
                    {"step": f"{p.code}:{s.order}", "department": s.actor}
                    for p in doc.procedures
                    for s in p.steps
                    if s.actor
                ]
            },
        ),
        (
            "registers",
            seeding.REGISTERS,
            {
                "rows": [
                    {
                        "code": x.code,
                        "nameZh": x.name_zh,
                        "nameEn": x.name_en,
                        "clause": x.clause,
                        "external": x.external,
                    }
                    for x in doc.registers
                ]
            },
        ),
        (
            "register keepers",
            seeding.REGISTER_KEEPERS,
            {
                "rows": [
                    {"register": x.code, "department": d}
                    for x in doc.registers
                    for d in x.maintained_by
                ]
            },
        ),
        (
            "principles",
            seeding.PRINCIPLES,
            {
                "clause": "序",
                "rows": [
                    {"code": p.code, "nameZh": p.name_zh, "nameEn": p.name_en, "order": i}
                    for i, p in enumerate(doc.principles)
                ],
            },
        ),
    ]


async def ensure_seeded(engine: Engine) -> SeedReport | None:
    """Constraints and indexes always; the document only when the graph does not have it yet."""
    if await seeding.has_document(engine, DOCUMENT.code) and await routing.version(engine):
        await engine.ensure_schema()
        return None
    return await seed_document(engine)
