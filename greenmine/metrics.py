"""Prometheus metrics of the service, exposed at /metrics.

One set of metrics per app (each in its own registry, so apps in one process never collide).
Under `greenmine serve --workers N` every worker writes its samples to files in a directory the
parent shares with them (prometheus-client's multiprocess mode), and /metrics, whichever worker
answers it, reports the sum over all workers; `greenmine_engine_up` is the most recent value any
live worker saw.

Labels stay bounded: routes are the app's route templates (unknown paths count as
`(unmatched)`), and GraphQL operation names, which clients choose, are capped at
`MAX_OPERATIONS` distinct names per process; later names count as `(other)`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess

MAX_OPERATIONS = 100
MAX_NAME_LENGTH = 64
NO_OPERATION = "-"  # a request that is not a GraphQL operation (/healthz, the GraphiQL page)
INVALID = "(invalid)"  # a GraphQL request that failed to parse or validate
ANONYMOUS = "(anonymous)"  # a valid operation without a name
OTHER = "(other)"
UNMATCHED_ROUTE = "(unmatched)"

# seconds; the API answers most requests in a few milliseconds
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
ROUND_TRIP_BUCKETS = (0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64)

CONTENT_TYPE = CONTENT_TYPE_LATEST


@dataclass
class OperationLabels:
    """Turns client-chosen operation names into a bounded set of label values."""

    limit: int = MAX_OPERATIONS
    _seen: set[str] = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def label(self, name: str) -> str:
        name = name[:MAX_NAME_LENGTH]
        if name in self._seen:
            return name
        with self._lock:
            if len(self._seen) >= self.limit:
                return OTHER
            self._seen.add(name)
        return name


@dataclass
class Metrics:
    registry: CollectorRegistry
    requests: Counter
    latency: Histogram
    round_trips: Histogram
    graphql_errors: Counter
    engine_up: Gauge
    operations: OperationLabels
    multiprocess_dir: Path | None

    @classmethod
    def create(cls, multiprocess_dir: Path | None = None) -> Metrics:
        registry = CollectorRegistry(auto_describe=True)
        return cls(
            registry=registry,
            requests=Counter(
                "greenmine_requests",
                "HTTP requests answered, by route, method, status and GraphQL operation.",
                ("route", "method", "status", "operation"),
                registry=registry,
            ),
            latency=Histogram(
                "greenmine_request_duration_seconds",
                "Time to answer an HTTP request, by route and GraphQL operation.",
                ("route", "operation"),
                buckets=LATENCY_BUCKETS,
                registry=registry,
            ),
            round_trips=Histogram(
                "greenmine_engine_round_trips_per_request",
                "Statements sent to the graph database while answering one request.",
                ("route", "operation"),
                buckets=ROUND_TRIP_BUCKETS,
                registry=registry,
            ),
            graphql_errors=Counter(
                "greenmine_graphql_errors",
                "GraphQL errors returned, by operation and extensions.code.",
                ("operation", "code"),
                registry=registry,
            ),
            engine_up=Gauge(
                "greenmine_engine_up",
                "1 when the graph database answered the last health check, else 0.",
                ("engine",),
                registry=registry,
                multiprocess_mode="livemostrecent",
            ),
            operations=OperationLabels(),
            multiprocess_dir=multiprocess_dir,
        )

    def observe(
        self,
        *,
        route: str,
        method: str,
        status: int,
        operation: str,
        seconds: float,
        round_trips: int,
        error_codes: list[str],
    ) -> None:
        self.requests.labels(route, method, str(status), operation).inc()
        self.latency.labels(route, operation).observe(seconds)
        self.round_trips.labels(route, operation).observe(round_trips)
        for code in error_codes:
            self.graphql_errors.labels(operation, code).inc()

    def set_engine_up(self, engine: str, up: bool) -> None:
        self.engine_up.labels(engine).set(1 if up else 0)

    def exposition(self) -> bytes:
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        # the workers' samples live in files; collect them in a registry of their own
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(  # type: ignore[no-untyped-call]
            registry, path=str(self.multiprocess_dir)
        )
        return generate_latest(registry)

    def process_exiting(self, pid: int) -> None:
        """Drop this worker's live gauges (multiprocess mode); its counters keep counting."""
        if self.multiprocess_dir is not None:
            prometheus_multiprocess.mark_process_dead(  # type: ignore[no-untyped-call]
                pid, str(self.multiprocess_dir)
            )
