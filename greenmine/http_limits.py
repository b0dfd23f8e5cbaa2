"""Limits at the HTTP layer, before a request reaches GraphQL.

`BodySizeLimit` answers 413 to a body larger than the limit: at once when Content-Length says
so, and as soon as the bytes received pass it when the body is sent in chunks without a length.
`decode_body` turns a body that is not UTF-8 JSON, nests too deeply for the parser, or is not a
JSON object, into a 400 instead of an unexpected error.
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _BodyTooLarge(Exception):
    """Raised from `receive` once the body passes the limit; turned into a 413."""


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared == -1:
            await _reply(send, 400, "BAD_REQUEST", "the Content-Length header is not a number")
            return
        if declared is not None and declared > self.max_bytes:
            await self._too_large(send)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._too_large(send)

    async def _too_large(self, send: Send) -> None:
        await _reply(
            send,
            413,
            "PAYLOAD_TOO_LARGE",
            f"the request body is larger than {self.max_bytes} bytes (GREENMINE_MAX_BODY_BYTES)",
        )


def _content_length(scope: Scope) -> int | None:
    """The declared body length; None when not declared, -1 when not a number."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return -1
    return None


async def _reply(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def decode_body(data: str | bytes) -> Any:
    """`json.loads`, with a 400 for what it raises besides JSONDecodeError, and for a body that
    is not a JSON object (or a list, which the GraphQL view refuses as a batch)."""
    try:
        value = json.loads(data)
    except UnicodeDecodeError as error:
        raise HTTPException(400, "the request body is not valid UTF-8") from error
    except RecursionError as error:
        raise HTTPException(400, "the request body's JSON nests too deeply") from error
    if not isinstance(value, dict | list):
        raise HTTPException(400, "the request body must be a JSON object")
    return value
