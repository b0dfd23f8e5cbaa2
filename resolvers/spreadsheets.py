"""Reading a spreadsheet as provincial offices save them: .xlsx (openpyxl) or .csv in UTF-8 (with
or without a byte-order mark) or GB18030 (what Excel's "CSV" gives on a Chinese Windows).

The result is the sheet's rows with their row numbers as the spreadsheet shows them (the first row
is 1), cell values as read: text, numbers, and dates for Excel date cells. Which row holds the
headers, and what the columns mean, is the caller's business (`resolvers/mine_columns.py`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from resolvers.errors import BadUserInput

#: what a cell can hold once read
Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | None

#: tried in this order; UTF-8 first because GB18030 decodes almost any byte string
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class SheetRow:
    #: the row number the spreadsheet shows (1 is the first row)
    number: int
    cells: tuple[Cell, ...]

    @property
    def blank(self) -> bool:
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in self.cells)


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[SheetRow]
    #: "xlsx", or the text encoding a CSV file was read in
    encoding: str
    sha256: str


def read_sheet(path: Path, *, sheet_name: str | None = None) -> Sheet:
    """The rows of an .xlsx (its first sheet, or `sheet_name`) or a .csv file."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise BadUserInput(f"{path} is not a file", field="FILE")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if suffix in (".xlsx", ".xlsm"):
        name, rows = _read_xlsx(data, path, sheet_name)
        return Sheet(name, rows, "xlsx", digest)
    if suffix in (".csv", ".txt"):
        text, encoding = decode_csv(data, path)
        return Sheet(path.name, list(_csv_rows(text)), encoding, digest)
    if suffix in (".xls", ".et", ".ods"):
        raise BadUserInput(
            f"{path.name}: {suffix} files cannot be read; save the sheet as .xlsx "
            "(Excel 工作簿) or .csv and import that",
            field="FILE",
        )
    raise BadUserInput(f"{path.name}: expected a .xlsx or .csv file", field="FILE")


def decode_csv(data: bytes, path: Path) -> tuple[str, str]:
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise BadUserInput(
        f"{path.name} is neither UTF-8 nor GB18030 text; save it as CSV UTF-8", field="FILE"
    )


def _csv_rows(text: str) -> Iterator[SheetRow]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # a record is a row of the spreadsheet the file came from, even with line breaks in a cell
    for number, record in enumerate(reader, start=1):
        yield SheetRow(number, tuple(value if value.strip() else None for value in record))


def _read_xlsx(data: bytes, path: Path, sheet_name: str | None) -> tuple[str, list[SheetRow]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
        raise BadUserInput(
            f"{path.name} is not a readable .xlsx file ({error})", field="FILE"
        ) from None
    try:
        if sheet_name is None:
            sheet = book.worksheets[0]
        elif sheet_name in book.sheetnames:
            sheet = book[sheet_name]
        else:
            raise BadUserInput(
                f"{path.name} has no sheet {sheet_name!r}; its sheets are "
                f"{', '.join(book.sheetnames)}",
                field="--sheet",
            )
        rows = [
            SheetRow(number, tuple(_plain(value) for value in row))
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
        return str(sheet.title), rows
    finally:
        book.close()


def _plain(value: object) -> Cell:
    """An openpyxl value as a plain one: rich text and formulas as text, decimals as floats."""
    if value is None or isinstance(value, str | int | float | dt.date | dt.time):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)
