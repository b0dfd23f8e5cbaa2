"""The `greenmine` command line: serve, seed, cypher, export-schema, token."""

from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from graph import seeding
from graph.engine import Engine
from graph.engines import open_engine
from graph.errors import GraphError
from graph.values import WriteStats, to_json
from greenmine.config import ConfigError, Settings
from resolvers.errors import DomainError

T = TypeVar("T")

app = typer.Typer(
    help="GreenMine Graph (绿矿图谱): Gansu's green-mine working mechanism as a graph.",
    no_args_is_help=True,
    add_completion=False,
)
token_app = typer.Typer(help="Create, list and revoke API tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")

out = Console()
err = Console(stderr=True)


def _settings() -> Settings:
    try:
        return Settings.from_environ()
    except ConfigError as error:
        _fail(str(error))


def _fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _with_engine(work: Callable[[Engine], Awaitable[T]]) -> T:
    """Run `work` against the configured engine (attaching to a running server if there is one)."""
    settings = _settings()
    # SIGTERM unwinds like Ctrl-C, so an embedded server we started is stopped cleanly
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    async def run() -> T:
        engine = open_engine(settings, attach=True)
        try:
            return await work(engine)
        finally:
            await engine.close()

    try:
        return asyncio.run(run())
    except (GraphError, DomainError) as error:
        _fail(str(error))


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (default $HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default $PORT or 8000).")] = None,
) -> None:
    """Serve the GraphQL API (seeding the graph first if it is empty)."""
    import uvicorn

    from greenmine.app import create_app

    settings = _settings()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        engine = open_engine(settings, attach=False)
    except GraphError as error:
        _fail(str(error))
    bind_host, bind_port = host or settings.host, port if port is not None else settings.port
    out.print(f"GreenMine Graph on http://{bind_host}:{bind_port}/graphql ({engine.name})")
    try:
        uvicorn.run(create_app(settings, engine), host=bind_host, port=bind_port, log_level="info")
    finally:
        # the app's shutdown normally closes the engine; this covers a start that failed earlier
        engine.release()


@app.command()
def seed() -> None:
    """Load the source document into the graph (idempotent) and print what was created."""
    from seed.loader import seed_document

    def progress(step: str, stats: WriteStats) -> None:
        created = f"+{stats.nodes_created} nodes, +{stats.relationships_created} relationships"
        out.print(f"  {step:<32} {created}")

    async def work(engine: Engine) -> tuple[WriteStats, dict[str, int]]:
        report = await seed_document(engine, progress=progress)
        for item in report.schema_created:
            out.print(f"  created {item}")
        return report.total, await seeding.count_nodes(engine)

    total, counts = _with_engine(work)
    out.print(
        f"created {total.nodes_created} nodes and {total.relationships_created} relationships; "
        f"the graph now holds {sum(counts.values())} nodes"
    )
    table = Table("label", "nodes")
    for label, n in sorted(counts.items()):
        table.add_row(label, str(n))
    out.print(table)


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

    result = _with_engine(work)
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
            _fail(f"--param {item!r} must look like NAME=VALUE")
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
            _fail(f"{SDL_PATH} is out of date; run `greenmine export-schema`")
        out.print(f"{SDL_PATH} is up to date")
        return
    SDL_PATH.write_text(text, encoding="utf-8")
    out.print(f"wrote {SDL_PATH}")


@token_app.command("create")
def token_create(
    department: Annotated[str, typer.Option(help="Department code, e.g. water_resources.")],
    role: Annotated[str, typer.Option(help="officer, admin or analyst.")],
    user: Annotated[str, typer.Option(help="Who the token is for.")],
    days: Annotated[int, typer.Option(help="Days until it expires.")] = 365,
) -> None:
    """Create a token and print it once (only its hash is stored)."""
    from resolvers.auth import Role, issue_token

    try:
        chosen = Role(role)
    except ValueError:
        _fail(f"--role {role!r} is not one of officer, admin, analyst")

    async def work(engine: Engine) -> str:
        issued = await issue_token(engine, user=user, role=chosen, department=department, days=days)
        return issued.token

    token = _with_engine(work)
    err.print(f"token for {user} ({role}, {department}); it is shown only once:")
    print(token)


@token_app.command("list")
def token_list() -> None:
    """List tokens (ids, never secrets)."""
    from graph import tokens

    records = _with_engine(tokens.all_tokens)
    table = Table("id", "user", "role", "department", "created", "expires", "revoked")
    for t in records:
        table.add_row(
            t.id, t.user, t.role, t.department, t.created_at, t.expires_at or "", t.revoked_at or ""
        )
    out.print(table)


@token_app.command("revoke")
def token_revoke(token_id: Annotated[str, typer.Argument(help="The token id.")]) -> None:
    """Revoke a token; it stops working at once."""
    from resolvers.auth import revoke_token

    async def work(engine: Engine) -> str:
        return (await revoke_token(engine, token_id)).id

    out.print(f"revoked {_with_engine(work)}")


def main() -> None:
    app()
