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
    # limits (see `Limits`)
    "GREENMINE_MAX_DEPTH",
    "GREENMINE_MAX_TOKENS",
    "GREENMINE_MAX_ALIASES",
    "GREENMINE_MAX_PAGE_SIZE",
    "GREENMINE_MAX_STRING_LENGTH",
    "GREENMINE_MAX_BODY_BYTES",
    "GREENMINE_CYPHER_ROW_LIMIT",
    "GREENMINE_CYPHER_TIMEOUT_MS",
    "GREENMINE_CYPHER_MAX_PARAMS_BYTES",
    "GREENMINE_RESULT_CEILING",
    "GREENMINE_QUERY_MEMORY_MB",
    "GREENMINE_DEBUG_ROUND_TRIPS",
)


@dataclass(frozen=True)
class Limits:
    """What one request may ask of the service; each has a GREENMINE_* variable (README)."""

    #: nesting of selections in one operation (introspection fields are not counted)
    max_depth: int = 10
    #: lexical tokens in one GraphQL document (the full introspection query has ~180)
    max_tokens: int = 2_000
    #: aliased fields in one document
    max_aliases: int = 30
    #: the largest `first`/`last`/`limit` any list accepts
    max_page_size: int = 100
    #: characters in any one string argument or input field
    max_string_length: int = 10_000
    #: bytes of an HTTP request body (413 above it)
    max_body_bytes: int = 1_048_576
    #: rows an analyst's Cypher query returns before it is cut (and marked truncated)
    cypher_row_limit: int = 1_000
    #: server-side time limit of an analyst's Cypher query
    cypher_timeout_ms: int = 5_000
    #: bytes of an analyst's query parameters, as JSON
    cypher_max_params_bytes: int = 65_536
    #: rows any single read may return from the embedded FalkorDB (its RESULTSET_SIZE)
    result_ceiling: int = 10_000
    #: memory one query may use in the embedded FalkorDB (its QUERY_MEM_CAPACITY), in MiB
    query_memory_mb: int = 512


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
    limits: Limits = field(default_factory=Limits)
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
        query_timeout_ms = _int(env, "GREENMINE_QUERY_TIMEOUT_MS", 10_000, minimum=1)
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
            query_timeout_ms=query_timeout_ms,
            seed_on_start=_bool(env, "GREENMINE_SEED_ON_START", True),
            demo_on_start=_bool(env, "GREENMINE_DEMO_ON_START", False),
            introspection=_bool(env, "GREENMINE_INTROSPECTION", True),
            workers=_int(env, "GREENMINE_WORKERS", 1, minimum=1, maximum=MAX_WORKERS),
            log_format=_choice(env, "GREENMINE_LOG_FORMAT", "text", LOG_FORMATS),
            log_level=_choice(env, "GREENMINE_LOG_LEVEL", "INFO", LOG_LEVELS, upper=True),
            run_dir=Path(run_dir) if run_dir else None,
            limits=_limits(env, query_timeout_ms),
            debug_round_trips=_bool(env, "GREENMINE_DEBUG_ROUND_TRIPS", False),
        )


def _limits(env: Mapping[str, str], query_timeout_ms: int) -> Limits:
    d = Limits()
    row_limit = _int(env, "GREENMINE_CYPHER_ROW_LIMIT", d.cypher_row_limit, minimum=1)
    ceiling = _int(env, "GREENMINE_RESULT_CEILING", d.result_ceiling, minimum=2)
    if ceiling <= row_limit:
        raise ConfigError(
            f"GREENMINE_RESULT_CEILING={ceiling} must be above GREENMINE_CYPHER_ROW_LIMIT="
            f"{row_limit}, so that a cut analyst result can be told from a complete one"
        )
    # the engines' socket timeout follows GREENMINE_QUERY_TIMEOUT_MS: an analyst's query may
    # not outlast it, or the connection would give up before the database does
    cypher_timeout = _int(
        env,
        "GREENMINE_CYPHER_TIMEOUT_MS",
        min(d.cypher_timeout_ms, query_timeout_ms),
        minimum=1,
        maximum=query_timeout_ms,
    )
    return Limits(
        max_depth=_int(env, "GREENMINE_MAX_DEPTH", d.max_depth, minimum=1),
        max_tokens=_int(env, "GREENMINE_MAX_TOKENS", d.max_tokens, minimum=1),
        max_aliases=_int(env, "GREENMINE_MAX_ALIASES", d.max_aliases, minimum=0),
        max_page_size=_int(env, "GREENMINE_MAX_PAGE_SIZE", d.max_page_size, minimum=1),
        max_string_length=_int(env, "GREENMINE_MAX_STRING_LENGTH", d.max_string_length, minimum=1),
        max_body_bytes=_int(env, "GREENMINE_MAX_BODY_BYTES", d.max_body_bytes, minimum=1024),
        cypher_row_limit=row_limit,
        cypher_timeout_ms=cypher_timeout,
        cypher_max_params_bytes=_int(
            env, "GREENMINE_CYPHER_MAX_PARAMS_BYTES", d.cypher_max_params_bytes, minimum=2
        ),
        result_ceiling=ceiling,
        query_memory_mb=_int(env, "GREENMINE_QUERY_MEMORY_MB", d.query_memory_mb, minimum=1),
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
