"""A scripted walk through the list lifecycle over HTTP, as a front end would drive it: create a
mine, evaluate, verify, notice, list, fail a spot check, rectify within 6 months, pass the
re-check; a 7-month rectification deadline is refused. The clock moves with the story."""

from __future__ import annotations

from typing import Any

import httpx

from graph.engine import Engine
from graph.engines import open_engine
from greenmine.app import create_app
from greenmine.config import Settings
from resolvers.auth import Role
from tests.conftest import TokenFactory
from tests.factories import Clock, mine_input

STEPS: list[tuple[str, str, str, dict[str, Any]]] = [
    # (clock, mutation, input type, input without licenceNumber)
    ("2026-01-10", "registerMine", "RegisterMineInput", {}),
    ("2026-02-20", "recordEvaluation", "RecordEvaluationInput",
     {"evaluator": "甘肃某绿色矿山评估中心", "reportDate": "2026-02-20"}),
    ("2026-03-15", "recordVerification", "RecordVerificationInput",
     {"verifiedOn": "2026-03-15", "departmentCodes": ["ecology_environment", "water_resources"]}),
    ("2026-04-01", "startPublicNotice", "StartPublicNoticeInput",
     {"startsOn": "2026-04-01", "endsOn": "2026-04-10"}),
    ("2026-04-15", "listMine", "ListMineInput", {"listedOn": "2026-04-15"}),
]  # fmt: skip


def mutation(name: str, input_type: str, selection: str = "licenceNumber status") -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} }} }}"


async def test_a_mine_walks_the_lifecycle_over_http(
    fresh_graph: Engine, settings: Settings, tokens_fresh: TokenFactory
) -> None:
    admin = await tokens_fresh(Role.ADMIN, "natural_resources")
    clock = Clock()
    app = create_app(settings, open_engine(settings, attach=True), clock=clock)
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    headers = {"authorization": f"Bearer {admin}"}

    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as http,
    ):

        async def call(query: str, input_: dict[str, Any]) -> httpx.Response:
            return await http.post(
                "/graphql", json={"query": query, "variables": {"input": input_}}
            )

        async def ok(query: str, field: str, input_: dict[str, Any]) -> dict[str, Any]:
            response = await call(query, input_)
            assert response.status_code == 200
            body = response.json()
            assert "errors" not in body, body
            value: dict[str, Any] = body["data"][field]
            return value

        registration = mine_input(appliedOn="2026-01-10", prefectureCode="jinchang",
                                  mineral="镍矿", county="金川区", scale="LARGE")  # fmt: skip
        licence = registration["licenceNumber"]
        statuses = []
        for day, name, input_type, body in STEPS:
            clock.on(day)
            payload = registration if name == "registerMine" else {"licenceNumber": licence, **body}
            statuses.append((await ok(mutation(name, input_type), name, payload))["status"])
        assert statuses == ["APPLIED", "EVALUATED", "VERIFIED", "PUBLIC_NOTICE", "LISTED"]

        clock.on("2026-05-06")
        draw = await ok(mutation("drawSpotCheckSample", "DrawSpotCheckSampleInput",
                                 "id sample populationSize sampleSize"),
                        "drawSpotCheckSample", {"year": 2026, "seed": "2026-甘肃"})  # fmt: skip
        assert draw["sample"] == [licence] and draw["sampleSize"] == 1

        clock.on("2026-06-01")
        check = {"year": 2026, "licenceNumber": licence, "checkedOn": "2026-06-01",
                 "outcome": "FIXABLE_FAILURE", "findings": "排土场边坡未治理",
                 "measures": "完成边坡治理", "departmentCodes": ["natural_resources"]}  # fmt: skip
        result_query = mutation("recordSpotCheckResult", "RecordSpotCheckResultInput",
                                "outcome mine { status } rectification { deadline }")  # fmt: skip
        seven_months = await call(result_query, {**check, "rectificationDeadline": "2027-01-01"})
        refused = seven_months.json()
        assert refused["data"] is None
        [error] = refused["errors"]
        assert error["extensions"]["code"] == "BAD_USER_INPUT"
        assert error["extensions"]["field"] == "input.rectificationDeadline"
        assert "2026-12-01" in error["message"] and "rectification_max_months" in error["message"]

        failed = await ok(result_query, "recordSpotCheckResult",
                          {**check, "rectificationDeadline": "2026-11-30"})  # fmt: skip
        assert failed["mine"]["status"] == "UNDER_RECTIFICATION"
        assert failed["rectification"]["deadline"] == "2026-11-30"

        clock.on("2026-12-01")
        recheck = await ok(
            mutation("recordRecheck", "RecordRecheckInput"), "recordRecheck",
            {"licenceNumber": licence, "recheckedOn": "2026-12-01", "passed": True,
             "rectificationCompletedOn": "2026-11-20"},
        )  # fmt: skip
        assert recheck["status"] == "LISTED"

        history = await http.post("/graphql", json={
            "query": "query($l: String!) { mine(licenceNumber: $l) { history { action toStatus occurredOn } } }",
            "variables": {"l": licence}})  # fmt: skip
    actions = [(e["action"], e["toStatus"]) for e in history.json()["data"]["mine"]["history"]]
    assert actions == [
        ("APPLY", "APPLIED"),
        ("PASS_EVALUATION", "EVALUATED"),
        ("PASS_VERIFICATION", "VERIFIED"),
        ("START_NOTICE", "PUBLIC_NOTICE"),
        ("LIST", "LISTED"),
        ("FAIL_SPOT_CHECK_FIXABLE", "UNDER_RECTIFICATION"),
        ("PASS_RECHECK", "LISTED"),
    ]
