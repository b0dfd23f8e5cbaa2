"""Loads the synthetic demo province into the graph in UNWIND batches (linear in the number of
mines, with progress), and removes it again."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graph import case_demo, demo, mines
from graph.audit import AuditEntry
from graph.engine import Engine
from graph.statements import Statement
from graph.values import WriteStats
from resolvers.errors import Conflict
from seed.demo.generator import ACTOR, DemoProvince, generate
from seed.demo.routine_cases import MAX_CASES_PER_MINE
from seed.loader import ensure_seeded

DEFAULT_MINES = 400
DEFAULT_SEED = 2024
BATCH_SIZE = 1000
REMOVE_BATCH = 5000

#: (step, rows written so far, rows in the step)
Progress = Callable[[str, int, int], None]


@dataclass
class DemoReport:
    batch_id: str
    mines: int
    seconds: float = 0.0
    #: of `seconds`: generating the rows, writing them, and rewriting the engine's append-only
    #: file afterwards (FalkorDB)
    generate_seconds: float = 0.0
    write_seconds: float = 0.0
    compact_seconds: float = 0.0
    steps: list[tuple[str, int, WriteStats]] = field(default_factory=list)

    def rows(self, step: str) -> int:
        """How many rows a step wrote ("cases", "referrals"...)."""
        return sum(rows for name, rows, _ in self.steps if name == step)

    @property
    def total(self) -> WriteStats:
        total = WriteStats()
        for _, _, stats in self.steps:
            total = total + stats
        return total


def _chunks(rows: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def _steps(province: DemoProvince) -> list[tuple[str, Statement, Sequence[Any]]]:
    return [
        ("mines", demo.MINES, province.mines),
        ("licences", demo.LICENCES, province.licences),
        ("lifecycle events", demo.EVENTS, province.events),
        ("event departments", demo.EVENT_DEPARTMENTS, province.event_departments),
        ("objections", demo.OBJECTIONS, province.objections),
        ("spot-check draws", demo.DRAWS, province.draws),
        ("sampled mines", demo.SAMPLES, province.samples),
        ("spot-check results", demo.RESULTS, province.results),
        ("rectifications", demo.RECTIFICATIONS, province.rectifications),
        *_case_steps(province),
    ]


def _case_steps(province: DemoProvince) -> list[tuple[str, Statement, Sequence[Any]]]:
    """The cases after the mines (their decisions link to the mines' lifecycle events), each
    step after those it links to."""
    rows = province.cases
    return [
        ("cases", case_demo.CASES, rows.cases),
        ("case steps", case_demo.EVENTS, rows.events),
        ("evidence", case_demo.EVIDENCE, rows.evidence),
        ("referrals", case_demo.REFERRALS, rows.referrals),
        ("joint-meeting sessions", case_demo.SESSIONS, rows.sessions),
        ("attendance", case_demo.ATTENDANCE, rows.attendance),
        ("agenda items covered", case_demo.AGENDA, rows.agenda),
        ("decisions", case_demo.DECISIONS, rows.decisions),
        ("decided rectifications", case_demo.RECTIFICATIONS, rows.rectifications),
        ("lead transfers", case_demo.LEADS, rows.leads),
        ("lead paths", case_demo.LEAD_LINKS, rows.lead_links),
        ("penalties", case_demo.PENALTIES, rows.penalties),
    ]


async def load_demo(
    engine: Engine,
    *,
    mines_count: int = DEFAULT_MINES,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    progress: Progress | None = None,
    batch_size: int = BATCH_SIZE,
    cases_per_mine: float | None = None,
) -> DemoReport:
    """Seed the document if needed, then write a demo province of `mines_count` mines (with
    `cases_per_mine`, routine supervision's cases up to that many a mine on average)."""
    if mines_count < 1:
        raise ValueError(f"--mines must be at least 1, not {mines_count}")
    if cases_per_mine is not None and not 0 <= cases_per_mine <= MAX_CASES_PER_MINE:
        raise ValueError(
            f"--cases-per-mine must be between 0 and {MAX_CASES_PER_MINE:g}, not {cases_per_mine}"
        )
    await ensure_seeded(engine)
    existing = await demo.batches(engine)
    if existing:
        raise Conflict(
            f"the graph already holds a demo province (batch {existing[0]['id']}); "
            "remove it first with `greenmine seed --remove-demo`"
        )
    started = time.perf_counter()
    day = today or dt.date.today()
    batch_id = f"demo-{seed}-{uuid.uuid4().hex[:6]}"
    province = generate(
        mines=mines_count, seed=seed, today=day, batch_id=batch_id, cases_per_mine=cases_per_mine
    )
    report = DemoReport(batch_id, len(province.mines))
    report.generate_seconds = time.perf_counter() - started
    writing = time.perf_counter()
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    audit = AuditEntry(
        id=uuid.uuid4().hex,
        at=now,
        actor=ACTOR,
        role="admin",
        department="natural_resources",
        operation="seedDemo",
        summary=f"synthetic demo province {batch_id}: {mines_count} mines",
        changes=AuditEntry.changes_json(
            {"batch": batch_id, "seed": seed, "mines": mines_count, "casesPerMine": cases_per_mine}
        ),
    )
    batch = {
        "id": batch_id,
        "seed": seed,
        "mines": len(province.mines),
        "generatedFor": day.isoformat(),
        "createdAt": now,
        "descriptionZh": "演示用合成数据：虚构的甘肃省矿山、证照、名录历史、抽查与案件，非真实数据",
        "descriptionEn": "Synthetic demo data: made-up Gansu mines, licences, list histories, "
        "spot checks and cases; not real data",
    }
    report.steps.append(("demo batch", 1, await demo.create_batch(engine, batch, audit.params())))
    for name, statement, rows in _steps(province):
        stats = WriteStats()
        done = 0
        for chunk in _chunks(rows, batch_size):
            stats = stats + await demo.write_batch(engine, statement, chunk)
            done += len(chunk)
            if progress is not None:
                progress(name, done, len(rows))
        report.steps.append((name, len(rows), stats))
    compacting = time.perf_counter()
    report.write_seconds = compacting - writing
    await engine.compact()  # so the next start does not replay every batch
    report.compact_seconds = time.perf_counter() - compacting
    report.seconds = time.perf_counter() - started
    return report


async def ensure_demo(engine: Engine, *, progress: Progress | None = None) -> DemoReport | None:
    """Load the demo province when the graph has no mines at all (a first `make run`)."""
    if await mines.any_mine(engine) or await demo.batches(engine):
        return None
    return await load_demo(engine, progress=progress)


async def remove_demo(engine: Engine, *, progress: Progress | None = None) -> int:
    """Delete every synthetic node, label by label, a batch at a time; returns how many."""
    removed = 0
    for label in demo.SYNTHETIC_LABELS:
        while True:
            deleted = await demo.remove_some(engine, label, REMOVE_BATCH)
            removed += deleted
            if progress is not None and deleted:
                progress(label, removed, removed)
            if deleted < REMOVE_BATCH:
                break
    if removed:
        await engine.compact()  # thousands of deletions would otherwise be replayed at start
    return removed
