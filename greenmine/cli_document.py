"""Commands over the document graph: serve, seed, cypher, export-schema."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from graph import seeding
from graph.engine import Engine
from graph.engines import open_engine
from graph.errors import GraphError
from graph.values import WriteStats, to_json
from greenmine.cli_app import app, err, fail, load_settings, out, with_engine
from greenmine.config import MAX_WORKERS


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default $HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default $PORT or 8000).")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, max=MAX_WORKERS, help="Worker processes (default $GREENMINE_WORKERS or 1)."
        ),
    ] = None,
) -> None:
    """Serve the GraphQL API (seeding the graph first if it is empty)."""
    from greenmine.logs import configure_logging
    from greenmine.serving import serve_one, serve_workers

    settings = load_settings()
    configure_logging(settings)
    bind_host, bind_port = host or settings.host, port if port is not None else settings.port
    count = workers if workers is not None else settings.workers
    try:
        if count > 1:
            where = f"http://{bind_host}:{bind_port}/graphql"
            out.print(f"GreenMine Graph on {where} ({count} workers)")
            serve_workers(settings, bind_host, bind_port, count)
            return
        engine = open_engine(settings, attach=False)
    except GraphError as error:
        fail(str(error))
    out.print(f"GreenMine Graph on http://{bind_host}:{bind_port}/graphql ({engine.name})")
    serve_one(settings, engine, bind_host, bind_port)


@app.command()
def seed(
    demo: Annotated[
        bool, typer.Option("--demo", help="Then load the synthetic demo province.")
    ] = False,
    mines: Annotated[int, typer.Option(help="Mines in the demo province.")] = 400,
    cases_per_mine: Annotated[
        float | None,
        typer.Option(
            help="Add routine supervision's cases up to this many a mine on average "
            "(default: the demo's case stories only, about 0.1 a mine)."
        ),
    ] = None,
    demo_seed: Annotated[int, typer.Option(help="Seed of the demo generator.")] = 2024,
    remove_demo: Annotated[
        bool, typer.Option("--remove-demo", help="Delete the demo province instead.")
    ] = False,
) -> None:
    """Load the source document into the graph (idempotent) and print what was created."""
    from greenmine import cli_mines
    from seed.demo.routine_cases import MAX_CASES_PER_MINE
    from seed.loader import seed_document

    if cases_per_mine is not None and not 0 <= cases_per_mine <= MAX_CASES_PER_MINE:
        fail(f"--cases-per-mine must be between 0 and {MAX_CASES_PER_MINE:g}, not {cases_per_mine}")
    if remove_demo:
        cli_mines.remove_demo()
        return

    def progress(step: str, stats: WriteStats) -> None:
        created = f"+{stats.nodes_created} nodes, +{stats.relationships_created} relationships"
        out.print(f"  {step:<32} {created}")

    async def work(engine: Engine) -> tuple[WriteStats, dict[str, int]]:
        report = await seed_document(engine, progress=progress)
        for item in report.schema_created:
            out.print(f"  created {item}")
        return report.total, await seeding.count_nodes(engine)

    total, counts = with_engine(work)
    out.print(
        f"created {total.nodes_created} nodes and {total.relationships_created} relationships; "
        f"the graph now holds {sum(counts.values())} nodes"
    )
    table = Table("label", "nodes")
    for label, n in sorted(counts.items()):
        table.add_row(label, str(n))
    out.print(table)
    if demo:
        cli_mines.seed_demo(mines=mines, seed=demo_seed, cases_per_mine=cases_per_mine)


@app.command()
def cypher(
    query: Annotated[str, typer.Argument(help="A read-only Cypher query.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print records as JSON.")] = False,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="NAME=JSON-value, repeatable.")
    ] = None,
) -> None:
    """Run a read-only Cypher query (a write is refused and changes nothing)."""
    params = _parse_params(param or [])

    async def work(engine: Engine) -> Any:
        return await engine.read_only_text(query, params)

    result = with_engine(work)
    if result.truncated:
        err.print(
            f"warning: the server cut the result at {len(result.rows)} rows "
            "(GREENMINE_RESULT_CEILING); add a LIMIT or narrow the query",
            highlight=False,
        )
    records = [to_json(r) for r in result.records]
    if as_json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return
    table = Table(*result.columns)
    for record in records:
        table.add_row(*(json.dumps(v, ensure_ascii=False) for v in record.values()))
    out.print(table)
    out.print(f"{len(records)} row(s)")


def _parse_params(items: list[str]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        if not sep or not name.isidentifier():
            fail(f"--param {item!r} must look like NAME=VALUE")
        try:
            params[name] = json.loads(raw)
        except json.JSONDecodeError:
            params[name] = raw
    return params


@app.command("export-schema")
def export_schema(
    check: Annotated[
        bool, typer.Option(help="Fail if schema/schema.graphql differs from the code.")
    ] = False,
) -> None:
    """Write the GraphQL SDL to schema/schema.graphql."""
    from schema.root import SDL_PATH, sdl

    text = sdl()
    if check:
        current = SDL_PATH.read_text(encoding="utf-8") if SDL_PATH.exists() else ""
        if current != text:
            fail(f"{SDL_PATH} is out of date; run `greenmine export-schema`")
        out.print(f"{SDL_PATH} is up to date")
        return
    SDL_PATH.write_text(text, encoding="utf-8")
    out.print(f"wrote {SDL_PATH}")
