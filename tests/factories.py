"""Factories for mines, through the real GraphQL API, for this and later test modules.

    mines = MineFactory(gql, admin_token)
    licence = await mines.register(prefectureCode="jinchang", mineral="镍矿")
    licence = await mines.listed()                 # walked through the lifecycle to LISTED
    licence = await mines.under_rectification()    # LISTED, sampled, failed with a fixable problem

Every mine gets a fresh licence number, so tests sharing a module's graph do not collide.
Dates sit before `tests.conftest.FIXED_NOW` (2026-11-25), the clock the resolvers see.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from graph.engine import Engine
from greenmine.config import Settings
from resolvers.context import Context
from schema.root import schema
from tests.conftest import FIXED_NOW, GraphQLResult

_numbers = itertools.count(1)

MINE_FIELDS = "licenceNumber name status statusSince listedOn"

REGISTER = f"""
mutation($input: RegisterMineInput!) {{ registerMine(input: $input) {{ {MINE_FIELDS} }} }}
"""
EVALUATE = f"""
mutation($input: RecordEvaluationInput!) {{ recordEvaluation(input: $input) {{ {MINE_FIELDS} }} }}
"""
VERIFY = f"""
mutation($input: RecordVerificationInput!) {{ recordVerification(input: $input) {{ {MINE_FIELDS} }} }}
"""
NOTICE = f"""
mutation($input: StartPublicNoticeInput!) {{ startPublicNotice(input: $input) {{ {MINE_FIELDS} }} }}
"""
LIST = f"""
mutation($input: ListMineInput!) {{ listMine(input: $input) {{ {MINE_FIELDS} }} }}
"""
DRAW = """
mutation($input: DrawSpotCheckSampleInput!) {
  drawSpotCheckSample(input: $input) { id year seed populationSize sampleSize sample population current reproducible }
}
"""
RESULT = """
mutation($input: RecordSpotCheckResultInput!) {
  recordSpotCheckResult(input: $input) {
    id outcome mine { licenceNumber status listing { rectificationDeadline } }
    rectification { id deadline }
  }
}
"""

#: the default walk through the listing process, as (step, date)
WALK = {
    "applied": "2026-01-10",
    "evaluated": "2026-02-20",
    "verified": "2026-03-15",
    "notice_start": "2026-04-01",
    "notice_end": "2026-04-10",
    "listed": "2026-04-15",
}


def next_licence_number() -> str:
    return f"C6200002026{next(_numbers):010d}"


def mine_input(**overrides: Any) -> dict[str, Any]:
    """A `RegisterMineInput` with sensible values; keys as the API spells them."""
    number = overrides.pop("licenceNumber", None) or next_licence_number()
    base: dict[str, Any] = {
        "licenceNumber": number,
        "name": f"测试铜矿{number[-4:]}",
        "company": "甘肃测试矿业有限公司",
        "mineral": "铜矿",
        "scale": "MEDIUM",
        "stage": "PRODUCING",
        "prefectureCode": "baiyin",
        "county": "白银区",
        "productionStart": "2015-06-01",
        "licences": [
            {"kind": "MINING", "validFrom": "2020-01-01", "validUntil": "2030-12-31"},
            {
                "kind": "SAFETY_PRODUCTION",
                "number": f"(甘)FM安许证字[2024]{number[-4:]}号",
                "validFrom": "2024-01-01",
                "validUntil": "2027-01-01",
            },
            {"kind": "BUSINESS", "number": f"916204{number[-12:]}", "validFrom": "2015-01-01"},
        ],
    }
    base.update(overrides)
    return base


def data(result: Any, field: str) -> dict[str, Any]:
    assert result.errors == [], result.errors
    assert result.data is not None
    value: dict[str, Any] = result.data[field]
    return value


class Caller(Protocol):
    async def __call__(
        self, query: str, variables: Mapping[str, Any] | None = None, *, token: str | None = None
    ) -> GraphQLResult: ...


@dataclass
class MineFactory:
    gql: Caller
    token: str

    async def call(self, query: str, field: str, **input_: Any) -> dict[str, Any]:
        return data(await self.gql(query, {"input": input_}, token=self.token), field)

    async def register(self, **overrides: Any) -> str:
        mine = await self.call(REGISTER, "registerMine", **mine_input(**overrides))
        return str(mine["licenceNumber"])

    async def listed(self, **overrides: Any) -> str:
        """A mine walked from registration to LISTED, one mutation per step."""
        licence = await self.register(appliedOn=WALK["applied"], **overrides)
        await self.call(
            EVALUATE,
            "recordEvaluation",
            licenceNumber=licence,
            evaluator="甘肃某绿色矿山评估中心",
            reportDate=WALK["evaluated"],
        )
        await self.call(
            VERIFY,
            "recordVerification",
            licenceNumber=licence,
            verifiedOn=WALK["verified"],
            departmentCodes=["ecology_environment", "water_resources"],
        )
        await self.call(
            NOTICE,
            "startPublicNotice",
            licenceNumber=licence,
            startsOn=WALK["notice_start"],
            endsOn=WALK["notice_end"],
        )
        mine = await self.call(LIST, "listMine", licenceNumber=licence, listedOn=WALK["listed"])
        assert mine["status"] == "LISTED"
        return licence

    async def draw(self, year: int, seed: str = "factory", replace: bool = False) -> dict[str, Any]:
        return await self.call(DRAW, "drawSpotCheckSample", year=year, seed=seed, replace=replace)

    async def check(self, year: int, licence: str, outcome: str, **extra: Any) -> dict[str, Any]:
        return await self.call(
            RESULT,
            "recordSpotCheckResult",
            year=year,
            licenceNumber=licence,
            outcome=outcome,
            **extra,
        )


@dataclass
class Clock:
    """A clock a test can move: the resolvers' "today" (starts at FIXED_NOW)."""

    now: dt.datetime = FIXED_NOW

    def __call__(self) -> dt.datetime:
        return self.now

    def on(self, day: str) -> None:
        self.now = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(9), dt.UTC)


@dataclass
class ClockedClient:
    """Like `tests.conftest.GraphQLClient`, with a clock the test moves."""

    engine: Engine
    settings: Settings
    clock: Clock

    async def __call__(
        self, query: str, variables: Mapping[str, Any] | None = None, *, token: str | None = None
    ) -> GraphQLResult:
        context = Context(
            engine=self.engine,
            settings=self.settings,
            authorization=f"Bearer {token}" if token else None,
            clock=self.clock,
        )
        result = await schema.execute(
            query, variable_values=dict(variables or {}), context_value=context
        )
        return GraphQLResult(result.data, [e.formatted for e in result.errors or []])


DEMO_MINES = 300
DEMO_SEED = 7


async def demo_province(engine: Engine, *, mines: int = DEMO_MINES, seed: int = DEMO_SEED) -> Any:
    """Wipe, seed the document, and load a synthetic province generated for FIXED_NOW."""
    from seed.demo.loader import load_demo
    from tests.conftest import reseed

    await reseed(engine)
    return await load_demo(engine, mines_count=mines, seed=seed, today=FIXED_NOW.date())
