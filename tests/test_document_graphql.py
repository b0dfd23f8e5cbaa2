"""The whole document is readable through GraphQL, each fact traceable to its clause."""

from __future__ import annotations

from tests.conftest import GraphQLClient
from tests.document_facts import DESIGN_CODES, LIAISONS


async def test_departments_are_the_eighteen_codes_with_the_tables_liaisons(
    gql: GraphQLClient,
) -> None:
    result = await gql(
        "{ departments { code nameZh nameEn liaison { name } duties { code titleZh } } }"
    )
    assert result.errors == []
    assert result.data is not None
    departments = result.data["departments"]
    assert [d["code"] for d in departments] == list(DESIGN_CODES)
    assert {d["code"]: d["nameZh"] for d in departments} == DESIGN_CODES
    assert {d["code"]: d["liaison"]["name"] for d in departments} == LIAISONS
    assert all(d["nameEn"] for d in departments)


async def test_the_finance_liaison_is_qi_zhi(gql: GraphQLClient) -> None:
    result = await gql(
        "query($code: String!) { department(code: $code) { liaison { name since current } } }",
        {"code": "finance"},
    )
    assert result.data == {
        "department": {"liaison": {"name": "祁帜", "since": "2026-11-25", "current": True}}
    }


async def test_soil_and_water_conservation_is_held_by_water_resources(gql: GraphQLClient) -> None:
    result = await gql(
        """query { duties { code textZh departments { code } clause { ref textZh } } }"""
    )
    assert result.data is not None
    holders = [d for d in result.data["duties"] if "水土保持" in d["textZh"]]
    assert [d["code"] for d in holders] == ["wr_soil_water_conservation"]
    assert [x["code"] for x in holders[0]["departments"]] == ["water_resources"]
    assert holders[0]["clause"]["ref"] == "二(二)8"


async def test_every_duty_has_a_department_and_a_clause(gql: GraphQLClient) -> None:
    result = await gql("{ duties { code departments { code } clause { ref textZh } } }")
    assert result.data is not None
    duties = result.data["duties"]
    assert len(duties) == 20
    for duty in duties:
        assert duty["departments"], duty["code"]
        assert duty["clause"] and duty["clause"]["ref"].startswith("二(二)"), duty["code"]


async def test_removal_condition_8_is_about_tailings_pond_pollution(gql: GraphQLClient) -> None:
    result = await gql(
        """query($n: Int!) { removalCondition(number: $n) {
             number textZh departments { code } clause { ref textZh }
             competence { basis reasonZh department { code } clause { ref } } } }""",
        {"n": 8},
    )
    assert result.errors == []
    assert result.data is not None
    condition = result.data["removalCondition"]
    assert condition["textZh"] == (
        "未按要求定期开展尾矿库污染隐患排查的或尾矿库污染防治设施未按要求建设运行的;"
    )
    assert condition["clause"]["ref"] == "二(四)8"
    assert [d["code"] for d in condition["departments"]] == ["ecology_environment"]
    assert condition["competence"][0]["basis"] == "CLAUSE"
    assert condition["competence"][0]["clause"]["ref"] == "二(二)7"


async def test_fourteen_removal_conditions_each_with_departments(gql: GraphQLClient) -> None:
    result = await gql("{ removalConditions { number textZh departments { code } } }")
    assert result.data is not None
    conditions = result.data["removalConditions"]
    assert [c["number"] for c in conditions] == list(range(1, 15))
    assert all(c["departments"] for c in conditions)


async def test_inferred_competence_carries_its_reason(gql: GraphQLClient) -> None:
    result = await gql(
        "{ removalCondition(number: 1) { competence { basis reasonZh department { code } } } }"
    )
    assert result.data is not None
    links = result.data["removalCondition"]["competence"]
    assert {link["department"]["code"] for link in links} == {
        "natural_resources", "emergency_management", "market_regulation",
    }  # fmt: skip
    assert all(link["basis"] == "INFERRED" and link["reasonZh"] for link in links)


async def test_three_rates_are_metrics_of_natural_resources(gql: GraphQLClient) -> None:
    result = await gql(
        '{ duty(code: "nr_three_rates") { metrics { nameZh } departments { code } } }'
    )
    assert result.data == {
        "duty": {
            "metrics": [
                {"nameZh": "开采回采率"},
                {"nameZh": "选矿回收率"},
                {"nameZh": "综合利用率"},
            ],
            "departments": [{"code": "natural_resources"}],
        }
    }


async def test_financing_library_links_natural_resources_and_pboc(gql: GraphQLClient) -> None:
    result = await gql('{ duty(code: "nr_pboc_financing_library") { departments { code } } }')
    assert result.data == {
        "duty": {"departments": [{"code": "natural_resources"}, {"code": "pboc_gansu"}]}
    }


async def test_joint_meeting_is_convened_by_natural_resources(gql: GraphQLClient) -> None:
    result = await gql(
        "{ jointMeeting { nameZh convener { code } members { code } agenda { number textZh } clause { ref } } }"
    )
    assert result.data is not None
    meeting = result.data["jointMeeting"]
    assert meeting["convener"] == {"code": "natural_resources"}
    assert len(meeting["members"]) == 18
    assert [a["number"] for a in meeting["agenda"]] == [1, 2, 3, 4]
    assert meeting["agenda"][1]["textZh"] == "通报绿色矿山违法违规问题"
    assert meeting["clause"] == {"ref": "二(一)"}


async def test_rules_and_targets_are_data_with_clauses(gql: GraphQLClient) -> None:
    result = await gql("{ rules { code value unit scale year due clause { ref } } }")
    assert result.data is not None
    rules = {r["code"]: r for r in result.data["rules"]}
    assert rules["new_mine_verification_within"]["value"] == 1
    assert rules["new_mine_verification_within"]["unit"] == "year"
    assert rules["rectification_max_months"]["value"] == 6
    assert rules["yearly_spot_check_share"]["value"] == 0.1
    assert rules["target_2028_large"] == {
        "code": "target_2028_large", "value": 0.9, "unit": "share", "scale": "LARGE",
        "year": 2028, "due": "2028-12-31", "clause": {"ref": "一"},
    }  # fmt: skip
    assert rules["target_2028_medium"]["value"] == 0.8


async def test_work_requirements_procedures_and_registers(gql: GraphQLClient) -> None:
    result = await gql(
        """{ workRequirements { number titleZh clause { ref } }
             procedures { code steps { order actorRoleZh actor { code } } clause { ref } }
             registers { code maintainedBy { code } external }
             principles { nameZh } }"""
    )
    assert result.errors == []
    assert result.data is not None
    assert [w["clause"]["ref"] for w in result.data["workRequirements"]] == [
        "三(一)", "三(二)", "三(三)", "三(四)",
    ]  # fmt: skip
    referral = next(p for p in result.data["procedures"] if p["code"] == "referral")
    assert referral["clause"] == {"ref": "二(四)"}
    assert referral["steps"][1]["actor"] == {"code": "natural_resources"}
    library = next(
        r for r in result.data["registers"] if r["code"] == "green_mine_financing_library"
    )
    assert library["maintainedBy"] == [{"code": "natural_resources"}, {"code": "pboc_gansu"}]
    assert len(result.data["principles"]) == 5


async def test_clauses_form_the_documents_tree(gql: GraphQLClient) -> None:
    result = await gql(
        """{ document { titleZh clauses { ref } }
             clause(ref: "二(四)") { children { ref marker } parent { ref } } }"""
    )
    assert result.data is not None
    assert result.data["document"]["titleZh"] == "绿色矿山建设工作机制"
    assert [c["ref"] for c in result.data["document"]["clauses"]] == [
        "序",
        "一",
        "二",
        "三",
        "附表",
    ]
    children = result.data["clause"]["children"]
    assert [c["ref"] for c in children] == [f"二(四){n}" for n in range(1, 15)]
    assert children[9]["marker"] == "10."
    assert result.data["clause"]["parent"] == {"ref": "二"}


async def test_every_department_traces_to_the_preamble(gql: GraphQLClient) -> None:
    result = await gql("{ departments { clause { ref } liaisons { name } } }")
    assert result.data is not None
    assert {d["clause"]["ref"] for d in result.data["departments"]} == {"序"}


async def test_unknown_department_is_not_found_and_names_the_code(gql: GraphQLClient) -> None:
    result = await gql('{ department(code: "mining_bureau") { code } }')
    assert result.data is None
    assert result.codes == ["NOT_FOUND"]
    assert "mining_bureau" in result.errors[0]["message"]
    assert result.errors[0]["extensions"]["field"] == "code"


async def test_removal_condition_out_of_range_is_bad_user_input(gql: GraphQLClient) -> None:
    result = await gql("{ removalCondition(number: 15) { number } }")
    assert result.codes == ["BAD_USER_INPUT"]
    assert "between 1 and 14" in result.errors[0]["message"]


async def test_unknown_field_and_syntax_errors_have_codes(gql: GraphQLClient) -> None:
    unknown = await gql("{ departments { budget } }")
    assert unknown.codes == ["GRAPHQL_VALIDATION_FAILED"]
    broken = await gql("{ departments { code }")
    assert broken.codes == ["GRAPHQL_PARSE_FAILED"]
    wrong_type = await gql(
        "query($n: Int!) { removalCondition(number: $n) { number } }", {"n": "x"}
    )
    assert wrong_type.codes == ["BAD_USER_INPUT"]
