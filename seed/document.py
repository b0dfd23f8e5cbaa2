"""The whole source document as one value: 附件2《绿色矿山建设工作机制》."""

from __future__ import annotations

from seed.clauses import CLAUSES
from seed.departments import DEPARTMENTS
from seed.duties import DUTIES
from seed.mechanism import (
    JOINT_MEETING,
    PRINCIPLES,
    PROCEDURES,
    REGISTERS,
    RULES,
    WORK_REQUIREMENTS,
)
from seed.model import Clause, Document
from seed.removal_conditions import REMOVAL_CONDITIONS

DOCUMENT = Document(
    code="gansu_green_mine_mechanism",
    title_zh="绿色矿山建设工作机制",
    title_en="Working Mechanism for Green Mine Construction (Gansu)",
    attachment_zh="附件2",
    clauses=CLAUSES,
    departments=DEPARTMENTS,
    duties=DUTIES,
    removal_conditions=REMOVAL_CONDITIONS,
    joint_meeting=JOINT_MEETING,
    rules=RULES,
    work_requirements=WORK_REQUIREMENTS,
    procedures=PROCEDURES,
    registers=REGISTERS,
    principles=PRINCIPLES,
)


def full_text(clause: Clause, clauses: tuple[Clause, ...] = CLAUSES) -> str:
    """A clause's own text followed by each child's heading, marker and full text."""
    parts = [clause.text_zh] if clause.text_zh else []
    for child in clauses:
        if child.parent == clause.ref:
            body = child.marker + full_text(child, clauses)
            parts.append(f"{child.heading}\n{body}" if child.heading else body)
    return "\n".join(parts)
