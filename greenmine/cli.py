"""The `greenmine` command line. Each capability registers its commands in its own module."""

from __future__ import annotations

from greenmine import cli_document, cli_mines, cli_tokens  # noqa: F401 - registers commands
from greenmine.cli_app import app


def main() -> None:
    app()
