"""Yearly random spot checks (二(三)2): draws with their population and sample, and results.

    (:SpotCheckDraw {id: "<year>-<n>", year, seed, algorithm, share, population, sample,
                     current})-[:SAMPLED]->(:Mine)
    (:SpotCheckDraw)-[:REPLACES]->(:SpotCheckDraw)            -- a replaced draw stays, not current
    (:SpotCheckDraw)-[:HAS_RESULT]->(:SpotCheckResult)-[:OF_MINE]->(:Mine)
    (:SpotCheckResult)-[:REQUIRED]->(:Rectification)<-[:HAS_RECTIFICATION]-(:Mine)

A draw's id numbers the draws of its year; two requests drawing the same year at once both try
the same id and the uniqueness constraint on it refuses the second (nothing written).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph import statements
from graph.audit import AUDIT_CREATE, AuditEntry
from graph.engine import Engine
from graph.mine_model import (
    EVENT_CARRY,
    EVENT_CREATE,
    EVENT_REFS,
    MINE_LOCK,
    EventParams,
)
from graph.values import camel_params


@dataclass(frozen=True)
class DrawRecord:
    id: str
    year: int
    number: int
    seed: str
    algorithm: str
    share: float
    drawn_on: str
    drawn_at: str
    actor: str
    population: list[str]
    sample: list[str]
    current: bool
    replaces_id: str | None
    replaced_by_id: str | None


@dataclass(frozen=True)
class NewDraw:
    id: str
    year: int
    number: int
    seed: str
    algorithm: str
    share: float
    drawn_on: str
    drawn_at: str
    actor: str
    population: list[str]
    sample: list[str]

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class ResultRecord:
    id: str
    draw_id: str
    year: int
    mine: str
    checked_on: str
    outcome: str
    findings: str | None
    departments: list[str]
    rectification_id: str | None


@dataclass(frozen=True)
class NewResult:
    id: str
    year: int
    checked_on: str
    outcome: str
    findings: str | None
    departments: list[str]

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class NewRectification:
    id: str
    found_on: str
    deadline: str
    findings: str | None
    measures: str | None

    def params(self) -> dict[str, object]:
        return camel_params(self)


_DRAW_COLUMNS = """
    d.id AS id, d.year AS year, d.number AS number, d.seed AS seed, d.algorithm AS algorithm,
    d.share AS share, d.drawnOn AS drawn_on, d.drawnAt AS drawn_at, d.actor AS actor,
    d.population AS population, d.sample AS sample, d.current AS current,
    prev.id AS replaces_id, next.id AS replaced_by_id
"""

_RESULT_COLUMNS = """
    r.id AS id, d.id AS draw_id, r.year AS year, m.licenceNumber AS mine,
    r.checkedOn AS checked_on, r.outcome AS outcome, r.findings AS findings,
    coalesce(r.departments, []) AS departments, x.id AS rectification_id
"""

DRAW = statements.write(
    "spot_checks.draw",
    f"""
    OPTIONAL MATCH (prev:SpotCheckDraw {{id: $previousId}})
    WITH prev
    UNWIND (CASE WHEN size($draw.sample) = 0 THEN [null] ELSE $draw.sample END) AS licence
    OPTIONAL MATCH (sampled:Mine {{licenceNumber: licence}})
    WITH prev, collect(sampled) AS sampledMines
    CREATE (d:SpotCheckDraw {{id: $draw.id, year: $draw.year, number: $draw.number,
            seed: $draw.seed, algorithm: $draw.algorithm, share: $draw.share,
            drawnOn: $draw.drawnOn, drawnAt: $draw.drawnAt, actor: $draw.actor,
            population: $draw.population, sample: $draw.sample,
            populationSize: size($draw.population), sampleSize: size($draw.sample),
            current: true, synthetic: false}})
    FOREACH (_ IN CASE WHEN prev IS NULL THEN [] ELSE [1] END |
        SET prev.current = false
        CREATE (d)-[:REPLACES]->(prev))
    FOREACH (m IN sampledMines | CREATE (d)-[:SAMPLED]->(m))
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(d)
    RETURN d.id AS id, size(sampledMines) AS linked
    """,
)

DRAWS = statements.read(
    "spot_checks.draws",
    f"""
    MATCH (d:SpotCheckDraw)
    WHERE $year IS NULL OR d.year = $year
    OPTIONAL MATCH (d)-[:REPLACES]->(prev:SpotCheckDraw)
    OPTIONAL MATCH (next:SpotCheckDraw)-[:REPLACES]->(d)
    RETURN {_DRAW_COLUMNS}
    ORDER BY year DESC, number DESC
    """,
)

DRAWS_BY_ID = statements.read(
    "spot_checks.draws_by_id",
    f"""
    UNWIND $ids AS drawId
    MATCH (d:SpotCheckDraw {{id: drawId}})
    OPTIONAL MATCH (d)-[:REPLACES]->(prev:SpotCheckDraw)
    OPTIONAL MATCH (next:SpotCheckDraw)-[:REPLACES]->(d)
    RETURN {_DRAW_COLUMNS}
    """,
)

LISTED_POPULATION = statements.read(
    "spot_checks.listed_population",
    """
    MATCH (m:Mine {status: $status})
    RETURN m.licenceNumber AS licence
    ORDER BY licence
    """,
)

RECORD_RESULT = statements.write(
    "spot_checks.record_result",
    f"""
    MATCH (d:SpotCheckDraw {{id: $drawId}})-[s:SAMPLED]->(m:Mine {{licenceNumber: $licence}})
    {MINE_LOCK}
    WITH d, s, m
    WHERE m.status = $expected AND s.resultId IS NULL
    {EVENT_REFS}
    WITH d, s, m, {EVENT_CARRY}
    SET s.resultId = $result.id, m += $set
    CREATE (d)-[:HAS_RESULT]->(r:SpotCheckResult {{id: $result.id, year: $result.year,
            checkedOn: $result.checkedOn, outcome: $result.outcome, findings: $result.findings,
            departments: $result.departments, synthetic: coalesce(m.synthetic, false)}})
    CREATE (r)-[:OF_MINE]->(m)
    FOREACH (x IN $rectifications |
        CREATE (m)-[:HAS_RECTIFICATION]->(:Rectification {{id: x.id, foundOn: x.foundOn,
                deadline: x.deadline, findings: x.findings, measures: x.measures,
                synthetic: coalesce(m.synthetic, false)}})<-[:REQUIRED]-(r))
    {EVENT_CREATE}
    CREATE (event)-[:ABOUT]->(r)
    {AUDIT_CREATE}
    CREATE (audit)-[:CHANGED]->(m)
    CREATE (audit)-[:CHANGED]->(r)
    RETURN r.id AS id
    """,
)

RESULTS_BY_ID = statements.read(
    "spot_checks.results_by_id",
    f"""
    UNWIND $ids AS resultId
    MATCH (d:SpotCheckDraw)-[:HAS_RESULT]->(r:SpotCheckResult {{id: resultId}})-[:OF_MINE]->(m)
    OPTIONAL MATCH (r)-[:REQUIRED]->(x:Rectification)
    RETURN {_RESULT_COLUMNS}
    """,
)

RESULTS_OF_DRAWS = statements.read(
    "spot_checks.results_of_draws",
    f"""
    UNWIND $ids AS drawId
    MATCH (d:SpotCheckDraw {{id: drawId}})-[:HAS_RESULT]->(r:SpotCheckResult)-[:OF_MINE]->(m)
    OPTIONAL MATCH (r)-[:REQUIRED]->(x:Rectification)
    RETURN drawId AS key, {_RESULT_COLUMNS}
    ORDER BY r.checkedOn, r.id
    """,
)

RESULTS_OF_MINES = statements.read(
    "spot_checks.results_of_mines",
    f"""
    UNWIND $licences AS licence
    MATCH (d:SpotCheckDraw)-[:HAS_RESULT]->(r:SpotCheckResult)-[:OF_MINE]->
          (m:Mine {{licenceNumber: licence}})
    OPTIONAL MATCH (r)-[:REQUIRED]->(x:Rectification)
    RETURN licence AS key, {_RESULT_COLUMNS}
    ORDER BY r.checkedOn, r.id
    """,
)


def _draws(rows: list[dict[str, Any]]) -> list[DrawRecord]:
    return [DrawRecord(**row) for row in rows]


async def draw(engine: Engine, new: NewDraw, *, previous_id: str | None, audit: AuditEntry) -> int:
    """Record a draw (replacing `previous_id` when given); returns how many mines it linked.
    A draw of the same id raises `ConstraintViolation` and writes nothing."""
    result = await engine.write(
        DRAW, {"draw": new.params(), "previousId": previous_id, "audit": audit.params()}
    )
    row = result.single()
    return int(row["linked"]) if row else 0


async def draws(engine: Engine, year: int | None) -> list[DrawRecord]:
    return _draws((await engine.read(DRAWS, {"year": year})).records)


async def draws_by_id(engine: Engine, ids: Sequence[str]) -> dict[str, DrawRecord]:
    records = _draws((await engine.read(DRAWS_BY_ID, {"ids": list(ids)})).records)
    return {r.id: r for r in records}


async def listed_population(engine: Engine, status: str) -> list[str]:
    result = await engine.read(LISTED_POPULATION, {"status": status})
    return [str(row["licence"]) for row in result.records]


async def record_result(
    engine: Engine,
    *,
    draw_id: str,
    licence: str,
    expected: str,
    result: NewResult,
    rectification: NewRectification | None,
    event: EventParams,
    audit: AuditEntry,
    set_properties: Mapping[str, Any],
) -> str | None:
    """Record a sampled mine's result and its lifecycle consequence; None if the guard failed
    (the mine is no longer `expected`, or a result was recorded meanwhile)."""
    written = await engine.write(
        RECORD_RESULT,
        {
            "drawId": draw_id,
            "licence": licence,
            "expected": expected,
            "result": result.params(),
            "rectifications": [rectification.params()] if rectification else [],
            "set": dict(set_properties),
            "event": event.params(),
            "audit": audit.params(),
        },
    )
    row = written.single()
    return str(row["id"]) if row else None


def _results_by_key(rows: list[dict[str, Any]]) -> dict[str, list[ResultRecord]]:
    grouped: dict[str, list[ResultRecord]] = defaultdict(list)
    for row in rows:
        key = str(row.pop("key"))
        grouped[key].append(ResultRecord(**row))
    return grouped


async def results_by_id(engine: Engine, ids: Sequence[str]) -> dict[str, ResultRecord]:
    result = await engine.read(RESULTS_BY_ID, {"ids": list(ids)})
    return {r.id: r for r in (ResultRecord(**row) for row in result.records)}


async def results_of_draws(engine: Engine, ids: Sequence[str]) -> dict[str, list[ResultRecord]]:
    return _results_by_key((await engine.read(RESULTS_OF_DRAWS, {"ids": list(ids)})).records)


async def results_of_mines(
    engine: Engine, licences: Sequence[str]
) -> dict[str, list[ResultRecord]]:
    result = await engine.read(RESULTS_OF_MINES, {"licences": list(licences)})
    return _results_by_key(result.records)
