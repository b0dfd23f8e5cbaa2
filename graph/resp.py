"""A lean Redis-protocol client for the graph's queries: one command in flight per connection.

Every statement the service runs is one `GRAPH.QUERY` or `GRAPH.RO_QUERY`. Through redis-py's
asyncio client each costs about 0.3 ms of CPU before FalkorDB sees it or after it answers (a
pool lock, a timeout task per read, observability hooks, five event-loop turns); a page of mines
sends seven. Here a command is packed by hiredis, written to a connection's transport, and its
reply parsed by hiredis in the protocol's `data_received`, which resolves the command's future:
about 0.08 ms. Administrative commands (INFO, BGREWRITEAOF, GRAPH.DELETE, the client's schema
look-ups for analysts' entities) stay on redis-py.

It behaves as the redis-py client the engine configures: error replies become redis-py's
exceptions (`BaseParser.parse_error`: LOADING is `BusyLoadingError`, other errors
`ResponseError`), a connection that fails or closes fails its command with `ConnectionError`
and is dropped, a command that fails to connect is tried once more after `retry_delay_s` (the
embedded server restarting), as is a read that lost its connection (a write that did is not: it
may have been applied; redis-py would send it again), and a reply that takes longer than
`reply_timeout_s` fails with `TimeoutError` and closes its connection, whose late reply would
otherwise answer the next command.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import hiredis
from redis._parsers import BaseParser
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import InvalidResponse, RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

Arg = str | int | float | bytes


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    connect_timeout_s: float = 2.0
    reply_timeout_s: float = 15.0
    retry_delay_s: float = 0.2


def _pack(args: Sequence[Arg]) -> bytes:
    # hiredis's stub declares a one-element tuple; it takes any number of arguments
    packed: bytes = hiredis.pack_command(tuple(args))  # type: ignore[arg-type]
    return packed


class NotSent(RedisConnectionError):
    """The command never reached the server (no connection, or it was closed before the
    write): sending it again cannot apply it twice."""


class _Connection(asyncio.Protocol):
    """One connection: a command is written, its reply resolves `_waiting`."""

    def __init__(self) -> None:
        self._reader = hiredis.Reader(
            encoding="utf-8", replyError=BaseParser.parse_error, protocolError=InvalidResponse
        )
        self._transport: asyncio.Transport | None = None
        self._waiting: asyncio.Future[Any] | None = None
        self.closed = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self._reader.feed(data)
        waiting = self._waiting
        if waiting is None:  # nobody asked: kept, it would answer the next command
            self._fail(RedisConnectionError("the server sent a reply nobody asked for"))
            return
        try:
            reply = self._reader.gets()
        except InvalidResponse as error:
            self._fail(RedisConnectionError(f"the server's reply could not be read: {error}"))
            return
        except Exception as error:  # text that is not UTF-8: raised as redis-py does, no retry
            self._fail(error)
            return
        if reply is False:  # more to come
            return
        self._waiting = None
        if not waiting.done():
            waiting.set_result(reply)
        if self._reader.has_data():  # more than the one reply asked for
            self._fail(RedisConnectionError("the server sent a reply nobody asked for"))

    def connection_lost(self, exc: Exception | None) -> None:
        self._fail(RedisConnectionError(f"the connection was closed: {exc or 'by the server'}"))

    def _fail(self, error: Exception) -> None:
        self.closed = True
        waiting, self._waiting = self._waiting, None
        if waiting is not None and not waiting.done():
            waiting.set_exception(error)
        if self._transport is not None:
            self._transport.close()

    def close(self) -> None:
        self._fail(RedisConnectionError("the connection was closed by the client"))

    async def send(self, packed: bytes, timeout_s: float) -> Any:
        """The reply to one packed command; an error reply is raised."""
        transport = self._transport
        assert transport is not None and self._waiting is None
        if self.closed or transport.is_closing():
            self.close()
            raise NotSent("the connection was closed by the server")
        try:
            transport.write(packed)
        except (OSError, RuntimeError) as error:  # uvloop refuses a write on a closed handle
            self.close()
            raise NotSent(f"the command could not be sent: {error}") from error
        loop = asyncio.get_running_loop()
        waiting: asyncio.Future[Any] = loop.create_future()
        self._waiting = waiting  # its reply cannot arrive before this turn of the loop ends
        timer = loop.call_later(timeout_s, self._time_out, waiting, timeout_s)
        try:
            reply = await waiting
        except BaseException:  # cancelled, or its coroutine closed: no reply read then
            self.close()  # its reply would answer the next command
            raise
        finally:
            timer.cancel()
        if isinstance(reply, RedisConnectionError):
            self.close()  # the server refuses this connection (LOADING, NOAUTH, no room)
        if isinstance(reply, RedisError):  # an error reply (nested ones stay values)
            raise reply
        return reply

    def _time_out(self, waiting: asyncio.Future[Any], timeout_s: float) -> None:
        if waiting is self._waiting:
            self._fail(RedisTimeoutError(f"no reply within {timeout_s:g} s"))


class RespClient:
    """Commands over a pool of connections, opened as needed and reused while healthy.
    Once closed, it closes the connections of commands in flight too and takes no more."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self._idle: list[_Connection] = []
        self._busy: set[_Connection] = set()
        self._closed = False

    async def execute(self, *args: Arg, timeout_s: float | None = None, resend: bool = True) -> Any:
        """The command's reply. A command that could not be sent is tried once more; one whose
        connection was lost after it was sent only if `resend` (a read: a write the server may
        have applied is not sent twice)."""
        packed = _pack(args)
        wait = timeout_s if timeout_s is not None else self.endpoint.reply_timeout_s
        try:
            return await self._once(packed, wait)
        except RedisConnectionError as error:
            if self._closed:  # closed by us, not dropped: nothing to ride over
                raise
            if not (resend or isinstance(error, NotSent)):
                raise
            await asyncio.sleep(self.endpoint.retry_delay_s)
            return await self._once(packed, wait)

    async def _once(self, packed: bytes, timeout_s: float) -> Any:
        if self._closed:
            raise RedisConnectionError("the client was closed")
        connection = await self._connection()
        self._busy.add(connection)
        try:
            if self._closed:  # while the connection was being opened
                connection.close()
                raise RedisConnectionError("the client was closed")
            return await connection.send(packed, timeout_s)
        finally:  # after an error reply too: only a closed connection is left behind
            self._busy.discard(connection)
            if not connection.closed:
                self._idle.append(connection)

    async def _connection(self) -> _Connection:
        while self._idle:
            connection = self._idle.pop()
            if not connection.closed:
                return connection
        return await self._open()

    async def _open(self) -> _Connection:
        endpoint = self.endpoint
        loop = asyncio.get_running_loop()
        try:
            _, connection = await asyncio.wait_for(
                loop.create_connection(_Connection, endpoint.host, endpoint.port),
                endpoint.connect_timeout_s,
            )
        except TimeoutError as error:  # before OSError, of which it is one; its text is empty
            raise NotSent(
                f"could not connect to {endpoint.host}:{endpoint.port}: "
                f"no connection within {endpoint.connect_timeout_s:g} s"
            ) from error
        except OSError as error:
            raise NotSent(
                f"could not connect to {endpoint.host}:{endpoint.port}: {error}"
            ) from error
        if endpoint.password is not None:
            user: Sequence[Arg] = (endpoint.username,) if endpoint.username else ()
            credentials = (*user, endpoint.password)
            try:
                await connection.send(_pack(("AUTH", *credentials)), endpoint.connect_timeout_s)
            except RedisConnectionError as error:
                connection.close()
                raise NotSent(str(error)) from error
            except BaseException:
                connection.close()
                raise
        return connection

    def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in (*idle, *self._busy):
            connection.close()
