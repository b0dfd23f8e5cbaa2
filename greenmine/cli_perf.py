"""`greenmine bench scale`: the cost curve from 500 to 50,000 mines (greenmine/bench_scale.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from greenmine.cli_app import bench_app, fail, out

DOC = Path("docs/benchmarks.md")
PLOT = Path("docs/bench-scale.svg")


@bench_app.command("scale")
def bench_scale(
    mines: Annotated[
        list[int] | None,
        typer.Option("--mines", help="Province sizes (repeatable; default 500, 5000, 50000)."),
    ] = None,
    runs: Annotated[int, typer.Option(help="Runs per size.")] = 1,
    resume: Annotated[
        bool, typer.Option(help="Only top up sizes that have fewer than --runs stored runs.")
    ] = False,
    bench_dir: Annotated[
        Path, typer.Option(help="Data directories per size and results.json live here.")
    ] = Path("bench/scale"),
    requests: Annotated[int, typer.Option(help="Timed requests per latency measurement.")] = 300,
    clients: Annotated[int, typer.Option(help="Concurrent clients for throughput.")] = 8,
    seconds: Annotated[float, typer.Option(help="Seconds of load per throughput figure.")] = 8.0,
    cases_per_mine: Annotated[
        float | None,
        typer.Option(help="Cases a mine on average in the provinces (default 1)."),
    ] = None,
    load_only: Annotated[
        bool, typer.Option("--load-only", help="Load (or check) the provinces; measure nothing.")
    ] = False,
    report_only: Annotated[
        bool, typer.Option("--report-only", help="Measure nothing; report the stored runs.")
    ] = False,
    write_docs: Annotated[
        bool,
        typer.Option("--write-docs", help=f"Write the tables into {DOC} and the plot to {PLOT}."),
    ] = False,
) -> None:
    """Load provinces of N mines (cached per N) and measure route, the mines page, targets,
    screening, throughput and memory over a real server; report medians and spreads."""
    from greenmine import bench_report
    from greenmine.bench_scale import (
        CASES_PER_MINE,
        DEFAULT_SIZES,
        Options,
        load_results,
        measure,
        prepare,
        save,
    )
    from seed.demo.routine_cases import MAX_CASES_PER_MINE

    sizes = sorted(set(mines or DEFAULT_SIZES))
    if any(n < 1 for n in sizes) or runs < 1 or requests < 10 or clients < 1 or seconds <= 0:
        fail("--mines, --runs, --clients must be positive, --requests at least 10")
    per_mine = CASES_PER_MINE if cases_per_mine is None else cases_per_mine
    if not 0 <= per_mine <= MAX_CASES_PER_MINE:
        fail(f"--cases-per-mine must be between 0 and {MAX_CASES_PER_MINE:g}")
    options = Options(
        bench_dir=bench_dir,
        requests=requests,
        clients=clients,
        load_seconds=seconds,
        cases_per_mine=per_mine,
    )
    if not report_only:
        stored = load_results(options)
        for size in sizes:
            have = sum(1 for r in stored["runs"] if int(r["mines"]) == size)
            todo = max(0, runs - have) if resume else runs
            if not todo:
                out.print(f"{size:,} mines: {have} run(s) stored, nothing to top up")
                continue
            out.print(f"[bold]{size:,} mines[/]")
            load, loaded = _prepare(prepare, options, size)
            verb = "loaded" if loaded else "reusing the data loaded"
            out.print(
                f"  {verb}: {load.cases:,} cases, {load.referrals:,} referrals; "
                f"{load.nodes:,} nodes and {load.relationships:,} relationships "
                f"({load.per_second:,.0f} per second, compacted in {load.compact_seconds:.1f} s)"
            )
            if load_only:
                continue
            for i in range(todo):
                out.print(f"  run {i + 1} of {todo}")
                run = measure(options, size, lambda text: out.print(text, highlight=False))
                save(options, run, load)
    if load_only:
        return
    stored = load_results(options)
    if not stored["runs"]:
        fail(f"no runs stored in {bench_dir}; run without --report-only first")
    plot = None
    if write_docs:
        PLOT.write_text(bench_report.svg(stored["runs"]))
        plot = PLOT.name
    section = bench_report.markdown(stored, plot)
    print(section)
    for line in bench_report.summary_lines(stored["runs"]):
        out.print(line, highlight=False)
    if write_docs:
        bench_report.write_docs(DOC, section)
        out.print(f"wrote {DOC} and {PLOT}")


def _prepare(prepare: Any, options: Any, size: int) -> Any:
    with Progress(
        TextColumn("  {task.description:<20}"), BarColumn(), MofNCompleteColumn(), console=out
    ) as bars:
        tasks: dict[str, Any] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bars.add_task(step, total=total)
            bars.update(tasks[step], completed=done)

        return prepare(options, size, progress)
