"""Commands for referral routing: `route`, `bench routing` (quality), `bench route-speed`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from graph.engine import Engine
from greenmine.cli_app import app, bench_app, fail, load_settings, out, with_engine

ROUTE_QUERY = """
query Route($text: String!, $limit: Int!) {
  route(text: $text, limit: $limit) {
    department { code nameZh liaison { name phone } }
    score
    duty { code titleZh }
    removalCondition { number titleZh }
    matchedTerms
    explanation
    explanationEn
    clause { ref textZh }
    nextSteps { order textZh actorRoleZh }
  }
}
"""


async def run_route(engine: Engine, text: str, limit: int) -> list[dict[str, Any]]:
    """The `route` query through the Schema, exactly as the API answers it."""
    from resolvers.context import Context
    from schema.root import schema

    context = Context(engine=engine, settings=load_settings())
    result = await schema.execute(
        ROUTE_QUERY, variable_values={"text": text, "limit": limit}, context_value=context
    )
    if result.errors:
        error = result.errors[0]
        raise typer.BadParameter(error.message, param_hint=(error.extensions or {}).get("field"))
    assert result.data is not None
    matches: list[dict[str, Any]] = result.data["route"]
    return matches


@app.command()
def route(
    text: Annotated[str, typer.Argument(help="The problem, as you would say it on the phone.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the matches as JSON.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many departments (1-18).")] = 3,
) -> None:
    """Which departments handle this problem, who to call, and what happens next."""

    async def work(engine: Engine) -> list[dict[str, Any]]:
        return await run_route(engine, text, limit)

    try:
        matches = with_engine(work)
    except typer.BadParameter as error:
        fail(error.message)
    if as_json:
        print(json.dumps(matches, ensure_ascii=False, indent=2))
        return
    if not matches:
        out.print("没有找到对应的部门（no department in the mechanism matches this text）")
        return
    for rank, m in enumerate(matches, start=1):
        liaison = m["department"]["liaison"] or {}
        out.print(
            f"[bold]{rank}. {m['department']['nameZh']}[/] ({m['department']['code']}) "
            f"联络人 {liaison.get('name', '—')}  score {m['score']}",
            highlight=False,
        )
        if m["duty"]:
            out.print(f"   职责 {m['duty']['titleZh']}", highlight=False)
        if m["removalCondition"]:
            condition = m["removalCondition"]
            out.print(
                f"   移出名录情形 {condition['number']}：{condition['titleZh']}", highlight=False
            )
        if m["clause"]:
            out.print(f"   条款 {m['clause']['ref']}", highlight=False)
        out.print(f"   {m['explanation']}", highlight=False)
    out.print("[bold]下一步[/]（二(四)）:")
    for step in matches[0]["nextSteps"]:
        out.print(f"   {step['order']}. {step['actorRoleZh']}：{step['textZh']}", highlight=False)


@bench_app.command("routing")
def bench_routing(
    cases: Annotated[
        Path | None, typer.Option(help="A JSON Lines case file (default: the development set).")
    ] = None,
    misses: Annotated[bool, typer.Option(help="List every case routed wrongly.")] = False,
) -> None:
    """Routing quality on a case set: top-1, top-3, out-of-domain rejection."""
    from resolvers.routing import matches as route_matches
    from resolvers.routing_quality import DEVSET, QualityReport, evaluate, load_cases
    from seed.loader import ensure_seeded

    path = cases or DEVSET
    try:
        loaded = load_cases(path)
    except (OSError, ValueError) as error:
        fail(str(error))

    async def work(engine: Engine) -> QualityReport:
        await ensure_seeded(engine)

        async def router(text: str) -> Any:
            found, _ = await route_matches(engine, text, 3)
            return found

        return await evaluate(router, loaded)

    report = with_engine(work)
    table = Table("measure", "value", "cases")
    table.add_row("top-1 accuracy", f"{report.top1:.1%}", str(len(report.in_domain)))
    table.add_row("top-3 accuracy", f"{report.top3:.1%}", str(len(report.in_domain)))
    table.add_row(
        "out-of-domain rejection", f"{report.ood_rejection:.1%}", str(len(report.out_of_domain))
    )
    table.add_row("duty of the competent department", f"{report.duty_accuracy:.1%}", "")
    table.add_row("removal condition", f"{report.condition_accuracy:.1%}", "")
    out.print(f"routing quality on {path}")
    out.print(table)
    if misses:
        for o in report.misses():
            expected = ", ".join(o.case.departments) or "[] (out of domain)"
            got = ", ".join(o.got) or "[]"
            out.print(
                f"  miss: {o.case.text[:70]}  expected {expected}; got {got}", highlight=False
            )


@bench_app.command("route-speed")
def bench_route_speed(
    requests: Annotated[int, typer.Option(help="Timed requests per measurement.")] = 500,
    warmup: Annotated[int, typer.Option(help="Untimed requests first.")] = 50,
) -> None:
    """`route` over HTTP (a real `greenmine serve` on loopback) beside the raw engine round trip."""
    from greenmine.bench_route_speed import run

    if requests < 10 or warmup < 0:
        fail("--requests must be at least 10 and --warmup at least 0")
    report = run(requests=requests, warmup=warmup)
    table = Table("measurement", "p50 ms", "p99 ms", "vs raw p50")
    for row in report.rows:
        table.add_row(
            row.name, f"{row.p50:.2f}", f"{row.p99:.2f}", f"{row.p50 / report.raw_p50:.1f}x"
        )
    out.print(
        f"{requests} requests each, {len(report.sentences)} sentences in turn, {report.engine}"
    )
    out.print(table)
