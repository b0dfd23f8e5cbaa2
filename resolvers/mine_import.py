"""Importing mines from a spreadsheet: find the header row, read and check every row, then write
the accepted rows in batches.

Every row goes through the registry's own rules (`resolvers.mines.check_registration`, as
`registerMine` does) after its cells are read (`resolvers/mine_columns.py`). A row is rejected
with every cell that cannot be read, or else with the first registry rule it breaks; a licence
number on more than one row rejects each of those rows, and one already in the graph rejects
its row. `plan_import` writes nothing: the caller writes the plan's accepted rows with
`write_import` only when it wants them (all-or-nothing: only when nothing was rejected).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from graph import mine_import, mines, prefectures
from graph.errors import GraphError
from resolvers import mine_columns as cols
from resolvers.auth import ADMIN_DEPARTMENT, Actor, Role, audit_entry
from resolvers.context import Context
from resolvers.errors import BadUserInput
from resolvers.mine_access import LicenceKind
from resolvers.mine_columns import BY_FIELD, COLUMNS, LICENCE_COLUMNS, CellError, Field
from resolvers.mines import (
    CheckedRegistration,
    LicenceInput,
    Registration,
    check_registration,
)
from resolvers.spreadsheets import Cell, Sheet, SheetRow

#: the header row is looked for among the sheet's first rows (a title may sit above it)
HEADER_SEARCH_ROWS = 20
DEFAULT_BATCH_SIZE = 500
MAX_BATCH_SIZE = 5_000

T = TypeVar("T")

#: progress(step, done, total)
Progress = Callable[[str, int, int], None]


def _no_progress(step: str, done: int, total: int) -> None:
    return None


def import_actor(user: str) -> Actor:
    """Who an import acts as: an operator of the registry (Natural Resources), named by `user`.
    The command line speaks to the database directly, as `greenmine token create` does."""
    name = user.strip()
    if not name or len(name) > 100:
        raise BadUserInput("--actor must be 1 to 100 characters", field="--actor")
    return Actor(user=name, role=Role.ADMIN, department=ADMIN_DEPARTMENT)


@dataclass(frozen=True)
class Rejection:
    #: the row number the spreadsheet shows
    row: int
    #: the column's header as the file writes it
    column: str
    value: str
    rule: str


@dataclass(frozen=True)
class AcceptedRow:
    row: int
    checked: CheckedRegistration


@dataclass(frozen=True)
class Layout:
    header_row: int
    #: the cell index of each field found
    columns: dict[Field, int]
    #: each field's header as the file writes it
    headers: dict[Field, str]
    #: headers of columns the import does not read
    ignored: list[str]


@dataclass
class ImportPlan:
    file_name: str
    sha256: str
    sheet: str
    encoding: str
    layout: Layout
    #: data rows read (blank rows are skipped)
    rows: int
    accepted: list[AcceptedRow]
    rejected: list[Rejection]

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({r.row for r in self.rejected})


@dataclass(frozen=True)
class WrittenBatch:
    number: int
    first_row: int
    last_row: int
    mines: int
    audit_id: str


@dataclass
class ImportResult:
    loaded: int = 0
    batches: list[WrittenBatch] = field(default_factory=list)
    #: why writing stopped before the end (the database failed); the batches above stay written
    failure: str | None = None
    #: rows of the batches that were not written
    unwritten_rows: list[int] = field(default_factory=list)


# -- the header row ------------------------------------------------------------------------


def find_layout(sheet: Sheet) -> Layout:
    for row in sheet.rows[:HEADER_SEARCH_ROWS]:
        found = {i: cols.field_of(str(c)) for i, c in enumerate(row.cells) if c is not None}
        if Field.LICENCE_NUMBER in found.values() and len(set(found.values()) - {None}) >= 3:
            return _layout(row, found)
    expected = "、".join(c.header for c in COLUMNS if c.required)
    raise BadUserInput(
        f"{sheet.name}: no header row in the first {HEADER_SEARCH_ROWS} rows; the header row "
        f"names the columns, at least {expected}",
        field="FILE",
    )


def _layout(row: SheetRow, found: dict[int, Field | None]) -> Layout:
    columns: dict[Field, int] = {}
    headers: dict[Field, str] = {}
    ignored: list[str] = []
    for index, known in found.items():
        header = str(row.cells[index]).strip()
        if known is None:
            ignored.append(header)
        elif known in columns:
            raise BadUserInput(
                f"row {row.number}: columns {headers[known]!r} and {header!r} both give "
                f"{BY_FIELD[known].header}; keep one",
                field="FILE",
            )
        else:
            columns[known], headers[known] = index, header
    missing = [c.header for c in COLUMNS if c.required and c.field not in columns]
    if missing:
        raise BadUserInput(
            f"row {row.number} (the header row) lacks required column(s): {'、'.join(missing)}",
            field="FILE",
        )
    return Layout(row.number, columns, headers, ignored)


# -- reading and checking rows -------------------------------------------------------------


#: cells read as codes (NFKC): full-width letters and digits are common in typed licence numbers
CODE_FIELDS = frozenset({Field.LICENCE_NUMBER, Field.PREFECTURE, Field.BUSINESS_NUMBER})


class _Row:
    """One data row being read: its cells by field, and what is wrong with it."""

    def __init__(self, row: SheetRow, layout: Layout) -> None:
        self.number = row.number
        self.layout = layout
        self.cells = row.cells
        self.rejections: list[Rejection] = []

    def cell(self, f: Field) -> Cell:
        index = self.layout.columns.get(f)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def reject(self, f: Field | None, rule: str) -> None:
        column = "—" if f is None else self.layout.headers.get(f, BY_FIELD[f].header)
        value = "" if f is None else (cols.text(self.cell(f)) or "")
        self.rejections.append(Rejection(self.number, column, value, rule))

    def text(self, f: Field) -> str:
        reader = cols.code if f in CODE_FIELDS else cols.text
        value = reader(self.cell(f))
        if value is None and BY_FIELD[f].required:
            self.reject(f, "is required")
        return value or ""

    def read(self, f: Field, reader: Callable[[Cell], T]) -> T | None:
        try:
            return reader(self.cell(f))
        except CellError as error:
            self.reject(f, str(error))
            return None


def _registration(row: _Row, prefecture_by_name: dict[str, str]) -> Registration | None:
    """The row as a registration, or None with the row's every unreadable cell rejected."""
    number = row.text(Field.LICENCE_NUMBER)
    name, company = row.text(Field.NAME), row.text(Field.COMPANY)
    mineral, county = row.text(Field.MINERAL), row.text(Field.COUNTY)
    scale = row.read(Field.SCALE, cols.scale)
    stage = row.read(Field.STAGE, cols.stage)
    prefecture = _prefecture(row, prefecture_by_name)
    production_start = row.read(Field.PRODUCTION_START, cols.date)
    licences = [lic for lic in (_licence(row, *spec) for spec in LICENCE_COLUMNS) if lic]
    if row.rejections or scale is None or stage is None or prefecture is None:
        return None
    return Registration(
        licence_number=number,
        name=name,
        company=company,
        mineral=mineral,
        scale=scale,
        stage=stage,
        prefecture=prefecture,
        county=county,
        production_start=production_start,
        licences=licences,
    )


def _prefecture(row: _Row, by_name: dict[str, str]) -> str | None:
    raw = row.text(Field.PREFECTURE)
    if not raw:
        return None
    code = by_name.get(raw) or by_name.get(raw.lower())
    if code is None:
        row.reject(Field.PREFECTURE, "must be one of Gansu's 14 prefectures, e.g. 金昌市 or 金昌")
    return code


def _licence(
    row: _Row, kind: LicenceKind, number_field: Field | None, start: Field, end: Field
) -> LicenceInput | None:
    valid_from = row.read(start, cols.date)
    no_end_allowed = kind is LicenceKind.BUSINESS
    valid_until = row.read(end, lambda c: cols.date(c, no_end_allowed=no_end_allowed))
    if kind is LicenceKind.MINING:
        if cols.code(row.cell(end)) is None:
            row.reject(end, "is required: a mining licence has an end date")
        return LicenceInput(kind, None, valid_from, valid_until)
    assert number_field is not None
    number = row.text(number_field) or None
    if number is None:
        given = [f for f in (start, end) if cols.code(row.cell(f)) not in (None, *cols.NO_END)]
        for f in given:
            row.reject(f, f"needs {BY_FIELD[number_field].header}: a date without its licence")
        return None
    return LicenceInput(kind, number, valid_from, valid_until)


_LICENCE_FIELD = re.compile(r"^input\.licences\[(\d+)\]\.(\w+)$")
_INPUT_FIELDS = {
    "input.licenceNumber": Field.LICENCE_NUMBER,
    "input.name": Field.NAME,
    "input.company": Field.COMPANY,
    "input.mineral": Field.MINERAL,
    "input.county": Field.COUNTY,
    "input.productionStart": Field.PRODUCTION_START,
    "input.prefectureCode": Field.PREFECTURE,
}
_LICENCE_PARTS = {spec[0]: spec for spec in LICENCE_COLUMNS}


def _column_of(error_field: str | None, registration: Registration) -> Field | None:
    """The spreadsheet column behind an API field named by a registry rule's error."""
    if error_field is None:
        return None
    if error_field in _INPUT_FIELDS:
        return _INPUT_FIELDS[error_field]
    match = _LICENCE_FIELD.match(error_field)
    if match is None:
        return None
    kind, number, start, end = _LICENCE_PARTS[registration.licences[int(match.group(1))].kind]
    part = match.group(2)
    if part == "validFrom":
        return start
    if part == "validUntil":
        return end
    return number if number is not None else Field.LICENCE_NUMBER


def _checked(
    row: _Row, registration: Registration, actor: Actor, at: dt.datetime, file_name: str
) -> CheckedRegistration | None:
    try:
        checked = check_registration(registration, actor=actor, at=at)
    except BadUserInput as error:
        row.reject(_column_of(error.field, registration), error.message)
        return None
    details = f"imported from {file_name}, row {row.number}"
    return dataclasses.replace(checked, event=dataclasses.replace(checked.event, details=details))


async def plan_import(
    ctx: Context,
    sheet: Sheet,
    *,
    file_name: str,
    actor: Actor,
    progress: Progress = _no_progress,
) -> ImportPlan:
    """Read and check every row; reject duplicates within the file and against the graph.
    Two round trips (the prefectures; the licence numbers already registered); writes nothing."""
    layout = find_layout(sheet)
    known = await prefectures.all_prefectures(ctx.engine)
    if not known:
        raise BadUserInput(
            "the graph has no prefectures: seed it first (greenmine seed)", field="FILE"
        )
    by_name = {
        name: p.code for p in known for name in cols.prefecture_names(p.code, p.name_zh, p.name_en)
    }
    data = [r for r in sheet.rows if r.number > layout.header_row and not r.blank]
    at = ctx.clock()
    read: list[_Row] = []
    accepted: dict[int, CheckedRegistration] = {}
    for done, sheet_row in enumerate(data, start=1):
        row = _Row(sheet_row, layout)
        read.append(row)
        registration = _registration(row, by_name)
        if registration is not None:
            checked = _checked(row, registration, actor, at, file_name)
            if checked is not None:
                accepted[row.number] = checked
        progress("checking rows", done, len(data))
    _reject_repeats(read)
    await _reject_registered(ctx, read, accepted)
    rejections = [r for row in read for r in row.rejections]
    return ImportPlan(
        file_name=file_name,
        sha256=sheet.sha256,
        sheet=sheet.name,
        encoding=sheet.encoding,
        layout=layout,
        rows=len(data),
        accepted=[
            AcceptedRow(row.number, accepted[row.number])
            for row in read
            if not row.rejections and row.number in accepted
        ],
        rejected=sorted(rejections, key=lambda r: r.row),
    )


def _reject_repeats(rows: Sequence[_Row]) -> None:
    """A licence number on several rows: each of them is rejected (which one is right is for
    the office to say)."""
    by_number: dict[str, list[_Row]] = defaultdict(list)
    for row in rows:
        number = cols.code(row.cell(Field.LICENCE_NUMBER))
        if number:
            by_number[number.upper()].append(row)
    for repeated in by_number.values():
        if len(repeated) < 2:
            continue
        for row in repeated:
            others = ", ".join(str(o.number) for o in repeated if o is not row)
            row.reject(
                Field.LICENCE_NUMBER, f"duplicate: the same licence number is on row {others}"
            )


async def _reject_registered(
    ctx: Context, rows: Sequence[_Row], accepted: dict[int, CheckedRegistration]
) -> None:
    numbers = [c.mine.licence_number for c in accepted.values()]
    registered = await mines.by_licence(ctx.engine, numbers) if numbers else {}
    for row in rows:
        checked = accepted.get(row.number)
        if checked is not None and checked.mine.licence_number in registered:
            row.reject(
                Field.LICENCE_NUMBER,
                "already registered: a mine with this licence number is in the graph",
            )


# -- writing -------------------------------------------------------------------------------


def batch_size_checked(size: int) -> int:
    if not 1 <= size <= MAX_BATCH_SIZE:
        raise BadUserInput(
            f"--batch-size {size} must be between 1 and {MAX_BATCH_SIZE}", field="--batch-size"
        )
    return size


async def write_import(
    ctx: Context,
    plan: ImportPlan,
    *,
    actor: Actor,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress = _no_progress,
) -> ImportResult:
    """Write the plan's accepted rows, one statement per batch, each with its AuditEntry.
    If the database fails, writing stops: earlier batches stay, the result says which rows."""
    rows = plan.accepted
    count = math.ceil(len(rows) / batch_size_checked(batch_size))
    result = ImportResult()
    for index in range(count):
        batch = rows[index * batch_size : (index + 1) * batch_size]
        number = index + 1
        first, last = batch[0].row, batch[-1].row
        audit = audit_entry(
            actor,
            "importMines",
            f"imported {len(batch)} mines from {plan.file_name} "
            f"(batch {number} of {count}, rows {first}–{last})",
            {
                "file": plan.file_name,
                "sha256": plan.sha256,
                "sheet": plan.sheet,
                "batch": number,
                "batches": count,
                "rows": {str(r.row): r.checked.mine.licence_number for r in batch},
            },
            at=ctx.clock(),
        )
        params = [
            {
                "mine": r.checked.mine.params(),
                "licences": [
                    lic.params(r.checked.mine.licence_number) for lic in r.checked.licences
                ],
                "event": r.checked.event.params(),
            }
            for r in batch
        ]
        try:
            created = await mine_import.register_batch(ctx.engine, params, audit)
        except GraphError as error:
            result.failure = f"batch {number} of {count} (rows {first}–{last}) failed: {error}"
            result.unwritten_rows = [r.row for r in rows[index * batch_size :]]
            return result
        result.loaded += created
        result.batches.append(WrittenBatch(number, first, last, created, audit.id))
        if created != len(batch):  # cannot happen after plan_import's checks; say so if it does
            result.failure = f"batch {number} of {count} created {created} of {len(batch)} mines"
            result.unwritten_rows = [r.row for r in rows[(index + 1) * batch_size :]]
            return result
        progress("writing", result.loaded, len(rows))
    return result
