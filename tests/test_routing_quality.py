"""Routing quality on the development set holds the line: top-1 >= 90%, top-3 >= 98%, and at
least 90% of out-of-domain questions rejected. The set itself covers the mechanism."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from graph.engine import Engine
from resolvers.routing import matches
from resolvers.routing_matcher import Match
from resolvers.routing_quality import QualityReport, evaluate, load_cases
from seed.document import DOCUMENT

CASES = load_cases()


@pytest.fixture(scope="module")
async def report(seeded_graph: Engine) -> QualityReport:
    async def route(text: str) -> Sequence[Match]:
        found, _ = await matches(seeded_graph, text, 3)
        return found

    return await evaluate(route, CASES)


def describe(report: QualityReport) -> str:
    return "\n".join(
        f"{o.case.text[:60]} expected {list(o.case.departments)} got {list(o.got)}"
        for o in report.misses()
    )


async def test_top_1_accuracy_is_at_least_90_percent(report: QualityReport) -> None:
    assert report.top1 >= 0.90, describe(report)


async def test_top_3_accuracy_is_at_least_98_percent(report: QualityReport) -> None:
    assert report.top3 >= 0.98, describe(report)


async def test_at_least_90_percent_of_out_of_domain_questions_route_nowhere(
    report: QualityReport,
) -> None:
    assert report.ood_rejection >= 0.90, describe(report)


def test_the_development_set_covers_every_duty_and_removal_condition() -> None:
    assert len(CASES) >= 80
    duties = {c.duty for c in CASES if c.duty}
    assert duties == {u.code for u in DOCUMENT.duties}
    conditions = {c.condition for c in CASES if c.condition}
    assert conditions == {x.number for x in DOCUMENT.removal_conditions}
    departments = {d for c in CASES for d in c.departments}
    assert departments == {d.code for d in DOCUMENT.departments}


def test_the_development_set_has_out_of_domain_english_and_long_questions() -> None:
    assert sum(1 for c in CASES if c.out_of_domain) >= 15
    assert sum(1 for c in CASES if "english" in c.tags) >= 10
    assert sum(1 for c in CASES if len(c.text) > 80) >= 5


def test_the_development_set_does_not_copy_the_documents_sentences() -> None:
    sentences = [u.text_zh for u in DOCUMENT.duties] + [
        x.text_zh for x in DOCUMENT.removal_conditions
    ]
    for case in CASES:
        for sentence in sentences:
            core = sentence.rstrip("。;；")
            assert len(core) < 12 or core not in case.text, case.text
