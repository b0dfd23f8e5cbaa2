"""`route` answers which department handles a problem, who to call, why, and what happens next."""

from __future__ import annotations

from graph import roundtrips
from graph.engine import Engine
from resolvers.auth import Role
from resolvers.routing import MAX_TEXT
from tests.conftest import GraphQLClient, TokenFactory

ROUTE = """
query($text: String!, $limit: Int) {
  route(text: $text, limit: $limit) {
    department { code nameZh liaison { name } }
    score
    duty { code titleZh }
    removalCondition { number }
    matchedTerms
    explanation
    explanationEn
    clause { ref textZh }
    nextSteps { order textZh actorRoleZh actor { code } }
  }
}
"""

OUT_OF_DOMAIN = ("食堂饭菜太咸", "明天兰州下雨吗", "帮我订火车票", "What's the weather in Lanzhou?")


async def route(gql: GraphQLClient, text: str, limit: int | None = None) -> list[dict[str, object]]:
    variables: dict[str, object] = {"text": text}
    if limit is not None:
        variables["limit"] = limit
    result = await gql(ROUTE, variables)
    assert result.errors == [], result.errors
    assert result.data is not None
    matches: list[dict[str, object]] = result.data["route"]
    return matches


def codes(matches: list[dict[str, object]]) -> list[str]:
    return [m["department"]["code"] for m in matches]  # type: ignore[index]


async def test_a_tailings_pond_without_seepage_control_goes_to_ecology_and_environment(
    gql: GraphQLClient,
) -> None:
    [first, *_] = await route(gql, "尾矿库防渗没做，污染地下水")
    assert first["department"] == {
        "code": "ecology_environment",
        "nameZh": "甘肃省生态环境厅",
        "liaison": {"name": "吴洪仁"},
    }
    assert first["duty"] == {"code": "ee_pollution_control", "titleZh": "矿山污染防治监管"}
    assert first["removalCondition"] == {"number": 8}
    assert first["clause"]["ref"] == "二(二)7"  # type: ignore[index]
    assert "污染防治监管" in first["clause"]["textZh"]  # type: ignore[index]
    assert "尾矿库" in "".join(first["matchedTerms"])  # type: ignore[arg-type]


async def test_soil_erosion_at_a_waste_dump_goes_to_water_resources(gql: GraphQLClient) -> None:
    [first, *_] = await route(gql, "排土场水土流失严重")
    assert first["department"]["code"] == "water_resources"  # type: ignore[index]
    assert first["duty"]["code"] == "wr_soil_water_conservation"  # type: ignore[index]
    assert set(first["matchedTerms"]) >= {"排土场", "水土流失"}  # type: ignore[arg-type]


async def test_text_outside_the_mechanism_routes_nowhere(gql: GraphQLClient) -> None:
    for text in OUT_OF_DOMAIN:
        assert await route(gql, text) == [], text


async def test_an_everyday_word_alone_is_not_evidence_enough(gql: GraphQLClient) -> None:
    assert await route(gql, "驾照过期了被罚款") == []
    assert await route(gql, "过期了") == []
    assert codes(await route(gql, "采矿证过期了"))[0] == "natural_resources"


async def test_the_explanation_names_the_terms_the_department_and_the_clause(
    gql: GraphQLClient,
) -> None:
    [first, *_] = await route(gql, "排土场水土流失严重")
    explanation = str(first["explanation"])
    assert "“水土流失”" in explanation and "省水利厅" in explanation and "二(二)8" in explanation
    assert explanation.endswith("。")
    assert "Water Resources" in str(first["explanationEn"])


async def test_next_steps_are_the_referral_procedure_of_the_document(gql: GraphQLClient) -> None:
    [first, *_] = await route(gql, "尾矿库防渗没做，污染地下水")
    steps = first["nextSteps"]
    assert [s["order"] for s in steps] == [1, 2, 3, 4]  # type: ignore[index, union-attr]
    assert "反馈省自然资源厅" in steps[0]["textZh"]  # type: ignore[index]
    assert steps[1]["actor"] == {"code": "natural_resources"}  # type: ignore[index]
    assert "国家企业信用信息公示系统" in steps[3]["textZh"]  # type: ignore[index]


async def test_the_financing_project_library_involves_natural_resources_and_pboc(
    gql: GraphQLClient,
) -> None:
    matches = await route(gql, "绿色矿山投融资项目库怎么申请入库")
    assert codes(matches)[:2] == ["natural_resources", "pboc_gansu"]
    assert {m["duty"]["code"] for m in matches[:2]} == {"nr_pboc_financing_library"}  # type: ignore[index]


async def test_an_expired_safety_licence_ranks_emergency_then_natural_resources(
    gql: GraphQLClient,
) -> None:
    matches = await route(gql, "安全许可证过期还在生产")
    assert codes(matches)[:2] == ["emergency_management", "natural_resources"]
    assert matches[0]["duty"]["code"] == "em_work_safety"  # type: ignore[index]
    assert [m["removalCondition"] for m in matches[:2]] == [{"number": 1}, {"number": 1}]
    assert matches[0]["score"] > matches[1]["score"]  # type: ignore[operator]
    # Natural Resources is there for the list; its clause is the removal condition's
    assert matches[1]["clause"]["ref"] == "二(四)1"  # type: ignore[index]


async def test_a_complaint_about_two_problems_returns_both_departments(gql: GraphQLClient) -> None:
    matches = await route(gql, "这个矿回采率太低，排土场也没有拦挡，一下雨水土流失")
    assert set(codes(matches)[:2]) == {"natural_resources", "water_resources"}


async def test_limit_caps_the_number_of_departments(gql: GraphQLClient) -> None:
    text = "尾矿库渗漏污染地下水，排土场水土流失，回采率低，安全许可证过期"
    assert len(await route(gql, text, limit=5)) > 1
    assert len(await route(gql, text, limit=1)) == 1


async def test_full_width_punctuation_numbers_and_mixed_languages_are_understood(
    gql: GraphQLClient,
) -> None:
    assert (
        codes(await route(gql, "ＸＸ铁矿（３号井）回采率不到５０％！！"))[0] == "natural_resources"
    )
    assert codes(await route(gql, "尾矿库,渗漏;下游地下水超标!!"))[0] == "ecology_environment"
    assert codes(await route(gql, "Tailings pond 渗漏，影响下游 groundwater"))[0] == (
        "ecology_environment"
    )
    assert codes(await route(gql, "安 全 许 可 证 过 期 还 在 生 产"))[0] == "emergency_management"


async def test_english_questions_route_like_chinese_ones(gql: GraphQLClient) -> None:
    assert codes(await route(gql, "The tailings pond is leaking into the groundwater"))[0] == (
        "ecology_environment"
    )
    assert codes(await route(gql, "Severe soil erosion at the waste dump"))[0] == "water_resources"
    assert codes(await route(gql, "The mine's safety licence has expired"))[0] == (
        "emergency_management"
    )


async def test_empty_text_is_refused_naming_the_rule(gql: GraphQLClient) -> None:
    for text in ("", "   ", "\n\t"):
        result = await gql(ROUTE, {"text": text})
        assert result.codes == ["BAD_USER_INPUT"]
        assert result.errors[0]["extensions"]["field"] == "text"
        assert "empty" in result.errors[0]["message"]


async def test_text_over_two_thousand_characters_is_refused_naming_the_limit(
    gql: GraphQLClient,
) -> None:
    result = await gql(ROUTE, {"text": "尾" * (MAX_TEXT + 1)})
    assert result.codes == ["BAD_USER_INPUT"]
    assert "2,000" in result.errors[0]["message"]
    long_but_allowed = ("矿区排土场水土流失严重。" * 200)[:MAX_TEXT]
    assert codes(await route(gql, long_but_allowed))[0] == "water_resources"


async def test_a_limit_outside_one_to_eighteen_is_refused(gql: GraphQLClient) -> None:
    for limit in (0, -1, 19):
        result = await gql(ROUTE, {"text": "排土场水土流失", "limit": limit})
        assert result.codes == ["BAD_USER_INPUT"]
        assert result.errors[0]["extensions"]["field"] == "limit"
        assert "between 1 and 18" in result.errors[0]["message"]


async def test_a_warm_route_costs_one_round_trip_whatever_it_shows(
    gql: GraphQLClient,
) -> None:
    text = "尾矿库渗漏污染地下水，排土场水土流失，安全许可证过期"
    await route(gql, text, limit=5)  # builds this process's matcher if needed
    with roundtrips.counting() as counter:
        matches = await route(gql, text, limit=5)
    assert len(matches) >= 3
    assert counter.count == 1, counter.statements


async def test_the_liaison_shown_is_the_current_one(
    gql_fresh: GraphQLClient, tokens_fresh: TokenFactory, fresh_graph: Engine
) -> None:
    token = await tokens_fresh(Role.OFFICER, "water_resources")
    appointed = await gql_fresh(
        "mutation($input: AppointLiaisonInput!) { appointLiaison(input: $input) { code } }",
        {"input": {"departmentCode": "water_resources", "name": "李明", "since": "2026-12-01"}},
        token=token,
    )
    assert appointed.errors == []
    [first, *_] = await route(gql_fresh, "排土场水土流失严重")
    # no vocabulary change was needed: the liaison comes from the graph on every request
    assert first["department"]["liaison"] == {"name": "李明"}  # type: ignore[index]
