"""Write docs/mines-sample.xlsx and docs/mines-sample.csv: 20 made-up mines in the column layout
of `greenmine import mines` (README "Spreadsheet import").

Every mine is synthetic: names and companies carry 示例 ("sample"), licence numbers the
impossible year 2099 (C62xxxx2099...), credit codes the run 0000. The .xlsx looks like an
office's sheet (a title row above the headers, a 序号 column, real date cells, a few dates typed
as text); the .csv is the same rows, UTF-8 with a byte-order mark, as Excel saves "CSV UTF-8".

    .venv/bin/python tools/mines_sample.py
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

DOCS = Path(__file__).resolve().parent.parent / "docs"
TITLE = "甘肃省矿山基本信息表（示例数据，全部为虚构，仅供导入演示）"
HEADERS = (
    "序号", "采矿许可证号", "矿山名称", "采矿权人", "开采矿种", "生产规模（大型/中型/小型）",
    "矿山类型（新建/改扩建/生产）", "市州", "县区", "正式投产日期", "采矿许可证有效期起",
    "采矿许可证有效期止", "安全生产许可证编号", "安全生产许可证有效期起", "安全生产许可证有效期止",
    "统一社会信用代码", "营业执照有效期起", "营业执照有效期止", "备注",
)  # fmt: skip

D = dt.date
# licence no., name, company, mineral, scale, stage, prefecture, county, production start,
# mining from/until, safety no./from/until, credit code, business from/until ("长期": none), note
MINES: tuple[tuple[object, ...], ...] = (
    ("C6203002099011110000001", "金川示例镍矿", "甘肃示例镍钴矿业有限公司", "镍矿", "大型", "生产", "金昌市", "金川区",
     D(2008, 6, 1), D(2019, 5, 1), D(2034, 4, 30), "(甘)FM安许证字[2023]M0101号", D(2023, 3, 1), D(2026, 2, 28),
     "91620300MA0000X011", D(2006, 3, 15), "长期", "安全生产许可证已过期，待延续"),
    ("C6203002099011110000002", "永昌示例铜镍矿", "金昌示例有色金属有限公司", "铜矿", "中型", "改扩建", "金昌市", "永昌县",
     D(2012, 9, 1), D(2021, 1, 1), D(2031, 12, 31), "(甘)FM安许证字[2024]M0102号", D(2024, 6, 1), D(2027, 5, 31),
     "91620321MA0000X012", D(2010, 1, 8), "长期", ""),
    ("C6204002099011110000003", "白银示例铜矿", "白银示例铜业有限责任公司", "铜矿", "大型", "生产", "白银市", "白银区",
     D(1995, 7, 1), D(2018, 8, 1), D(2033, 7, 31), "(甘)FM安许证字[2024]M0103号", D(2024, 1, 1), D(2026, 12, 31),
     "91620400MA0000X013", D(1998, 5, 20), "长期", ""),
    ("C6204002099011110000004", "会宁示例铅锌矿", "白银示例铅锌矿业有限公司", "铅锌矿", "小型", "生产", "白银", "会宁县",
     "2015/4/1", D(2020, 4, 1), D(2028, 3, 31), "(甘)FM安许证字[2025]M0104号", D(2025, 2, 1), D(2028, 1, 31),
     "91620422MA0000X014", D(2014, 11, 3), D(2034, 11, 2), "日期按办公室习惯录入为文本"),
    ("C6209002099011110000005", "镜铁山示例铁矿", "酒泉示例钢铁矿业有限公司", "铁矿", "大型", "生产", "酒泉市", "肃南裕固族自治县",
     D(2001, 10, 1), D(2017, 12, 1), D(2032, 11, 30), "(甘)FM安许证字[2023]M0105号", D(2023, 9, 1), D(2026, 8, 31),
     "91620900MA0000X015", D(2000, 2, 14), "长期", ""),
    ("C6209002099011110000006", "瓜州示例钨矿", "瓜州示例钨业有限公司", "钨矿", "中型", "生产", "酒泉市", "瓜州县",
     D(2016, 5, 1), D(2022, 6, 1), D(2030, 5, 31), "(甘)FM安许证字[2025]M0106号", D(2025, 3, 1), D(2028, 2, 29),
     "91620922MA0000X016", D(2015, 8, 8), "长期", ""),
    ("C6207002099011110000007", "肃南示例钨钼矿", "张掖示例矿业开发有限公司", "钨矿", "中型", "改扩建", "张掖市", "肃南裕固族自治县",
     D(2011, 3, 1), D(2020, 3, 1), D(2029, 2, 28), "(甘)FM安许证字[2024]M0107号", D(2024, 4, 1), D(2027, 3, 31),
     "91620721MA0000X017", D(2009, 12, 1), "长期", ""),
    ("C6210002099011110000008", "庆阳示例煤矿", "庆阳示例能源开发有限公司", "煤", "大型", "新建", "庆阳市", "宁县",
     "2025年9月1日", D(2023, 1, 1), D(2053, 12, 31), "(甘)MK安许证字[2025]M0108号", D(2025, 8, 1), D(2028, 7, 31),
     "91621000MA0000X018", D(2021, 6, 30), "长期", "新建矿山，投产后1年内应通过核查验收"),
    ("C6210002099011110000009", "环县示例煤矿", "环县示例煤业有限公司", "煤", "中型", "新建", "庆阳市", "环县",
     None, D(2024, 7, 1), D(2054, 6, 30), None, None, None,
     "91621022MA0000X019", D(2023, 10, 10), "长期", "在建，尚未投产"),
    ("C6208002099011110000010", "华亭示例煤矿", "平凉示例煤电有限公司", "煤", "大型", "生产", "平凉市", "华亭市",
     D(2005, 12, 1), D(2016, 1, 1), D(2036, 12, 31), "(甘)MK安许证字[2023]M0110号", D(2023, 11, 1), D(2026, 10, 31),
     "91620800MA0000X020", D(2004, 4, 4), "长期", ""),
    ("C6212002099011110000011", "西和示例金矿", "陇南示例黄金矿业有限公司", "金矿", "中型", "生产", "陇南市", "西和县",
     D(2013, 8, 1), D(2021, 9, 1), D(2029, 8, 31), "(甘)FM安许证字[2024]M0111号", D(2024, 7, 1), D(2027, 6, 30),
     "91621225MA0000X021", D(2012, 5, 5), "长期", ""),
    ("C6212002099011110000012", "文县示例金矿", "文县示例金业有限公司", "金矿", "小型", "改扩建", "陇南市", "文县",
     D(2018, 4, 1), D(2022, 4, 1), D(2027, 3, 31), "(甘)FM安许证字[2025]M0112号", D(2025, 1, 1), D(2027, 12, 31),
     "91621222MA0000X022", D(2017, 9, 9), D(2037, 9, 8), ""),
    ("C6230002099011110000013", "合作示例金矿", "甘南示例矿业有限公司", "金矿", "小型", "生产", "甘南州", "合作市",
     D(2014, 6, 1), D(2019, 6, 1), D(2027, 5, 31), "(甘)FM安许证字[2024]M0113号", D(2024, 5, 1), D(2027, 4, 30),
     "91623000MA0000X023", D(2013, 3, 3), "长期", ""),
    ("C6201002099011110000014", "永登示例石灰岩矿", "兰州示例建材有限公司", "水泥用石灰岩", "中型", "生产", "兰州市", "永登县",
     D(2010, 5, 1), D(2020, 5, 1), D(2030, 4, 30), "(甘)FM安许证字[2023]M0114号", D(2023, 6, 1), D(2026, 5, 31),
     "91620121MA0000X024", D(2009, 7, 7), "长期", ""),
    ("C6206002099011110000015", "天祝示例煤矿", "武威示例煤业有限公司", "煤", "小型", "生产", "武威市", "天祝藏族自治县",
     D(2009, 11, 1), D(2018, 11, 1), D(2028, 10, 31), "(甘)MK安许证字[2024]M0115号", D(2024, 10, 1), D(2027, 9, 30),
     "91620623MA0000X025", D(2008, 8, 18), "长期", ""),
    ("C6205002099011110000016", "清水示例铁矿", "天水示例矿业有限公司", "铁矿", "小型", "生产", "天水市", "清水县",
     D(2017, 3, 1), D(2021, 3, 1), D(2029, 2, 28), "(甘)FM安许证字[2025]M0116号", D(2025, 4, 1), D(2028, 3, 31),
     "91620521MA0000X026", D(2016, 1, 16), "长期", ""),
    ("C6211002099011110000017", "岷县示例金矿", "定西示例黄金有限公司", "金矿", "小型", "新建", "定西市", "岷县",
     D(2026, 3, 1), D(2025, 1, 1), D(2035, 12, 31), "(甘)FM安许证字[2026]M0117号", D(2026, 2, 1), D(2029, 1, 31),
     "91621126MA0000X027", D(2024, 12, 12), "长期", ""),
    ("C6229002099011110000018", "临夏示例石英岩矿", "临夏示例硅材料有限公司", "冶金用石英岩", "小型", "生产", "临夏州", "积石山保安族东乡族撒拉族自治县",
     D(2019, 9, 1), D(2022, 9, 1), D(2027, 8, 31), "(甘)FM安许证字[2024]M0118号", D(2024, 8, 1), D(2027, 7, 31),
     "91622927MA0000X028", D(2018, 6, 6), "长期", ""),
    ("C6202002099011110000019", "嘉峪关示例白云岩矿", "嘉峪关示例冶金辅料有限公司", "冶金用白云岩", "中型", "生产", "嘉峪关市", "嘉峪关市",
     D(2007, 4, 1), D(2017, 4, 1), D(2032, 3, 31), "(甘)FM安许证字[2023]M0119号", D(2023, 12, 1), D(2026, 11, 30),
     "91620200MA0000X029", D(2006, 6, 26), "长期", ""),
    ("C6207002099011110000020", "山丹示例煤矿", "山丹示例煤炭有限公司", "煤", "小型", "生产", "张掖市", "山丹县",
     D(2012, 12, 1), D(2020, 12, 1), D(2030, 11, 30), "(甘)MK安许证字[2025]M0120号", D(2025, 6, 1), D(2028, 5, 31),
     "91620725MA0000X030", D(2011, 11, 11), "长期", ""),
)  # fmt: skip


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_xlsx(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "矿山信息"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBDD")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, mine in enumerate(MINES, start=1):
        sheet.append([number, *mine])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, dt.datetime | dt.date):
                cell.number_format = "yyyy-mm-dd"
    for index, header in enumerate(HEADERS, start=1):
        width = 24 if "号" in header or "名称" in header or "权人" in header else 14
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C3"
    book.properties.creator = "GreenMine Graph (synthetic sample)"
    # a fixed timestamp, so that regenerating an unchanged sample gives the same bytes
    book.properties.created = book.properties.modified = dt.datetime(2026, 1, 1)
    book.save(path)


def write_csv(path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        for number, mine in enumerate(MINES, start=1):
            writer.writerow([number, *(cell_text(v) for v in mine)])


def main() -> None:
    write_xlsx(DOCS / "mines-sample.xlsx")
    write_csv(DOCS / "mines-sample.csv")
    print(f"wrote {len(MINES)} mines to {DOCS}/mines-sample.xlsx and .csv")


if __name__ == "__main__":
    main()
