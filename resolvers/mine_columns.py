"""The column layout of a mine spreadsheet (矿山信息表) and how its cells are read.

Headers are Chinese, as provincial offices keep them; each column accepts the spellings offices
use (`aliases`). Headers are compared after NFKC normalisation (full-width brackets and letters
become half-width), with spaces, line breaks and required-field stars removed, and a trailing
bracketed hint such as "（大型/中型/小型）" ignored. README "Spreadsheet import" shows the table.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from resolvers.mine_access import LicenceKind
from resolvers.mines import MineScale, MineStage
from resolvers.spreadsheets import Cell


class Field(StrEnum):
    LICENCE_NUMBER = "licenceNumber"
    NAME = "name"
    COMPANY = "company"
    MINERAL = "mineral"
    SCALE = "scale"
    STAGE = "stage"
    PREFECTURE = "prefecture"
    COUNTY = "county"
    PRODUCTION_START = "productionStart"
    MINING_FROM = "mining.validFrom"
    MINING_UNTIL = "mining.validUntil"
    SAFETY_NUMBER = "safety.number"
    SAFETY_FROM = "safety.validFrom"
    SAFETY_UNTIL = "safety.validUntil"
    BUSINESS_NUMBER = "business.number"
    BUSINESS_FROM = "business.validFrom"
    BUSINESS_UNTIL = "business.validUntil"


@dataclass(frozen=True)
class Column:
    field: Field
    header: str
    aliases: tuple[str, ...]
    required: bool
    note_en: str


COLUMNS: tuple[Column, ...] = (
    Column(
        Field.LICENCE_NUMBER,
        "采矿许可证号",
        ("采矿许可证编号", "采矿证号", "许可证号", "采矿许可证证号"),
        True,
        "mining-licence number, the mine's id (e.g. C6200002010071120070035)",
    ),
    Column(
        Field.NAME,
        "矿山名称",
        ("矿山名", "矿区名称"),
        True,
        "mine name",
    ),
    Column(
        Field.COMPANY,
        "采矿权人",
        ("企业名称", "采矿权人名称", "矿业权人", "采矿权人/企业名称", "单位名称"),
        True,
        "licence holder (company)",
    ),
    Column(
        Field.MINERAL,
        "开采矿种",
        ("矿种", "主矿种", "开采主矿种"),
        True,
        "mineral, e.g. 铜矿",
    ),
    Column(
        Field.SCALE,
        "生产规模",
        ("矿山规模", "规模", "建设规模"),
        True,
        "大型 / 中型 / 小型 (LARGE / MEDIUM / SMALL)",
    ),
    Column(
        Field.STAGE,
        "矿山类型",
        ("建设阶段", "矿山类别", "矿山类型/建设阶段"),
        True,
        "新建 / 改扩建 / 生产 (NEW / RECONSTRUCTION_EXPANSION / PRODUCING)",
    ),
    Column(
        Field.PREFECTURE,
        "市州",
        ("市(州)", "所在市州", "所属市州", "地市", "市"),
        True,
        "prefecture: 金昌市, 金昌 or jinchang",
    ),
    Column(
        Field.COUNTY,
        "县区",
        ("县(区)", "县(市、区)", "所在县区", "县(市区)", "县"),
        True,
        "county or district",
    ),
    Column(
        Field.PRODUCTION_START,
        "正式投产日期",
        ("投产日期", "投产时间", "正式投产时间"),
        False,
        "formal production start; empty if not yet producing",
    ),
    Column(
        Field.MINING_FROM,
        "采矿许可证有效期起",
        ("采矿许可证有效期始", "采矿证有效期起", "采矿许可证起始日期"),
        False,
        "mining licence valid from",
    ),
    Column(
        Field.MINING_UNTIL,
        "采矿许可证有效期止",
        ("采矿许可证有效期至", "采矿证有效期止", "采矿许可证截止日期"),
        True,
        "mining licence valid until (a mining licence has an end date)",
    ),
    Column(
        Field.SAFETY_NUMBER,
        "安全生产许可证编号",
        ("安全生产许可证号", "安全许可证编号", "安全生产许可证"),
        False,
        "safety-production licence number; empty: none",
    ),
    Column(
        Field.SAFETY_FROM,
        "安全生产许可证有效期起",
        ("安全生产许可证有效期始", "安全许可证有效期起"),
        False,
        "valid from",
    ),
    Column(
        Field.SAFETY_UNTIL,
        "安全生产许可证有效期止",
        ("安全生产许可证有效期至", "安全许可证有效期止"),
        False,
        "valid until",
    ),
    Column(
        Field.BUSINESS_NUMBER,
        "统一社会信用代码",
        ("营业执照统一社会信用代码", "营业执照号", "营业执照编号", "信用代码"),
        False,
        "business licence: unified social credit code; empty: none",
    ),
    Column(
        Field.BUSINESS_FROM,
        "营业执照有效期起",
        ("营业期限起", "营业执照有效期始"),
        False,
        "valid from",
    ),
    Column(
        Field.BUSINESS_UNTIL,
        "营业执照有效期止",
        ("营业期限止", "营业执照有效期至"),
        False,
        "valid until; 长期 or empty: no end date",
    ),
)

BY_FIELD = {c.field: c for c in COLUMNS}

#: the licence each group of columns describes: (kind, number, from, until)
LICENCE_COLUMNS: tuple[tuple[LicenceKind, Field | None, Field, Field], ...] = (
    (LicenceKind.MINING, None, Field.MINING_FROM, Field.MINING_UNTIL),
    (LicenceKind.SAFETY_PRODUCTION, Field.SAFETY_NUMBER, Field.SAFETY_FROM, Field.SAFETY_UNTIL),
    (LicenceKind.BUSINESS, Field.BUSINESS_NUMBER, Field.BUSINESS_FROM, Field.BUSINESS_UNTIL),
)

_HINT = re.compile(r"\([^()]*\)$")
_SPACES = re.compile(r"[\s*]+")


def normalise_header(text: str) -> str:
    return _SPACES.sub("", unicodedata.normalize("NFKC", text))


def _names(column: Column) -> set[str]:
    return {normalise_header(n) for n in (column.header, *column.aliases)}


_KNOWN: dict[str, Field] = {name: c.field for c in COLUMNS for name in _names(c)}


def field_of(header: str) -> Field | None:
    """The field a header names, trying it whole, then without a trailing bracketed hint."""
    name = normalise_header(header)
    if name in _KNOWN:
        return _KNOWN[name]
    bare = _HINT.sub("", name)
    return _KNOWN.get(bare) if bare != name else None


# -- cell values ---------------------------------------------------------------------------


class CellError(ValueError):
    """A cell that cannot be read as its column's kind of value; the message states the rule."""


_SCALES = {
    "大型": MineScale.LARGE, "大": MineScale.LARGE, "大型矿山": MineScale.LARGE,
    "中型": MineScale.MEDIUM, "中": MineScale.MEDIUM, "中型矿山": MineScale.MEDIUM,
    "小型": MineScale.SMALL, "小": MineScale.SMALL, "小型矿山": MineScale.SMALL,
}  # fmt: skip
_STAGES = {
    "新建": MineStage.NEW, "新建矿山": MineStage.NEW,
    "改扩建": MineStage.RECONSTRUCTION_EXPANSION, "改扩建矿山": MineStage.RECONSTRUCTION_EXPANSION,
    "改建": MineStage.RECONSTRUCTION_EXPANSION, "扩建": MineStage.RECONSTRUCTION_EXPANSION,
    "生产": MineStage.PRODUCING, "生产矿山": MineStage.PRODUCING, "在产": MineStage.PRODUCING,
}  # fmt: skip
#: a business licence with no end date
NO_END = {"长期", "长期有效", "永久", "永久有效", "无固定期限", "-", "—", "/"}

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
#: Excel's day 1 is 1900-01-01, counted from 1899-12-30 because of its 1900 leap-year bug
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_SERIALS = range(1, 2_958_466)  # up to 9999-12-31
DATE_RULE = "a date such as 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 or an Excel date cell"


def text(value: Cell) -> str | None:
    """A cell as text, as typed: numbers without a trailing .0 (codes typed into number cells)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip() or None


def code(value: Cell) -> str | None:
    """A cell holding a code, a date or a choice: full-width letters, digits and brackets made
    half-width (NFKC). Names and free text are kept as typed (`text`)."""
    raw = text(value)
    if raw is None:
        return None
    return unicodedata.normalize("NFKC", raw).strip() or None


def date(value: Cell, *, no_end_allowed: bool = False) -> dt.date | None:
    """A date cell: an Excel date, an Excel serial number, or text in one of the usual forms.
    None for an empty cell (and for 长期 where `no_end_allowed`)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | dt.time):
        raise CellError(f"must be {DATE_RULE}")
    if isinstance(value, int | float):
        return _number_as_date(value)
    raw = code(value)
    if raw is None:
        return None
    if raw in NO_END:
        if no_end_allowed:
            return None
        raise CellError(f"must be a date; {raw} (no end date) is allowed for 营业执照 only")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(raw)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise CellError(f"is not a day of the calendar; must be {DATE_RULE}") from None
    raise CellError(f"must be {DATE_RULE}")


def _number_as_date(value: int | float) -> dt.date:
    if float(value).is_integer() and 19000101 <= value <= 21001231:
        return date(str(int(value)))  # type: ignore[return-value]  # 20240301 typed as a number
    if float(value).is_integer() and int(value) in _EXCEL_SERIALS:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raise CellError(f"must be {DATE_RULE}")


def scale(value: Cell) -> MineScale:
    raw = code(value) or ""
    found = _SCALES.get(raw) or _enum(MineScale, raw)
    if found is None:
        raise CellError("must be 大型, 中型 or 小型 (LARGE, MEDIUM, SMALL)")
    return found


def stage(value: Cell) -> MineStage:
    raw = code(value) or ""
    found = _STAGES.get(raw) or _enum(MineStage, raw)
    if found is None:
        raise CellError("must be 新建, 改扩建 or 生产 (NEW, RECONSTRUCTION_EXPANSION, PRODUCING)")
    return found


E = TypeVar("E", bound=StrEnum)


def _enum(kind: type[E], raw: str) -> E | None:
    try:
        return kind(raw.upper())
    except ValueError:
        return None


_PREFECTURE_SUFFIXES = ("回族自治州", "藏族自治州", "自治州", "市", "州", "地区")


def prefecture_names(code: str, name_zh: str, name_en: str) -> set[str]:
    """Every spelling of a prefecture a sheet may use: 金昌市, 金昌, jinchang, Jinchang, 临夏州."""
    names = {code.lower(), name_en.lower(), name_zh}
    for suffix in _PREFECTURE_SUFFIXES:
        if name_zh.endswith(suffix):
            short = name_zh[: -len(suffix)]
            names |= {short, f"{short}州"} if "州" in suffix else {short}
            break
    return names
