"""`greenmine import mines FILE.xlsx|FILE.csv`: register mines from a provincial spreadsheet.

All or nothing per file: every row is checked first, and if any is rejected nothing is written
(`--partial` writes the accepted rows and reports the rest). Exit status: 0 every row loaded
(or, with `--dry-run`, every row would load), 1 nothing loaded, 2 some rows loaded and some not.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from graph.engine import Engine
from greenmine.cli_app import app, err, fail, load_settings, out, with_engine
from resolvers.context import Context
from resolvers.errors import DomainError
from resolvers.mine_import import (
    DEFAULT_BATCH_SIZE,
    ImportPlan,
    ImportResult,
    batch_size_checked,
    import_actor,
    plan_import,
    write_import,
)
from resolvers.spreadsheets import read_sheet

import_app = typer.Typer(help="Import data from spreadsheets.", no_args_is_help=True)
app.add_typer(import_app, name="import")

EXIT_NOTHING_LOADED = 1
EXIT_PARTLY_LOADED = 2


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "greenmine import"


@dataclass(frozen=True)
class _Outcome:
    plan: ImportPlan
    result: ImportResult | None


@import_app.command("mines")
def import_mines(
    file: Annotated[Path, typer.Argument(help="An .xlsx or .csv file (see README for columns).")],
    partial: Annotated[
        bool, typer.Option("--partial", help="Load the valid rows even if some are rejected.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and report; write nothing.")
    ] = False,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="The sheet to read (default: the first).")
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Who imports, for the audit (default: $USER).")
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", help="Mines written per statement.")
    ] = DEFAULT_BATCH_SIZE,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Register mines from a spreadsheet, checking every row; report each rejected row."""
    settings = load_settings()
    try:
        who = import_actor(actor or _default_actor())
        size = batch_size_checked(batch_size)
        table = read_sheet(file, sheet_name=sheet)
    except DomainError as error:
        fail(error.message)

    with Progress(
        TextColumn("  {task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bars:
        tasks: dict[str, Any] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=total)
            bars.update(tasks[step], completed=done)

        async def work(engine: Engine) -> _Outcome:
            ctx = Context(engine=engine, settings=settings)
            plan = await plan_import(ctx, table, file_name=file.name, actor=who, progress=progress)
            if dry_run or not plan.accepted or (plan.rejected and not partial):
                return _Outcome(plan, None)
            written = await write_import(ctx, plan, actor=who, batch_size=size, progress=progress)
            return _Outcome(plan, written)

        outcome = with_engine(work)

    if as_json:
        print(json.dumps(_json(outcome, dry_run=dry_run), ensure_ascii=False, indent=2))
    else:
        _print_report(outcome, dry_run=dry_run, partial=partial)
    code = _exit_code(outcome, dry_run=dry_run)
    if code:
        raise typer.Exit(code)


def _exit_code(outcome: _Outcome, *, dry_run: bool) -> int:
    plan, result = outcome.plan, outcome.result
    if dry_run:
        return EXIT_NOTHING_LOADED if plan.rejected or not plan.accepted else 0
    loaded = result.loaded if result else 0
    if loaded == 0:
        return EXIT_NOTHING_LOADED
    if plan.rejected or (result and result.failure):
        return EXIT_PARTLY_LOADED
    return 0


def _print_report(outcome: _Outcome, *, dry_run: bool, partial: bool) -> None:
    plan, result = outcome.plan, outcome.result
    source = f"sheet {plan.sheet}" if plan.encoding == "xlsx" else f"{plan.encoding} text"
    out.print(
        f"{plan.file_name} ({source}): header on row {plan.layout.header_row}, "
        f"{plan.rows} data rows, {len(plan.accepted)} accepted, "
        f"{len(plan.rejected_rows)} rejected",
        highlight=False,
    )
    if plan.layout.ignored:
        out.print(f"columns not read: {'、'.join(plan.layout.ignored)}", highlight=False)
    if plan.rejected:
        table = Table("行 row", "列 column", "值 value", "规则 rule", title="rejected rows")
        for r in plan.rejected:
            table.add_row(str(r.row), r.column, r.value, r.rule)
        out.print(table)
    if dry_run:
        out.print("dry run: nothing was written")
    elif result is None:
        if plan.rejected and not partial:
            rows = ", ".join(str(n) for n in plan.rejected_rows)
            err.print(
                f"nothing was loaded: row(s) {rows} rejected; fix them and import the file "
                "again, or use --partial to load the accepted rows",
                highlight=False,
            )
        else:
            err.print("nothing was loaded: no row was accepted")
    else:
        out.print(
            f"loaded {result.loaded} mines in {len(result.batches)} batch(es), one statement "
            f"and one audit entry each, as {plan.accepted[0].checked.event.actor}",
            highlight=False,
        )
        if plan.rejected:
            err.print(f"{len(plan.rejected_rows)} rejected row(s) were not loaded (--partial)")
        if result.failure:
            rows = ", ".join(str(n) for n in result.unwritten_rows)
            err.print(
                f"[bold red]error:[/] {result.failure}; rows {rows} were not loaded, "
                "the batches before it were",
                highlight=False,
            )


def _json(outcome: _Outcome, *, dry_run: bool) -> dict[str, Any]:
    plan, result = outcome.plan, outcome.result
    return {
        "file": plan.file_name,
        "sha256": plan.sha256,
        "sheet": plan.sheet,
        "encoding": plan.encoding,
        "headerRow": plan.layout.header_row,
        "columnsNotRead": plan.layout.ignored,
        "rows": plan.rows,
        "accepted": len(plan.accepted),
        "rejectedRows": plan.rejected_rows,
        "rejections": [asdict(r) for r in plan.rejected],
        "dryRun": dry_run,
        "loaded": result.loaded if result else 0,
        "batches": [asdict(b) for b in result.batches] if result else [],
        "failure": result.failure if result else None,
    }
