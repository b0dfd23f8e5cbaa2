"""Lifecycle writes on a mine, each one guarded statement (see `graph/mine_model.py`), and the
batched reads of a mine's history, objections and rectifications.

Each write returns the mine's row, or no row when its guard failed (the mine's status, or the
objection's, changed since the use case read it); then nothing was written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from graph import statements
from graph.audit import AUDIT_CREATE, AuditEntry
from graph.engine import Engine
from graph.mine_model import (
    EVENT_BRIEF_COLUMNS,
    EVENT_CARRY,
    EVENT_COLUMNS,
    EVENT_CREATE,
    EVENT_REFS,
    MINE_COLUMNS,
    MINE_LOCK,
    EventBrief,
    EventParams,
    EventRecord,
    MineRecord,
)
from graph.values import Result, camel_params

R = TypeVar("R")


@dataclass(frozen=True)
class CloseRectification:
    """How a transition closes the mine's open rectification (a re-check, or a removal)."""

    closed_on: str
    outcome: str
    completed_on: str | None

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class NewObjection:
    id: str
    received_on: str
    objector: str
    summary: str

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class ObjectionResolution:
    id: str
    resolved_on: str
    upheld: bool
    resolution: str
    #: what the other open objections are closed with when this one is upheld
    superseded_note: str

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class ObjectionRecord:
    mine: str
    id: str
    received_on: str
    objector: str
    summary: str
    resolved_on: str | None
    upheld: bool | None
    resolution: str | None


@dataclass(frozen=True)
class RectificationRecord:
    mine: str
    id: str
    found_on: str
    deadline: str
    findings: str | None
    measures: str | None
    closed_on: str | None
    outcome: str | None
    completed_on: str | None
    check_result_id: str | None


TRANSITION = statements.write(
    "lifecycle.transition",
    f"""
    MATCH (m:Mine {{licenceNumber: $licence}})
    {MINE_LOCK}
    WITH m
    WHERE m.status = $expected
      AND (NOT $noOpenObjections OR coalesce(m.openObjections, 0) = 0)
    OPTIONAL MATCH (m)-[:HAS_RECTIFICATION]->(open:Rectification)
    WHERE open.closedOn IS NULL AND $close IS NOT NULL
    {EVENT_REFS}
    WITH m, collect(DISTINCT open) AS openRectifications, {EVENT_CARRY}
    SET m += $set
    FOREACH (r IN openRectifications |
        SET r.closedOn = $close.closedOn, r.outcome = $close.outcome,
            r.completedOn = $close.completedOn)
    {EVENT_CREATE}
    FOREACH (r IN openRectifications | CREATE (event)-[:ABOUT]->(r))
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(m)
    RETURN {MINE_COLUMNS}
    """,
)

RECORD_OBJECTION = statements.write(
    "lifecycle.record_objection",
    f"""
    MATCH (m:Mine {{licenceNumber: $licence}})
    {MINE_LOCK}
    WITH m
    WHERE m.status = $expected
    {EVENT_REFS}
    WITH m, {EVENT_CARRY}
    SET m.openObjections = coalesce(m.openObjections, 0) + 1
    CREATE (m)-[:HAS_OBJECTION]->(o:Objection {{id: $objection.id,
            receivedOn: $objection.receivedOn, objector: $objection.objector,
            summary: $objection.summary, synthetic: coalesce(m.synthetic, false)}})
    {EVENT_CREATE}
    CREATE (event)-[:ABOUT]->(o)
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(m)
    CREATE (audit)-[:CHANGED]->(o)
    RETURN {MINE_COLUMNS}
    """,
)

RESOLVE_OBJECTION = statements.write(
    "lifecycle.resolve_objection",
    f"""
    MATCH (m:Mine {{licenceNumber: $licence}})-[:HAS_OBJECTION]->(o:Objection {{id: $objection.id}})
    {MINE_LOCK}
    WITH m, o
    WHERE m.status = $expected AND o.resolvedOn IS NULL
    OPTIONAL MATCH (m)-[:HAS_OBJECTION]->(other:Objection)
    WHERE other.resolvedOn IS NULL AND other.id <> o.id AND $objection.upheld
    {EVENT_REFS}
    WITH m, o, collect(DISTINCT other) AS others, {EVENT_CARRY}
    SET o.resolvedOn = $objection.resolvedOn, o.upheld = $objection.upheld,
        o.resolution = $objection.resolution,
        m.openObjections = CASE WHEN $objection.upheld THEN 0
                                ELSE coalesce(m.openObjections, 1) - 1 END
    FOREACH (x IN others |
        SET x.resolvedOn = $objection.resolvedOn, x.resolution = $objection.supersededNote)
    SET m += $set
    {EVENT_CREATE}
    CREATE (event)-[:ABOUT]->(o)
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(m)
    CREATE (audit)-[:CHANGED]->(o)
    RETURN {MINE_COLUMNS}
    """,
)

# each of `$licences`' lifecycle events, oldest first, with the columns given
_HISTORY = """
    UNWIND $licences AS licence
    MATCH (:Mine {{licenceNumber: licence}})-[:HAS_EVENT]->(e:LifecycleEvent)
    RETURN licence AS mine, {columns}
    ORDER BY e.seq
"""

HISTORY_OF = statements.read("lifecycle.history_of", _HISTORY.format(columns=EVENT_COLUMNS))

HISTORY_BRIEFS_OF = statements.read(
    "lifecycle.history_briefs_of", _HISTORY.format(columns=EVENT_BRIEF_COLUMNS)
)

OBJECTIONS_OF = statements.read(
    "lifecycle.objections_of",
    """
    UNWIND $licences AS licence
    MATCH (:Mine {licenceNumber: licence})-[:HAS_OBJECTION]->(o:Objection)
    RETURN licence AS mine, o.id AS id, o.receivedOn AS received_on, o.objector AS objector,
           o.summary AS summary, o.resolvedOn AS resolved_on, o.upheld AS upheld,
           o.resolution AS resolution
    ORDER BY o.receivedOn, o.id
    """,
)

RECTIFICATIONS_OF = statements.read(
    "lifecycle.rectifications_of",
    """
    UNWIND $licences AS licence
    MATCH (:Mine {licenceNumber: licence})-[:HAS_RECTIFICATION]->(r:Rectification)
    OPTIONAL MATCH (res:SpotCheckResult)-[:REQUIRED]->(r)
    RETURN licence AS mine, r.id AS id, r.foundOn AS found_on, r.deadline AS deadline,
           r.findings AS findings, r.measures AS measures, r.closedOn AS closed_on,
           r.outcome AS outcome, r.completedOn AS completed_on, res.id AS check_result_id
    ORDER BY r.foundOn, r.id
    """,
)


def _mine(result: Result) -> MineRecord | None:
    row = result.single()
    return MineRecord(**row) if row else None


def _grouped(result: Result, record_type: type[R]) -> dict[str, list[R]]:
    """Records by their mine (the first column, the record's `mine`)."""
    grouped: dict[str, list[R]] = defaultdict(list)
    for row, record in zip(result.rows, result.as_records(record_type), strict=True):
        grouped[row[0]].append(record)
    return grouped


async def transition(
    engine: Engine,
    *,
    licence: str,
    expected: str,
    event: EventParams,
    audit: AuditEntry,
    set_properties: Mapping[str, Any] | None = None,
    no_open_objections: bool = False,
    close: CloseRectification | None = None,
) -> MineRecord | None:
    """Move the mine from `expected` to `event.to_status`; None if it is no longer `expected`."""
    result = await engine.write(
        TRANSITION,
        {
            "licence": licence,
            "expected": expected,
            "noOpenObjections": no_open_objections,
            "close": close.params() if close else None,
            "set": dict(set_properties or {}),
            "event": event.params(),
            "audit": audit.params(),
        },
    )
    return _mine(result)


async def record_objection(
    engine: Engine,
    *,
    licence: str,
    expected: str,
    objection: NewObjection,
    event: EventParams,
    audit: AuditEntry,
) -> MineRecord | None:
    result = await engine.write(
        RECORD_OBJECTION,
        {
            "licence": licence,
            "expected": expected,
            "objection": objection.params(),
            "event": event.params(),
            "audit": audit.params(),
        },
    )
    return _mine(result)


async def resolve_objection(
    engine: Engine,
    *,
    licence: str,
    expected: str,
    resolution: ObjectionResolution,
    event: EventParams,
    audit: AuditEntry,
    set_properties: Mapping[str, Any] | None = None,
) -> MineRecord | None:
    result = await engine.write(
        RESOLVE_OBJECTION,
        {
            "licence": licence,
            "expected": expected,
            "objection": resolution.params(),
            "set": dict(set_properties or {}),
            "event": event.params(),
            "audit": audit.params(),
        },
    )
    return _mine(result)


async def history_of(engine: Engine, licences: Sequence[str]) -> dict[str, list[EventRecord]]:
    return _grouped(await engine.read(HISTORY_OF, {"licences": list(licences)}), EventRecord)


async def history_briefs_of(engine: Engine, licences: Sequence[str]) -> dict[str, list[EventBrief]]:
    """`history_of`, the steps only (a third of the columns: what a page of mines shows)."""
    result = await engine.read(HISTORY_BRIEFS_OF, {"licences": list(licences)})
    return _grouped(result, EventBrief)


async def objections_of(
    engine: Engine, licences: Sequence[str]
) -> dict[str, list[ObjectionRecord]]:
    return _grouped(await engine.read(OBJECTIONS_OF, {"licences": list(licences)}), ObjectionRecord)


async def rectifications_of(
    engine: Engine, licences: Sequence[str]
) -> dict[str, list[RectificationRecord]]:
    result = await engine.read(RECTIFICATIONS_OF, {"licences": list(licences)})
    return _grouped(result, RectificationRecord)
