"""The mine registry: registering a mine with its licences, updating licences, reading mines
by licence number (batched, for DataLoaders) and paging through them with a filter and a sort.

Paging is keyset paging (see `resolvers/pagination.py`): one statement per sort direction and
indexed filter it starts from, each reading `$limit` rows after `($afterKey, $afterId)`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from graph import statements
from graph.audit import AUDIT_CREATE, AuditEntry
from graph.engine import Engine
from graph.keyset import sorted_page
from graph.mine_model import (
    EVENT_CARRY,
    EVENT_CREATE,
    EVENT_REFS,
    MINE_BRIEF_COLUMNS,
    MINE_COLUMNS,
    EventParams,
    LicenceRecord,
    MineBrief,
    MineRecord,
    brief_record,
)
from graph.statements import Statement
from graph.values import camel_params


class MineSort(StrEnum):
    LICENCE_NUMBER_ASC = "LICENCE_NUMBER_ASC"
    NAME_ASC = "NAME_ASC"
    PRODUCTION_START_ASC = "PRODUCTION_START_ASC"
    PRODUCTION_START_DESC = "PRODUCTION_START_DESC"
    STATUS_SINCE_DESC = "STATUS_SINCE_DESC"


@dataclass(frozen=True)
class MineFilter:
    """What `mines` may be filtered by; None means "any". Dates are ISO strings."""

    prefectures: list[str] | None = None
    scales: list[str] | None = None
    stages: list[str] | None = None
    statuses: list[str] | None = None
    mineral: str | None = None
    text: str | None = None
    production_from: str | None = None
    production_to: str | None = None
    listed_from: str | None = None
    listed_to: str | None = None
    synthetic: bool | None = None

    def anchor(self) -> Anchor:
        """The first indexed filter (see ANCHORS) this one constrains, if any."""
        given = {
            "prefecture": self.prefectures,
            "scale": self.scales,
            "status": self.statuses,
        }
        return next((name for name, _ in ANCHORS if given[name] is not None), None)

    def plain_shape(self) -> PlainShape | None:
        """The indexed filters (see ANCHORS) it sets, when it sets no other; None otherwise."""
        others = (self.stages, self.mineral, self.text, self.production_from,
                  self.production_to, self.listed_from, self.listed_to, self.synthetic)  # fmt: skip
        if any(value is not None for value in others):
            return None
        given = {"prefecture": self.prefectures, "scale": self.scales, "status": self.statuses}
        return tuple(name for name, _ in ANCHORS if given[name] is not None)

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class LicenceParams:
    kind: str
    number: str
    valid_from: str | None
    valid_until: str | None
    revoked_on: str | None

    def params(self, mine: str) -> dict[str, object]:
        return {
            "key": f"{mine}:{self.kind}",
            "kind": self.kind,
            "number": self.number,
            "validFrom": self.valid_from,
            "validUntil": self.valid_until,
            "revokedOn": self.revoked_on,
        }


@dataclass(frozen=True)
class NewMine:
    licence_number: str
    name: str
    company: str
    mineral: str
    scale: str
    stage: str
    prefecture: str
    county: str
    production_start: str | None
    applied_on: str | None
    registered_at: str

    def params(self) -> dict[str, object]:
        return {
            "licenceNumber": self.licence_number,
            "name": self.name,
            "company": self.company,
            "mineral": self.mineral,
            "scale": self.scale,
            "stage": self.stage,
            "prefecture": self.prefecture,
            "county": self.county,
            "productionStart": self.production_start,
            "appliedOn": self.applied_on,
            "registeredAt": self.registered_at,
            "openObjections": 0,
            "eventCount": 0,
            "synthetic": False,
        }


# Filters with a range index behind them, most selective first. The page and count statements
# are enumerated per anchor: the first of these a caller constrains is written as a plain
# `m.x IN $x` predicate, so the engine starts from its index; a `$x IS NULL OR m.x IN $x`
# predicate cannot use an index and makes the statement scan every mine. (One anchor, not every
# combination: each variant costs the Neo4j linter seconds, and after the first index the rest
# of the filter only thins out what it found.)
ANCHORS: tuple[tuple[str, str], ...] = (
    ("prefecture", "m.prefecture IN $prefectures"),
    ("scale", "m.scale IN $scales"),
    ("status", "m.status IN $statuses"),
)

_OPTIONAL: dict[str, str] = {
    "prefecture": "($prefectures IS NULL OR m.prefecture IN $prefectures)",
    "scale": "($scales IS NULL OR m.scale IN $scales)",
    "status": "($statuses IS NULL OR m.status IN $statuses)",
}

# checked on the mines the anchor (or the label) found
RESIDUAL = """
    ($stages IS NULL OR m.stage IN $stages)
    AND ($mineral IS NULL OR m.mineral = $mineral)
    AND ($text IS NULL OR m.name CONTAINS $text OR m.company CONTAINS $text
         OR m.licenceNumber CONTAINS $text)
    AND ($productionFrom IS NULL OR m.productionStart >= $productionFrom)
    AND ($productionTo IS NULL OR m.productionStart <= $productionTo)
    AND ($listedFrom IS NULL OR m.listedOn >= $listedFrom)
    AND ($listedTo IS NULL OR m.listedOn <= $listedTo)
    AND ($synthetic IS NULL OR coalesce(m.synthetic, false) = $synthetic)
"""

#: the anchored filter a statement variant starts from ("prefecture", ...), None for the label
Anchor = str | None
ANCHOR_CHOICES: tuple[Anchor, ...] = (None, *(name for name, _ in ANCHORS))

# A front end pages by prefecture, scale and status (an anonymous caller's list always by
# status). A page or count filtered by those alone is sent as a statement holding only the
# predicates it uses: the generic statements above check every other filter's
# `$x IS NULL OR ...` on each mine they find, which at 50,000 mines made a page statement about
# 40% and a count about 45% slower on the server. One variant per combination of the three.
#: the indexed filters a filter sets, in ANCHORS' order, when it sets no other
PlainShape = tuple[str, ...]
PLAIN_SHAPES: tuple[PlainShape, ...] = tuple(
    tuple(name for i, (name, _) in enumerate(ANCHORS) if combination >> i & 1)
    for combination in range(2 ** len(ANCHORS))
)


def _plain_where(shape: PlainShape) -> str:
    return "\n    AND ".join(p for name, p in ANCHORS if name in shape) or "true"


def _shape_name(shape: PlainShape) -> str:
    return "+".join(shape) or "all"


def _where(anchor: Anchor) -> str:
    parts = [predicate for name, predicate in ANCHORS if name == anchor]
    parts += [optional for name, optional in _OPTIONAL.items() if name != anchor]
    return "\n    AND ".join([*parts, RESIDUAL.strip()])


def _variant(anchor: Anchor) -> str:
    return anchor or "all"


REGISTER = statements.write(
    "mines.register",
    f"""
    MATCH (p:Prefecture {{code: $mine.prefecture}})
    {EVENT_REFS}
    WITH p, {EVENT_CARRY}
    CREATE (m:Mine)
    SET m = $mine
    CREATE (m)-[:IN_PREFECTURE]->(p)
    FOREACH (l IN $licences |
        CREATE (m)-[:HOLDS]->(:Licence {{key: l.key, kind: l.kind, number: l.number,
                validFrom: l.validFrom, validUntil: l.validUntil, revokedOn: l.revokedOn,
                synthetic: false}}))
    {EVENT_CREATE}
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(m)
    RETURN {MINE_COLUMNS}
    """,
)

UPDATE_LICENCES = statements.write(
    "mines.update_licences",
    f"""
    MATCH (m:Mine {{licenceNumber: $licence}})
    FOREACH (l IN $licences |
        MERGE (x:Licence {{key: l.key}})
        ON CREATE SET x.synthetic = coalesce(m.synthetic, false)
        SET x.kind = l.kind, x.number = l.number, x.validFrom = l.validFrom,
            x.validUntil = l.validUntil, x.revokedOn = l.revokedOn
        MERGE (m)-[:HOLDS]->(x))
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(m)
    RETURN {MINE_COLUMNS}
    """,
)

BY_LICENCE = statements.read(
    "mines.by_licence",
    f"""
    UNWIND $licences AS licence
    MATCH (m:Mine {{licenceNumber: licence}})
    RETURN {MINE_COLUMNS}
    """,
)

LICENCES_OF = statements.read(
    "mines.licences_of",
    """
    UNWIND $licences AS licence
    MATCH (:Mine {licenceNumber: licence})-[:HOLDS]->(l:Licence)
    RETURN licence AS mine, l.kind AS kind, l.number AS number, l.validFrom AS valid_from,
           l.validUntil AS valid_until, l.revokedOn AS revoked_on
    ORDER BY l.kind
    """,
)


def _count_statement(name: str, where: str) -> Statement:
    return statements.read(
        name,
        f"""
        MATCH (m:Mine)
        WHERE {where}
        RETURN count(m) AS n
        """,
    )


COUNTS: dict[Anchor, Statement] = {
    a: _count_statement(f"mines.count.{_variant(a)}", _where(a)) for a in ANCHOR_CHOICES
}

PLAIN_COUNTS: dict[PlainShape, Statement] = {
    shape: _count_statement(f"mines.plain_count.{_shape_name(shape)}", _plain_where(shape))
    for shape in PLAIN_SHAPES
}

HAS_MINES = statements.read("mines.any", "MATCH (m:Mine) RETURN m.licenceNumber AS id LIMIT 1")


@dataclass(frozen=True)
class _SortShape:
    key: str
    descending: bool


_SORTS: dict[MineSort, _SortShape] = {
    MineSort.LICENCE_NUMBER_ASC: _SortShape("m.licenceNumber", False),
    MineSort.NAME_ASC: _SortShape("m.name", False),
    # mines not yet producing sort first ascending, last descending
    MineSort.PRODUCTION_START_ASC: _SortShape("coalesce(m.productionStart, '')", False),
    MineSort.PRODUCTION_START_DESC: _SortShape("coalesce(m.productionStart, '')", True),
    MineSort.STATUS_SINCE_DESC: _SortShape("coalesce(m.statusSince, '')", True),
}


def _sort_key(descending: bool) -> str:
    """The sort key of `$sort`, among the sorts of one direction (the engine sorts the matching
    mines in memory whatever the key, so choosing it by parameter costs nothing)."""
    shapes = [(sort, shape) for sort, shape in _SORTS.items() if shape.descending is descending]
    cases = " ".join(f"WHEN '{sort.value}' THEN {shape.key}" for sort, shape in shapes[1:])
    return f"CASE $sort {cases} ELSE {shapes[0][1].key} END"


def _page_statement(
    name: str, where: str, key: str, descending: bool, tie: bool, columns: str = MINE_COLUMNS
) -> Statement:
    """The page of mines matching `where` by `key` (see `graph/keyset.py`); `tie` orders
    mines of equal keys (not needed when the key is the licence number)."""
    tail = sorted_page(
        carry="m",
        key=key,
        identity="m.licenceNumber",
        identity_column="licence_number",
        descending=descending,
        columns=columns,
        tie=tie,
    )
    return statements.read(
        name,
        f"""
        MATCH (m:Mine)
        WHERE {where}
        {tail}
        """,
    )


PAGES: dict[tuple[bool, Anchor], Statement] = {
    (descending, anchor): _page_statement(
        f"mines.page.{'desc' if descending else 'asc'}.{_variant(anchor)}",
        _where(anchor),
        _sort_key(descending),
        descending,
        tie=True,
    )  # fmt: skip
    for descending in (False, True)
    for anchor in ANCHOR_CHOICES
}


def _plain_page_statement(sort: MineSort, shape: PlainShape, *, brief: bool) -> Statement:
    """The page for a filter of `shape`, its sort key written out (the generic statements
    pick it by parameter for every mine) and no tie-breaker when the key is the licence
    number itself (unique); each mine's `MINE_BRIEF_COLUMNS` only when `brief`."""
    key, descending = _SORTS[sort].key, _SORTS[sort].descending
    name = f"mines.plain_page.{sort.value.lower()}.{_shape_name(shape)}{'.brief' if brief else ''}"
    columns = MINE_BRIEF_COLUMNS if brief else MINE_COLUMNS
    tie = key != "m.licenceNumber"
    return _page_statement(name, _plain_where(shape), key, descending, tie, columns)


PLAIN_PAGES: dict[tuple[MineSort, PlainShape, bool], Statement] = {
    (sort, shape, brief): _plain_page_statement(sort, shape, brief=brief)
    for sort in MineSort
    for shape in PLAIN_SHAPES
    for brief in (False, True)
}


@dataclass(frozen=True)
class MineRow:
    """A mine on a page, with the value it was sorted by (for its cursor)."""

    mine: MineRecord
    sort_key: str
    #: False for a brief's record (`brief_record`), which must not be cached
    complete: bool = True


async def register(
    engine: Engine,
    mine: NewMine,
    licences: Sequence[LicenceParams],
    event: EventParams,
    audit: AuditEntry,
) -> MineRecord | None:
    """Create the mine, its licences and its first event; None when the prefecture is unknown.
    A duplicate licence number raises `ConstraintViolation` and writes nothing."""
    result = await engine.write(
        REGISTER,
        {
            "mine": mine.params(),
            "licences": [lic.params(mine.licence_number) for lic in licences],
            "event": event.params(),
            "audit": audit.params(),
        },
    )
    row = result.single()
    return MineRecord(**row) if row else None


async def update_licences(
    engine: Engine, licence: str, licences: Sequence[LicenceParams], audit: AuditEntry
) -> MineRecord | None:
    result = await engine.write(
        UPDATE_LICENCES,
        {
            "licence": licence,
            "licences": [lic.params(licence) for lic in licences],
            "audit": audit.params(),
        },
    )
    row = result.single()
    return MineRecord(**row) if row else None


async def by_licence(engine: Engine, licences: Sequence[str]) -> dict[str, MineRecord]:
    result = await engine.read(BY_LICENCE, {"licences": list(licences)})
    return {r.licence_number: r for r in (MineRecord(**row) for row in result.records)}


async def licences_of(engine: Engine, licences: Sequence[str]) -> dict[str, list[LicenceRecord]]:
    result = await engine.read(LICENCES_OF, {"licences": list(licences)})
    grouped: dict[str, list[LicenceRecord]] = defaultdict(list)
    for record in result.as_records(LicenceRecord):
        grouped[record.mine].append(record)
    return grouped


async def page(
    engine: Engine,
    mine_filter: MineFilter,
    sort: MineSort,
    *,
    after_key: object,
    after_id: str | None,
    limit: int,
    brief: bool = False,
) -> list[MineRow]:
    """A page of mines; only their `MineBrief` columns when `brief` and the filter is plain
    (the rows say which they are)."""
    params = {
        **mine_filter.params(),
        "sort": sort.value,
        "afterKey": after_key,
        "afterId": after_id,
        "limit": limit,
    }
    shape = mine_filter.plain_shape()
    if shape is None:
        result = await engine.read(PAGES[_SORTS[sort].descending, mine_filter.anchor()], params)
    else:
        result = await engine.read(PLAIN_PAGES[sort, shape, brief], params)
        if brief:
            briefs = result.as_records_keyed(MineBrief, "sort_key")
            return [MineRow(brief_record(mine), key, complete=False) for mine, key in briefs]
    return [MineRow(mine, key) for mine, key in result.as_records_keyed(MineRecord, "sort_key")]


async def count(engine: Engine, mine_filter: MineFilter) -> int:
    shape = mine_filter.plain_shape()
    statement = COUNTS[mine_filter.anchor()] if shape is None else PLAIN_COUNTS[shape]
    row = (await engine.read(statement, mine_filter.params())).single()
    return int(row["n"]) if row else 0


async def any_mine(engine: Engine) -> bool:
    return (await engine.read(HAS_MINES)).single() is not None
