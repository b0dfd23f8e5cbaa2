"""Every setting the service reads from its environment, in one place.

`Settings.from_environ()` reads `os.environ`; tests pass their own mapping, as Starlette's
`Config(environ=...)` does, so nothing reads the process environment behind their back.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class ConfigError(ValueError):
    """A setting has a value the service cannot use; the message names the variable."""


class EngineKind(StrEnum):
    EMBEDDED = "embedded"
    FALKORDB = "falkordb"
    NEO4J = "neo4j"


FSYNC_POLICIES = ("always", "everysec", "no")
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
MAX_WORKERS = 64

# Every environment variable the service reads; `from_environ` reads exactly these (a test holds
# it to that), so deployment files can be checked against this tuple.
VARIABLES = (
    "GREENMINE_DATA_DIR",
    "GREENMINE_GRAPH",
    "GREENMINE_FSYNC",
    "FALKORDB_URL",
    "NEO4J_URI",
    "NEO4J_USER",
    "NEO4J_PASSWORD",
    "NEO4J_DATABASE",
    "HOST",
    "PORT",
    "GREENMINE_ADMIN_TOKEN",
    "GREENMINE_QUERY_TIMEOUT_MS",
    "GREENMINE_SEED_ON_START",
    "GREENMINE_DEMO_ON_START",
    "GREENMINE_INTROSPECTION",
    "GREENMINE_WORKERS",
    "GREENMINE_LOG_FORMAT",
    "GREENMINE_LOG_LEVEL",
    "GREENMINE_RUN_DIR",
    "GREENMINE_DEBUG_ROUND_TRIPS",
)


@dataclass(frozen=True)
class Neo4jSettings:
    uri: str
    user: str
    password: str
    database: str


@dataclass(frozen=True)
class Settings:
    data_dir: Path = Path("data")
    graph_name: str = "greenmine"
    fsync: str = "everysec"
    falkordb_url: str | None = None
    neo4j: Neo4jSettings | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    admin_token: str | None = field(default=None, repr=False)
    query_timeout_ms: int = 10_000
    seed_on_start: bool = True
    #: load the synthetic demo province when the graph has no mines (`make run` turns it on)
    demo_on_start: bool = False
    introspection: bool = True
    workers: int = 1
    log_format: str = "text"
    log_level: str = "INFO"
    # set by `greenmine serve --workers N` for its workers (metrics files, the "prepared" mark)
    run_dir: Path | None = None
    #: every GraphQL response carries `extensions.roundTrips` (statements sent for it)
    debug_round_trips: bool = False

    @property
    def engine_kind(self) -> EngineKind:
        if self.neo4j is not None:
            return EngineKind.NEO4J
        if self.falkordb_url:
            return EngineKind.FALKORDB
        return EngineKind.EMBEDDED

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        fsync = _choice(env, "GREENMINE_FSYNC", "everysec", FSYNC_POLICIES)
        neo4j_uri = env.get("NEO4J_URI", "").strip()
        # read unconditionally, so every declared variable is read whatever the others say
        neo4j = Neo4jSettings(
            uri=neo4j_uri,
            user=env.get("NEO4J_USER", "neo4j"),
            password=env.get("NEO4J_PASSWORD", ""),
            database=env.get("NEO4J_DATABASE", "neo4j"),
        )
        run_dir = env.get("GREENMINE_RUN_DIR", "")
        return cls(
            data_dir=Path(env.get("GREENMINE_DATA_DIR", "data")),
            graph_name=env.get("GREENMINE_GRAPH", "greenmine"),
            fsync=fsync,
            falkordb_url=env.get("FALKORDB_URL") or None,
            neo4j=neo4j if neo4j_uri else None,
            host=env.get("HOST", "127.0.0.1"),
            port=_int(env, "PORT", 8000, minimum=0, maximum=65535),
            admin_token=env.get("GREENMINE_ADMIN_TOKEN") or None,
            query_timeout_ms=_int(env, "GREENMINE_QUERY_TIMEOUT_MS", 10_000, minimum=1),
            seed_on_start=_bool(env, "GREENMINE_SEED_ON_START", True),
            demo_on_start=_bool(env, "GREENMINE_DEMO_ON_START", False),
            introspection=_bool(env, "GREENMINE_INTROSPECTION", True),
            workers=_int(env, "GREENMINE_WORKERS", 1, minimum=1, maximum=MAX_WORKERS),
            log_format=_choice(env, "GREENMINE_LOG_FORMAT", "text", LOG_FORMATS),
            log_level=_choice(env, "GREENMINE_LOG_LEVEL", "INFO", LOG_LEVELS, upper=True),
            run_dir=Path(run_dir) if run_dir else None,
            debug_round_trips=_bool(env, "GREENMINE_DEBUG_ROUND_TRIPS", False),
        )


def _int(
    env: Mapping[str, str], name: str, default: int, *, minimum: int, maximum: int | None = None
) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ConfigError(f"{name}={value} must be {bound}")
    return value


def _choice(
    env: Mapping[str, str],
    name: str,
    default: str,
    allowed: tuple[str, ...],
    *,
    upper: bool = False,
) -> str:
    raw = env.get(name) or default
    value = raw.strip().upper() if upper else raw.strip()
    if value not in allowed:
        raise ConfigError(f"{name}={raw!r} is not one of {', '.join(allowed)}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use true or false)")
