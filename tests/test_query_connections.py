"""The lean client the engine sends its statements through (`graph/resp.py`) behaves as the
redis-py client it replaced: replies and error replies, a retry over a dropped connection, a
timeout that never lets a late reply answer the next command. Against a scripted server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import hiredis
import pytest
import pytest_asyncio
import uvloop
from redis.exceptions import BusyLoadingError, ResponseError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from graph.resp import Endpoint, RespClient, _Connection


def _bulk(text: str) -> bytes:
    data = text.encode()
    return b"$%d\r\n%s\r\n" % (len(data), data)


@dataclass
class ScriptedServer:
    """Answers ECHO with its argument (after SLEEP seconds if asked), ERR and LOADING with
    error replies, DROP by closing the connection the first `drops` times, FULL as a server with
    no room for another client does, TWICE with two replies, LATIN1 with text that is not
    UTF-8, HANG never."""

    drops: int = 0
    #: connections closed as soon as they are accepted, before reading anything
    refusals: int = 0
    password: str | None = None
    connections: int = 0
    #: connections the client has not closed yet
    open: int = 0
    commands: list[list[str]] = field(default_factory=list)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        if self.refusals > 0:
            self.refusals -= 1
            writer.close()
            return
        self.open += 1
        parser = hiredis.Reader(encoding="utf-8")
        authenticated = self.password is None
        try:
            while data := await reader.read(65536):
                parser.feed(data)
                while (command := parser.gets()) is not False:
                    self.commands.append(command)
                    name, *args = command
                    if name == "AUTH":
                        authenticated = args[-1] == self.password
                        writer.write(b"+OK\r\n" if authenticated else b"-WRONGPASS no\r\n")
                    elif not authenticated:
                        writer.write(b"-NOAUTH Authentication required.\r\n")
                    elif name == "ECHO":
                        writer.write(b"*2\r\n" + _bulk(args[0]) + b":7\r\n")
                    elif name == "SLEEP":
                        await asyncio.sleep(float(args[0]))
                        writer.write(_bulk(args[1]))
                    elif name == "ERR":
                        writer.write(b"-ERR the query failed\r\n")
                    elif name == "LOADING":
                        writer.write(b"-LOADING the dataset is loading\r\n")
                    elif name == "LATIN1":
                        writer.write(b"$2\r\n\xe9t\r\n")
                    elif name == "FULL":
                        writer.write(b"-ERR max number of clients reached\r\n")
                    elif name == "TWICE":  # the second reply at once or a moment later
                        writer.write(_bulk(args[0]))
                        await writer.drain()
                        await asyncio.sleep(float(args[1]))
                        writer.write(_bulk("unasked"))
                    elif name == "DROP" and self.drops > 0:
                        self.drops -= 1
                        writer.close()
                        return
                    elif name == "DROP":
                        writer.write(_bulk("survived"))
                    await writer.drain()
        finally:
            self.open -= 1
            writer.close()

    async def settled(self) -> None:
        """Until the server has seen every connection the client closed."""
        for _ in range(200):
            await asyncio.sleep(0.01)
            if self.open == 0:
                return


@asynccontextmanager
async def _listening(server: ScriptedServer) -> AsyncIterator[ScriptedServer]:
    listening = await asyncio.start_server(server.handle, "127.0.0.1", 0)
    server.port = listening.sockets[0].getsockname()[1]
    async with listening:
        yield server


@pytest_asyncio.fixture
async def scripted() -> AsyncIterator[ScriptedServer]:
    async with _listening(ScriptedServer()) as server:
        yield server


def _client(server: ScriptedServer, **overrides: Any) -> RespClient:
    settings: dict[str, Any] = {"retry_delay_s": 0.01, "reply_timeout_s": 2.0, **overrides}
    return RespClient(Endpoint("127.0.0.1", server.port, **settings))


async def _in_flight(client: RespClient, word: str) -> asyncio.Future[Any]:
    """A command sent and waiting for its reply (the server answers it in 0.3 s)."""
    pending = asyncio.ensure_future(client.execute("SLEEP", "0.3", word))
    await asyncio.sleep(0.05)
    return pending


async def test_a_reply_comes_back_decoded_and_the_connection_is_reused(
    scripted: ScriptedServer,
) -> None:
    client = _client(scripted)
    assert await client.execute("ECHO", "兰州") == ["兰州", 7]
    assert await client.execute("ECHO", "again") == ["again", 7]
    assert scripted.connections == 1
    client.close()


async def test_an_error_reply_is_raised_as_redis_py_raises_it(scripted: ScriptedServer) -> None:
    client = _client(scripted)
    with pytest.raises(ResponseError, match="the query failed"):
        await client.execute("ERR")
    with pytest.raises(BusyLoadingError):
        await client.execute("LOADING")
    assert await client.execute("ECHO", "still fine") == ["still fine", 7]
    client.close()


async def test_a_dropped_connection_is_tried_once_more_on_a_new_one(
    scripted: ScriptedServer,
) -> None:
    scripted.drops = 1
    client = _client(scripted)
    assert await client.execute("DROP") == "survived"
    assert scripted.connections == 2
    client.close()


async def test_a_write_that_never_reached_the_server_is_sent_once_it_can_be(
    scripted: ScriptedServer,
) -> None:
    scripted.password = "s3cret"
    scripted.refusals = 1  # the first connection closes before its AUTH is answered
    client = _client(scripted, password="s3cret")
    assert await client.execute("ECHO", "written once", resend=False) == ["written once", 7]
    assert [c[0] for c in scripted.commands] == ["AUTH", "ECHO"]
    assert scripted.connections == 2
    client.close()


@pytest.mark.parametrize(
    ("drops", "resend", "sent"),
    [(1, False, 1), (2, True, 2)],
    ids=["a write dropped after it was sent is not sent again", "a read dropped twice"],
)
async def test_a_dropped_command_not_to_be_sent_again_fails_with_a_connection_error(
    scripted: ScriptedServer, drops: int, resend: bool, sent: int
) -> None:
    scripted.drops = drops
    client = _client(scripted)
    with pytest.raises(RedisConnectionError, match="closed"):
        await client.execute("DROP", resend=resend)
    assert [c[0] for c in scripted.commands] == ["DROP"] * sent
    client.close()


async def test_a_server_not_listening_fails_with_a_connection_error() -> None:
    probe = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = probe.sockets[0].getsockname()[1]
    probe.close()
    await probe.wait_closed()
    client = RespClient(Endpoint("127.0.0.1", port, retry_delay_s=0.01))
    with pytest.raises(RedisConnectionError, match=f"127.0.0.1:{port}"):
        await client.execute("ECHO", "nobody")


async def test_a_late_reply_times_out_and_never_answers_the_next_command(
    scripted: ScriptedServer,
) -> None:
    client = _client(scripted, reply_timeout_s=0.2)
    with pytest.raises(RedisTimeoutError, match="0.2 s"):
        await client.execute("SLEEP", "0.5", "late")
    assert await client.execute("ECHO", "next") == ["next", 7]
    assert scripted.connections == 2  # the timed-out one was closed, not reused
    client.close()


async def test_a_cancelled_command_leaves_no_reply_for_the_next_one(
    scripted: ScriptedServer,
) -> None:
    client = _client(scripted)
    pending = await _in_flight(client, "abandoned")
    pending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await pending
    assert await client.execute("ECHO", "mine") == ["mine", 7]
    client.close()


async def test_concurrent_commands_each_get_their_own_reply(scripted: ScriptedServer) -> None:
    client = _client(scripted)
    words = [f"w{i}" for i in range(5)]
    replies = await asyncio.gather(*(client.execute("SLEEP", "0.05", w) for w in words))
    assert replies == words
    assert scripted.connections == 5
    client.close()


async def test_a_password_is_sent_before_the_first_command(scripted: ScriptedServer) -> None:
    scripted.password = "s3cret"
    client = _client(scripted, username="default", password="s3cret")
    assert await client.execute("ECHO", "in") == ["in", 7]
    assert scripted.commands[0] == ["AUTH", "default", "s3cret"]
    client.close()
    refused = _client(scripted, password="wrong")
    with pytest.raises(RedisConnectionError, match="WRONGPASS|no"):
        await refused.execute("ECHO", "out")
    refused.close()


class _RefusingTransport(asyncio.Transport):
    """A transport whose handle is already closed, as uvloop's is between the server closing
    the connection and the protocol being told: writes raise RuntimeError."""

    def __init__(self, closing: bool) -> None:
        super().__init__()
        self.closing = closing

    def is_closing(self) -> bool:
        return self.closing

    def write(self, data: Any) -> None:
        raise RuntimeError("unable to perform operation on <TCPTransport closed=True>")

    def close(self) -> None:
        self.closing = True


@pytest.mark.parametrize("closing", [True, False], ids=["known closing", "handle closed"])
async def test_a_command_on_a_connection_the_server_just_closed_fails_as_unreachable(
    closing: bool,
) -> None:
    connection = _Connection()
    connection.connection_made(_RefusingTransport(closing))
    with pytest.raises(RedisConnectionError):
        await connection.send(b"*1\r\n$4\r\nPING\r\n", timeout_s=1.0)
    assert connection.closed  # never handed out again


async def test_an_error_reply_leaves_its_connection_in_use_for_the_next_command(
    scripted: ScriptedServer,
) -> None:
    client = _client(scripted)
    with pytest.raises(ResponseError):
        await client.execute("ERR")
    assert await client.execute("ECHO", "same") == ["same", 7]
    assert scripted.connections == 1  # neither dropped open nor replaced
    client.close()
    await scripted.settled()
    assert scripted.open == 0


async def test_an_error_reply_that_refuses_the_client_closes_its_connection(
    scripted: ScriptedServer,
) -> None:
    client = _client(scripted)
    with pytest.raises(RedisConnectionError, match="max number of clients"):
        await client.execute("FULL")  # tried twice, as redis-py does
    await scripted.settled()
    assert scripted.open == 0
    client.close()


async def test_closing_the_client_closes_the_connections_of_commands_in_flight(
    scripted: ScriptedServer,
) -> None:
    client = _client(scripted)
    pending = await _in_flight(client, "too late")
    client.close()
    with pytest.raises(RedisConnectionError, match="closed"):
        await pending
    with pytest.raises(RedisConnectionError, match="closed"):
        await client.execute("ECHO", "after the end")
    await scripted.settled()
    assert scripted.open == 0
    assert scripted.connections == 1  # neither retried nor reopened once closed


@pytest.mark.parametrize("later", ["0", "0.05"], ids=["together", "later"])
async def test_a_reply_nobody_asked_for_never_answers_the_next_command(
    scripted: ScriptedServer, later: str
) -> None:
    client = _client(scripted)
    assert await client.execute("TWICE", "asked", later) == "asked"
    await asyncio.sleep(float(later) * 2)
    assert await client.execute("ECHO", "next") == ["next", 7]
    client.close()


async def test_a_connection_that_cannot_be_opened_in_time_says_so(
    scripted: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def never(*args: Any, **kwargs: Any) -> Any:
        await asyncio.Event().wait()

    monkeypatch.setattr(asyncio.get_running_loop(), "create_connection", never)
    client = _client(scripted, connect_timeout_s=0.05)
    with pytest.raises(RedisConnectionError, match=r"no connection within 0\.05 s"):
        await client.execute("ECHO", "nobody")


def test_under_uvloop_replies_errors_drops_timeouts_and_cancellations_behave_the_same() -> None:
    # the server runs uvicorn on uvloop, whose transports differ from asyncio's in the details
    async def scenarios() -> None:
        async with _listening(ScriptedServer(drops=1)) as server:
            client = _client(server, reply_timeout_s=0.2)
            assert await client.execute("ECHO", "甘肃") == ["甘肃", 7]
            with pytest.raises(ResponseError):
                await client.execute("ERR")
            assert await client.execute("DROP") == "survived"
            with pytest.raises(RedisTimeoutError):
                await client.execute("SLEEP", "0.5", "late")
            pending = await _in_flight(client, "abandoned")
            pending.cancel()
            with pytest.raises(asyncio.CancelledError):
                await pending
            assert await client.execute("ECHO", "mine") == ["mine", 7]
            in_flight = await _in_flight(client, "too late")
            client.close()
            with pytest.raises(RedisConnectionError):
                await in_flight
            await server.settled()
            assert server.open == 0

    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        runner.run(scenarios())


class _QuietTransport(asyncio.Transport):
    """Takes every write and never answers."""

    def __init__(self) -> None:
        super().__init__()
        self.closing = False

    def is_closing(self) -> bool:
        return self.closing

    def write(self, data: Any) -> None:
        pass

    def close(self) -> None:
        self.closing = True


async def test_a_command_abandoned_without_a_cancellation_still_closes_its_connection() -> None:
    # a coroutine closed while it waits (GeneratorExit, not CancelledError) must not leave its
    # connection waiting for a reply that would answer the next command
    connection = _Connection()
    connection.connection_made(_QuietTransport())
    command = connection.send(b"*1\r\n$4\r\nPING\r\n", timeout_s=1.0)
    command.send(None)  # runs until it waits for the reply
    command.close()
    assert connection.closed


async def test_a_reply_that_is_not_utf8_is_raised_once_and_not_sent_again(
    scripted: ScriptedServer,
) -> None:
    # redis-py raises the decoding error as it is; a retry would send a write a second time
    client = _client(scripted)
    with pytest.raises(UnicodeDecodeError):
        await client.execute("LATIN1")
    assert scripted.commands == [["LATIN1"]]
    assert await client.execute("ECHO", "next") == ["next", 7]
    client.close()
