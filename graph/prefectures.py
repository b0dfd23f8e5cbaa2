"""Gansu's prefecture-level divisions as graph data: seeded with the document, read by mines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from graph import statements
from graph.engine import Engine


@dataclass(frozen=True)
class PrefectureRecord:
    code: str
    division_code: str
    name_zh: str
    name_en: str
    order: int


_COLUMNS = """
    p.code AS code, p.divisionCode AS division_code, p.nameZh AS name_zh, p.nameEn AS name_en,
    p.order AS order
"""

SEED = statements.write(
    "prefectures.seed",
    """
    UNWIND $rows AS r
    MERGE (p:Prefecture {code: r.code})
    SET p.divisionCode = r.divisionCode, p.nameZh = r.nameZh, p.nameEn = r.nameEn,
        p.order = r.order
    """,
)

ALL = statements.read(
    "prefectures.all",
    f"MATCH (p:Prefecture) RETURN {_COLUMNS} ORDER BY p.order",
)

BY_CODE = statements.read(
    "prefectures.by_code",
    f"""
    UNWIND $codes AS code
    MATCH (p:Prefecture {{code: code}})
    RETURN {_COLUMNS}
    """,
)


async def all_prefectures(engine: Engine) -> list[PrefectureRecord]:
    return [PrefectureRecord(**row) for row in (await engine.read(ALL)).records]


async def by_code(engine: Engine, codes: Sequence[str]) -> dict[str, PrefectureRecord]:
    result = await engine.read(BY_CODE, {"codes": list(codes)})
    return {r.code: r for r in (PrefectureRecord(**row) for row in result.records)}
