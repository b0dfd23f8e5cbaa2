"""From free text to ranked departments, with the evidence for each: the routing rules.

The matcher is built from graph data only (the vocabulary and the document's duties, removal
conditions and competences) and is rebuilt whenever the vocabulary's version changes.

How a text is scored, so that every answer can be explained:

1. Find vocabulary terms in the text. Candidates are runs of whole jieba tokens (filler words
   such as 了/一直/很 or "the/has" skipped inside a run) and longer Chinese terms (3+ characters)
   anywhere; the longest win, never overlapping. Then specific terms inside a longer word
   (环评 in 环评报告). `context` terms (矿, 采石场, mine...) match inside any word: they only
   show that the text is about mines.
2. Require domain evidence: the matched terms' `domainWeight`s must add up to at least
   `MIN_DOMAIN_EVIDENCE`. An everyday word (过期, 罚款, 超标) weighs 0.25, a governance word
   (污染, 贷款) 0.5, a mining or regulatory term (尾矿库, 安许证, 水土保持) 1. So "食堂饭菜太咸"
   and "驾照过期被罚款" route nowhere instead of to a confident wrong department.
3. Each term sends `weight x specificity` along each of its links. Specificity is IDF-like:
   ln(1 + N/df) / ln(1 + N), with N the number of departments and df the departments the term
   can reach, so a word that points everywhere says little about where to go. What reaches one
   duty, condition or department saturates (S(1 - e^(-x/S))): saying the same thing in more
   words adds less, so a second problem in the same complaint is not drowned out.
4. Evidence flows from a duty to the departments responsible for it (an inferred assignment gets
   `INFERRED_DUTY_SHARE`), from a removal condition to its competent departments in the
   document's order (each next one `CONDITION_DECAY` less, an inferred competence
   `INFERRED_CONDITION_SHARE`), and from a department term to the department itself. A
   department's score is the sum of what reaches it.
5. Departments scoring at least `MIN_SCORE` and `RELATIVE_CUTOFF` of the best are returned,
   best first; each with the duty and the removal condition that contributed most to it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from graph.document import (
    AssignmentRecord,
    DepartmentRecord,
    DutyRecord,
    RemovalConditionRecord,
)
from graph.routing import ActiveLinkRecord, ActiveTermRecord, TargetLabel, VocabularyVersion
from resolvers.segmentation import SEGMENTER, Segmenter, Token, TokenKind, join_keys, normalize

CONTEXT_KIND = "context"
CLAUSE_BASIS = "clause"

MIN_DOMAIN_EVIDENCE = 1.0
INFERRED_DUTY_SHARE = 0.5
INFERRED_CONDITION_SHARE = 0.5
CONDITION_DECAY = 0.85
MIN_SCORE = 0.2
RELATIVE_CUTOFF = 0.3
MIN_CONDITION_EVIDENCE = 0.45
#: evidence for one duty, condition or department saturates towards this (1 - e^-x/S)
SATURATION = 2.0
#: the longest run of tokens a term may span, and how many filler words it may skip
MAX_SPAN = 6
MAX_FILLERS = 2
#: function words and intensifiers skipped inside a term (罚款一直不交 = 罚款不交); none of them
#: begins or ends a term
FILLERS = frozenset(
    (
        *("了", "的", "地", "得", "着", "过", "太", "很", "挺", "真", "好", "都", "也", "还"),
        *("就", "又", "再", "竟然", "居然", "特别", "非常", "十分", "实在", "根本", "完全"),
        *("一直", "总是", "老是", "已经", "早就", "啊", "呀", "吧", "呢", "嘛", "哦"),
        *("the", "a", "an", "is", "are", "was", "were", "has", "have", "had", "been", "be"),
        *("its", "their", "our", "very", "so", "too", "really"),
    )
)
#: everyday words that contain 矿 without being about mines
NOT_MINING = ("矿泉水", "矿泉", "矿物质", "矿物油", "矿工裤")
#: Chinese terms this long are also found across token boundaries
ANYWHERE_MIN_LENGTH = 3
TERMS_IN_EXPLANATION = 4

Target = tuple[TargetLabel, str | int]


@dataclass(frozen=True)
class Knowledge:
    """What the matcher is built from, all read from the graph."""

    version: VocabularyVersion
    terms: Sequence[ActiveTermRecord]
    links: Sequence[ActiveLinkRecord]
    departments: Sequence[DepartmentRecord]
    duties: Sequence[DutyRecord]
    duty_assignments: Mapping[str, Sequence[AssignmentRecord]]
    conditions: Sequence[RemovalConditionRecord]
    competence: Mapping[int, Sequence[AssignmentRecord]]
    condition_duties: Mapping[int, Sequence[DutyRecord]]


@dataclass(frozen=True)
class Term:
    text: str
    key: str
    kind: str
    domain_weight: float
    links: tuple[tuple[Target, float], ...]
    specificity: float

    @property
    def is_context(self) -> bool:
        return self.kind == CONTEXT_KIND


@dataclass(frozen=True)
class Hit:
    term: Term
    surface: str
    start: int
    end: int


@dataclass(frozen=True)
class Match:
    department: str
    score: float
    duty: str | None
    condition: int | None
    clause_ref: str | None
    matched_terms: tuple[str, ...]
    explanation_zh: str
    explanation_en: str


@dataclass
class _Evidence:
    """What reached one department, and through which duty, condition and terms."""

    score: float = 0.0
    duties: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    conditions: dict[int, float] = field(default_factory=lambda: defaultdict(float))
    terms: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    direct: bool = False

    def add(self, amount: float, hit: Hit) -> None:
        self.score += amount
        self.terms[hit.surface] += amount


class Matcher:
    def __init__(self, knowledge: Knowledge, segmenter: Segmenter = SEGMENTER) -> None:
        self.version = knowledge.version
        self.segmenter = segmenter
        self.departments = {d.code: d for d in knowledge.departments}
        self.duties = {u.code: u for u in knowledge.duties}
        self.conditions = {x.number: x for x in knowledge.conditions}
        self.duty_assignments = {k: list(v) for k, v in knowledge.duty_assignments.items()}
        self.competence = {k: list(v) for k, v in knowledge.competence.items()}
        self.condition_duties = {
            k: [u.code for u in v] for k, v in knowledge.condition_duties.items()
        }
        self.department_duties: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for duty, assignments in self.duty_assignments.items():
            for a in assignments:
                self.department_duties[a.department_code].append((duty, a.basis))
        self.terms = self._terms(knowledge.terms, knowledge.links)
        segmenter.add_words(_atomic(self.terms.values()))
        self.longest_span = MAX_SPAN
        self.han_terms = {t.key: t for t in self.terms.values() if _is_han(t.key)}
        self.anywhere = {
            key: t
            for key, t in self.han_terms.items()
            if len(key) >= ANYWHERE_MIN_LENGTH and not t.is_context
        }
        # looking each of a text's substrings up (a few per character) is much cheaper than
        # searching the text for each of a thousand terms
        self.anywhere_lengths = sorted({len(key) for key in self.anywhere})
        self.context_han = [t for t in self.han_terms.values() if t.is_context]

    # -- building --------------------------------------------------------------------------

    def _terms(
        self, records: Iterable[ActiveTermRecord], link_records: Iterable[ActiveLinkRecord]
    ) -> dict[str, Term]:
        """One Term per match key ("Tailings Pond" and "tailings pond" are one)."""
        links_of: dict[str, list[ActiveLinkRecord]] = defaultdict(list)
        for link in link_records:
            links_of[link.text].append(link)
        grouped: dict[str, list[ActiveTermRecord]] = defaultdict(list)
        for record in records:
            key = self.segmenter.key(record.text)
            if key:
                grouped[key].append(record)
        terms: dict[str, Term] = {}
        for key, rows in grouped.items():
            links: dict[Target, float] = {}
            for row in rows:
                for link in links_of.get(row.text, []):
                    target_key = link.target_key
                    if target_key is None:
                        continue
                    target = (TargetLabel(link.label), target_key)
                    links[target] = max(links.get(target, 0.0), float(link.weight))
            reach = {d for target in links for d in self._departments_of(target)}
            terms[key] = Term(
                text=rows[0].text,
                key=key,
                kind=rows[0].kind,
                domain_weight=max(float(r.domain_weight) for r in rows),
                links=tuple(links.items()),
                specificity=self._specificity(len(reach)),
            )
        return terms

    def _departments_of(self, target: Target) -> list[str]:
        label, key = target
        if label is TargetLabel.DUTY:
            return [a.department_code for a in self.duty_assignments.get(str(key), [])]
        if label is TargetLabel.REMOVAL_CONDITION:
            return [a.department_code for a in self.competence.get(int(key), [])]
        return [str(key)]

    def _specificity(self, reach: int) -> float:
        if reach <= 1:
            return 1.0
        n = max(len(self.departments), 1)
        return math.log(1 + n / reach) / math.log(1 + n)

    # -- finding terms ---------------------------------------------------------------------

    def find(self, text: str) -> list[Hit]:
        """The vocabulary terms in a text, each occurrence once, in reading order.

        Candidates are runs of whole tokens that form a term, and longer Chinese terms found
        anywhere (in case the segmenter split one differently); the longest win, never
        overlapping, so 矿山安全生产许可证 yields 安全生产许可证, not 矿山安全生产 + 许可证.
        Terms inside a longer word and context terms come after."""
        normalized = normalize(text)
        tokens = self.segmenter.tokens(normalized)
        candidates: list[Hit] = []
        for segment in _segments(tokens):
            candidates.extend(self._runs(segment, normalized))
        candidates.extend(self._anywhere(normalized))
        candidates.sort(key=lambda h: (-len(h.term.key), h.start))
        hits: list[Hit] = []
        covered: list[tuple[int, int]] = []
        for hit in candidates:
            if not any(s < hit.end and hit.start < e for s, e in covered):
                hits.append(hit)
                covered.append((hit.start, hit.end))
        for token in tokens:
            inside_a_hit = any(s < token.end and token.start < e for s, e in covered)
            if token.kind is TokenKind.HAN and len(token.key) > 2 and not inside_a_hit:
                self._find_inside(token, hits, covered)
        self._find_context(normalized, tokens, hits)
        return sorted(hits, key=lambda h: h.start)

    def _runs(self, segment: list[Token], normalized: str) -> list[Hit]:
        """Runs of whole tokens forming a term; filler words inside a run are skipped, so
        审批太慢了 finds 审批慢 and "the licence has expired" finds "licence expired"."""
        found: list[Hit] = []
        for i, first in enumerate(segment):
            if first.key in FILLERS:
                continue
            kept: list[Token] = []
            fillers = 0
            for j in range(i, min(i + self.longest_span + MAX_FILLERS, len(segment))):
                token = segment[j]
                if token.key in FILLERS:
                    fillers += 1
                    if fillers > MAX_FILLERS:
                        break
                    continue
                kept.append(token)
                if len(kept) > self.longest_span:
                    break
                whole = segment[i : j + 1]
                for key in {join_keys(kept), join_keys(whole)}:
                    term = self.terms.get(key)
                    if term is not None and not term.is_context:
                        surface = normalized[first.start : token.end]
                        found.append(Hit(term, surface, first.start, token.end))
        return found

    def _anywhere(self, normalized: str) -> list[Hit]:
        """Every occurrence of a longer Chinese term, overlapping ones too."""
        found: list[Hit] = []
        for start in range(len(normalized)):
            for length in self.anywhere_lengths:
                if start + length > len(normalized):
                    break
                term = self.anywhere.get(normalized[start : start + length])
                if term is not None:
                    found.append(Hit(term, term.key, start, start + length))
        return found

    def _find_inside(self, token: Token, hits: list[Hit], covered: list[tuple[int, int]]) -> None:
        """Terms inside a longer word (环评 in 环评批复), longest first, not overlapping."""
        word, taken = token.key, [False] * len(token.key)
        for length in range(len(word) - 1, 1, -1):
            for start in range(len(word) - length + 1):
                if any(taken[start : start + length]):
                    continue
                term = self.han_terms.get(word[start : start + length])
                if term is not None and not term.is_context and _specific(term):
                    begin = token.start + start
                    hits.append(Hit(term, term.key, begin, begin + length))
                    covered.append((begin, begin + length))
                    taken[start : start + length] = [True] * length

    def _find_context(self, normalized: str, tokens: list[Token], hits: list[Hit]) -> None:
        """Chinese context terms anywhere (矿 in 铅锌矿, 砂石料 across 砂石/料场); English
        ones as whole words."""
        seen: set[str] = set()
        for word in NOT_MINING:
            normalized = normalized.replace(word, " " * len(word))
        for term in self.context_han:
            start = normalized.find(term.key)
            if start >= 0:
                seen.add(term.key)
                hits.append(Hit(term, term.key, start, start + len(term.key)))
        for i, token in enumerate(tokens):
            if token.kind is TokenKind.LATIN:
                for run in (tokens[i : i + 1], tokens[i : i + 2]):
                    candidate = self.terms.get(join_keys(run))
                    if candidate and candidate.is_context and candidate.key not in seen:
                        seen.add(candidate.key)
                        hits.append(Hit(candidate, token.surface, token.start, run[-1].end))

    # -- scoring ---------------------------------------------------------------------------

    def domain_evidence(self, hits: Sequence[Hit]) -> float:
        return sum(hit.term.domain_weight for hit in _distinct(hits).values())

    def match(self, text: str, limit: int) -> list[Match]:
        hits = self.find(text)
        if self.domain_evidence(hits) < MIN_DOMAIN_EVIDENCE:
            return []
        target_evidence, evidence = self._score(hits)
        ranked = sorted(
            (e for e in evidence.items() if e[1].score > 0),
            key=lambda item: (-item[1].score, self._order(item[0])),
        )
        if not ranked or ranked[0][1].score < MIN_SCORE:
            return []
        floor = max(MIN_SCORE, RELATIVE_CUTOFF * ranked[0][1].score)
        return [
            self._match(code, e, target_evidence) for code, e in ranked[:limit] if e.score >= floor
        ]

    def _order(self, code: str) -> int:
        department = self.departments.get(code)
        return department.order if department else len(self.departments)

    def _score(self, hits: Sequence[Hit]) -> tuple[dict[Target, float], dict[str, _Evidence]]:
        target_evidence: dict[Target, float] = defaultdict(float)
        sent: dict[Target, list[tuple[Hit, float]]] = defaultdict(list)
        for hit in _distinct(hits).values():
            term = hit.term
            for target, weight in term.links:
                amount = weight * term.specificity
                target_evidence[target] += amount
                sent[target].append((hit, amount))
        evidence: dict[str, _Evidence] = defaultdict(_Evidence)
        for target, total in target_evidence.items():
            # saying the same thing in more words adds less and less
            scale = SATURATION * (1 - math.exp(-total / SATURATION)) / total
            for hit, amount in sent[target]:
                self._spread(target, amount * scale, hit, evidence)
        return target_evidence, evidence

    def _spread(
        self, target: Target, amount: float, hit: Hit, evidence: dict[str, _Evidence]
    ) -> None:
        label, key = target
        if label is TargetLabel.DUTY:
            for a in self.duty_assignments.get(str(key), []):
                share = 1.0 if a.basis == CLAUSE_BASIS else INFERRED_DUTY_SHARE
                evidence[a.department_code].add(amount * share, hit)
                evidence[a.department_code].duties[str(key)] += amount * share
        elif label is TargetLabel.REMOVAL_CONDITION:
            for i, a in enumerate(self.competence.get(int(key), [])):
                basis = 1.0 if a.basis == CLAUSE_BASIS else INFERRED_CONDITION_SHARE
                share = basis * CONDITION_DECAY**i
                evidence[a.department_code].add(amount * share, hit)
                evidence[a.department_code].conditions[int(key)] += amount * share
        elif str(key) in self.departments:
            evidence[str(key)].add(amount, hit)
            evidence[str(key)].direct = True

    # -- the answer ------------------------------------------------------------------------

    def _match(self, code: str, e: _Evidence, target_evidence: Mapping[Target, float]) -> Match:
        condition = self._condition(e, target_evidence)
        duty = self._duty(code, e, condition)
        clause = self._clause(code, duty, condition)
        terms = tuple(t for t, _ in sorted(e.terms.items(), key=lambda item: -item[1]))
        zh, en = self._explain(code, duty, condition, terms)
        return Match(
            department=code,
            score=round(e.score, 3),
            duty=duty,
            condition=condition,
            clause_ref=clause,
            matched_terms=terms,
            explanation_zh=zh,
            explanation_en=en,
        )

    def _condition(self, e: _Evidence, target_evidence: Mapping[Target, float]) -> int | None:
        strong = [
            (amount, number)
            for number, amount in e.conditions.items()
            if target_evidence.get((TargetLabel.REMOVAL_CONDITION, number), 0.0)
            >= MIN_CONDITION_EVIDENCE
        ]
        return max(strong)[1] if strong else None

    def _duty(self, code: str, e: _Evidence, condition: int | None) -> str | None:
        if e.duties:
            return max(e.duties.items(), key=lambda item: item[1])[0]
        own = self.department_duties.get(code, [])
        if condition is not None:
            for duty in self.condition_duties.get(condition, []):
                if any(d == duty for d, _ in own):
                    return duty
        # a department 二(二) gives no duty of its own is competent under the catch-all clause
        if own and all(basis != CLAUSE_BASIS for _, basis in own):
            return own[0][0]
        return None

    def _clause(self, code: str, duty: str | None, condition: int | None) -> str | None:
        if duty is not None and duty in self.duties:
            return self.duties[duty].clause_ref
        if condition is not None:
            for a in self.competence.get(condition, []):
                if a.department_code == code and a.basis == CLAUSE_BASIS and a.clause_ref:
                    return a.clause_ref
            return self.conditions[condition].clause_ref if condition in self.conditions else None
        department = self.departments.get(code)
        return department.clause_ref if department else None

    def _explain(
        self, code: str, duty: str | None, condition: int | None, terms: Sequence[str]
    ) -> tuple[str, str]:
        department = self.departments[code]
        quoted = "".join(f"“{t}”" for t in terms[:TERMS_IN_EXPLANATION])
        quoted_en = ", ".join(f'"{t}"' for t in terms[:TERMS_IN_EXPLANATION])
        zh: list[str] = []
        en: list[str] = []
        if duty is not None and duty in self.duties:
            u = self.duties[duty]
            basis = self._basis(code, self.duty_assignments.get(duty, []))
            zh.append(
                f"{quoted}指向{department.short_name_zh}“{u.title_zh}”的职责（{u.clause_ref}）"
            )
            en.append(f"{quoted_en} point to {department.name_en}: {u.title_en} ({u.clause_ref})")
            if basis:
                zh.append(f"该归属系推定：{basis}")
                en.append("an inferred assignment")
        if condition is not None and condition in self.conditions:
            x = self.conditions[condition]
            if not zh:
                zh.append(f"{quoted}对应移出绿色矿山名录情形第{condition}项“{x.title_zh}”")
                en.append(
                    f"{quoted_en} match removal condition {condition} ({x.title_en}), "
                    f"which {department.name_en} is competent to establish"
                )
                reason = self._basis(code, self.competence.get(condition, []))
                zh.append(f"由{department.short_name_zh}认定" + (f"（{reason}）" if reason else ""))
            else:
                zh.append(f"并属移出绿色矿山名录情形第{condition}项“{x.title_zh}”")
                en.append(f"and removal condition {condition} ({x.title_en})")
        if not zh:
            zh.append(f"{quoted}直接指向{department.short_name_zh}")
            en.append(f"{quoted_en} name {department.name_en} directly")
        return "，".join(zh) + "。", "; ".join(en) + "."

    @staticmethod
    def _basis(code: str, assignments: Sequence[AssignmentRecord]) -> str:
        for a in assignments:
            if a.department_code == code and a.basis != CLAUSE_BASIS:
                return a.reason_zh
        return ""


def _atomic(terms: Iterable[Term]) -> list[str]:
    """Chinese terms that are not just other terms run together. Only these go into jieba's
    dictionary: a compound (安全许可证 = 安全 + 许可证, 许可证过期 = 许可证 + 过期) in the
    dictionary competes with its neighbours (安全/许可证过期), while its parts, kept whole by the
    dictionary, are joined back into it by the longest-run match."""
    keys = {t.key for t in terms if _is_han(t.key) and not t.is_context}

    def splits(word: str) -> bool:
        reachable = [True] + [False] * len(word)
        for end in range(1, len(word) + 1):
            reachable[end] = any(
                reachable[start] and word[start:end] in keys and end - start < len(word)
                for start in range(end)
            )
        return reachable[-1]

    return sorted(k for k in keys if len(k) > 1 and not splits(k))


def _specific(term: Term) -> bool:
    """Recognised inside a longer word: a long term, or a short one only this domain uses
    (环评 in 环评报告), never a common word (安全 in 食品安全)."""
    return len(term.key) >= ANYWHERE_MIN_LENGTH or term.domain_weight >= 1.0


def _is_han(key: str) -> bool:
    return bool(key) and all("\u3400" <= ch <= "\ufaff" for ch in key)


def _segments(tokens: Sequence[Token]) -> list[list[Token]]:
    """Runs of tokens between punctuation."""
    segments: list[list[Token]] = [[]]
    for token in tokens:
        if token.kind is TokenKind.BREAK:
            segments.append([])
        else:
            segments[-1].append(token)
    return [s for s in segments if s]


def _distinct(hits: Iterable[Hit]) -> dict[str, Hit]:
    """One hit per term: saying a thing twice does not make it twice as true."""
    first: dict[str, Hit] = {}
    for hit in hits:
        first.setdefault(hit.term.key, hit)
    return first
