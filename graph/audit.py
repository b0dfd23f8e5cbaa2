"""Who did what: every mutation writes an AuditEntry in the same statement as its change.

Write statements include `AUDIT_CREATE` (a Cypher fragment binding `audit`) and then link it to
what changed with `(audit)-[:CHANGED]->(x)`, so a change and its record land or fail together.
"What changed" is every node the change is about: the node it created or changed (a mine, a
case, a penalty, a session, a draw, a token, a routing term, a department) and the records it
created for it (a referral, a decision, a lead transfer, a spot-check result, an objection, a
liaison), but not the history events that every step adds.

The trail is read a page at a time (keyset, newest first by default, see
`resolvers/pagination.py`), over all entries or anchored on one entity: a case (what changed
it) or a mine (what changed it, its cases or its penalties).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph import statements
from graph.engine import Engine
from graph.keyset import sorted_page
from graph.statements import Statement
from graph.values import camel_params

AUDIT_CREATE = """
CREATE (audit:AuditEntry {id: $audit.id, at: $audit.at, actor: $audit.actor,
        role: $audit.role, department: $audit.department, operation: $audit.operation,
        summary: $audit.summary, changes: $audit.changes})
"""


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: str
    actor: str
    role: str
    department: str | None
    operation: str
    summary: str
    #: what changed, as JSON text (a property value both engines store as is)
    changes: str

    @staticmethod
    def changes_json(changes: Mapping[str, Any]) -> str:
        return json.dumps(changes, ensure_ascii=False, sort_keys=True, default=str)

    def changes_value(self) -> Any:
        return json.loads(self.changes)

    def params(self) -> dict[str, object]:
        return camel_params(self)


RECENT = statements.read(
    "audit.recent",
    """
    MATCH (a:AuditEntry)
    WHERE a.at >= $since
    WITH a ORDER BY a.at DESC LIMIT $limit
    RETURN a.id AS id, a.at AS at, a.actor AS actor, a.role AS role,
           a.department AS department, a.operation AS operation, a.summary AS summary,
           a.changes AS changes
    ORDER BY at DESC
    """,
)


async def recent(engine: Engine, *, since: str, limit: int) -> list[AuditEntry]:
    result = await engine.read(RECENT, {"since": since, "limit": limit})
    return [AuditEntry(**row) for row in result.records]


# -- the trail, a page at a time -----------------------------------------------------------------


class AuditSort(StrEnum):
    AT_DESC = "AT_DESC"
    AT_ASC = "AT_ASC"


class AuditAnchor(StrEnum):
    """Where a page of the trail starts: every entry, or the entries about one entity."""

    ALL = "all"
    CASE = "case"
    MINE = "mine"


@dataclass(frozen=True)
class AuditFilter:
    """None means "any". `at_from` is an ISO date (inclusive), `at_before` the day after the
    last one wanted (exclusive), so an ISO timestamp compares as text against both."""

    actors: list[str] | None = None
    departments: list[str] | None = None
    operations: list[str] | None = None
    roles: list[str] | None = None
    at_from: str | None = None
    at_before: str | None = None
    mine: str | None = None
    case: str | None = None

    @property
    def anchor(self) -> AuditAnchor:
        if self.case is not None:
            return AuditAnchor.CASE
        if self.mine is not None:
            return AuditAnchor.MINE
        return AuditAnchor.ALL

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    sort_key: str


@dataclass(frozen=True)
class ChangedRecord:
    """A node an audit entry is linked to: its label and its natural key."""

    audit: str
    kind: str
    key: str


_COLUMNS = """
    a.id AS id, a.at AS at, a.actor AS actor, a.role AS role, a.department AS department,
    a.operation AS operation, a.summary AS summary, a.changes AS changes
"""

_FILTER = """
    ($actors IS NULL OR a.actor IN $actors)
    AND ($departments IS NULL OR a.department IN $departments)
    AND ($operations IS NULL OR a.operation IN $operations)
    AND ($roles IS NULL OR a.role IN $roles)
    AND ($atFrom IS NULL OR a.at >= $atFrom)
    AND ($atBefore IS NULL OR a.at < $atBefore)
"""

#: the entries to filter, bound as `a` (each at most once)
_ANCHORS: dict[AuditAnchor, str] = {
    AuditAnchor.ALL: "MATCH (a:AuditEntry)",
    AuditAnchor.CASE: """
        MATCH (c:Case {id: $case})
        WHERE $mine IS NULL OR c.mine = $mine
        MATCH (a:AuditEntry)-[:CHANGED]->(c)
        WITH DISTINCT a
    """,
    # the mine itself, and the cases against it and the penalties imposed on it
    AuditAnchor.MINE: """
        MATCH (m:Mine {licenceNumber: $mine})
        OPTIONAL MATCH (m)<-[:AGAINST|IMPOSED_ON]-(about)
        WITH m, collect(about) AS related
        UNWIND [m] + related AS thing
        MATCH (a:AuditEntry)-[:CHANGED]->(thing)
        WITH DISTINCT a
    """,
}

_SORTS: dict[AuditSort, bool] = {AuditSort.AT_DESC: True, AuditSort.AT_ASC: False}


def _page(anchor: AuditAnchor, sort: AuditSort) -> Statement:
    tail = sorted_page(
        carry="a",
        key="a.at",
        identity="a.id",
        identity_column="id",
        descending=_SORTS[sort],
        columns=_COLUMNS,
    )
    return statements.read(
        f"audit.page.{anchor.value}.{sort.value.lower()}",
        f"""
        {_ANCHORS[anchor]}
        WITH a
        WHERE {_FILTER}
        {tail}
        """,
    )


def _count(anchor: AuditAnchor) -> Statement:
    return statements.read(
        f"audit.count.{anchor.value}",
        f"""
        {_ANCHORS[anchor]}
        WITH a
        WHERE {_FILTER}
        RETURN count(a) AS n
        """,
    )


PAGES: dict[tuple[AuditAnchor, AuditSort], Statement] = {
    (anchor, sort): _page(anchor, sort) for anchor in AuditAnchor for sort in AuditSort
}
COUNTS: dict[AuditAnchor, Statement] = {anchor: _count(anchor) for anchor in AuditAnchor}

CHANGED_OF = statements.read(
    "audit.changed_of",
    """
    UNWIND $ids AS auditId
    MATCH (:AuditEntry {id: auditId})-[:CHANGED]->(x)
    WITH auditId, labels(x)[0] AS kind,
         coalesce(x.licenceNumber, x.id, x.code, x.text, toString(x.number)) AS key
    RETURN auditId AS audit, kind, key
    ORDER BY audit, kind, key
    """,
)


async def page(
    engine: Engine,
    audit_filter: AuditFilter,
    sort: AuditSort,
    *,
    after_key: object,
    after_id: str | None,
    limit: int,
) -> list[AuditRow]:
    params = {**audit_filter.params(), "afterKey": after_key, "afterId": after_id, "limit": limit}
    result = await engine.read(PAGES[(audit_filter.anchor, sort)], params)
    rows = []
    for row in result.records:
        key = row.pop("sort_key")
        rows.append(AuditRow(AuditEntry(**row), key))
    return rows


async def count(engine: Engine, audit_filter: AuditFilter) -> int:
    row = (await engine.read(COUNTS[audit_filter.anchor], audit_filter.params())).single()
    return int(row["n"]) if row else 0


async def changed_of(engine: Engine, ids: Sequence[str]) -> dict[str, list[ChangedRecord]]:
    grouped: dict[str, list[ChangedRecord]] = defaultdict(list)
    for row in (await engine.read(CHANGED_OF, {"ids": list(ids)})).records:
        grouped[row["audit"]].append(ChangedRecord(**row))
    return grouped
