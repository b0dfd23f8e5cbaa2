"""`greenmine bench load`: the bounded load test (see greenmine/bench_load.py)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from greenmine.cli_app import bench_app, fail, out


@bench_app.command("load")
def bench_load(
    duration: Annotated[float, typer.Option(help="Seconds of traffic (then it stops).")] = 60.0,
    clients: Annotated[int, typer.Option(help="Concurrent clients, each back to back.")] = 8,
    mines: Annotated[int, typer.Option(help="Mines in the demo province it loads.")] = 400,
    demo_seed: Annotated[int, typer.Option(help="Seed of the demo generator.")] = 2024,
    seed: Annotated[int, typer.Option(help="Seed of the traffic's random choices.")] = 1,
    workers: Annotated[int, typer.Option(help="Worker processes of the server.")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Mixed routing, read and write traffic against a real server on loopback for a fixed time,
    then every acknowledged write reconciled with the graph. Exit 1 on any error or mismatch."""
    from greenmine.bench_load import run

    if duration <= 0 or clients < 1 or mines < 10 or workers < 1:
        fail("--duration must be positive, --clients and --workers at least 1, --mines at least 10")
    report = run(
        seconds=duration,
        clients=clients,
        mines=mines,
        demo_seed=demo_seed,
        seed=seed,
        workers=workers,
    )
    measured = report.measured
    if as_json:
        print(
            json.dumps(
                {
                    "ok": report.ok,
                    "seconds": measured.seconds,
                    "clients": measured.clients,
                    "throughput": measured.throughput,
                    "engine": report.engine,
                    "machine": report.machine,
                    "demoMines": report.demo_mines,
                    "stats": [asdict(line) for line in measured.stats],
                    "reconciled": [asdict(line) | {"ok": line.ok} for line in measured.reconciled],
                    "before": asdict(measured.before),
                    "after": asdict(measured.after),
                    "reopened": asdict(report.reopened),
                    "errors": [s.error for s in measured.errors[:20]],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        out.print(
            f"{measured.clients} clients for {measured.seconds:.1f} s against `greenmine serve` "
            f"({report.engine}, {workers} worker(s), demo province of {report.demo_mines} mines); "
            f"{report.machine}",
            highlight=False,
        )
        table = Table("kind", "requests", "errors", "p50 ms", "p99 ms", "max ms")
        for line in measured.stats:
            table.add_row(
                line.kind,
                str(line.requests),
                str(line.errors),
                f"{line.p50_ms:.1f}",
                f"{line.p99_ms:.1f}",
                f"{line.max_ms:.1f}",
            )
        out.print(table)
        out.print(f"throughput: {measured.throughput:.1f} requests/s", highlight=False)
        checks = Table("written", "acknowledged", "graph grew by", "found", "ok")
        for r in measured.reconciled:
            ok = "yes" if r.ok else "NO"
            checks.add_row(r.what, str(r.acknowledged), str(r.grew_by), str(r.found), ok)
        out.print(checks)
        same = "the same" if report.reopened_ok else f"DIFFERENT: {report.reopened}"
        out.print(f"counts after the server stopped and the graph was reopened: {same}")
    for error in measured.errors[:10]:
        out.print(f"  error: {error.kind}: {error.error}", highlight=False)
    for logged in report.log_tail:
        out.print(f"  server: {logged}", highlight=False)
    if not report.ok:
        fail(
            f"{len(measured.errors)} errors; reconciliation "
            f"{'ok' if all(r.ok for r in measured.reconciled) else 'FAILED'}; "
            f"reopened counts {'the same' if report.reopened_ok else 'DIFFERENT'}"
        )
