"""Chooses and opens the engine the settings ask for: Neo4j, an external FalkorDB, or embedded."""

from __future__ import annotations

import logging
import time

from graph.embedded import EmbeddedServer, Endpoint, read_endpoint
from graph.engine import Engine
from graph.errors import DataDirInUse, GraphUnavailable
from graph.falkordb_engine import FalkorDBEngine
from graph.neo4j_engine import Neo4jEngine
from greenmine.config import EngineKind, Settings

log = logging.getLogger("greenmine.engines")

ATTACH_WAIT_S = 5.0


def open_engine(settings: Settings, *, attach: bool = True) -> Engine:
    """Open the configured engine.

    For the embedded engine, `attach=True` (command-line tools) connects to the server of a live
    process that owns the data directory, or starts one of its own; `attach=False` (the service)
    insists on owning the directory and refuses, with a clear message, when another process does.
    """
    kind = settings.engine_kind
    if kind is EngineKind.NEO4J:
        assert settings.neo4j is not None
        return Neo4jEngine(
            uri=settings.neo4j.uri,
            user=settings.neo4j.user,
            password=settings.neo4j.password,
            database=settings.neo4j.database,
            query_timeout_ms=settings.query_timeout_ms,
        )
    if kind is EngineKind.FALKORDB:
        assert settings.falkordb_url is not None
        return FalkorDBEngine.from_url(
            settings.falkordb_url,
            graph_name=settings.graph_name,
            query_timeout_ms=settings.query_timeout_ms,
        )
    return _open_embedded(settings, attach=attach)


def attach_engine(settings: Settings) -> Engine:
    """Open the configured engine without ever starting an embedded server.

    For the workers of `greenmine serve --workers N`: the parent owns the embedded server and
    each worker attaches to it; when no live process owns the data directory that is an error,
    not a cue to start a second server.
    """
    if settings.engine_kind is not EngineKind.EMBEDDED:
        return open_engine(settings)
    endpoint = read_endpoint(settings.data_dir)
    if endpoint is None:
        raise GraphUnavailable(
            f"no live GreenMine graph server owns {settings.data_dir.resolve()} to attach to"
        )
    return _attached(settings, endpoint)


def _open_embedded(settings: Settings, *, attach: bool) -> FalkorDBEngine:
    endpoint = read_endpoint(settings.data_dir)
    if endpoint is not None:
        if not attach:
            raise DataDirInUse(
                f"the data directory {settings.data_dir.resolve()} is already in use by a live "
                "GreenMine graph server (another `greenmine serve`?); stop it, or set "
                "GREENMINE_DATA_DIR to another directory"
            )
        return _attached(settings, endpoint)
    server = EmbeddedServer(
        settings.data_dir,
        fsync=settings.fsync,
        result_ceiling=settings.limits.result_ceiling,
        query_memory_mb=settings.limits.query_memory_mb,
    )
    try:
        endpoint = server.start()
    except DataDirInUse:
        if not attach:
            raise
        return _attached(settings, _wait_for_endpoint(settings))
    return FalkorDBEngine(
        host=endpoint.host,
        port=endpoint.port,
        password=endpoint.password,
        graph_name=settings.graph_name,
        query_timeout_ms=settings.query_timeout_ms,
        server=server,
        label="embedded falkordb",
        result_ceiling=settings.limits.result_ceiling,
    )


def _attached(settings: Settings, endpoint: Endpoint) -> FalkorDBEngine:
    log.info("attaching to the embedded falkordb at %s:%d", endpoint.host, endpoint.port)
    return FalkorDBEngine(
        host=endpoint.host,
        port=endpoint.port,
        password=endpoint.password,
        graph_name=settings.graph_name,
        query_timeout_ms=settings.query_timeout_ms,
        label="embedded falkordb (attached)",
        result_ceiling=settings.limits.result_ceiling,
    )


def _wait_for_endpoint(settings: Settings) -> Endpoint:
    """Another process won the race to start the server; wait for it to publish its address."""
    deadline = time.monotonic() + ATTACH_WAIT_S
    while time.monotonic() < deadline:
        endpoint = read_endpoint(settings.data_dir)
        if endpoint is not None:
            return endpoint
        time.sleep(0.05)
    raise DataDirInUse(
        f"another process holds {settings.data_dir.resolve()} but published no server address"
    )
