"""The figures of a load run (`greenmine bench load`): latency per kind of request, errors,
throughput, and the reconciliation of acknowledged writes against the graph's counts. Pure: no
I/O, so it is tested on its own."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graph.reconciliation import GraphCounts, Kept
from greenmine.bench_route_speed import percentile

ALL = "all"

#: which count of the graph grows with each kind of kept node
_COUNT_OF = {
    Kept.MINE: "mines",
    Kept.CASE: "cases",
    Kept.DRAW: "draws",
    Kept.RESULT: "results",
}


@dataclass(frozen=True)
class Sample:
    """One request: its kind, how long it took to answer, and why it failed (None: it did not)."""

    kind: str
    ms: float
    error: str | None = None


@dataclass(frozen=True)
class KindStats:
    kind: str
    requests: int
    errors: int
    p50_ms: float
    p99_ms: float
    max_ms: float


def _stats(kind: str, samples: Sequence[Sample]) -> KindStats:
    times = [s.ms for s in samples]
    return KindStats(
        kind=kind,
        requests=len(samples),
        errors=sum(1 for s in samples if s.error is not None),
        p50_ms=percentile(times, 0.5),
        p99_ms=percentile(times, 0.99),
        max_ms=max(times),
    )


def summarize(samples: Sequence[Sample], kinds: Sequence[str] = ()) -> list[KindStats]:
    """A line per kind (in the order of `kinds`, then any other kind by name) and one for all."""
    by_kind: dict[str, list[Sample]] = {}
    for sample in samples:
        by_kind.setdefault(sample.kind, []).append(sample)
    order = [k for k in kinds if k in by_kind]
    order += sorted(set(by_kind) - set(order))
    lines = [_stats(kind, by_kind[kind]) for kind in order]
    if samples:
        lines.append(_stats(ALL, samples))
    return lines


@dataclass(frozen=True)
class Reconciled:
    """One kind of write: how many the API acknowledged, how much the graph's count grew, and how
    many of the acknowledged keys the graph holds. All three must agree."""

    what: str
    acknowledged: int
    grew_by: int
    found: int

    @property
    def ok(self) -> bool:
        return self.acknowledged == self.grew_by == self.found


def reconcile(
    before: GraphCounts,
    after: GraphCounts,
    acknowledged: Mapping[Kept, Sequence[str]],
    present: Mapping[Kept, set[str]],
) -> list[Reconciled]:
    """Each kept kind, then the audit entries: one per acknowledged write of any kind."""
    lines = []
    for kind, count in _COUNT_OF.items():
        keys = acknowledged.get(kind, ())
        grew = getattr(after, count) - getattr(before, count)
        held = len(set(keys) & present.get(kind, set()))
        lines.append(Reconciled(kind.value, len(keys), grew, held))
    writes = sum(len(keys) for keys in acknowledged.values())
    audit_growth = after.audit_entries - before.audit_entries
    lines.append(Reconciled("AuditEntry", writes, audit_growth, audit_growth))
    return lines


def throughput(requests: int, seconds: float) -> float:
    return requests / seconds if seconds > 0 else 0.0
