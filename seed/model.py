"""Shapes of the document as data. Chinese is the source of truth; English stands alongside.

Each shape knows the row it becomes in its `UNWIND $rows` seed statement (`row()`), so the
statement's parameters are spelled out next to the data they come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Basis(StrEnum):
    """Why a department is linked: the document says so, or we inferred it (with a reason)."""

    CLAUSE = "clause"
    INFERRED = "inferred"


@dataclass(frozen=True)
class Clause:
    """A section, paragraph or numbered item. `text_zh` is its own text, without its children;
    the loader stores the full text (own text, then each child's heading, marker and text)."""

    ref: str
    parent: str | None
    heading: str
    marker: str
    title_zh: str
    title_en: str
    text_zh: str


@dataclass(frozen=True)
class Department:
    code: str
    name_zh: str
    name_en: str
    short_name_zh: str
    #: the generic name 二(二) uses for this kind of department, e.g. 水利部门; "" when none
    sector_zh: str
    liaison: str

    def row(self, order: int) -> dict[str, object]:
        return {
            "code": self.code,
            "nameZh": self.name_zh,
            "nameEn": self.name_en,
            "shortNameZh": self.short_name_zh,
            "sectorZh": self.sector_zh,
            "order": order,
        }


@dataclass(frozen=True)
class Assignment:
    """A department linked to a duty or a removal condition, with the basis for the link."""

    department: str
    basis: Basis
    clause: str
    reason_zh: str = ""

    def row(self, target: str | int) -> dict[str, object]:
        return {
            "department": self.department,
            "target": target,
            "basis": self.basis.value,
            "clause": self.clause,
            "reasonZh": self.reason_zh,
        }


@dataclass(frozen=True)
class Metric:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Duty:
    code: str
    title_zh: str
    title_en: str
    #: the words of the document that assign this duty, verbatim
    text_zh: str
    clause: str
    departments: tuple[Assignment, ...]
    metrics: tuple[Metric, ...] = ()


@dataclass(frozen=True)
class RemovalCondition:
    number: int
    title_zh: str
    title_en: str
    text_zh: str
    text_en: str
    competent: tuple[Assignment, ...]
    #: duties whose supervision brings this condition to light
    duties: tuple[str, ...] = ()

    @property
    def clause(self) -> str:
        return f"二(四){self.number}"


@dataclass(frozen=True)
class AgendaItem:
    number: int
    text_zh: str
    text_en: str


@dataclass(frozen=True)
class JointMeeting:
    code: str
    name_zh: str
    name_en: str
    convener: str
    clause: str
    #: what 二(一) asks of members: 指定专人参加
    attendance_zh: str
    agenda: tuple[AgendaItem, ...]


@dataclass(frozen=True)
class Rule:
    """A numeric rule or target of the document, as data rather than a constant in code."""

    code: str
    kind: str
    text_zh: str
    text_en: str
    clause: str
    value: float | None = None
    unit: str = ""
    scale: str | None = None
    stage: str | None = None
    year: int | None = None
    due: str | None = None

    def row(self) -> dict[str, object]:
        return {
            "code": self.code,
            "kind": self.kind,
            "textZh": self.text_zh,
            "textEn": self.text_en,
            "clause": self.clause,
            "value": self.value,
            "unit": self.unit,
            "scale": self.scale,
            "stage": self.stage,
            "year": self.year,
            "due": self.due,
        }


@dataclass(frozen=True)
class WorkRequirement:
    number: int
    title_zh: str
    title_en: str
    clause: str


@dataclass(frozen=True)
class ProcedureStep:
    order: int
    text_zh: str
    text_en: str
    #: department code of who acts, or None when the actor is a role (the reporting department)
    actor: str | None
    actor_role_zh: str


@dataclass(frozen=True)
class Procedure:
    code: str
    name_zh: str
    name_en: str
    clause: str
    steps: tuple[ProcedureStep, ...]


@dataclass(frozen=True)
class Register:
    """A list, library, platform or system the document names."""

    code: str
    name_zh: str
    name_en: str
    clause: str
    maintained_by: tuple[str, ...] = ()
    external: bool = False


@dataclass(frozen=True)
class Principle:
    code: str
    name_zh: str
    name_en: str


@dataclass(frozen=True)
class Document:
    code: str
    title_zh: str
    title_en: str
    attachment_zh: str
    clauses: tuple[Clause, ...]
    departments: tuple[Department, ...]
    duties: tuple[Duty, ...]
    removal_conditions: tuple[RemovalCondition, ...]
    joint_meeting: JointMeeting
    rules: tuple[Rule, ...]
    work_requirements: tuple[WorkRequirement, ...]
    procedures: tuple[Procedure, ...]
    registers: tuple[Register, ...]
    principles: tuple[Principle, ...]
    liaison_clause: str = "附表"
