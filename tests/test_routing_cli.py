"""`greenmine route TEXT [--json]` and `greenmine bench routing` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_command_line import run


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("route-cli")
    run(path, "seed")
    return path


def route_json(data_dir: Path, text: str) -> list[dict[str, object]]:
    matches: list[dict[str, object]] = json.loads(run(data_dir, "route", text, "--json").stdout)
    return matches


def test_route_json_puts_ecology_first_for_a_tailings_pond_without_seepage_control(
    seeded_dir: Path,
) -> None:
    [first, *_] = route_json(seeded_dir, "尾矿库防渗没做，污染地下水")
    assert first["department"]["code"] == "ecology_environment"  # type: ignore[index]
    assert first["department"]["liaison"]["name"] == "吴洪仁"  # type: ignore[index]
    assert first["removalCondition"]["number"] == 8  # type: ignore[index]
    assert first["explanation"] and first["nextSteps"]


def test_route_json_puts_water_resources_first_for_waste_dump_erosion(seeded_dir: Path) -> None:
    [first, *_] = route_json(seeded_dir, "排土场水土流失严重")
    assert first["department"]["code"] == "water_resources"  # type: ignore[index]


def test_route_json_prints_an_empty_list_for_text_outside_the_mechanism(seeded_dir: Path) -> None:
    assert route_json(seeded_dir, "食堂饭菜太咸") == []


def test_route_without_json_prints_department_liaison_and_next_steps(seeded_dir: Path) -> None:
    printed = run(seeded_dir, "route", "安全许可证过期还在生产").stdout
    assert "甘肃省应急厅" in printed and "齐俊德" in printed and "下一步" in printed


def test_route_refuses_empty_text_with_the_rule(seeded_dir: Path) -> None:
    refused = run(seeded_dir, "route", "   ", check=False)
    assert refused.returncode == 1
    assert "empty" in refused.stderr and "Traceback" not in refused.stderr


def test_bench_routing_prints_the_three_figures(seeded_dir: Path) -> None:
    printed = run(seeded_dir, "bench", "routing").stdout
    for measure in ("top-1 accuracy", "top-3 accuracy", "out-of-domain rejection"):
        assert measure in printed
