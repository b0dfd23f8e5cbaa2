"""A bounded load test (`greenmine bench load`, `make load`): mixed traffic through the GraphQL
API of a real server for a fixed time, then a reconciliation of every acknowledged write.

A real `greenmine serve` runs as its own process on a free loopback port, on a fresh temporary
data directory loaded first with the document and the synthetic demo province (`greenmine seed
--demo`); it always uses the embedded engine (NEO4J_* and FALKORDB_URL are not passed on, so a
load run never writes to a real database). This process attaches to the server's graph to issue
tokens (as `greenmine token create` does) and to count. Then the traffic of
`greenmine/load_traffic.py` runs for the given time and stops by itself; the graph's counts must
have grown by exactly what the API acknowledged and every acknowledged key must be found, and
the counts must be the same once the server has stopped and the graph is reopened from its
files. The temporary directory is removed at the end.
"""

from __future__ import annotations

import asyncio
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from graph import reconciliation
from graph.engine import Engine
from graph.engines import open_engine
from graph.reconciliation import GraphCounts
from greenmine.config import Settings
from greenmine.load_stats import KindStats, Reconciled, Sample, reconcile, summarize, throughput
from greenmine.load_traffic import (
    REPORTERS,
    REQUEST_TIMEOUT_S,
    ClientFactory,
    Tokens,
    drive,
    kinds,
    prepare,
    warm_up,
)
from resolvers.auth import ADMIN_DEPARTMENT, Role, issue_token

START_TIMEOUT_S = 120.0
#: variables that would point the server at a real database
_NOT_PASSED = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "FALKORDB_URL")


@dataclass(frozen=True)
class Measured:
    """What one run of traffic measured and reconciled."""

    seconds: float
    clients: int
    samples: list[Sample]
    reconciled: list[Reconciled]
    before: GraphCounts
    after: GraphCounts

    @property
    def stats(self) -> list[KindStats]:
        return summarize(self.samples, kinds())

    @property
    def errors(self) -> list[Sample]:
        return [s for s in self.samples if s.error is not None]

    @property
    def throughput(self) -> float:
        return throughput(len(self.samples), self.seconds)

    @property
    def ok(self) -> bool:
        return not self.errors and all(line.ok for line in self.reconciled)


@dataclass(frozen=True)
class LoadReport:
    measured: Measured
    #: the counts once the server had stopped and the graph was reopened from its files
    reopened: GraphCounts
    demo_mines: int
    engine: str
    machine: str
    log_tail: list[str]

    @property
    def reopened_ok(self) -> bool:
        return self.reopened == self.measured.after

    @property
    def ok(self) -> bool:
        return self.measured.ok and self.reopened_ok


async def issue_tokens(engine: Engine) -> Tokens:
    async def token(role: Role, department: str) -> str:
        issued = await issue_token(
            engine, user=f"load-{role.value}@{department}", role=role, department=department, days=1
        )
        return issued.token

    return Tokens(
        admin=await token(Role.ADMIN, ADMIN_DEPARTMENT),
        analyst=await token(Role.ANALYST, ADMIN_DEPARTMENT),
        registrar=await token(Role.OFFICER, ADMIN_DEPARTMENT),
        reporters={code: await token(Role.OFFICER, code) for code in REPORTERS},
    )


async def measure(
    engine: Engine, make_client: ClientFactory, *, clients: int, seconds: float, seed: int
) -> Measured:
    """Issue tokens, prepare and warm up, count, run the traffic, count again and look up every
    acknowledged key. `engine` is the graph the API behind `make_client` serves."""
    tokens = await issue_tokens(engine)
    async with make_client() as http:
        traffic = await prepare(http, tokens, seed=seed)
        await warm_up(traffic, http)
    before = await reconciliation.counts(engine)
    elapsed = await drive(traffic, make_client, clients=clients, seconds=seconds)
    after = await reconciliation.counts(engine)
    present = {
        kind: await reconciliation.found(engine, kind, keys)
        for kind, keys in traffic.acknowledged.items()
    }
    return Measured(
        seconds=elapsed,
        clients=clients,
        samples=list(traffic.samples),
        reconciled=reconcile(before, after, traffic.acknowledged, present),
        before=before,
        after=after,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _NOT_PASSED}
    return env | {
        "GREENMINE_DATA_DIR": str(data_dir),
        "HOST": "127.0.0.1",
        "GREENMINE_SEED_ON_START": "true",
        "GREENMINE_DEMO_ON_START": "false",
    }


def _seed_demo(env: Mapping[str, str], *, mines: int, demo_seed: int) -> None:
    command = [sys.executable, "-m", "greenmine", "seed", "--demo", "--mines", str(mines)]
    command += ["--demo-seed", str(demo_seed)]
    done = subprocess.run(command, env=dict(env), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"greenmine seed --demo failed:\n{(done.stdout + done.stderr)[-2000:]}")


def _start_server(
    env: Mapping[str, str], port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "greenmine", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    with log.open("wb") as sink:
        return subprocess.Popen(command, env=dict(env), stdout=sink, stderr=subprocess.STDOUT)


def _stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _tail(log: Path, lines: int = 20) -> list[str]:
    try:
        return log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    except OSError:
        return []


def _wait_ready(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    with httpx.Client(base_url=base, timeout=5) as client:
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError("greenmine serve exited:\n" + "\n".join(_tail(log)))
            try:
                if client.get("/readyz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
    raise RuntimeError(f"greenmine serve was not ready within {START_TIMEOUT_S:.0f} s")


async def _measure_served(
    settings: Settings, base: str, *, clients: int, seconds: float, seed: int
) -> tuple[Measured, str]:
    @asynccontextmanager
    async def http_client() -> AsyncIterator[httpx.AsyncClient]:
        async with httpx.AsyncClient(base_url=base, timeout=REQUEST_TIMEOUT_S) as client:
            yield client

    engine = open_engine(settings, attach=True)
    try:
        measured = await measure(engine, http_client, clients=clients, seconds=seconds, seed=seed)
        return measured, engine.name
    finally:
        await engine.close()


async def _counts_reopened(settings: Settings) -> GraphCounts:
    engine = open_engine(settings, attach=True)
    try:
        return await reconciliation.counts(engine)
    finally:
        await engine.close()


def machine() -> str:
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs visible, "
        f"Python {platform.python_version()}"
    )


def run(
    *, seconds: float, clients: int, mines: int, demo_seed: int, seed: int, workers: int
) -> LoadReport:
    with tempfile.TemporaryDirectory(prefix="greenmine-load-") as tmp:
        data_dir, log = Path(tmp) / "data", Path(tmp) / "server.log"
        env = _environment(data_dir)
        _seed_demo(env, mines=mines, demo_seed=demo_seed)
        port = _free_port()
        settings = Settings.from_environ(env)
        server = _start_server(env, port, workers, log)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_ready(base, server, log)
            measured, engine = asyncio.run(
                _measure_served(settings, base, clients=clients, seconds=seconds, seed=seed)
            )
        finally:
            _stop_server(server)
        reopened = asyncio.run(_counts_reopened(settings))
        return LoadReport(
            measured=measured,
            reopened=reopened,
            demo_mines=mines,
            engine=engine,
            machine=machine(),
            log_tail=[] if measured.ok else _tail(log),
        )
