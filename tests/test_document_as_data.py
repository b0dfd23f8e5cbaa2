"""The seed data is the document: checked against the source text itself, without a database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from seed.document import DOCUMENT, full_text
from seed.model import Basis
from tests.document_facts import DESIGN_CODES

SOURCE = Path(__file__).resolve().parent.parent / "seed" / "source" / "green_mine_mechanism.txt"


def source_lines() -> list[str]:
    text = SOURCE.read_text(encoding="utf-8").replace("[bookmark: _Hlk179358238]", "")
    # the source's OCR wrote item 10 as "l0."
    text = text.replace("l0.", "10.")
    return [line.strip() for line in text.splitlines() if line.strip()]


def clause(ref: str) -> str:
    return full_text(next(c for c in DOCUMENT.clauses if c.ref == ref))


def test_every_line_of_every_clause_is_verbatim_in_the_source() -> None:
    lines = set(source_lines())
    for c in DOCUMENT.clauses:
        if c.ref == "附表":
            continue
        for line in (c.marker + full_text(c)).splitlines():
            assert line in lines, f"clause {c.ref}: {line!r} is not a line of the source"


def test_every_line_of_the_source_belongs_to_a_clause() -> None:
    covered: set[str] = {DOCUMENT.attachment_zh, DOCUMENT.title_zh}
    for c in DOCUMENT.clauses:
        covered.add(c.heading)
        covered.update(full_text(c).splitlines())
        covered.update(cell for line in full_text(c).splitlines() for cell in line.split("\t"))
    missing = [line for line in source_lines() if line not in covered]
    assert missing == []


def test_clause_refs_are_unique_and_parents_exist() -> None:
    refs = [c.ref for c in DOCUMENT.clauses]
    assert len(refs) == len(set(refs))
    assert all(c.parent in refs for c in DOCUMENT.clauses if c.parent)
    for expected in ("一", "二(二)", "二(四)5", "三(四)", "二(四)14", "序", "附表注"):
        assert expected in refs


def test_departments_are_the_eighteen_of_the_design_in_document_order() -> None:
    assert {d.code: d.name_zh for d in DOCUMENT.departments} == DESIGN_CODES
    preamble = clause("序")
    positions = [preamble.index(d.short_name_zh) for d in DOCUMENT.departments]
    assert positions == sorted(positions)


def test_liaisons_are_those_of_the_table() -> None:
    lines = source_lines()
    table = {
        lines[i]: lines[i + 1] for i in range(len(lines) - 1) if lines[i] in DESIGN_CODES.values()
    }
    assert {d.name_zh: d.liaison for d in DOCUMENT.departments} == table
    assert next(d.liaison for d in DOCUMENT.departments if d.code == "finance") == "祁帜"


def test_every_duty_quotes_its_clause_and_has_a_department() -> None:
    for duty in DOCUMENT.duties:
        assert duty.text_zh in clause(duty.clause), duty.code
        assert duty.departments, duty.code
        for link in duty.departments:
            assert link.department in DESIGN_CODES
            if link.basis is Basis.INFERRED:
                assert link.reason_zh, f"{duty.code}: an inferred link needs a reason"


def test_every_paragraph_of_two_two_after_the_first_yields_a_duty() -> None:
    paragraphs = {f"二(二){n}" for n in range(2, 16)}
    assert paragraphs <= {duty.clause for duty in DOCUMENT.duties}


def test_three_rates_are_metrics_of_the_natural_resources_duty() -> None:
    duty = next(d for d in DOCUMENT.duties if d.code == "nr_three_rates")
    assert [m.name_zh for m in duty.metrics] == ["开采回采率", "选矿回收率", "综合利用率"]
    assert [a.department for a in duty.departments] == ["natural_resources"]


def test_financing_library_is_joint_natural_resources_and_pboc() -> None:
    duty = next(d for d in DOCUMENT.duties if d.code == "nr_pboc_financing_library")
    assert {a.department for a in duty.departments} == {"natural_resources", "pboc_gansu"}
    assert all(a.basis is Basis.CLAUSE for a in duty.departments)


def test_departments_without_a_named_duty_fall_under_the_catch_all() -> None:
    named = {
        link.department
        for duty in DOCUMENT.duties
        for link in duty.departments
        if link.basis is Basis.CLAUSE
    }
    catch_all = next(d for d in DOCUMENT.duties if d.code == "other_departments")
    assert {a.department for a in catch_all.departments} == set(DESIGN_CODES) - named


def test_fourteen_removal_conditions_each_with_a_competent_department() -> None:
    numbers = [c.number for c in DOCUMENT.removal_conditions]
    assert numbers == list(range(1, 15))
    lines = source_lines()
    for condition in DOCUMENT.removal_conditions:
        assert f"{condition.number}.{condition.text_zh}" in lines
        assert condition.competent, condition.number
        for link in condition.competent:
            assert link.department in DESIGN_CODES
            assert link.basis is Basis.CLAUSE or link.reason_zh


@pytest.mark.parametrize(
    ("code", "value", "clause_ref"),
    [
        ("new_mine_verification_within", 1, "一"),
        ("rectification_max_months", 6, "二(三)2"),
        ("yearly_spot_check_share", 0.1, "二(三)2"),
        ("target_2028_large", 0.9, "一"),
        ("target_2028_medium", 0.8, "一"),
    ],
)
def test_numeric_rules_are_data_with_their_clause(code: str, value: float, clause_ref: str) -> None:
    rule = next(r for r in DOCUMENT.rules if r.code == code)
    assert rule.value == value
    assert rule.clause == clause_ref
    numbers = re.findall(r"\d+", rule.text_zh)
    assert numbers and all(n in clause(clause_ref) for n in numbers)


def test_joint_meeting_has_four_agenda_items_from_its_clause() -> None:
    meeting = DOCUMENT.joint_meeting
    assert meeting.convener == "natural_resources"
    assert [a.number for a in meeting.agenda] == [1, 2, 3, 4]
    assert all(a.text_zh in clause(meeting.clause) for a in meeting.agenda)


def test_four_work_requirements_point_at_section_three() -> None:
    assert [w.clause for w in DOCUMENT.work_requirements] == [
        "三(一)",
        "三(二)",
        "三(三)",
        "三(四)",
    ]
    assert all(w.title_zh in clause(w.clause) for w in DOCUMENT.work_requirements)
