"""`greenmine import mines`: provincial spreadsheets (.xlsx, .csv) into the mine registry, every
row checked first, all or nothing per file unless --partial, each batch one audited statement."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from graph.engine import Engine
from greenmine.config import Settings
from resolvers import mine_columns as cols
from resolvers.auth import Role
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.mine_import import ImportPlan, import_actor, plan_import, write_import
from resolvers.spreadsheets import read_sheet
from tests.conftest import FIXED_NOW, GraphQLClient, TokenFactory

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_XLSX = ROOT / "docs" / "mines-sample.xlsx"
SAMPLE_CSV = ROOT / "docs" / "mines-sample.csv"
SAMPLE_MINES = 20
#: the sample .xlsx has a title row, then the header row: its first mine is on row 3
FIRST_XLSX_ROW = 3


def sample_rows() -> list[list[str]]:
    """The sample CSV as lists of cells, header first."""
    return list(csv.reader(io.StringIO(SAMPLE_CSV.read_text(encoding="utf-8-sig"))))


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def column(rows: list[list[str]], header: str) -> int:
    return rows[0].index(header)


async def plan(engine: Engine, settings: Settings, path: Path) -> ImportPlan:
    ctx = Context(engine=engine, settings=settings, clock=lambda: FIXED_NOW)
    return await plan_import(
        ctx, read_sheet(path), file_name=path.name, actor=import_actor("测试员")
    )


async def load(engine: Engine, settings: Settings, path: Path, batch_size: int = 500) -> Any:
    ctx = Context(engine=engine, settings=settings, clock=lambda: FIXED_NOW)
    planned = await plan(engine, settings, path)
    return planned, await write_import(
        ctx, planned, actor=import_actor("测试员"), batch_size=batch_size
    )


async def count(engine: Engine, cypher: str) -> int:
    row = (await engine.read_only_text(cypher, {})).records[0]
    return int(next(iter(row.values())))


def rejections_by_row(planned: ImportPlan) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = {}
    for r in planned.rejected:
        found.setdefault(r.row, []).append((r.column, r.value))
    return found


# -- the command, as an office runs it -----------------------------------------------------

GREENMINE = [sys.executable, "-m", "greenmine"]


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GREENMINE_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [*GREENMINE, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )


def cypher_count(data_dir: Path, query: str) -> int:
    completed = run(data_dir, "cypher", query, "--json")
    assert completed.returncode == 0, completed.stderr
    return int(next(iter(json.loads(completed.stdout)[0].values())))


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("import-template")
    assert run(data, "seed").returncode == 0
    return data


@pytest.fixture
def seeded_dir(seeded_template: Path, tmp_path: Path) -> Path:
    """A data directory holding the seeded document (a copy: the server that wrote it stopped)."""
    data = tmp_path / "graph"
    shutil.copytree(seeded_template, data, ignore=shutil.ignore_patterns("*.lock", "server.json"))
    return data


def two_bad_rows(tmp_path: Path) -> Path:
    """The sample .xlsx with a bad scale on row 5 and an impossible date on row 11."""
    book = load_workbook(SAMPLE_XLSX)
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[FIRST_XLSX_ROW - 1]]
    sheet.cell(5, headers.index("生产规模（大型/中型/小型）") + 1, "特大型")
    sheet.cell(11, headers.index("采矿许可证有效期止") + 1, "2030-02-30")
    path = tmp_path / "two-bad-rows.xlsx"
    book.save(path)
    return path


def test_importing_the_sample_xlsx_loads_its_twenty_mines(seeded_dir: Path) -> None:
    completed = run(seeded_dir, "import", "mines", str(SAMPLE_XLSX), "--actor", "省厅数据员")
    assert completed.returncode == 0, completed.stderr
    assert f"loaded {SAMPLE_MINES} mines" in completed.stdout
    audits = run(
        seeded_dir, "cypher",
        "MATCH (all:Mine) WITH count(all) AS total "
        "MATCH (a:AuditEntry {operation: 'importMines'})-[:CHANGED]->(m:Mine) "
        "RETURN total, a.actor AS actor, a.summary AS summary, count(m) AS mines", "--json",
    )  # fmt: skip
    [audit] = json.loads(audits.stdout)
    assert audit["total"] == SAMPLE_MINES
    assert audit["actor"] == "省厅数据员" and audit["mines"] == SAMPLE_MINES
    assert "mines-sample.xlsx" in audit["summary"]


def test_a_file_with_two_bad_rows_reports_both_and_loads_nothing(
    seeded_dir: Path, tmp_path: Path
) -> None:
    completed = run(seeded_dir, "import", "mines", str(two_bad_rows(tmp_path)), "--json")
    assert completed.returncode == 1
    report = json.loads(completed.stdout)
    assert report["rejectedRows"] == [5, 11] and report["loaded"] == 0
    by_row = {r["row"]: r for r in report["rejections"]}
    assert by_row[5]["column"] == "生产规模（大型/中型/小型）" and by_row[5]["value"] == "特大型"
    assert by_row[11]["column"] == "采矿许可证有效期止" and by_row[11]["value"] == "2030-02-30"
    assert all(r["rule"] for r in report["rejections"])
    assert cypher_count(seeded_dir, "MATCH (m:Mine) RETURN count(m) AS n") == 0


def test_partial_loads_the_good_rows_and_reports_the_bad_ones(
    seeded_dir: Path, tmp_path: Path
) -> None:
    completed = run(seeded_dir, "import", "mines", str(two_bad_rows(tmp_path)), "--partial")
    assert completed.returncode == 2
    # the report a person reads: a row per rejected cell, with row number, column and value
    report = [line.split("│") for line in completed.stdout.splitlines() if line.startswith("│")]
    rows = [(cells[1].strip(), cells[2].strip(), cells[3].strip()) for cells in report]
    assert rows == [
        ("5", "生产规模（大型/中型/小型）", "特大型"),
        ("11", "采矿许可证有效期止", "2030-02-30"),
    ]
    assert f"loaded {SAMPLE_MINES - 2} mines" in completed.stdout
    assert "2 rejected row(s) were not loaded" in completed.stderr
    assert cypher_count(seeded_dir, "MATCH (m:Mine) RETURN count(m) AS n") == SAMPLE_MINES - 2


def test_a_file_that_is_not_a_spreadsheet_is_refused_before_anything(tmp_path: Path) -> None:
    old = tmp_path / "mines.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    completed = run(tmp_path / "graph", "import", "mines", str(old))
    assert completed.returncode == 1 and ".xlsx" in completed.stderr
    assert "Traceback" not in completed.stderr


# -- reading and checking, in process ------------------------------------------------------


async def test_the_csv_sample_holds_the_same_mines_as_the_xlsx_sample(
    seeded_graph: Engine, settings: Settings
) -> None:
    from_xlsx = await plan(seeded_graph, settings, SAMPLE_XLSX)
    from_csv = await plan(seeded_graph, settings, SAMPLE_CSV)
    assert from_xlsx.rejected == [] and from_csv.rejected == []
    assert len(from_xlsx.accepted) == len(from_csv.accepted) == SAMPLE_MINES
    assert from_xlsx.layout.header_row == 2 and from_csv.layout.header_row == 1
    assert from_xlsx.layout.ignored == from_csv.layout.ignored == ["序号", "备注"]
    for x, c in zip(from_xlsx.accepted, from_csv.accepted, strict=True):
        assert x.row == c.row + 1  # the title row above the .xlsx headers
        assert x.checked.mine.params() == {**c.checked.mine.params()}
        assert x.checked.licences == c.checked.licences


async def test_gb18030_and_utf8_without_a_byte_order_mark_read_alike(
    seeded_graph: Engine, settings: Settings, tmp_path: Path
) -> None:
    rows = sample_rows()
    gb = await plan(seeded_graph, settings, write_csv(tmp_path / "gb.csv", rows, "gb18030"))
    plain = await plan(seeded_graph, settings, write_csv(tmp_path / "u8.csv", rows, "utf-8"))
    assert gb.encoding == "gb18030" and plain.encoding == "utf-8-sig"
    assert [a.checked.mine.params() for a in gb.accepted] == [
        a.checked.mine.params() for a in plain.accepted
    ]
    assert gb.accepted[0].checked.mine.name == "金川示例镍矿"


@pytest.mark.parametrize(
    "cell",
    ["2024-03-01", "2024/3/1", "2024.3.1", "2024年3月1日", "20240301", "２０２４－０３－０１",
     20240301, 45352, dt.datetime(2024, 3, 1), dt.date(2024, 3, 1)],
)  # fmt: skip
def test_a_date_reads_in_every_usual_form(cell: Any) -> None:
    assert cols.date(cell) == dt.date(2024, 3, 1)


@pytest.mark.parametrize("cell", ["2024-02-30", "3/1/2024", "去年", "2024-3", True, 0])
def test_a_cell_that_is_not_a_date_is_refused_with_the_forms_it_may_take(cell: Any) -> None:
    with pytest.raises(cols.CellError, match="2024年3月1日"):
        cols.date(cell)


def test_no_end_date_is_accepted_only_where_the_caller_allows_it() -> None:
    assert cols.date("长期", no_end_allowed=True) is None
    with pytest.raises(cols.CellError, match="营业执照"):
        cols.date("长期")


async def test_header_spellings_offices_use_are_understood(
    seeded_graph: Engine, settings: Settings, tmp_path: Path
) -> None:
    rows = sample_rows()
    renames = {
        "采矿权人": "企业名称", "开采矿种": "矿种", "生产规模（大型/中型/小型）": "规模",
        "矿山类型（新建/改扩建/生产）": "建设阶段", "市州": "市（州）", "县区": "县（市、区）",
        "正式投产日期": "投产日期", "采矿许可证号": "采矿许可证号*", "统一社会信用代码": "营业执照\n统一社会信用代码",
    }  # fmt: skip
    rows[0] = [renames.get(h, h) for h in rows[0]]
    planned = await plan(seeded_graph, settings, write_csv(tmp_path / "variants.csv", rows))
    assert planned.rejected == [] and len(planned.accepted) == SAMPLE_MINES
    assert planned.layout.headers[cols.Field.PREFECTURE] == "市（州）"


async def test_cells_as_offices_type_them_are_read(
    seeded_graph: Engine, settings: Settings, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["采矿许可证号", "矿山名称", "采矿权人", "开采矿种", "生产规模", "矿山类型", "市州", "县区",
                  "正式投产日期", "采矿许可证有效期止", "统一社会信用代码", "营业执照有效期止"])  # fmt: skip
    sheet.append(["Ｃ６２０３００２０９９０２２２００００００１", "金昌样例镍矿", "样例公司", "镍矿", "中", "在产",
                  "jinchang", "金川区", 45352, "2030年12月31日", 620300000012345, "长期"])  # fmt: skip
    path = tmp_path / "typed.xlsx"
    book.save(path)
    planned = await plan(seeded_graph, settings, path)
    assert planned.rejected == []
    [row] = planned.accepted
    mine = row.checked.mine
    assert mine.licence_number == "C620300209902220000001"  # full-width digits made plain
    assert (mine.scale, mine.stage, mine.prefecture) == ("MEDIUM", "PRODUCING", "jinchang")
    assert mine.production_start == "2024-03-01"
    business = next(lic for lic in row.checked.licences if lic.kind == "BUSINESS")
    assert business.number == "620300000012345" and business.valid_until is None


async def test_every_bad_cell_of_a_row_is_reported_with_its_column_and_value(
    seeded_graph: Engine, settings: Settings, tmp_path: Path
) -> None:
    rows = sample_rows()
    bad = rows[3]
    bad[column(rows, "生产规模（大型/中型/小型）")] = "巨型"
    bad[column(rows, "市州")] = "西安市"
    bad[column(rows, "正式投产日期")] = "去年"
    bad[column(rows, "矿山名称")] = ""
    planned = await plan(seeded_graph, settings, write_csv(tmp_path / "bad.csv", rows))
    reported = dict(rejections_by_row(planned)[4])
    assert reported == {
        "生产规模（大型/中型/小型）": "巨型", "市州": "西安市", "正式投产日期": "去年", "矿山名称": "",
    }  # fmt: skip
    assert len(planned.accepted) == SAMPLE_MINES - 1


async def test_registry_rules_reject_a_row_naming_the_column_at_fault(
    seeded_graph: Engine, settings: Settings, tmp_path: Path
) -> None:
    rows = sample_rows()
    rows[1][column(rows, "采矿许可证有效期止")] = "2010-01-01"  # before its start
    rows[2][column(rows, "正式投产日期")] = "2099-01-01"  # in the future
    rows[3][column(rows, "采矿许可证号")] = "甘采123"  # not a licence number
    safety = column(rows, "安全生产许可证编号")
    rows[4][safety] = ""  # its dates stay, without the licence
    planned = await plan(seeded_graph, settings, write_csv(tmp_path / "rules.csv", rows))
    found = {row: [c for c, _ in cells] for row, cells in rejections_by_row(planned).items()}
    assert found == {
        2: ["采矿许可证有效期止"],
        3: ["正式投产日期"],
        4: ["采矿许可证号"],
        5: ["安全生产许可证有效期起", "安全生产许可证有效期止"],
    }
    rule = next(r.rule for r in planned.rejected if r.row == 2)
    assert "before" in rule and "2019-05-01" in rule


async def test_duplicates_in_the_file_reject_each_copy_and_in_the_graph_reject_the_row(
    fresh_graph: Engine, settings: Settings, tmp_path: Path
) -> None:
    rows = sample_rows()
    number = column(rows, "采矿许可证号")
    first, _ = await load(fresh_graph, settings, write_csv(tmp_path / "one.csv", rows[:2]))
    assert first.rejected == []
    rows[5][number] = rows[7][number].lower()  # the same licence, typed differently
    planned = await plan(fresh_graph, settings, write_csv(tmp_path / "dups.csv", rows))
    rules = {r.row: r.rule for r in planned.rejected}
    assert set(rules) == {2, 6, 8}
    assert "already registered" in rules[2]
    assert "row 8" in rules[6] and "row 6" in rules[8]


async def test_a_file_without_a_required_column_is_refused_before_reading_rows(
    seeded_graph: Engine, settings: Settings, tmp_path: Path
) -> None:
    rows = sample_rows()
    gone = column(rows, "采矿许可证有效期止")
    trimmed = [r[:gone] + r[gone + 1 :] for r in rows]
    with pytest.raises(BadUserInput, match="采矿许可证有效期止"):
        await plan(seeded_graph, settings, write_csv(tmp_path / "short.csv", trimmed))


async def test_each_batch_is_one_statement_with_one_audit_entry(
    fresh_graph: Engine, settings: Settings
) -> None:
    planned, result = await load(fresh_graph, settings, SAMPLE_XLSX, batch_size=7)
    assert result.failure is None and result.loaded == SAMPLE_MINES
    assert [(b.first_row, b.last_row, b.mines) for b in result.batches] == [
        (3, 9, 7), (10, 16, 7), (17, 22, 6),
    ]  # fmt: skip
    audits = await fresh_graph.read_only_text(
        "MATCH (a:AuditEntry {operation: 'importMines'})-[:CHANGED]->(m:Mine) "
        "RETURN a.id AS id, a.actor AS actor, a.changes AS changes, count(m) AS mines "
        "ORDER BY mines DESC",
        {},
    )
    assert [r["mines"] for r in audits.records] == [7, 7, 6]
    assert {r["id"] for r in audits.records} == {b.audit_id for b in result.batches}
    for record in audits.records:
        changes = json.loads(record["changes"])
        assert record["actor"] == "测试员" and changes["file"] == "mines-sample.xlsx"
        assert changes["sha256"] == planned.sha256
    assert await count(fresh_graph, "MATCH (:Mine)-[:HAS_EVENT]->(e) RETURN count(e)") == 20


async def test_an_imported_mine_reads_as_a_registered_one(
    fresh_graph: Engine, settings: Settings, tokens_fresh: TokenFactory
) -> None:
    await load(fresh_graph, settings, SAMPLE_XLSX)
    token = await tokens_fresh(Role.ANALYST, "natural_resources")
    result = await GraphQLClient(fresh_graph, settings)(
        """query($n: String!) { mine(licenceNumber: $n) {
             name scale stage status prefecture { nameZh } productionStart
             licences { kind number validFrom validUntil }
             history { seq action toStatus actor details } } }""",
        {"n": "C6204002099011110000004"},
        token=token,
    )
    assert result.errors == []
    assert result.data is not None
    mine = result.data["mine"]
    assert mine["name"] == "会宁示例铅锌矿" and mine["prefecture"]["nameZh"] == "白银市"
    assert (mine["scale"], mine["stage"], mine["status"]) == ("SMALL", "PRODUCING", "NOT_APPLIED")
    assert mine["productionStart"] == "2015-04-01"  # typed as 2015/4/1 in the sheet
    assert {lic["kind"] for lic in mine["licences"]} == {"MINING", "SAFETY_PRODUCTION", "BUSINESS"}
    [event] = mine["history"]
    assert event["action"] == "REGISTER" and event["actor"] == "测试员"
    assert event["details"] == "imported from mines-sample.xlsx, row 6"
