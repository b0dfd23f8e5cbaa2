"""The routing vocabulary in the graph, and the one read a `route` request costs.

`(:RoutingTerm {text})-[:INDICATES {weight}]->(:Duty | :RemovalCondition | :Department)` says
that a word or phrase officers use points to a duty, a removal condition or a department.
`(:RoutingVocabulary {code: 'routing'})` carries a version number; every statement that changes
the vocabulary bumps it in the same statement, so each server process can tell, with the read it
makes anyway, whether its in-memory matcher is still current. Its `epoch` is set once when the
node is created, so a wiped and reseeded graph never passes for an old one.

Terms and links are never deleted: removing one sets `active = false` (kept for the audit trail,
and so a later seed does not bring back what an admin took out).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph import statements
from graph.audit import AUDIT_CREATE, AuditEntry
from graph.document import (
    ClauseRecord,
    DepartmentRecord,
    DutyRecord,
    LiaisonRecord,
    ProcedureStepRecord,
    RemovalConditionRecord,
)
from graph.engine import Engine
from graph.values import WriteStats

VOCABULARY = "routing"
REFERRAL_PROCEDURE = "referral"


class TargetLabel(StrEnum):
    """What a term can point to; each has its own natural key."""

    DUTY = "Duty"
    REMOVAL_CONDITION = "RemovalCondition"
    DEPARTMENT = "Department"


_TARGET_MATCH: dict[TargetLabel, str] = {
    TargetLabel.DUTY: "(x:Duty {code: $target})",
    TargetLabel.REMOVAL_CONDITION: "(x:RemovalCondition {number: $target})",
    TargetLabel.DEPARTMENT: "(x:Department {code: $target})",
}
_TARGET_MATCH_ROW: dict[TargetLabel, str] = {
    TargetLabel.DUTY: "(x:Duty {code: r.target})",
    TargetLabel.REMOVAL_CONDITION: "(x:RemovalCondition {number: r.target})",
    TargetLabel.DEPARTMENT: "(x:Department {code: r.target})",
}

_BUMP = "SET v.version = v.version + 1, v.changedAt = $at"


# -- records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VocabularyVersion:
    epoch: str
    version: int


@dataclass(frozen=True)
class ActiveTermRecord:
    text: str
    lang: str
    kind: str
    domain_weight: float


@dataclass(frozen=True)
class ActiveLinkRecord:
    text: str
    label: str
    code: str | None
    number: int | None
    weight: float

    @property
    def target_key(self) -> str | int | None:
        return self.number if self.label == TargetLabel.REMOVAL_CONDITION else self.code


@dataclass(frozen=True)
class LinkRecord:
    label: str
    code: str | None
    number: int | None
    weight: float
    active: bool
    source: str


@dataclass(frozen=True)
class TermRecord:
    text: str
    lang: str
    kind: str
    domain_weight: float
    source: str
    active: bool
    links: tuple[LinkRecord, ...]


@dataclass(frozen=True)
class RouteDetails:
    """Everything a page of route matches shows, read in one round trip."""

    version: VocabularyVersion | None
    #: the matched departments and the departments acting in the next steps
    departments: dict[str, DepartmentRecord]
    liaisons: dict[str, LiaisonRecord]
    duties: dict[str, DutyRecord]
    conditions: dict[int, RemovalConditionRecord]
    clauses: dict[str, ClauseRecord]
    steps: list[ProcedureStepRecord]


# -- statements: reading -------------------------------------------------------------------

VERSION = statements.read(
    "routing.version",
    """
    MATCH (v:RoutingVocabulary {code: $vocabulary})
    RETURN v.epoch AS epoch, v.version AS version
    """,
)

# Two plain reads rather than one OPTIONAL MATCH: each row is small, so a rebuild stays quick.
ACTIVE_TERMS = statements.read(
    "routing.active_terms",
    """
    MATCH (t:RoutingTerm)
    WHERE t.active
    RETURN t.text AS text, t.lang AS lang, t.kind AS kind, t.domainWeight AS domain_weight
    """,
)

ACTIVE_LINKS = statements.read(
    "routing.active_links",
    """
    MATCH (t:RoutingTerm)-[l:INDICATES]->(x)
    WHERE t.active AND l.active
    RETURN t.text AS text, labels(x)[0] AS label, x.code AS code, x.number AS number,
           l.weight AS weight
    """,
)

TERM = statements.read(
    "routing.term",
    """
    MATCH (t:RoutingTerm {text: $text})
    OPTIONAL MATCH (t)-[l:INDICATES]->(x)
    RETURN t.text AS text, t.lang AS lang, t.kind AS kind, t.domainWeight AS domain_weight,
           t.source AS source, t.active AS active,
           collect(CASE WHEN l IS NULL THEN null ELSE
             {label: labels(x)[0], code: x.code, number: x.number, weight: l.weight,
              active: l.active, source: l.source} END) AS links
    """,
)

COUNT_TERMS = statements.read(
    "routing.count_terms",
    """
    MATCH (t:RoutingTerm)
    WHERE t.active
    RETURN count(t) AS n
    """,
)

# The whole of what a page of matches shows: the vocabulary version (checked on every request),
# departments with their current liaisons, duties, removal conditions, the clauses they cite and
# the referral procedure's steps. Each OPTIONAL MATCH is collected before the next one starts, so
# rows never multiply; CASE keeps a missing node out of its list.
ROUTE_DETAILS = statements.read(
    "routing.route_details",
    """
    OPTIONAL MATCH (v:RoutingVocabulary {code: $vocabulary})
    WITH v
    OPTIONAL MATCH (d:Department)
    WHERE d.code IN $departments
    OPTIONAL MATCH (d)-[:FROM_CLAUSE]->(dc:Clause)
    OPTIONAL MATCH (p:Person)-[l:LIAISON_OF]->(d)
    WHERE l.until IS NULL
    WITH v,
      collect(CASE WHEN d IS NULL THEN null ELSE
        {code: d.code, name_zh: d.nameZh, name_en: d.nameEn, short_name_zh: d.shortNameZh,
         sector_zh: d.sectorZh, order: d.order, clause_ref: dc.ref} END) AS departments,
      collect(CASE WHEN p IS NULL THEN null ELSE
        {person_id: p.id, name: p.name, department_code: d.code, since: l.since,
         until: l.until, source: l.source, phone: l.phone} END) AS liaisons
    OPTIONAL MATCH (u:Duty)
    WHERE u.code IN $duties
    OPTIONAL MATCH (u)-[:FROM_CLAUSE]->(uc:Clause)
    WITH v, departments, liaisons,
      collect(CASE WHEN u IS NULL THEN null ELSE
        {code: u.code, title_zh: u.titleZh, title_en: u.titleEn, text_zh: u.textZh,
         order: u.order, clause_ref: uc.ref} END) AS duties
    OPTIONAL MATCH (x:RemovalCondition)
    WHERE x.number IN $conditions
    OPTIONAL MATCH (x)-[:FROM_CLAUSE]->(xc:Clause)
    WITH v, departments, liaisons, duties,
      collect(CASE WHEN x IS NULL THEN null ELSE
        {number: x.number, title_zh: x.titleZh, title_en: x.titleEn, text_zh: x.textZh,
         text_en: x.textEn, clause_ref: xc.ref} END) AS conditions
    OPTIONAL MATCH (c:Clause)
    WHERE c.ref IN $clauses
    OPTIONAL MATCH (c)-[:PART_OF]->(pc:Clause)
    WITH v, departments, liaisons, duties, conditions,
      collect(CASE WHEN c IS NULL THEN null ELSE
        {ref: c.ref, title_zh: c.titleZh, title_en: c.titleEn, heading: c.heading,
         marker: c.marker, text_zh: c.textZh, order: c.order, parent_ref: pc.ref} END) AS clauses
    OPTIONAL MATCH (:Procedure {code: $procedure})-[:HAS_STEP]->(s:ProcedureStep)
    OPTIONAL MATCH (s)-[:PERFORMED_BY]->(sd:Department)
    OPTIONAL MATCH (sd)-[:FROM_CLAUSE]->(sdc:Clause)
    OPTIONAL MATCH (sp:Person)-[sl:LIAISON_OF]->(sd)
    WHERE sl.until IS NULL
    WITH v, departments, liaisons, duties, conditions, clauses, s, sd, sdc, sp, sl
    ORDER BY s.order
    RETURN v.epoch AS epoch, v.version AS version, departments, liaisons, duties, conditions,
      clauses,
      collect(CASE WHEN s IS NULL THEN null ELSE
        {code: s.code, order: s.order, text_zh: s.textZh, text_en: s.textEn,
         actor_role_zh: s.actorRoleZh, actor_code: sd.code} END) AS steps,
      collect(CASE WHEN sd IS NULL THEN null ELSE
        {code: sd.code, name_zh: sd.nameZh, name_en: sd.nameEn, short_name_zh: sd.shortNameZh,
         sector_zh: sd.sectorZh, order: sd.order, clause_ref: sdc.ref} END) AS actors,
      collect(CASE WHEN sp IS NULL THEN null ELSE
        {person_id: sp.id, name: sp.name, department_code: sd.code, since: sl.since,
         until: sl.until, source: sl.source, phone: sl.phone} END) AS actor_liaisons
    """,
)


# -- statements: changing (each bumps the version in the same statement) -------------------

SEED_VOCABULARY = statements.write(
    "routing.seed.vocabulary",
    f"""
    MERGE (v:RoutingVocabulary {{code: $vocabulary}})
    ON CREATE SET v.epoch = $epoch, v.version = 0, v.createdAt = $at
    {_BUMP}
    """,
)

# A term's own properties are refreshed by a later seed only while the seed still owns it.
SEED_TERMS = statements.write(
    "routing.seed.terms",
    f"""
    UNWIND $rows AS r
    MERGE (t:RoutingTerm {{text: r.text}})
    ON CREATE SET t.lang = r.lang, t.kind = r.kind, t.domainWeight = r.domainWeight,
                  t.source = 'seed', t.active = true, t.createdAt = $at
    ON MATCH SET t.kind = CASE WHEN t.source = 'seed' THEN r.kind ELSE t.kind END,
                 t.domainWeight =
                   CASE WHEN t.source = 'seed' THEN r.domainWeight ELSE t.domainWeight END
    WITH count(*) AS terms
    MATCH (v:RoutingVocabulary {{code: $vocabulary}})
    {_BUMP}
    """,
)


def _seed_links(label: TargetLabel) -> statements.Statement:
    # a removed term (active = false) gets no new links from the seed; a link an admin removed
    # stays removed, because ON MATCH never touches `active`
    return statements.write(
        f"routing.seed.links.{label.value.lower()}",
        f"""
        UNWIND $rows AS r
        MATCH (t:RoutingTerm {{text: r.text}})
        WHERE t.active
        MATCH {_TARGET_MATCH_ROW[label]}
        MERGE (t)-[l:INDICATES]->(x)
        ON CREATE SET l.weight = r.weight, l.source = 'seed', l.active = true, l.createdAt = $at
        ON MATCH SET l.weight = CASE WHEN l.source = 'seed' THEN r.weight ELSE l.weight END
        WITH count(*) AS links
        MATCH (v:RoutingVocabulary {{code: $vocabulary}})
        {_BUMP}
        """,
    )


SEED_LINKS: dict[TargetLabel, statements.Statement] = {
    label: _seed_links(label) for label in TargetLabel
}


def _add_link(label: TargetLabel) -> statements.Statement:
    # the guard runs before anything is written: an active link of an active term is a duplicate
    return statements.write(
        f"routing.add_link.{label.value.lower()}",
        f"""
        MATCH (v:RoutingVocabulary {{code: $vocabulary}})
        MATCH {_TARGET_MATCH[label]}
        OPTIONAL MATCH (old:RoutingTerm {{text: $text}})-[existing:INDICATES]->(x)
        WITH v, x, old, existing
        WHERE existing IS NULL OR existing.active = false OR old.active = false
        MERGE (t:RoutingTerm {{text: $text}})
        ON CREATE SET t.source = 'admin', t.createdAt = $at
        SET t.lang = $lang, t.kind = $kind, t.domainWeight = $domainWeight, t.active = true
        MERGE (t)-[l:INDICATES]->(x)
        ON CREATE SET l.createdAt = $at
        SET l.weight = $weight, l.source = 'admin', l.active = true
        {_BUMP}
        {AUDIT_CREATE}
        CREATE (audit)-[:CHANGED]->(t)
        RETURN t.text AS text, v.version AS version
        """,
    )


ADD_LINK: dict[TargetLabel, statements.Statement] = {
    label: _add_link(label) for label in TargetLabel
}

REMOVE_TERM = statements.write(
    "routing.remove_term",
    f"""
    MATCH (v:RoutingVocabulary {{code: $vocabulary}})
    MATCH (t:RoutingTerm {{text: $text}})
    WHERE t.active
    OPTIONAL MATCH (t)-[l:INDICATES]->()
    WITH v, t, collect(l) AS links
    FOREACH (link IN links | SET link.active = false)
    SET t.active = false, t.removedAt = $at
    {_BUMP}
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(t)
    RETURN t.text AS text, v.version AS version
    """,
)


def _remove_link(label: TargetLabel) -> statements.Statement:
    return statements.write(
        f"routing.remove_link.{label.value.lower()}",
        f"""
        MATCH (v:RoutingVocabulary {{code: $vocabulary}})
        MATCH (t:RoutingTerm {{text: $text}})-[l:INDICATES]->{_TARGET_MATCH[label]}
        WHERE t.active AND l.active
        SET l.active = false, l.removedAt = $at
        {_BUMP}
        {AUDIT_CREATE}
        CREATE (audit)-[:CHANGED]->(t)
        RETURN t.text AS text, v.version AS version
        """,
    )


REMOVE_LINK: dict[TargetLabel, statements.Statement] = {
    label: _remove_link(label) for label in TargetLabel
}


# -- queries -------------------------------------------------------------------------------


async def version(engine: Engine) -> VocabularyVersion | None:
    row = (await engine.read(VERSION, {"vocabulary": VOCABULARY})).single()
    if row is None or row["epoch"] is None:
        return None
    return VocabularyVersion(str(row["epoch"]), int(row["version"]))


async def active_terms(engine: Engine) -> list[ActiveTermRecord]:
    return [ActiveTermRecord(**row) for row in (await engine.read(ACTIVE_TERMS)).records]


async def active_links(engine: Engine) -> list[ActiveLinkRecord]:
    return [ActiveLinkRecord(**row) for row in (await engine.read(ACTIVE_LINKS)).records]


async def term(engine: Engine, text: str) -> TermRecord | None:
    row = (await engine.read(TERM, {"text": text})).single()
    if row is None or row["text"] is None:
        return None
    links = tuple(LinkRecord(**link) for link in row.pop("links"))
    return TermRecord(**row, links=links)


async def count_terms(engine: Engine) -> int:
    row = (await engine.read(COUNT_TERMS)).single()
    return int(row["n"]) if row else 0


def details_params(
    departments: Sequence[str],
    duties: Sequence[str],
    conditions: Sequence[int],
    clauses: Sequence[str],
    *,
    with_steps: bool,
) -> dict[str, Any]:
    return {
        "vocabulary": VOCABULARY,
        "departments": list(departments),
        "duties": list(duties),
        "conditions": list(conditions),
        "clauses": list(clauses),
        "procedure": REFERRAL_PROCEDURE if with_steps else "",
    }


async def route_details(engine: Engine, params: Mapping[str, Any]) -> RouteDetails:
    row = (await engine.read(ROUTE_DETAILS, params)).single() or {}
    epoch = row.get("epoch")
    # the departments of the matches first, then those acting in the procedure's steps
    departments = [
        DepartmentRecord(**d) for d in (row.get("actors") or []) + (row.get("departments") or [])
    ]
    liaisons = [
        LiaisonRecord(**p) for p in (row.get("actor_liaisons") or []) + (row.get("liaisons") or [])
    ]
    duties = [DutyRecord(**u) for u in row.get("duties") or []]
    conditions = [RemovalConditionRecord(**x) for x in row.get("conditions") or []]
    clauses = [ClauseRecord(**c) for c in row.get("clauses") or []]
    steps = [ProcedureStepRecord(**s) for s in row.get("steps") or []]
    return RouteDetails(
        version=VocabularyVersion(str(epoch), int(row["version"])) if epoch else None,
        departments={d.code: d for d in departments},
        liaisons={p.department_code: p for p in liaisons},
        duties={u.code: u for u in duties},
        conditions={x.number: x for x in conditions},
        clauses={c.ref: c for c in clauses},
        steps=steps,
    )


async def seed_vocabulary(engine: Engine, *, epoch: str, at: str) -> WriteStats:
    params = {"vocabulary": VOCABULARY, "epoch": epoch, "at": at}
    return (await engine.write(SEED_VOCABULARY, params)).stats


async def seed_terms(
    engine: Engine, rows: Sequence[Mapping[str, object]], *, at: str
) -> WriteStats:
    params = {"vocabulary": VOCABULARY, "rows": list(rows), "at": at}
    return (await engine.write(SEED_TERMS, params)).stats


async def seed_links(
    engine: Engine, label: TargetLabel, rows: Sequence[Mapping[str, object]], *, at: str
) -> WriteStats:
    params = {"vocabulary": VOCABULARY, "rows": list(rows), "at": at}
    return (await engine.write(SEED_LINKS[label], params)).stats


async def add_link(
    engine: Engine,
    *,
    text: str,
    lang: str,
    kind: str,
    domain_weight: float,
    label: TargetLabel,
    target: str | int,
    weight: float,
    audit: AuditEntry,
) -> int | None:
    """Add (or revive) a term and its link to a target; the new version, or None if the link
    is already there (or the vocabulary or target is missing). Nothing is written on None."""
    result = await engine.write(
        ADD_LINK[label],
        {
            "vocabulary": VOCABULARY,
            "text": text,
            "lang": lang,
            "kind": kind,
            "domainWeight": domain_weight,
            "target": target,
            "weight": weight,
            "at": audit.at,
            "audit": audit.params(),
        },
    )
    row = result.single()
    return int(row["version"]) if row else None


async def remove_term(engine: Engine, *, text: str, audit: AuditEntry) -> int | None:
    """Retire a term and every link of it; the new version, or None if no such active term."""
    params = {"vocabulary": VOCABULARY, "text": text, "at": audit.at, "audit": audit.params()}
    row = (await engine.write(REMOVE_TERM, params)).single()
    return int(row["version"]) if row else None


async def remove_link(
    engine: Engine, *, text: str, label: TargetLabel, target: str | int, audit: AuditEntry
) -> int | None:
    """Retire one link of a term; the new version, or None if there is no such active link."""
    params = {
        "vocabulary": VOCABULARY,
        "text": text,
        "target": target,
        "at": audit.at,
        "audit": audit.params(),
    }
    row = (await engine.write(REMOVE_LINK[label], params)).single()
    return int(row["version"]) if row else None
