"""Processes a benchmark drives: a real `greenmine serve` on loopback, its memory, a load of
concurrent HTTP clients against it, and latency samples.

The load generator speaks HTTP/1.1 over asyncio streams itself (keep-alive, one connection per
client): an HTTP client library would spend more CPU per request than the server under test,
on a machine with two cores.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.embedded import die_with_parent

READY_TIMEOUT_S = 3600.0
STOP_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Cpu:
    """CPU time per request in milliseconds: of the process that sent it (the benchmark), of
    the API processes, and of the database server. Unlike latency, it hardly moves when other
    work shares the cores (a process waiting for a core spends no CPU)."""

    client_ms: float
    api_ms: float
    db_ms: float

    @property
    def total_ms(self) -> float:
        return self.api_ms + self.db_ms


@dataclass(frozen=True)
class Stats:
    """Latency of a measurement in milliseconds (and its CPU cost, when metered)."""

    p50: float
    p99: float
    count: int
    cpu: Cpu | None = None

    @classmethod
    def of(cls, samples: Sequence[float], cpu: Cpu | None = None) -> Stats:
        ordered = sorted(samples)
        return cls(_pick(ordered, 0.5), _pick(ordered, 0.99), len(ordered), cpu)


def cpu_seconds(pids: Sequence[int | None]) -> float:
    """User + system CPU time of these processes so far (Linux /proc; 0 elsewhere)."""
    total = 0.0
    for pid in pids:
        if pid is None:
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_bytes().rsplit(b")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@dataclass
class CpuMeter:
    """CPU spent by this process, the API processes and the database over some requests."""

    api_pids: Sequence[int]
    db_pid: int | None
    _start: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def start(self) -> None:
        self._start = (time.process_time(), cpu_seconds(self.api_pids), cpu_seconds([self.db_pid]))

    def per(self, requests: int) -> Cpu:
        client, api, db = self._start
        n = max(requests, 1)
        return Cpu(
            client_ms=round((time.process_time() - client) * 1000 / n, 3),
            api_ms=round((cpu_seconds(self.api_pids) - api) * 1000 / n, 3),
            db_ms=round((cpu_seconds([self.db_pid]) - db) * 1000 / n, 3),
        )


def _pick(ordered: Sequence[float], share: float) -> float:
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """`greenmine serve` in a child process, over a data directory, on a loopback port."""

    process: subprocess.Popen[bytes]
    port: int
    data_dir: Path
    workers: int
    #: seconds from spawning to /readyz answering 200 (includes loading the data set)
    ready_seconds: float = 0.0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(
        cls, data_dir: Path, *, workers: int = 1, environ: Mapping[str, str] | None = None
    ) -> Server:
        port = free_port()
        env = {
            **os.environ,
            **(environ or {}),
            "GREENMINE_DATA_DIR": str(data_dir),
            "HOST": "127.0.0.1",
            "GREENMINE_LOG_LEVEL": "WARNING",
        }
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "greenmine", "serve", "--port", str(port),
             "--workers", str(workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # a benchmark killed outright (SIGTERM, SIGKILL) must not leave its server behind
            preexec_fn=die_with_parent,
        )  # fmt: skip
        server = cls(process, port, data_dir, workers)
        try:
            server._wait_ready(started)
        except BaseException:
            server.stop()
            raise
        return server

    def _wait_ready(self, started: float) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"greenmine serve exited with {self.process.returncode}")
            with contextlib.suppress(OSError):
                if http_get_status(self.port, "/readyz") == 200:
                    self.ready_seconds = time.perf_counter() - started
                    return
            time.sleep(0.1)
        raise RuntimeError("greenmine serve did not become ready in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def engine_pid(self) -> int | None:
        try:
            info = json.loads((self.data_dir / "server.json").read_text())
            return int(info["pid"])
        except (OSError, ValueError, KeyError):
            return None

    def api_pids(self) -> list[int]:
        """The serve process and its uvicorn workers (not the embedded database)."""
        engine = self.engine_pid()
        return [self.process.pid, *(p for p in children(self.process.pid) if p != engine)]


def http_get_status(port: int, path: str) -> int:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
        head = sock.recv(64)
    return int(head.split(b" ", 2)[1])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


@dataclass(frozen=True)
class Memory:
    """Resident memory in MiB: now and at its peak."""

    rss_mib: float
    peak_mib: float


def memory(pids: Sequence[int | None]) -> Memory:
    rss = peak = 0.0
    for pid in pids:
        if pid is None:
            continue
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    peak += int(line.split()[1]) / 1024
    return Memory(round(rss, 1), round(peak, 1))


# -- HTTP requests ------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    body: bytes
    headers: Mapping[str, str]

    @classmethod
    def graphql(
        cls, query: str, variables: Mapping[str, object], *, token: str | None = None
    ) -> Request:
        body = json.dumps({"query": query, "variables": dict(variables)}).encode()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return cls(body, headers)

    def encode(self) -> bytes:
        lines = [
            "POST /graphql HTTP/1.1",
            "Host: bench",
            "Content-Type: application/json",
            f"Content-Length: {len(self.body)}",
            *(f"{k}: {v}" for k, v in self.headers.items()),
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + self.body


class Connection:
    """One keep-alive HTTP/1.1 connection; `send` returns (status, body)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def send(self, raw: bytes) -> tuple[int, bytes]:
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        body = await self.reader.readexactly(length)
        return status, body

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(OSError):
            await self.writer.wait_closed()


def check(status: int, body: bytes) -> dict[str, object]:
    answer: dict[str, object] = json.loads(body)
    if status != 200 or answer.get("errors"):
        raise RuntimeError(f"the benchmark's request failed: {status} {body[:300]!r}")
    return answer


async def sequential(
    port: int, requests: Sequence[Request], warmup: int, meter: CpuMeter | None = None
) -> Stats:
    """Send the requests one at a time (in turn, `warmup` untimed first): their latency, and
    the CPU they cost when a meter is given."""
    connection = await Connection.open(port)
    raws = [r.encode() for r in requests]
    samples: list[float] = []
    try:
        for i in range(warmup + len(raws)):
            if i == warmup and meter is not None:
                meter.start()
            raw = raws[i % len(raws)]
            started = time.perf_counter()
            status, body = await connection.send(raw)
            elapsed = (time.perf_counter() - started) * 1000
            check(status, body)
            if i >= warmup:
                samples.append(elapsed)
    finally:
        await connection.close()
    return Stats.of(samples, meter.per(len(samples)) if meter is not None else None)


@dataclass(frozen=True)
class Throughput:
    clients: int
    workers: int
    seconds: float
    requests: int
    latency: Stats

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


async def concurrent(
    port: int, requests: Sequence[Request], *, clients: int, seconds: float, workers: int
) -> Throughput:
    """`clients` connections each sending the requests in turn, as fast as answered, for
    `seconds` (bounded in time; the first second is warm-up and not counted)."""
    raws = [r.encode() for r in requests]
    warm_until = time.perf_counter() + 1.0
    stop_at = warm_until + seconds
    samples: list[float] = []

    async def client(offset: int) -> None:
        connection = await Connection.open(port)
        i = offset
        try:
            while True:
                started = time.perf_counter()
                if started >= stop_at:
                    return
                status, body = await connection.send(raws[i % len(raws)])
                done = time.perf_counter()
                check(status, body)
                if started >= warm_until and done <= stop_at:
                    samples.append((done - started) * 1000)
                i += 1
        finally:
            await connection.close()

    await asyncio.gather(*(client(k) for k in range(clients)))
    return Throughput(clients, workers, seconds, len(samples), Stats.of(samples))
