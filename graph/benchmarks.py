"""Statements only the benchmarks send: the best single statement we can write by hand for the
data a front end's mines page shows, to compare the API's page against (`greenmine bench scale`).

The page: mines of some prefectures and scales, 50 at a time in licence-number order, with the
total, each mine's prefecture, licences, lifecycle history and how many of its cases are still
open. The API answers it with a page statement, a count and one batched statement per nested
list; this does it all in one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph import statements
from graph.engine import Engine

MINES_PAGE_BY_HAND = statements.read(
    "benchmarks.mines_page_by_hand",
    """
    MATCH (m:Mine)
    WHERE m.prefecture IN $prefectures AND m.scale IN $scales
    WITH m ORDER BY m.licenceNumber
    WITH collect(m) AS matching
    WITH size(matching) AS total, matching[0..$limit] AS page
    UNWIND page AS m
    MATCH (m)-[:IN_PREFECTURE]->(p:Prefecture)
    OPTIONAL MATCH (m)-[:HOLDS]->(l:Licence)
    WITH total, m, p, l ORDER BY l.kind
    WITH total, m, p,
         collect(CASE WHEN l IS NULL THEN null ELSE
             {kind: l.kind, number: l.number, validFrom: l.validFrom,
              validUntil: l.validUntil, revokedOn: l.revokedOn} END) AS licences
    OPTIONAL MATCH (m)-[:HAS_EVENT]->(e:LifecycleEvent)
    WITH total, m, p, licences, e ORDER BY e.seq
    WITH total, m, p, licences,
         collect(CASE WHEN e IS NULL THEN null ELSE
             {seq: e.seq, action: e.action, toStatus: e.toStatus,
              occurredOn: e.occurredOn} END) AS history
    OPTIONAL MATCH (m)<-[:AGAINST]-(c:Case)
    WHERE c.state IN $caseStates
    WITH total, m, p, licences, history, count(c) AS open_cases
    RETURN total, m.licenceNumber AS licence_number, m.name AS name, m.company AS company,
           m.mineral AS mineral, m.scale AS scale, m.stage AS stage, m.county AS county,
           m.status AS status, m.statusSince AS status_since, m.listedOn AS listed_on,
           p.code AS prefecture, p.nameZh AS prefecture_zh, licences, history, open_cases
    ORDER BY licence_number
    """,
)


async def mines_page_by_hand(
    engine: Engine,
    *,
    prefectures: Sequence[str],
    scales: Sequence[str],
    case_states: Sequence[str],
    limit: int,
) -> list[dict[str, Any]]:
    params = {
        "prefectures": list(prefectures),
        "scales": list(scales),
        "caseStates": list(case_states),
        "limit": limit,
    }
    return (await engine.read(MINES_PAGE_BY_HAND, params)).records
