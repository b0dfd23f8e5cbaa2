"""The officers' web page: `/` serves `greenmine/web/index.html`, `/web/...` its CSS, scripts and
icon. Plain files, no build step; the page calls `/graphql` with fetch and needs nothing from
outside the server (it works on an intranet without internet access)."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

WEB_DIR = Path(__file__).resolve().parent / "web"

#: the page loads only its own files and talks only to its own server
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


async def index(request: Request) -> FileResponse:
    # revalidated on every visit, so a new version of the page is picked up at once
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache"}
    return FileResponse(WEB_DIR / "index.html", headers=headers, media_type="text/html")


class _WebFiles(StaticFiles):
    """The page's files, revalidated by ETag on every load and never sniffed for a type."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))  # type: ignore[call-overload]
                headers.append((b"cache-control", b"no-cache"))
                headers.append((b"x-content-type-options", b"nosniff"))
                message["headers"] = headers
            await send(message)

        await super().__call__(scope, receive, with_headers)  # type: ignore[arg-type]


def web_routes() -> list[BaseRoute]:
    return [
        Route("/", index, methods=["GET", "HEAD"]),
        Mount("/web", app=_WebFiles(directory=WEB_DIR), name="web"),
    ]
