"""Province-wide reads "as of" a date: screening mines against the rules, and the 2028 targets.

Both are one pass over the mines (each mine's licences, events and rectifications are expanded
once), so their cost grows linearly with the number of mines. A page of the screening screens
the mines in licence order a chunk at a time and stops once it has its rows: a page of a dense
list costs what it screens, not the province; a sparse one, at most one pass. A mine's status
as of the date is the `toStatus` of its last lifecycle event on or before it (NOT_APPLIED when
none).

FalkorDB 4.16: a map projection of a null node (`r {.id}` after an OPTIONAL MATCH that found
nothing) is a map of nulls, not null, so `collect` keeps it; build such maps under a CASE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph import statements
from graph.engine import Engine
from graph.values import camel_params


def _status_as_of(carry: str) -> str:
    """Binds `statusAsOf`: the status of `m` on `$asOf` (carrying `carry` along). A mine whose
    status has not changed since `$asOf` is as it is now; only the others replay their events."""
    return f"""
    OPTIONAL MATCH (m)-[:HAS_EVENT]->(e:LifecycleEvent)
    WHERE m.statusSince > $asOf
    WITH {carry}, collect(CASE WHEN e IS NULL THEN null
                               ELSE [e.seq, e.toStatus, e.occurredOn] END) AS steps
    WITH {carry},
         CASE WHEN coalesce(m.statusSince, '') <= $asOf THEN m.status
              ELSE coalesce(reduce(best = [-1, null], s IN steps |
                       CASE WHEN s[2] <= $asOf AND s[0] > best[0] THEN s ELSE best END)[1],
                   $notApplied)
         END AS statusAsOf
    """


_NEW_MINE_OVERDUE = """
    (m.stage = $newStage AND m.productionStart IS NOT NULL
     AND m.productionStart < $newMineCutoff
     AND (m.verifiedOn IS NULL OR m.verifiedOn > $asOf))
"""

# the mines to screen, each once
_CANDIDATES = """
    MATCH (m:Mine)
    WHERE ($after IS NULL OR m.licenceNumber > $after)
      AND ($prefectures IS NULL OR m.prefecture IN $prefectures)
"""

# Binds each mine's findings. Expansions are collected as plain lists and filtered afterwards:
# on FalkorDB 4.16 a WHERE on the far node of an OPTIONAL MATCH costs several times more than
# filtering the collected list.
_FINDINGS = f"""
    OPTIONAL MATCH (m)-[:HOLDS]->(l:Licence)
    WITH m, collect(CASE WHEN l IS NULL THEN null
                         ELSE [l.kind, l.number, l.validUntil, l.revokedOn] END) AS licences
    {_status_as_of("m, licences")}
    OPTIONAL MATCH (m)-[:HAS_RECTIFICATION]->(r:Rectification)
    WITH m, licences, statusAsOf,
         collect(CASE WHEN r IS NULL THEN null
                      ELSE [r.id, r.foundOn, r.deadline, r.closedOn] END) AS rectifications
    OPTIONAL MATCH (m)<-[:IMPOSED_ON]-(p:Penalty)
    WITH m, licences, statusAsOf, rectifications,
         collect(CASE WHEN p IS NULL THEN null
                      ELSE [p.id, p.decidedOn, p.performanceDeadline, p.executedOn,
                            p.issuingDepartment, p.decisionNumber] END) AS penalties
    WITH m, statusAsOf, statusAsOf IN $licenceScope AS inScope,
         {_NEW_MINE_OVERDUE} AS newMineOverdue,
         [x IN rectifications WHERE x[1] <= $asOf AND x[2] < $asOf
             AND (x[3] IS NULL OR x[3] > $asOf)
             | {{id: x[0], foundOn: x[1], deadline: x[2]}}] AS overdueRectifications,
         [k IN $licenceKinds WHERE NOT k IN [x IN licences | x[0]]] AS missing,
         [x IN licences WHERE x[2] IS NOT NULL AND x[2] < $asOf
             | {{kind: x[0], number: x[1], validUntil: x[2]}}] AS expired,
         [x IN licences WHERE x[3] IS NOT NULL AND x[3] <= $asOf
             | {{kind: x[0], number: x[1], revokedOn: x[3]}}] AS revoked,
         [x IN penalties WHERE x[1] <= $asOf AND x[2] < $asOf
             AND (x[3] IS NULL OR x[3] > x[2])
             | {{id: x[0], decidedOn: x[1], deadline: x[2], executedOn: x[3],
                 department: x[4], number: x[5]}}] AS unexecuted
    WITH m, statusAsOf, overdueRectifications, newMineOverdue,
         CASE WHEN inScope THEN missing ELSE [] END AS missingLicences,
         CASE WHEN inScope THEN expired ELSE [] END AS expiredLicences,
         CASE WHEN inScope THEN revoked ELSE [] END AS revokedLicences,
         CASE WHEN inScope THEN unexecuted ELSE [] END AS unexecutedPenalties
"""

# a mine with findings of a kind asked for
_FLAGGED = """
    ('LICENCE_MISSING' IN $kinds AND size(missingLicences) > 0)
    OR ('PENALTY_NOT_EXECUTED' IN $kinds AND size(unexecutedPenalties) > 0)
    OR ('LICENCE_EXPIRED' IN $kinds AND size(expiredLicences) > 0)
    OR ('LICENCE_REVOKED' IN $kinds AND size(revokedLicences) > 0)
    OR ('RECTIFICATION_OVERDUE' IN $kinds AND size(overdueRectifications) > 0)
    OR ('NEW_MINE_VERIFICATION_OVERDUE' IN $kinds AND newMineOverdue)
"""

_ROW = """
    m.licenceNumber AS licence_number, m.name AS name, m.prefecture AS prefecture,
    m.scale AS scale, m.stage AS stage, m.status AS status, statusAsOf AS status_as_of,
    m.productionStart AS production_start, m.verifiedOn AS verified_on,
    missingLicences AS missing_licences, expiredLicences AS expired_licences,
    revokedLicences AS revoked_licences,
    overdueRectifications AS overdue_rectifications,
    unexecutedPenalties AS unexecuted_penalties,
    newMineOverdue AS new_mine_overdue
"""

# The flagged mines after `$after`, at most `$limit`, in one pass: the whole province's
# (`screen`), or the end of a page its chunks did not fill (`screen_page`).
SCREEN = statements.read(
    "screening.flagged",
    f"""
    {_CANDIDATES}
    {_FINDINGS}
    WHERE {_FLAGGED}
    RETURN {_ROW}
    ORDER BY licence_number
    LIMIT $limit
    """,
)

# The next `$chunk` mines in licence order, screened, each with whether it is flagged: a page
# screens the province a chunk at a time until it has its rows (`screen_page`). Picking the
# chunk sorts the licence numbers left, a small part of screening them (27 ms for 50,000
# mines); the unanchored `$after IS NULL OR` scan is faster there than FalkorDB's range index.
SCREEN_CHUNK = statements.read(
    "screening.chunk",
    f"""
    {_CANDIDATES}
    WITH m ORDER BY m.licenceNumber LIMIT $chunk
    {_FINDINGS}
    RETURN {_ROW}, ({_FLAGGED}) AS flagged
    ORDER BY licence_number
    """,
)

SCREEN_COUNT = statements.read(
    "screening.count",
    f"""
    {_CANDIDATES}
    {_FINDINGS}
    WHERE {_FLAGGED}
    RETURN count(m) AS n
    """,
)

TARGETS = statements.read(
    "screening.targets",
    f"""
    MATCH (m:Mine)
    OPTIONAL MATCH (m)-[:HOLDS]->(l:Licence {{kind: $miningKind}})
    WITH m, collect(CASE WHEN l IS NULL THEN null
                         ELSE [l.validFrom, l.validUntil, l.revokedOn] END) AS mining
    {_status_as_of("m, mining")}
    WITH m, statusAsOf,
         m.productionStart IS NOT NULL AND m.productionStart <= $asOf
         AND any(x IN mining WHERE (x[0] IS NULL OR x[0] <= $asOf)
                 AND (x[1] IS NULL OR x[1] >= $asOf)
                 AND (x[2] IS NULL OR x[2] > $asOf)) AS licensedProducing,
         {_NEW_MINE_OVERDUE} AS newMineOverdue
    RETURN m.prefecture AS prefecture, m.scale AS scale, count(m) AS mines,
           sum(CASE WHEN licensedProducing THEN 1 ELSE 0 END) AS licensed_producing,
           sum(CASE WHEN licensedProducing AND statusAsOf = $meeting THEN 1 ELSE 0 END)
               AS meeting_standard,
           sum(CASE WHEN newMineOverdue THEN 1 ELSE 0 END) AS new_mines_overdue
    """,
)


@dataclass(frozen=True)
class ScreenScope:
    """The constants a screening needs: which statuses licence checks apply to, and so on."""

    as_of: str
    new_mine_cutoff: str
    new_stage: str
    not_applied: str
    licence_kinds: list[str]
    licence_scope: list[str]
    kinds: list[str]
    prefectures: list[str] | None

    def params(self) -> dict[str, object]:
        return camel_params(self)


@dataclass(frozen=True)
class ScreenRow:
    licence_number: str
    name: str
    prefecture: str
    scale: str
    stage: str
    status: str
    status_as_of: str
    production_start: str | None
    verified_on: str | None
    missing_licences: list[str]
    expired_licences: list[dict[str, Any]]
    revoked_licences: list[dict[str, Any]]
    overdue_rectifications: list[dict[str, Any]]
    #: penalties not carried out by their deadline (still outstanding, or carried out late)
    unexecuted_penalties: list[dict[str, Any]]
    new_mine_overdue: bool


@dataclass(frozen=True)
class TargetRow:
    prefecture: str
    scale: str
    mines: int
    licensed_producing: int
    meeting_standard: int
    new_mines_overdue: int


@dataclass(frozen=True)
class ScreenedPage:
    #: the flagged mines after the cursor, in licence order, at most the limit asked for
    rows: list[ScreenRow]
    #: how many mines were screened chunk by chunk to find them; None when the page ended
    #: screening the rest of the province in one pass
    screened: int | None


#: mines screened per flagged row a page asks for, in its first chunk: about one mine in seven
#: is flagged in the demo province, so one chunk usually fills the page
FIRST_CHUNK_PER_ROW = 8
MIN_CHUNK = 64
MAX_CHUNK = 4096
#: chunks (each twice the one before) a page screens before it screens the rest in one pass. A
#: page they do not fill has few flagged mines left to find (the last page, a kind few mines
#: have); chunk by chunk, picking each chunk would sort the remaining mines again, so the page
#: would cost more than the one pass it replaces.
CHUNKS = 3


#: a LIMIT no province reaches: every flagged mine
EVERY_ROW = 2**31 - 1


async def screen(engine: Engine, scope: ScreenScope) -> list[ScreenRow]:
    """Every flagged mine, in one pass over the province."""
    result = await engine.read(SCREEN, {**scope.params(), "after": None, "limit": EVERY_ROW})
    return [ScreenRow(**row) for row in result.records]


async def screen_page(
    engine: Engine,
    scope: ScreenScope,
    *,
    after: str | None,
    limit: int,
    first_chunk: int | None = None,
) -> ScreenedPage:
    """The first `limit` flagged mines after `after`. The mines are screened a chunk at a time
    in licence order, stopping once the page has its rows, so a page of a dense list costs the
    mines it screens, not the whole province (5 s a page at 50,000 mines when each page
    screened them all). A page `CHUNKS` chunks do not fill screens the rest in one pass, as
    every page did before. Each chunk is its own read: a write between two can land in one
    page's rows (never twice, never skipped: the cursor is the licence number)."""
    rows: list[ScreenRow] = []
    screened = 0
    chunk = first_chunk or max(limit * FIRST_CHUNK_PER_ROW, MIN_CHUNK)
    for _ in range(CHUNKS):
        params = {**scope.params(), "after": after, "chunk": chunk}
        records = (await engine.read(SCREEN_CHUNK, params)).records
        screened += len(records)
        rows += [_screen_row(r) for r in records if r["flagged"]]
        if len(rows) >= limit or len(records) < chunk:  # full, or screened to the last mine
            return ScreenedPage(rows[:limit], screened)
        after = records[-1]["licence_number"]
        chunk = min(chunk * 2, MAX_CHUNK)
    params = {**scope.params(), "after": after, "limit": limit - len(rows)}
    rest = (await engine.read(SCREEN, params)).records
    return ScreenedPage(rows + [ScreenRow(**r) for r in rest], None)


def _screen_row(record: dict[str, Any]) -> ScreenRow:
    return ScreenRow(**{k: v for k, v in record.items() if k != "flagged"})


async def screen_count(engine: Engine, scope: ScreenScope) -> int:
    row = (await engine.read(SCREEN_COUNT, {**scope.params(), "after": None})).single()
    return int(row["n"]) if row else 0


async def targets(
    engine: Engine,
    *,
    as_of: str,
    new_mine_cutoff: str,
    new_stage: str,
    not_applied: str,
    mining_kind: str,
    meeting: str,
) -> Sequence[TargetRow]:
    result = await engine.read(
        TARGETS,
        {
            "asOf": as_of,
            "newMineCutoff": new_mine_cutoff,
            "newStage": new_stage,
            "notApplied": not_applied,
            "miningKind": mining_kind,
            "meeting": meeting,
        },
    )
    # FalkorDB sums integers into floats; counts are integers
    return [
        TargetRow(
            prefecture=row["prefecture"],
            scale=row["scale"],
            mines=int(row["mines"]),
            licensed_producing=int(row["licensed_producing"]),
            meeting_standard=int(row["meeting_standard"]),
            new_mines_overdue=int(row["new_mines_overdue"]),
        )
        for row in result.records
    ]
