"""`greenmine seed` is idempotent: a second run creates nothing and leaves every count as it was."""

from __future__ import annotations

from graph import seeding
from graph.engine import Engine
from seed.document import DOCUMENT
from seed.loader import ensure_seeded, seed_document
from tests.conftest import FIXED_NOW


async def test_seeding_twice_leaves_counts_unchanged(fresh_graph: Engine) -> None:
    nodes, relationships = (
        await seeding.count_nodes(fresh_graph),
        await seeding.count_relationships(fresh_graph),
    )
    report = await seed_document(fresh_graph, today=FIXED_NOW.date())
    assert report.total.nodes_created == 0
    assert report.total.relationships_created == 0
    assert await seeding.count_nodes(fresh_graph) == nodes
    assert await seeding.count_relationships(fresh_graph) == relationships


async def test_first_seed_creates_every_part_of_the_document(engine: Engine) -> None:
    await engine.wipe()
    report = await seed_document(engine, today=FIXED_NOW.date())
    created = dict(report.steps)
    assert created["clauses"].nodes_created == len(DOCUMENT.clauses)
    assert created["departments"].nodes_created == 18
    assert created["liaisons"].nodes_created == 18
    assert created["removal conditions"].nodes_created == 14
    counts = await seeding.count_nodes(engine)
    assert counts["Department"] == 18
    assert counts["Duty"] == len(DOCUMENT.duties)
    assert counts["Rule"] == len(DOCUMENT.rules)
    assert report.total.nodes_created == sum(counts.values())


async def test_every_node_from_the_document_links_to_a_clause(engine: Engine) -> None:
    await engine.wipe()
    await seed_document(engine, today=FIXED_NOW.date())
    result = await engine.read_only_text(
        """MATCH (n) WHERE NOT n:Clause AND NOT n:Document
           AND NOT n:RoutingTerm AND NOT n:RoutingVocabulary
           AND NOT (n)-[:FROM_CLAUSE]->(:Clause)
           RETURN labels(n)[0] AS label, count(n) AS n"""
    )
    assert result.records == []


async def test_ensure_seeded_loads_only_an_empty_graph(engine: Engine) -> None:
    await engine.wipe()
    assert await ensure_seeded(engine) is not None
    assert await ensure_seeded(engine) is None
