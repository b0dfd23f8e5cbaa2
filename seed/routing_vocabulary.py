"""Shapes of the routing vocabulary as data, and the seed steps that put it in the graph.

The vocabulary itself (`seed/routing_terms.py`) is written as groups: words that mean the same
thing for routing (the document's own term, synonyms, abbreviations, the way officers, inspectors
and the public say it, English) share the same links with the same weights. Groups are merged
into one `Term` per text, so a word in two groups gets both sets of links (the larger weight
where they overlap).

Weights, by convention: 1.0 the term names the duty or condition; 0.6 it strongly suggests it;
0.3 a hint. `domain` (stored as `domainWeight`): 1.0 the term by itself shows the text is about
green-mine work (尾矿库, 安许证, 水土保持); 0.5 a governance word also used elsewhere (污染, 贷款);
0.25 an everyday word that needs company (过期, 罚款, 超标).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from graph import routing
from graph.engine import Engine
from graph.routing import TargetLabel
from graph.values import WriteStats


class TermKind(StrEnum):
    #: the document's own wording
    OFFICIAL = "official"
    SYNONYM = "synonym"
    ABBREVIATION = "abbreviation"
    #: how officers, inspectors and the public put it
    COLLOQUIAL = "colloquial"
    ENGLISH = "english"
    #: shows the text is about mines, points nowhere by itself
    CONTEXT = "context"


@dataclass(frozen=True)
class Link:
    label: TargetLabel
    target: str | int
    weight: float


def duty(code: str, weight: float = 1.0) -> Link:
    return Link(TargetLabel.DUTY, code, weight)


def condition(number: int, weight: float = 1.0) -> Link:
    return Link(TargetLabel.REMOVAL_CONDITION, number, weight)


def department(code: str, weight: float = 1.0) -> Link:
    return Link(TargetLabel.DEPARTMENT, code, weight)


@dataclass(frozen=True)
class TermGroup:
    """Words that route alike. `zh` is space-separated; `en` is '|'-separated phrases."""

    name: str
    links: tuple[Link, ...]
    zh: str = ""
    en: str = ""
    kind: TermKind = TermKind.SYNONYM
    domain: float = 1.0

    def texts(self) -> list[tuple[str, str, TermKind]]:
        chinese = [(t, "zh", self.kind) for t in self.zh.split()]
        english_kind = TermKind.CONTEXT if self.kind is TermKind.CONTEXT else TermKind.ENGLISH
        english = [(t.strip(), "en", english_kind) for t in self.en.split("|") if t.strip()]
        return chinese + english


@dataclass(frozen=True)
class Term:
    text: str
    lang: str
    kind: TermKind
    domain: float
    links: tuple[Link, ...]


def merge(groups: Iterable[TermGroup]) -> tuple[Term, ...]:
    """One term per text: the first group names its kind; links and domain weights combine."""
    kinds: dict[str, tuple[str, TermKind]] = {}
    domains: dict[str, float] = {}
    links: dict[str, dict[tuple[TargetLabel, str | int], float]] = {}
    for group in groups:
        for text, lang, kind in group.texts():
            kinds.setdefault(text, (lang, kind))
            domains[text] = max(domains.get(text, 0.0), group.domain)
            merged = links.setdefault(text, {})
            for link in group.links:
                key = (link.label, link.target)
                merged[key] = max(merged.get(key, 0.0), link.weight)
    return tuple(
        Term(
            text=text,
            lang=lang,
            kind=kind,
            domain=domains[text],
            links=tuple(Link(label, target, w) for (label, target), w in links[text].items()),
        )
        for text, (lang, kind) in kinds.items()
    )


def term_rows(terms: Iterable[Term]) -> list[dict[str, object]]:
    return [
        {"text": t.text, "lang": t.lang, "kind": t.kind.value, "domainWeight": t.domain}
        for t in terms
    ]


def link_rows(terms: Iterable[Term], label: TargetLabel) -> list[dict[str, object]]:
    return [
        {"text": t.text, "target": link.target, "weight": link.weight}
        for t in terms
        for link in t.links
        if link.label is label
    ]


async def seed_vocabulary(
    engine: Engine, terms: tuple[Term, ...], *, at: dt.datetime | None = None
) -> list[tuple[str, WriteStats]]:
    """MERGE the vocabulary; every step bumps its version, so running servers pick it up."""
    moment = (at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
    steps = [
        (
            "routing vocabulary",
            await routing.seed_vocabulary(engine, epoch=uuid.uuid4().hex, at=moment),
        ),
        ("routing terms", await routing.seed_terms(engine, term_rows(terms), at=moment)),
    ]
    for label in TargetLabel:
        stats = await routing.seed_links(engine, label, link_rows(terms, label), at=moment)
        steps.append((f"routing links to {label.value}", stats))
    return steps
