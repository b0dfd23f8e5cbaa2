"""FalkorDB's compact answers decoded into plain Python values."""

from __future__ import annotations

import pytest

from graph.engine import Engine
from graph.falkordb_results import NeedsSchema, decode_rows

# the compact format's cells as hiredis hands them over: [value type, value]
NULL, STRING, INTEGER, BOOLEAN, DOUBLE, ARRAY, EDGE, NODE, MAP = 1, 2, 3, 4, 5, 6, 7, 8, 10


def test_every_scalar_kind_of_cell_decodes_to_its_python_value() -> None:
    raw = [
        [[STRING, "矿山"], [INTEGER, 7], [NULL, None], [BOOLEAN, "true"], [DOUBLE, "0.5"]],
        [[STRING, b"bytes"], [INTEGER, -1], [BOOLEAN, b"false"], [NULL, None], [DOUBLE, "2"]],
    ]
    assert decode_rows(raw) == (
        ("矿山", 7, None, True, 0.5),
        ("bytes", -1, False, None, 2.0),
    )


def test_lists_and_maps_decode_with_their_cells() -> None:
    raw = [
        [
            [ARRAY, [[STRING, "a"], [INTEGER, 1], [NULL, None], [ARRAY, []]]],
            [MAP, ["kind", [STRING, "MINING"], b"years", [INTEGER, 3]]],
        ]
    ]
    assert decode_rows(raw) == ((["a", 1, None, []], {"kind": "MINING", "years": 3}),)


@pytest.mark.parametrize("kind", [NODE, EDGE])
def test_a_graph_entity_is_left_to_the_clients_parser(kind: int) -> None:
    with pytest.raises(NeedsSchema):
        decode_rows([[[STRING, "a"], [kind, []]]])


async def test_a_read_answers_each_kind_of_value_as_python_has_it(seeded_graph: Engine) -> None:
    result = await seeded_graph.read_only_text(
        "RETURN '绿色矿山' AS text, 42 AS number, null AS nothing, true AS yes, 1.5 AS half, "
        "[1, 'b', null] AS items, {kind: 'MINING', n: 2} AS map"
    )
    assert result.rows == (
        ("绿色矿山", 42, None, True, 1.5, [1, "b", None], {"kind": "MINING", "n": 2}),
    )
