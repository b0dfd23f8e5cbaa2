"""The routing vocabulary lives in the graph: analysts read it with Cypher, admins change it with
audited mutations, and routing follows a change at once, in every process."""

from __future__ import annotations

from graph import audit, document, routing
from graph.engine import Engine
from graph.routing import TargetLabel
from resolvers.auth import SYSTEM, Role, audit_entry
from seed.document import DOCUMENT
from seed.routing_terms import TERMS
from seed.routing_vocabulary import TermKind, seed_vocabulary
from tests.conftest import FIXED_NOW, GraphQLClient, TokenFactory

ADD = """
mutation($input: AddRoutingTermInput!) {
  addRoutingTerm(input: $input) {
    text lang kind domainWeight source active
    links { weight active source duty { code } removalCondition { number } department { code } }
  }
}
"""
REMOVE = """
mutation($input: RemoveRoutingTermInput!) {
  removeRoutingTerm(input: $input) { text active links { active duty { code } } }
}
"""
ROUTE = "query($text: String!) { route(text: $text) { department { code } matchedTerms } }"
VERSION = "{ routingVocabulary { version termCount } }"

# 黄汤子: how villagers in some valleys call yellow mine water; not in the seed vocabulary
SLANG_SENTENCE = "那个老板半夜又往沟里放黄汤子"
SLANG = {"text": "黄汤子", "dutyCode": "ee_pollution_control", "kind": "COLLOQUIAL"}


async def routed(gql: GraphQLClient, text: str) -> list[str]:
    result = await gql(ROUTE, {"text": text})
    assert result.errors == [], result.errors
    assert result.data is not None
    return [m["department"]["code"] for m in result.data["route"]]


async def version(gql: GraphQLClient) -> int:
    result = await gql(VERSION)
    assert result.data is not None
    return int(result.data["routingVocabulary"]["version"])


async def test_an_admin_adds_a_synonym_and_a_sentence_that_routed_nowhere_routes_at_once(
    gql_fresh: GraphQLClient, tokens_fresh: TokenFactory
) -> None:
    assert await routed(gql_fresh, SLANG_SENTENCE) == []
    token = await tokens_fresh(Role.ADMIN, "natural_resources")
    result = await gql_fresh(ADD, {"input": SLANG}, token=token)
    assert result.errors == []
    assert result.data is not None
    assert result.data["addRoutingTerm"] == {
        "text": "黄汤子",
        "lang": "zh",
        "kind": "COLLOQUIAL",
        "domainWeight": 1.0,
        "source": "admin",
        "active": True,
        "links": [
            {
                "weight": 1.0,
                "active": True,
                "source": "admin",
                "duty": {"code": "ee_pollution_control"},
                "removalCondition": None,
                "department": None,
            }
        ],
    }
    assert (await routed(gql_fresh, SLANG_SENTENCE))[0] == "ecology_environment"


async def test_removing_the_term_takes_the_route_away_again(
    gql_fresh: GraphQLClient, tokens_fresh: TokenFactory
) -> None:
    token = await tokens_fresh(Role.ADMIN, "natural_resources")
    await gql_fresh(ADD, {"input": SLANG}, token=token)
    assert await routed(gql_fresh, SLANG_SENTENCE) != []
    removed = await gql_fresh(REMOVE, {"input": {"text": "黄汤子"}}, token=token)
    assert removed.errors == []
    assert removed.data == {
        "removeRoutingTerm": {
            "text": "黄汤子",
            "active": False,
            "links": [{"active": False, "duty": {"code": "ee_pollution_control"}}],
        }
    }
    assert await routed(gql_fresh, SLANG_SENTENCE) == []


async def test_removing_one_link_keeps_the_terms_other_links(
    gql_fresh: GraphQLClient, tokens_fresh: TokenFactory
) -> None:
    token = await tokens_fresh(Role.ADMIN, "natural_resources")
    assert (await routed(gql_fresh, "尾矿库渗漏"))[0] == "ecology_environment"
    removed = await gql_fresh(
        REMOVE, {"input": {"text": "尾矿库", "removalConditionNumber": 8}}, token=token
    )
    assert removed.errors == []
    links = removed.data["removeRoutingTerm"]["links"]  # type: ignore[index]
    assert {"active": True, "duty": {"code": "ee_pollution_control"}} in links


async def test_anonymous_callers_and_officers_cannot_change_the_vocabulary(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    before = await version(gql)
    assert (await gql(ADD, {"input": SLANG})).codes == ["UNAUTHENTICATED"]
    assert (await gql(REMOVE, {"input": {"text": "尾矿库"}})).codes == ["UNAUTHENTICATED"]
    for role, department in ((Role.OFFICER, "natural_resources"), (Role.ANALYST, "audit")):
        token = await tokens(role, department)
        assert (await gql(ADD, {"input": SLANG}, token=token)).codes == ["FORBIDDEN"]
        assert (await gql(REMOVE, {"input": {"text": "尾矿库"}}, token=token)).codes == [
            "FORBIDDEN"
        ]
    assert await version(gql) == before
    assert await routed(gql, SLANG_SENTENCE) == []


async def test_each_change_is_audited_and_bumps_the_version_once(
    gql_fresh: GraphQLClient, tokens_fresh: TokenFactory, fresh_graph: Engine
) -> None:
    token = await tokens_fresh(Role.ADMIN, "natural_resources")
    before = await version(gql_fresh)
    await gql_fresh(ADD, {"input": SLANG}, token=token)
    assert await version(gql_fresh) == before + 1
    entries = await audit.recent(fresh_graph, since="2026-01-01", limit=10)
    entry = next(e for e in entries if e.operation == "addRoutingTerm")
    assert entry.actor == "admin@natural_resources" and entry.role == "admin"
    assert '"text": "黄汤子"' in entry.changes and "Duty:ee_pollution_control" in entry.changes


async def test_a_duplicate_link_is_a_conflict_and_changes_nothing(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    token = await tokens(Role.ADMIN, "natural_resources")
    before = await version(gql)
    result = await gql(
        ADD, {"input": {"text": "水土流失", "dutyCode": "wr_soil_water_conservation"}}, token=token
    )
    assert result.codes == ["CONFLICT"]
    assert result.errors[0]["extensions"]["field"] == "input.text"
    assert await version(gql) == before


async def test_bad_input_is_refused_naming_the_field(
    gql: GraphQLClient, tokens: TokenFactory
) -> None:
    token = await tokens(Role.ADMIN, "natural_resources")
    cases = [
        ({"text": "x", "dutyCode": "no_such_duty"}, "NOT_FOUND", "input.dutyCode"),
        ({"text": "x", "departmentCode": "nowhere"}, "NOT_FOUND", "input.departmentCode"),
        (
            {"text": "x", "removalConditionNumber": 15},
            "BAD_USER_INPUT",
            "input.removalConditionNumber",
        ),
        ({"text": "x"}, "BAD_USER_INPUT", "input.dutyCode"),
        (
            {"text": "x", "dutyCode": "em_work_safety", "departmentCode": "audit"},
            "BAD_USER_INPUT",
            "input.departmentCode",
        ),
        (
            {"text": "x", "dutyCode": "em_work_safety", "weight": 0},
            "BAD_USER_INPUT",
            "input.weight",
        ),
        (
            {"text": "x", "dutyCode": "em_work_safety", "domainWeight": 2},
            "BAD_USER_INPUT",
            "input.domainWeight",
        ),
        ({"text": "  ", "dutyCode": "em_work_safety"}, "BAD_USER_INPUT", "input.text"),
        ({"text": "！？", "dutyCode": "em_work_safety"}, "BAD_USER_INPUT", "input.text"),
        (
            {"text": "x", "dutyCode": "em_work_safety", "kind": "CONTEXT"},
            "BAD_USER_INPUT",
            "input.kind",
        ),
    ]
    before = await version(gql)
    for given, code, field in cases:
        result = await gql(ADD, {"input": given}, token=token)
        assert result.codes == [code], given
        assert result.errors[0]["extensions"]["field"] == field, given
    missing = await gql(REMOVE, {"input": {"text": "没有这个词"}}, token=token)
    assert missing.codes == ["NOT_FOUND"]
    assert await version(gql) == before


async def test_terms_are_stored_normalised_like_the_text_they_are_found_in(
    gql_fresh: GraphQLClient, tokens_fresh: TokenFactory
) -> None:
    token = await tokens_fresh(Role.ADMIN, "natural_resources")
    result = await gql_fresh(
        ADD,
        {
            "input": {
                "text": " Yellow  WATER ",
                "dutyCode": "ee_pollution_control",
                "kind": "ENGLISH",
            }
        },
        token=token,
    )
    assert result.data is not None
    assert result.data["addRoutingTerm"]["text"] == "yellow water"
    assert result.data["addRoutingTerm"]["lang"] == "en"
    assert (await routed(gql_fresh, "Yellow water flows out of the mine every night"))[0] == (
        "ecology_environment"
    )


async def test_a_change_made_by_another_process_routes_this_ones_next_request(
    gql_fresh: GraphQLClient, fresh_graph: Engine
) -> None:
    assert await routed(gql_fresh, SLANG_SENTENCE) == []  # this process's matcher is warm
    # what another worker's mutation does: one statement, straight to the shared graph
    entry = audit_entry(SYSTEM, "addRoutingTerm", "from another worker", {}, at=FIXED_NOW)
    new_version = await routing.add_link(
        fresh_graph,
        text="黄汤子",
        lang="zh",
        kind="colloquial",
        domain_weight=1.0,
        label=TargetLabel.DUTY,
        target="ee_pollution_control",
        weight=1.0,
        audit=entry,
    )
    assert new_version is not None
    assert (await routed(gql_fresh, SLANG_SENTENCE))[0] == "ecology_environment"


async def test_seeding_again_does_not_bring_back_a_term_an_admin_removed(
    gql_fresh: GraphQLClient, tokens_fresh: TokenFactory, fresh_graph: Engine
) -> None:
    token = await tokens_fresh(Role.ADMIN, "natural_resources")
    await gql_fresh(REMOVE, {"input": {"text": "排土场"}}, token=token)
    await seed_vocabulary(fresh_graph, TERMS, at=FIXED_NOW)
    term = await routing.term(fresh_graph, "排土场")
    assert term is not None and term.active is False
    assert all(not link.active for link in term.links)
    assert (
        "排土场"
        not in (await gql_fresh(ROUTE, {"text": "排土场水土流失严重"})).data[  # type: ignore[index]
            "route"
        ][0]["matchedTerms"]
    )


async def test_analysts_read_the_vocabulary_with_cypher(seeded_graph: Engine) -> None:
    result = await seeded_graph.read_only_text(
        """
        MATCH (t:RoutingTerm {text: $text})-[l:INDICATES]->(x)
        RETURN labels(x)[0] AS label, coalesce(x.code, toString(x.number)) AS target,
               l.weight AS weight
        ORDER BY target
        """,
        {"text": "尾矿库"},
    )
    rows = {(r["label"], r["target"]) for r in result.records}
    assert ("Duty", "ee_pollution_control") in rows and ("RemovalCondition", "8") in rows


def test_every_seed_term_points_at_something_the_document_has() -> None:
    duties = {u.code for u in DOCUMENT.duties}
    conditions = {x.number for x in DOCUMENT.removal_conditions}
    departments = {d.code for d in DOCUMENT.departments}
    known = {
        TargetLabel.DUTY: duties,
        TargetLabel.REMOVAL_CONDITION: conditions,
        TargetLabel.DEPARTMENT: departments,
    }
    for term in TERMS:
        assert term.kind is TermKind.CONTEXT or term.links, term.text
        for link in term.links:
            assert link.target in known[link.label], (term.text, link)
            assert 0 < link.weight <= 3, (term.text, link)
        assert 0 < term.domain <= 1, term.text


def test_every_duty_and_removal_condition_has_words_that_reach_it() -> None:
    reached = {(link.label, link.target) for term in TERMS for link in term.links}
    for duty in DOCUMENT.duties:
        if duty.code != "other_departments":  # reached through its departments' own names
            assert (TargetLabel.DUTY, duty.code) in reached, duty.code
    for condition in DOCUMENT.removal_conditions:
        assert (TargetLabel.REMOVAL_CONDITION, condition.number) in reached, condition.number
    named = {
        link.target for term in TERMS for link in term.links if link.label is TargetLabel.DEPARTMENT
    }
    assert named == {d.code for d in DOCUMENT.departments}


def test_seed_terms_are_already_normalised_and_unique() -> None:
    from resolvers.segmentation import normalize

    texts = [t.text for t in TERMS]
    assert len(texts) == len(set(texts))
    assert all(normalize(t) == t and t for t in texts)
    assert len(TERMS) > 1000


async def test_the_graph_holds_every_seed_term(seeded_graph: Engine) -> None:
    assert await routing.count_terms(seeded_graph) == len(TERMS)
    departments = await document.departments(seeded_graph)
    assert len(departments) == 18
