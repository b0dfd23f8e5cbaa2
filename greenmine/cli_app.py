"""Plumbing shared by the `greenmine` commands: the Typer app, consoles, errors, the engine."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Awaitable, Callable
from typing import NoReturn, TypeVar

import typer
from rich.console import Console

from graph.engine import Engine
from graph.engines import open_engine
from graph.errors import GraphError
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
bench_app = typer.Typer(help="Benchmarks: quality and speed figures.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")

out = Console()
err = Console(stderr=True)


def load_settings() -> Settings:
    try:
        return Settings.from_environ()
    except ConfigError as error:
        fail(str(error))


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def with_engine(work: Callable[[Engine], Awaitable[T]]) -> T:
    """Run `work` against the configured engine (attaching to a running server if there is one)."""
    settings = load_settings()
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
        fail(str(error))
