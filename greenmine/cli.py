"""The `greenmine` command line. Each capability registers its commands in its own module."""

from __future__ import annotations

from greenmine import (  # noqa: F401 - importing registers the commands
    cli_document,
    cli_import,
    cli_load,
    cli_mines,
    cli_ops,
    cli_perf,
    cli_routing,
    cli_tokens,
)
from greenmine.cli_app import app


def main() -> None:
    app()
