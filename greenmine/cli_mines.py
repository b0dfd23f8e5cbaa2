"""Commands over mines: `greenmine screen`, and the demo province behind `greenmine seed --demo`."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from graph.engine import Engine
from greenmine.cli_app import app, err, fail, load_settings, out, with_engine
from resolvers.context import Context
from resolvers.screening import FlagKind, ScreenedMine, screen_all


def _flag_json(mine: ScreenedMine) -> dict[str, Any]:
    return {
        "licenceNumber": mine.licence_number,
        "name": mine.name,
        "prefecture": mine.prefecture,
        "scale": mine.scale,
        "stage": mine.stage,
        "status": mine.status,
        "statusAsOf": mine.status_as_of,
        "flags": [
            {
                "kind": f.kind.value,
                "conditionNumber": f.condition_number,
                "ruleCode": f.rule_code,
                "clauseRef": f.clause_ref,
                "licenceKind": f.licence_kind.value if f.licence_kind else None,
                "since": f.since.isoformat() if f.since else None,
                "detailZh": f.detail_zh,
                "detailEn": f.detail_en,
            }
            for f in mine.flags
        ],
    }


@app.command()
def screen(
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Screen as of this date (default today).")
    ] = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", help="Only these flag kinds (repeatable).")
    ] = None,
    prefecture: Annotated[
        list[str] | None, typer.Option("--prefecture", help="Only these prefectures.")
    ] = None,
) -> None:
    """List mines breaking a rule by their data: licences, rectification, new-mine verification."""
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        fail(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)")
    try:
        kinds = [FlagKind(k) for k in kind] if kind else None
    except ValueError:
        fail(f"--kind must be one of {', '.join(k.value for k in FlagKind)}")
    settings = load_settings()

    async def work(engine: Engine) -> list[ScreenedMine]:
        ctx = Context(engine=engine, settings=settings)
        return await screen_all(ctx, as_of=day, kinds=kinds, prefectures=prefecture or None)

    flagged = with_engine(work)
    if as_json:
        payload = {
            "asOf": day.isoformat(),
            "count": len(flagged),
            "mines": [_flag_json(m) for m in flagged],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    table = Table("licence number", "name", "prefecture", "status", "flags")
    for mine in flagged:
        flags = "\n".join(f"{f.kind.value} ({f.clause_ref}): {f.detail_zh}" for f in mine.flags)
        table.add_row(mine.licence_number, mine.name, mine.prefecture, mine.status_as_of, flags)
    out.print(table)
    out.print(f"{len(flagged)} mine(s) flagged as of {day.isoformat()}")


def seed_demo(*, mines: int, seed: int, cases_per_mine: float | None = None) -> None:
    """`greenmine seed --demo`: generate and load the synthetic province, showing progress."""
    from seed.demo.loader import DemoReport, load_demo

    with Progress(
        TextColumn("  {task.description:<20}"), BarColumn(), MofNCompleteColumn(), console=out
    ) as bars:
        tasks: dict[str, Any] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=total)
            bars.update(tasks[step], completed=done)

        async def work(engine: Engine) -> DemoReport:
            return await load_demo(
                engine,
                mines_count=mines,
                seed=seed,
                progress=progress,
                cases_per_mine=cases_per_mine,
            )

        report = with_engine(work)
    total = report.total
    written = total.nodes_created + total.relationships_created
    out.print(
        f"loaded the synthetic demo province {report.batch_id}: {report.mines} mines, "
        f"{report.rows('cases')} cases, {report.rows('referrals')} referrals; "
        f"{total.nodes_created} nodes and {total.relationships_created} relationships in "
        f"{report.seconds:.1f} s (generated in {report.generate_seconds:.1f} s, written in "
        f"{report.write_seconds:.1f} s: {written / max(report.write_seconds, 1e-9):,.0f} nodes "
        f"and relationships per second; append-only file compacted in "
        f"{report.compact_seconds:.1f} s); every node is marked synthetic: true"
    )


def remove_demo() -> None:
    """`greenmine seed --remove-demo`: delete every synthetic node."""
    from seed.demo.loader import remove_demo as remove

    removed = with_engine(lambda engine: remove(engine))
    out.print(f"removed {removed} synthetic nodes")
    if not removed:
        err.print("there was no demo province in the graph")
