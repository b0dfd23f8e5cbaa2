"""Commands for operators: `probe`, the container's health check."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Annotated

import typer

from greenmine.cli_app import app, err, load_settings, out

PROBE_TIMEOUT_S = 5.0
ANY_ADDRESS = ("", "0.0.0.0", "::")


@app.command()
def probe(
    path: Annotated[str, typer.Argument(help="/readyz (default) or /healthz.")] = "/readyz",
) -> None:
    """Ask the local server ($HOST, $PORT) whether it is ready; exit 0 if so, 1 if not."""
    settings = load_settings()
    host = "127.0.0.1" if settings.host in ANY_ADDRESS else settings.host
    if ":" in host:
        host = f"[{host}]"
    url = f"http://{host}:{settings.port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=PROBE_TIMEOUT_S) as response:  # noqa: S310
            out.print(f"{url}: {response.status}", highlight=False)
    except urllib.error.HTTPError as error:
        err.print(f"{url}: {error.code} {error.read().decode(errors='replace')}", highlight=False)
        raise typer.Exit(1) from None
    except OSError as error:
        err.print(f"{url}: {error}", highlight=False)
        raise typer.Exit(1) from None
