"""Durability of the embedded engine under `kill -9`, through the real service over HTTP.

Writers stream two kinds of write through the API, interleaved: liaison appointments, and case
filings with several evidence items each plus referrals of acknowledged cases. The database
process gets SIGKILL mid-stream; the service restarts it from its append-only file. Every
acknowledged write must be there whole (an appointment: new term, previous term closed, audit
entry; a filing: the case with all its evidence, its links, history event and audit entry; a
referral: the referral, the case REFERRED, its event and audit entry), and every other write
wholly there or wholly absent. With the database held down, the service answers 503 at once, /healthz says so, and it
recovers by itself. Figures are printed (run with -s).

GREENMINE_DURABILITY_FSYNC (comma-separated) picks the fsync policies to run; `make test` runs
the default, everysec; `make durability` runs all three.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.durability import (
    ADMIN_SECRET,
    APPOINT,
    HANG_GUARD_S,
    LiaisonAppointments,
    Service,
    WriteKind,
    database_held_down,
    serving,
    stream_with_kills,
    verify_each,
    wait_until,
)
from tests.durability_cases import CaseFilings
from tests.test_embedded_engine import alive

POLICIES = os.environ.get("GREENMINE_DURABILITY_FSYNC", "everysec").split(",")
WRITERS = 3
KILLS = 3
ACKNOWLEDGED_BETWEEN = 40


@pytest.fixture(scope="module", params=POLICIES)
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    with serving(tmp_path_factory.mktemp("durability"), fsync=str(request.param)) as running:
        yield running


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def test_kill_9_of_the_database_mid_stream_loses_no_acknowledged_write(service: Service) -> None:
    today = dt.date.today()
    kinds: list[WriteKind] = [
        LiaisonAppointments(WRITERS, today + dt.timedelta(days=1)),
        CaseFilings(WRITERS, found_on=today - dt.timedelta(days=30)),
    ]
    stream = stream_with_kills(
        service, kinds, writers=WRITERS, kills=KILLS, acknowledged_between=ACKNOWLEDGED_BETWEEN
    )
    for _, pid in stream.kills:
        assert wait_until(lambda pid=pid: not alive(pid))
    assert service.database_pid not in {pid for _, pid in stream.kills}, "it was restarted"
    verdicts = verify_each(service, kinds, stream.outcomes)
    acknowledged = sum(v.acknowledged for v in verdicts.values())
    refused = stream.refused_after_a_kill
    print(
        f"\ndurability, GREENMINE_FSYNC={service.fsync}: {len(stream.outcomes)} writes sent by "
        f"{WRITERS} writers in {stream.seconds:.1f} s across {len(stream.kills)} kill -9s of "
        f"the database ({acknowledged / stream.seconds:.0f} acknowledged/s); "
        f"first acknowledgement after each kill: {', '.join(ms(s) for s in stream.recoveries)}; "
        f"{len(refused)} refused after a kill "
        f"({', '.join(sorted({str(o.code or o.status) for o in refused})) or 'none'}), slowest "
        f"{ms(max((o.seconds for o in refused), default=0))}"
    )
    for name, verdict in verdicts.items():
        sent = sum(o.write.kind == name for o in stream.outcomes)
        print(
            f"  {name}: {sent} sent, {verdict.acknowledged} acknowledged, "
            f"{len(verdict.lost)} acknowledged lost, {len(verdict.half_written)} half-written; "
            f"not acknowledged: {verdict.unacknowledged_present} applied whole, "
            f"{verdict.unacknowledged_absent} absent"
            + "".join(f"; {note}" for note in verdict.notes)
        )
    for name, verdict in verdicts.items():
        assert verdict.lost == [], name
        assert verdict.half_written == [], name
        assert verdict.broken == [], name
        assert verdict.acknowledged > 0, f"no {name} write was acknowledged"
    assert acknowledged >= ACKNOWLEDGED_BETWEEN * (KILLS + 1)
    assert len(stream.recoveries) == KILLS
    assert {o.code for o in refused} <= {"SERVICE_UNAVAILABLE", "CONFLICT"}, (
        "a call during the outage fails as unavailable (or, when the client's one retry lands "
        "on a write the dead server had already applied, as a duplicate)"
    )


def test_while_the_database_is_down_the_service_answers_503_at_once_and_recovers(
    service: Service,
) -> None:
    query = {"query": "{ departments { code } }"}
    write = {
        "query": APPOINT,
        "variables": {"i": {"departmentCode": "audit", "name": "outage", "since": "2099-01-01"}},
    }
    headers = {"authorization": f"Bearer {ADMIN_SECRET}"}
    health_latency: list[float] = []
    call_latency: list[float] = []
    with httpx.Client(base_url=service.base, timeout=HANG_GUARD_S) as client:
        assert client.post("/graphql", json=query).status_code == 200
        with database_held_down(service):
            for _ in range(3):
                started = time.monotonic()
                health = client.get("/healthz")
                health_latency.append(time.monotonic() - started)
                assert health.status_code == 503
                assert health.json()["status"] == "unavailable"
                for body, extra in ((query, {}), (write, headers)):
                    started = time.monotonic()
                    response = client.post("/graphql", json=body, headers=extra)
                    call_latency.append(time.monotonic() - started)
                    assert response.status_code == 503, response.text
                    assert response.headers["retry-after"] == "2"
                    [error] = response.json()["errors"]
                    assert error["extensions"]["code"] == "SERVICE_UNAVAILABLE"
                    assert "Traceback" not in response.text and "redis" not in response.text
        held_until = time.monotonic()
        assert wait_until(service.healthy, 60)
        recovered = time.monotonic() - held_until
        assert client.post("/graphql", json=query).json()["data"]["departments"]
        written = client.post("/graphql", json=write, headers=headers).json()
        assert written.get("errors") is None, written
    print(
        f"\noutage: /healthz 503 in {ms(statistics.median(health_latency))} (median), calls 503 in "
        f"{ms(statistics.median(call_latency))} (median, slowest {ms(max(call_latency))}); "
        f"healthy again {ms(recovered)} after the database could restart"
    )


def test_the_append_only_file_is_compacted_once_the_seed_is_in(service: Service) -> None:
    """A restart replays the append-only file; once the seed is in, Redis rewrites it into a
    snapshot (auto-aof-rewrite-min-size), so a restart does not replay every seed statement."""
    folder = service.data_dir / "appendonlydir"

    def compacted() -> bool:
        bases = [p for p in folder.iterdir() if p.name.endswith(".base.rdb")]
        return any(p.stat().st_size > 10_000 for p in bases)

    assert wait_until(compacted, 60)
