"""`greenmine serve` with several uvicorn workers on the embedded engine: the parent owns the
database and prepares the graph once, the workers attach and answer, /metrics adds them up,
and neither Ctrl-C nor kill -9 of the parent leaves a worker or a redis-server behind."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.test_command_line import GREENMINE, ROOT, free_port
from tests.test_embedded_engine import alive, wait_until

START_TIMEOUT_S = 90
QUERY = "query WorkerDepartments { departments { code } }"


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    base: str
    data_dir: Path
    log: Path

    def lines(self) -> list[dict[str, Any]]:
        found = []
        for raw in self.log.read_text().splitlines():
            if raw.startswith("{"):
                found.append(json.loads(raw))
        return found


def children(pid: int) -> dict[int, str]:
    """The live child processes of `pid`, with their command lines."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid and fields[0] != "Z":
            found[int(entry.name)] = cmdline
    return found


def workers_of(pid: int) -> list[int]:
    return [p for p, cmd in children(pid).items() if "multiprocessing.spawn" in cmd]


def run_dir_of(worker: int) -> Path:
    environ = Path(f"/proc/{worker}/environ").read_text().split("\0")
    return Path(dict(item.split("=", 1) for item in environ if "=" in item)["GREENMINE_RUN_DIR"])


def ready(base: str) -> bool:
    try:
        return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def start(tmp_path: Path, *args: str, **environ: str) -> Served:
    port = free_port()
    log = tmp_path / "serve.log"
    env = {
        **os.environ,
        "GREENMINE_DATA_DIR": str(tmp_path / "data"),
        "PORT": str(port),
        "GREENMINE_LOG_FORMAT": "json",
        "GREENMINE_LOG_LEVEL": "DEBUG",
        **environ,
    }
    for name in ("NEO4J_URI", "FALKORDB_URL", "GREENMINE_RUN_DIR", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [*GREENMINE, "serve", *args], env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT
        )
    served = Served(process, f"http://127.0.0.1:{port}", tmp_path / "data", log)
    up = wait_until(lambda: process.poll() is not None or ready(served.base), START_TIMEOUT_S)
    assert up and process.poll() is None, f"greenmine serve did not get ready:\n{log.read_text()}"
    return served


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[Served]:
    served = start(tmp_path, GREENMINE_WORKERS="2")  # the worker count from the environment
    try:
        yield served
    finally:
        if served.process.poll() is None:
            served.process.kill()
        served.process.wait()


def operation_count(exposition: str, operation: str) -> float:
    for family in text_string_to_metric_families(exposition):
        for sample in family.samples:
            if (
                sample.name == "greenmine_request_duration_seconds_count"
                and sample.labels.get("operation") == operation
            ):
                return sample.value
    return 0.0


def test_two_workers_answer_count_together_and_ctrl_c_leaves_nothing_behind(
    two_workers: Served,
) -> None:
    served = two_workers
    parent = served.process.pid
    assert wait_until(lambda: len(workers_of(parent)) == 2)
    workers = workers_of(parent)
    database = int(json.loads((served.data_dir / "server.json").read_text())["pid"])
    assert database in children(parent), "the parent, not a worker, owns the embedded database"
    run_dir = run_dir_of(workers[0])
    assert run_dir.is_dir()

    def ask(_: int) -> int:
        with httpx.Client(base_url=served.base, timeout=30) as client:
            response = client.post("/graphql", json={"query": QUERY})
            assert len(response.json()["data"]["departments"]) == 18
            return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(ask, range(24))) == [200] * 24

    # whichever worker answers a scrape reports the requests of both
    scrapes = [httpx.get(f"{served.base}/metrics", timeout=10).text for _ in range(20)]
    assert {operation_count(s, "WorkerDepartments") for s in scrapes} == {24}

    def answered(path: str) -> set[int]:
        return {line["pid"] for line in served.lines() if line.get("path") == path}

    assert wait_until(lambda: answered("/metrics") == set(workers)), "one worker did every scrape"
    assert answered("/graphql") <= set(workers)
    lines = served.lines()
    prepared = [line for line in lines if line["message"].startswith("prepared the graph")]
    assert [line["pid"] for line in prepared] == [parent], "the graph is prepared once"

    everything = [parent, *children(parent)]
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(timeout=60) == 0
    assert wait_until(lambda: not any(alive(pid) for pid in everything))
    assert not (served.data_dir / "server.json").exists()
    assert not run_dir.exists()


def test_kill_9_of_serve_takes_its_workers_and_database_down(tmp_path: Path) -> None:
    served = start(tmp_path, "--workers", "2")
    try:
        parent = served.process.pid
        assert wait_until(lambda: len(workers_of(parent)) == 2)
        everything = list(children(parent))
        assert len(everything) >= 3  # two workers and the database
        run_dir = run_dir_of(workers_of(parent)[0])
        served.process.kill()
        served.process.wait()
        assert wait_until(lambda: not any(alive(pid) for pid in everything))
        shutil.rmtree(run_dir)  # the next `greenmine serve` would sweep it
    finally:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()


def test_the_workers_listener_gets_accepted_connections_tcp_nodelay() -> None:
    """uvicorn's own listener for workers leaves Nagle on (each keep-alive response then waits
    for a delayed ACK); the one `greenmine serve` hands its workers does not."""
    import asyncio
    import socket

    import uvicorn

    from greenmine.serving import tcp_listener

    def nodelay_of_accepted(listener: socket.socket) -> int:
        async def accept_one() -> int:
            accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

            class Probe(asyncio.Protocol):
                def connection_made(self, transport: asyncio.BaseTransport) -> None:
                    sock = transport.get_extra_info("socket")
                    accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                    transport.close()

            server = await asyncio.get_running_loop().create_server(Probe, sock=listener)
            try:
                _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
                value = await asyncio.wait_for(accepted, 10)
                writer.close()
                return value
            finally:
                server.close()
                await server.wait_closed()

        return asyncio.run(accept_one())

    def bound() -> socket.socket:
        return uvicorn.Config("x:y", host="127.0.0.1", port=0, log_config=None).bind_socket()

    assert nodelay_of_accepted(tcp_listener(bound())) != 0


def test_run_directories_left_by_a_killed_serve_are_swept(tmp_path: Path) -> None:
    from greenmine.serving import OWNER_FILE, RUN_DIR_PREFIX, sweep_run_dirs

    dead = subprocess.Popen(["true"])
    dead.wait()
    left, live, foreign = (tmp_path / f"{RUN_DIR_PREFIX}{n}" for n in ("left", "live", "foreign"))
    for run_dir in (left, live, foreign):
        (run_dir / "metrics").mkdir(parents=True)
    (left / OWNER_FILE).write_text(str(dead.pid))
    (live / OWNER_FILE).write_text(str(os.getpid()))
    sweep_run_dirs(tmp_path)
    assert not left.exists()
    assert live.is_dir() and foreign.is_dir()  # a live owner, or no owner file: not ours to judge
