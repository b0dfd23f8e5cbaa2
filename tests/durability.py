"""A harness for durability tests: a real `greenmine serve` on the embedded engine, writers that
stream writes through the HTTP API, a `kill -9` of the database process in the middle, and a
check that every acknowledged write is there whole and no write is there in part.

Write kinds plug in: a `WriteKind` prepares what its writes need (through the API, before the
stream), makes the next write for a writer, hears each outcome (so a later write can build on an
acknowledged one), and at the end checks the graph (read through the analyst Cypher endpoint)
against what was acknowledged. Kinds: `LiaisonAppointments` here, `CaseFilings` in
`tests/durability_cases.py`; the stream interleaves them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx

ROOT = Path(__file__).resolve().parent.parent
ADMIN_SECRET = "durability-admin-secret"
HANG_GUARD_S = 30.0
CYPHER = "query($q: String!, $p: JSON) { cypher(query: $q, params: $p) { columns rows truncated } }"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Service:
    """`greenmine serve` in a subprocess, with an admin secret and an analyst token."""

    process: subprocess.Popen[bytes]
    base: str
    data_dir: Path
    fsync: str
    analyst: str = ""

    @property
    def database_pid(self) -> int:
        return int(json.loads((self.data_dir / "server.json").read_text())["pid"])

    def database_pid_other_than(self, killed: set[int], within_s: float = 10.0) -> int:
        """The database's pid once it is not one of `killed`: a restarted server answers (and
        writes are acknowledged) a moment before its supervisor records the new pid."""
        deadline = time.monotonic() + within_s
        while (pid := self.database_pid) in killed:
            assert time.monotonic() < deadline, f"the database's pid is still {pid}"
            time.sleep(0.01)
        return pid

    @property
    def database_port(self) -> int:
        return int(json.loads((self.data_dir / "server.json").read_text())["port"])

    def post(
        self, client: httpx.Client, query: str, variables: dict[str, Any], token: str
    ) -> httpx.Response:
        return client.post(
            f"{self.base}/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {token}"},
        )

    def admin(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """A call with the admin secret that must succeed: its `data`."""
        with httpx.Client(timeout=HANG_GUARD_S) as client:
            body = self.post(client, query, variables, ADMIN_SECRET).json()
        assert not body.get("errors"), body
        answer: dict[str, Any] = body["data"]
        return answer

    def cypher(self, query: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        with httpx.Client(timeout=HANG_GUARD_S) as client:
            body = self.post(client, CYPHER, {"q": query, "p": params or {}}, self.analyst).json()
        assert not body.get("errors"), body
        answer = body["data"]["cypher"]
        assert not answer["truncated"], "raise GREENMINE_CYPHER_ROW_LIMIT for this check"
        return [dict(zip(answer["columns"], row, strict=True)) for row in answer["rows"]]

    def healthy(self) -> bool:
        try:
            return httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False


@contextmanager
def serving(data_dir: Path, *, fsync: str = "everysec") -> Iterator[Service]:
    port = free_port()
    env = {
        **os.environ,
        "GREENMINE_DATA_DIR": str(data_dir),
        "PORT": str(port),
        "GREENMINE_FSYNC": fsync,
        "GREENMINE_ADMIN_TOKEN": ADMIN_SECRET,
        "GREENMINE_CYPHER_ROW_LIMIT": "5000",
        "GREENMINE_RESULT_CEILING": "20000",
    }
    env.pop("NEO4J_URI", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "greenmine", "serve"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    service = Service(process, f"http://127.0.0.1:{port}", data_dir, fsync)
    try:
        assert wait_until(lambda: process.poll() is not None or service.healthy(), 60)
        assert process.poll() is None, "greenmine serve exited at start"
        service.analyst = _analyst_token(data_dir)
        yield service
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _analyst_token(data_dir: Path) -> str:
    """Issued through a connection of our own to the service's database (a `greenmine token
    create` would do the same, at the cost of starting another Python)."""
    from graph.engines import open_engine
    from greenmine.config import Settings
    from resolvers.auth import Role, issue_token

    async def issue() -> str:
        engine = open_engine(Settings(data_dir=data_dir), attach=True)
        try:
            issued = await issue_token(
                engine, user="durability-check", role=Role.ANALYST, department="natural_resources"
            )
            return issued.token
        finally:
            await engine.close()

    return asyncio.run(issue())


def wait_until(condition: Callable[[], bool], timeout: float = HANG_GUARD_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


# -- writes and their outcomes -----------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    kind: str
    key: str
    query: str
    variables: dict[str, Any]
    #: what the kind needs to find the write again
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    write: Write
    acknowledged: bool
    status: int | None
    code: str | None
    seconds: float
    #: how many kills had happened when the write was sent
    kills_before: int
    #: the response's `data` when acknowledged
    answer: dict[str, Any] | None = None


@dataclass
class Verdict:
    acknowledged: int = 0
    lost: list[str] = field(default_factory=list)
    half_written: list[str] = field(default_factory=list)
    unacknowledged_present: int = 0
    unacknowledged_absent: int = 0
    broken: list[str] = field(default_factory=list)
    #: figures the kind adds to the report (e.g. how many filings, evidence items, referrals)
    notes: list[str] = field(default_factory=list)


class WriteKind(Protocol):
    name: str

    def prepare(self, service: Service) -> None:
        """What the writes need in the graph, written through the API before the stream."""

    def next(self, writer: int, seq: int) -> Write: ...

    def heard(self, outcome: Outcome) -> None:
        """Called by the writer thread after each of its writes of this kind."""

    def verify(self, service: Service, outcomes: list[Outcome]) -> Verdict: ...


def verify_each(
    service: Service, kinds: list[WriteKind], outcomes: list[Outcome]
) -> dict[str, Verdict]:
    """Each kind checks the graph against its own writes' outcomes."""
    return {
        kind.name: kind.verify(service, [o for o in outcomes if o.write.kind == kind.name])
        for kind in kinds
    }


# -- liaison appointments ----------------------------------------------------------------------

APPOINT = "mutation($i: AppointLiaisonInput!) { appointLiaison(input: $i) { code } }"
DEPARTMENTS = [
    "natural_resources", "development_reform", "science_technology", "industry_it", "finance",
    "ecology_environment", "water_resources", "emergency_management", "audit",
    "financial_affairs", "forestry_grassland", "market_regulation", "business_environment",
    "energy", "taxation", "pboc_gansu", "financial_regulation", "securities_regulation",
]  # fmt: skip


class LiaisonAppointments:
    """Each writer owns some departments and appoints successor after successor, a day apart.

    Whole: the new term (Person + LIAISON_OF since), the previous term closed on that day, and
    the AuditEntry naming the appointment. Each department's terms form one chain.
    """

    name = "appointLiaison"

    def __init__(self, writers: int, start: dt.date) -> None:
        self.writers = writers
        self.start = start

    def prepare(self, service: Service) -> None:
        """The seeded departments and liaisons are all it needs."""

    def heard(self, outcome: Outcome) -> None:
        """Each write stands alone."""

    def next(self, writer: int, seq: int) -> Write:
        own = DEPARTMENTS[writer :: self.writers]
        department = own[seq % len(own)]
        since = self.start + dt.timedelta(days=1 + seq // len(own))
        name = f"W{writer}-{seq:04d}"
        return Write(
            self.name,
            f"{department}/{name}",
            APPOINT,
            {"i": {"departmentCode": department, "name": name, "since": since.isoformat()}},
            {"department": department, "name": name, "since": since.isoformat()},
        )

    def verify(self, service: Service, outcomes: list[Outcome]) -> Verdict:
        terms = service.cypher(
            "MATCH (p:Person)-[l:LIAISON_OF]->(d:Department) "
            "RETURN d.code AS department, p.name AS name, p.id AS person, l.since AS since, "
            "l.until AS until, l.source AS source"
        )
        audits = service.cypher(
            "MATCH (a:AuditEntry {operation: 'appointLiaison'})-[:CHANGED]->(d:Department) "
            "RETURN d.code AS department, a.changes AS changes"
        )
        orphans = service.cypher(
            "MATCH (p:Person) OPTIONAL MATCH (p)-[l:LIAISON_OF]->() WITH p, count(l) AS terms "
            "WHERE terms = 0 RETURN p.id AS person"
        )
        verdict = Verdict(broken=[f"a Person without a term: {o['person']}" for o in orphans])
        term_at = {(t["department"], t["name"], t["since"]): t for t in terms}
        audited: dict[tuple[str, str, str], int] = {}
        for entry in audits:
            changes = json.loads(entry["changes"])
            key = (entry["department"], changes["name"], changes["since"])
            audited[key] = audited.get(key, 0) + 1
        verdict.broken += [f"{k} audited {n} times" for k, n in audited.items() if n > 1]
        appointed = {k for k, t in term_at.items() if t["source"] == "appointment"}
        verdict.broken += [f"{k}: a term without its audit entry" for k in appointed - set(audited)]
        verdict.broken += [
            f"{k}: an audit entry without its term" for k in set(audited) - appointed
        ]
        verdict.broken += self._chains(terms)
        for outcome in outcomes:
            facts = outcome.write.facts
            key = (facts["department"], facts["name"], facts["since"])
            present = key in term_at and key in audited
            partly = (key in term_at) != (key in audited)
            if partly:
                verdict.half_written.append(outcome.write.key)
            if outcome.acknowledged:
                verdict.acknowledged += 1
                if not present:
                    verdict.lost.append(outcome.write.key)
            elif present:
                verdict.unacknowledged_present += 1
            elif not partly:
                verdict.unacknowledged_absent += 1
        return verdict

    @staticmethod
    def _chains(terms: list[dict[str, Any]]) -> list[str]:
        """Each department: terms ordered by start, each closed on the day the next began."""
        broken = []
        by_department: dict[str, list[dict[str, Any]]] = {}
        for term in terms:
            by_department.setdefault(term["department"], []).append(term)
        for department, chain in by_department.items():
            chain.sort(key=lambda t: (t["since"], t["until"] is None))
            for earlier, later in zip(chain, chain[1:], strict=False):
                if earlier["until"] != later["since"]:
                    broken.append(
                        f"{department}: {earlier['name']} ends {earlier['until']}, "
                        f"but {later['name']} starts {later['since']}"
                    )
            if chain[-1]["until"] is not None or sum(t["until"] is None for t in chain) != 1:
                broken.append(f"{department}: not exactly one current liaison")
        return broken


# -- the stream ------------------------------------------------------------------------------


@dataclass
class Stream:
    outcomes: list[Outcome] = field(default_factory=list)
    #: (monotonic time, pid) of each kill
    kills: list[tuple[float, int]] = field(default_factory=list)
    #: seconds from each kill to the first acknowledgement after it
    recoveries: list[float] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def acknowledged(self, *, after_kill: int = 0) -> int:
        """Writes acknowledged that were sent after the `after_kill`-th kill (0: all)."""
        with self.lock:
            return sum(o.acknowledged and o.kills_before >= after_kill for o in self.outcomes)

    @property
    def refused_after_a_kill(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kills_before and not o.acknowledged]


def stream_with_kills(
    service: Service,
    kinds: list[WriteKind],
    *,
    writers: int,
    kills: int,
    acknowledged_between: int,
    limit_s: float = 60.0,
) -> Stream:
    """Writers stream writes; every `acknowledged_between` acknowledgements the database gets
    SIGKILL, `kills` times; the stream ends once as many more are acknowledged after the last
    kill (so the service has recovered each time)."""
    stream, stop = Stream(), threading.Event()
    for kind in kinds:
        kind.prepare(service)

    def writer(number: int) -> None:
        with httpx.Client(timeout=HANG_GUARD_S) as client:
            seq = 0
            while not stop.is_set():
                kind = kinds[seq % len(kinds)]
                write = kind.next(number, seq)
                seq += 1
                kills_before = len(stream.kills)
                started = time.monotonic()
                status, code, ok, answer = None, None, False, None
                try:
                    response = service.post(client, write.query, write.variables, ADMIN_SECRET)
                    status = response.status_code
                    body = response.json()
                    errors = body.get("errors") or []
                    code = (errors[0].get("extensions") or {}).get("code") if errors else None
                    ok = status == 200 and not errors and bool(body.get("data"))
                    answer = body.get("data") if ok else None
                except (httpx.HTTPError, ValueError) as error:
                    code = type(error).__name__
                finished = time.monotonic()
                outcome = Outcome(write, ok, status, code, finished - started, kills_before, answer)
                kind.heard(outcome)
                with stream.lock:
                    stream.outcomes.append(outcome)
                    if ok and len(stream.recoveries) < len(stream.kills) == kills_before:
                        stream.recoveries.append(finished - stream.kills[-1][0])

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(writers)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        for kill in range(kills + 1):
            assert wait_until(
                lambda kill=kill: stream.acknowledged(after_kill=kill) >= acknowledged_between,
                limit_s,
            )
            if kill < kills:
                pid = service.database_pid_other_than({pid for _, pid in stream.kills})
                os.kill(pid, signal.SIGKILL)
                with stream.lock:
                    stream.kills.append((time.monotonic(), pid))
    finally:
        stop.set()
        for thread in threads:
            thread.join(HANG_GUARD_S)
        stream.seconds = time.monotonic() - began
    return stream


@contextmanager
def database_held_down(service: Service, *, attempts: int = 20) -> Iterator[None]:
    """Kill the database and keep its port taken, so the service's restarts fail until the
    block ends: a listener that accepts and at once closes every connection (so calls fail
    fast, as they do when nothing listens) and keeps the restarted server from binding."""
    port = service.database_port
    squatter: socket.socket | None = None
    for _ in range(attempts):
        with suppress(ProcessLookupError):
            os.kill(service.database_pid, signal.SIGKILL)
        squatter = _take_port(port, within_s=0.5)
        if squatter is not None:
            break
    assert squatter is not None, "could not hold the database's port"
    closing = threading.Event()

    def refuse() -> None:
        assert squatter is not None
        squatter.settimeout(0.05)
        while not closing.is_set():
            try:
                connection, _ = squatter.accept()
                connection.close()
            except OSError:
                continue

    thread = threading.Thread(target=refuse, daemon=True)
    thread.start()
    try:
        yield
    finally:
        closing.set()
        thread.join(5)
        squatter.close()


def _take_port(port: int, *, within_s: float) -> socket.socket | None:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen(64)
            return sock
        except OSError:
            sock.close()
            time.sleep(0.001)
    return None
