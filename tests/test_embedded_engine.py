"""The embedded FalkorDB: owned data directories, clean stops, no orphans, data kept across kills."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis.exceptions import ResponseError

from graph import statements
from graph.embedded import EmbeddedServer, read_endpoint
from graph.engines import open_engine
from graph.errors import DataDirInUse, GraphUnavailable
from graph.falkordb_engine import FalkorDBEngine
from greenmine.config import Settings
from seed.loader import seed_document
from tests.conftest import FIXED_NOW

COUNT_DEPARTMENTS = statements.read(
    "test.count_departments", "MATCH (d:Department) RETURN count(d) AS n"
)
COUNT_ALL = statements.read("test.count_all", "MATCH (n) RETURN count(n) AS n")
HANG_GUARD_S = 20


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split()[2] != "Z"
    except OSError:
        return False


def wait_until(condition: object, timeout: float = HANG_GUARD_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def settings_in(path: Path) -> Settings:
    return Settings(data_dir=path, graph_name="lifecycle")


async def count(engine: FalkorDBEngine, statement: statements.Statement = COUNT_ALL) -> int:
    row = (await engine.read(statement)).single()
    return int(row["n"]) if row else 0


def test_stopping_leaves_no_server_process(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path)
    server.start()
    pid = server.pid
    assert pid is not None and alive(pid)
    server.stop()
    assert not alive(pid)
    assert read_endpoint(tmp_path) is None


def test_a_second_owner_of_the_data_directory_is_refused(tmp_path: Path) -> None:
    first = EmbeddedServer(tmp_path)
    first.start()
    try:
        with pytest.raises(DataDirInUse, match=str(tmp_path.resolve())):
            EmbeddedServer(tmp_path).start()
        with pytest.raises(DataDirInUse, match="already in use"):
            open_engine(settings_in(tmp_path), attach=False)
    finally:
        first.stop()


async def test_restart_keeps_the_seeded_graph(tmp_path: Path) -> None:
    engine = open_engine(settings_in(tmp_path))
    assert isinstance(engine, FalkorDBEngine)
    await seed_document(engine, today=FIXED_NOW.date())
    before = await count(engine)
    await engine.close()

    again = open_engine(settings_in(tmp_path))
    assert isinstance(again, FalkorDBEngine)
    try:
        assert await count(again) == before > 150
    finally:
        await again.close()


async def test_command_line_calls_attach_to_a_running_server(tmp_path: Path) -> None:
    owner = open_engine(settings_in(tmp_path), attach=False)
    assert isinstance(owner, FalkorDBEngine) and owner.server is not None
    try:
        await seed_document(owner, today=FIXED_NOW.date())
        visitor = open_engine(settings_in(tmp_path), attach=True)
        assert isinstance(visitor, FalkorDBEngine)
        assert visitor.server is None
        assert await count(visitor, COUNT_DEPARTMENTS) == 18
        await visitor.close()
        assert owner.server.is_running(), "a visitor's close must not stop the owner's server"
    finally:
        await owner.close()


async def test_calls_to_a_stopped_server_fail_fast_with_a_clear_error(tmp_path: Path) -> None:
    owner = EmbeddedServer(tmp_path)
    owner.start()
    visitor = open_engine(settings_in(tmp_path), attach=True)
    assert isinstance(visitor, FalkorDBEngine)
    try:
        assert await count(visitor) == 0
        owner.stop()
        with pytest.raises(GraphUnavailable, match="not answering"):
            await asyncio.wait_for(count(visitor), timeout=HANG_GUARD_S)
        assert not await visitor.ping()
    finally:
        await visitor.close()
        owner.stop()


async def test_kill_9_of_the_server_is_survived_with_every_node(tmp_path: Path) -> None:
    engine = open_engine(settings_in(tmp_path))
    assert isinstance(engine, FalkorDBEngine) and engine.server is not None
    try:
        await seed_document(engine, today=FIXED_NOW.date())
        before = await count(engine)
        old_pid = engine.server.pid
        assert old_pid is not None
        os.kill(old_pid, signal.SIGKILL)
        assert wait_until(lambda: not alive(old_pid))
        # the supervisor restarts it from its append-only file; meanwhile calls fail fast
        assert wait_until(lambda: engine.server is not None and engine.server.is_running())
        recovered = None
        for _ in range(200):
            try:
                recovered = await count(engine)
                break
            except GraphUnavailable:
                await asyncio.sleep(0.05)
        assert recovered == before
        assert engine.server.pid != old_pid
    finally:
        await engine.close()


OWNER_SCRIPT = """
import sys, time
from pathlib import Path
from graph.engines import open_engine
from greenmine.config import Settings
engine = open_engine(Settings(data_dir=Path(sys.argv[1])), attach=False)
print(engine.server.pid, flush=True)
time.sleep(600)
"""


def test_killing_the_owning_process_takes_its_server_along(tmp_path: Path) -> None:
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER_SCRIPT, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert owner.stdout is not None
        server_pid = int(owner.stdout.readline())
        assert alive(server_pid)
        owner.kill()
        owner.wait()
        assert wait_until(lambda: not alive(server_pid)), "redis-server outlived its owner"
        # and the directory is free again for the next owner
        server = EmbeddedServer(tmp_path)
        server.start()
        server.stop()
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()
        if owner.stdout is not None:
            owner.stdout.close()


class _RewritingServer:
    """The persistence side of a server that started a rewrite of its own while data was being
    written: it refuses a second one until that ends (as Redis does), then takes ours."""

    def __init__(self) -> None:
        self.own_rewrite_checks = 2  # the server's own rewrite is seen running this many times
        self.ours: list[str] = []  # the state of the server's rewrite when we asked

    async def info(self, section: str) -> dict[str, int]:
        assert section == "persistence"
        running = self.own_rewrite_checks > 0 or len(self.ours) == 1 and self.ours[0] == "taken"
        if self.own_rewrite_checks > 0:
            self.own_rewrite_checks -= 1
        elif self.ours == ["taken"]:
            self.ours.append("done")
        return {
            "aof_enabled": 1,
            "aof_rewrite_in_progress": int(running),
            "aof_rewrite_scheduled": 0,
        }

    async def bgrewriteaof(self) -> bool:
        if self.own_rewrite_checks > 0:
            raise ResponseError("Background append only file rewriting already in progress")
        self.ours.append("taken")
        return True


async def test_compaction_waits_out_the_servers_own_rewrite_and_then_rewrites_everything() -> None:
    engine = FalkorDBEngine(host="127.0.0.1", port=1, graph_name="g")
    server = _RewritingServer()
    engine._client = server  # type: ignore[assignment]
    await engine.compact()
    # ours was asked for only once the server's own had ended, and waited for to its end
    assert server.ours == ["taken", "done"]
