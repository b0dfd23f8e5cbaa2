"""`greenmine serve`: one process, or a parent with N uvicorn worker processes.

With workers, the parent
- owns the embedded FalkorDB when that is the engine (one process may own a data directory;
  the workers attach to it through the address it publishes in `<data_dir>/server.json`),
- prepares the graph once (constraints, first seed), retrying in the background while the
  graph does not answer, and marks it prepared in a run directory shared with the workers,
- points prometheus-client's multiprocess mode at that run directory, so /metrics in any
  worker reports all of them,
- and on exit (Ctrl-C, SIGTERM) stops the workers, then the embedded server, and removes the
  run directory.
With Neo4j or an external FalkorDB each worker opens its own driver or client.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from graph.engine import Engine
from graph.engines import attach_engine, open_engine
from graph.errors import GraphError, GraphUnavailable
from greenmine.app import PREPARE_RETRY_MAX_S, PREPARE_RETRY_S, create_app, prepare_graph
from greenmine.config import EngineKind, Settings
from greenmine.readiness import prepared_mark

log = logging.getLogger("greenmine.serve")

WORKER_APP = "greenmine.app:create_worker_app"
STOP_WAIT_S = 10.0
RUN_DIR_PREFIX = "greenmine-serve-"
OWNER_FILE = "parent.pid"


def _uvicorn_config(
    settings: Settings, app: Starlette | str, host: str, port: int, workers: int | None = None
) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        factory=isinstance(app, str),
        host=host,
        port=port,
        workers=workers,
        # logging is ours (greenmine.logs); uvicorn's access log gives way to greenmine.access
        log_config=None,
        log_level=settings.log_level.lower(),
        access_log=False,
    )


def serve_one(settings: Settings, engine: Engine, host: str, port: int) -> None:
    server = uvicorn.Server(_uvicorn_config(settings, create_app(settings, engine), host, port))
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C once it has shut down cleanly
        pass
    finally:
        # the app's shutdown normally closes the engine; this covers a start that failed earlier
        engine.release()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def serve_workers(settings: Settings, host: str, port: int, workers: int) -> None:
    # SIGTERM unwinds like Ctrl-C until uvicorn installs its own handlers
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sweep_run_dirs(Path(tempfile.gettempdir()))
    run_dir = Path(tempfile.mkdtemp(prefix=RUN_DIR_PREFIX))
    (run_dir / OWNER_FILE).write_text(str(os.getpid()))
    metrics_dir = run_dir / "metrics"
    metrics_dir.mkdir()
    # the workers are spawned, so they inherit these and read them at start
    os.environ["GREENMINE_RUN_DIR"] = str(run_dir)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    owner: Engine | None = None
    preparer = Preparer(settings, prepared_mark(run_dir))
    try:
        if settings.engine_kind is EngineKind.EMBEDDED:
            owner = open_engine(settings, attach=False)
        preparer.start()
        _run_workers(_uvicorn_config(settings, WORKER_APP, host, port, workers))
    finally:
        preparer.stop()
        if owner is not None:
            owner.release()
        shutil.rmtree(run_dir, ignore_errors=True)


def sweep_run_dirs(parent: Path) -> None:
    """Remove the run directories of `serve` processes that died without cleaning up (kill -9)."""
    for run_dir in parent.glob(f"{RUN_DIR_PREFIX}*"):
        try:
            owner = int((run_dir / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if not _alive(owner):
            shutil.rmtree(run_dir, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _run_workers(config: uvicorn.Config) -> None:
    """What `uvicorn.run(..., workers=N)` does, with a listening socket that keeps Nagle off."""
    listener = tcp_listener(config.bind_socket())
    try:
        Multiprocess(config, sockets=[listener]).run()
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()


def tcp_listener(sock: socket.socket) -> socket.socket:
    """The listener, saying it is TCP.

    uvicorn binds the socket it hands its workers with `proto` 0, and asyncio turns on
    TCP_NODELAY for accepted connections only when the listener says IPPROTO_TCP; without it
    every keep-alive response waits ~40 ms for the client's delayed ACK (uvicorn issue #3149;
    measured here: 44 ms for a 404 with two workers, against 6 ms with one).
    """
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
        return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    return sock


class Preparer:
    """Prepares the graph once for all workers; retries in a thread while it does not answer."""

    def __init__(self, settings: Settings, mark: Path) -> None:
        self.settings = settings
        self.mark = mark
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Try now (an error other than "not answering" is raised); retry in the background."""
        try:
            self._attempt()
            return
        except GraphUnavailable as error:
            log.warning("the graph is not answering at startup (%s); will keep trying", error)
        self._thread = threading.Thread(target=self._retry, name="greenmine-prepare", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=STOP_WAIT_S)

    def _retry(self) -> None:
        delay = PREPARE_RETRY_S
        while not self._stop.wait(delay):
            try:
                self._attempt()
                log.info("the graph answers again and is prepared")
                return
            except GraphError as error:
                log.warning("the graph is not ready (%s); retrying", error)
                delay = min(delay * 2, PREPARE_RETRY_MAX_S)

    def _attempt(self) -> None:
        asyncio.run(self._prepare())
        self.mark.touch()

    async def _prepare(self) -> None:
        graph = attach_engine(self.settings)
        try:
            await prepare_graph(graph, self.settings)
        finally:
            await graph.close()
