"""Cases from the co-building departments' routine supervision, for provinces at national scale
(`greenmine seed --demo --cases-per-mine X`, `greenmine bench scale`).

Besides the yearly random spot checks of at least 10% of the listed mines (二(三), generated in
`seed/demo/generator.py`), each department supervises every mine under its own duties (二(二):
ecology and environment, water, emergency management, forestry...) and feeds the problems it
finds back to Natural Resources with a recommendation (二(四)). The graph has no node for a
routine inspection that found nothing, so these inspections show up as the cases they produce:
every mine gets on average `cases_per_mine` cases over the simulated years (the demo's own
stories included), filed on days spread from the start of the joint meeting's calendar to
today, oldest first, each walked through the same workflow and rows as the stories of
`seed/demo/cases.py`: filed with evidence, mostly referred and decided at the next quarterly
session (kept, rectified, now and then removed), some leads transferred (with penalties), some
still open, a few withdrawn.

A decision that would move the mine (RECTIFY, REMOVE) needs the mine `LISTED` on a day after its
last change (the state machine only appends); otherwise the meeting keeps it (KEEP changes
nothing in the mine's history). Linear in the number of mines, and the same for the same seed;
with `cases_per_mine` unset the demo is exactly the stories of `seed/demo/cases.py`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from resolvers.case_workflow import CaseAction, DecisionOutcome
from seed.demo.cases import (
    ADMIN,
    COMPETENT,
    LEAD_TARGETS,
    PROBLEMS,
    CaseRows,
    SimMine,
    Simulation,
)

#: what becomes of a case found in routine supervision (weights); the outcomes that move the
#: mine fall back to KEEP when the mine is not LISTED at the decision
ROUTINE_KINDS: tuple[tuple[str, float], ...] = (
    ("keep", 0.66),
    ("rectify", 0.16),
    ("remove", 0.02),
    ("open", 0.11),
    ("withdrawn", 0.05),
)
#: of the routine cases whose condition has a lead target, how many hand a lead on
ROUTINE_LEAD_SHARE = 0.3
#: no case is filed in the last few days before today (they are still being written up)
LAST_DAYS = 5
#: the most cases per mine a province may ask for (a bound on the load, not a rule)
MAX_CASES_PER_MINE = 20.0

_OUTCOMES = {
    "keep": DecisionOutcome.KEEP,
    "rectify": DecisionOutcome.RECTIFY,
    "remove": DecisionOutcome.REMOVE,
}


class RoutineSimulation(Simulation):
    """The stories of `Simulation`, then the cases of routine supervision up to
    `cases_per_mine` a mine on average."""

    def __init__(
        self,
        mines: Sequence[SimMine],
        *,
        seed: int,
        today: dt.date,
        batch: str,
        cases_per_mine: float,
    ) -> None:
        super().__init__(mines, seed=seed, today=today, batch=batch)
        self.cases_per_mine = cases_per_mine
        self.kinds, self.weights = zip(*ROUTINE_KINDS, strict=True)

    def run(self) -> CaseRows:
        rows = super().run()
        if not self.mines:
            return rows
        wanted = self.cases_per_mine * len(self.mines) - len(rows.cases)
        rate = wanted / len(self.mines)
        if rate <= 0:
            return rows
        # the sessions' calendar starts in March three years back: cases from that January on
        start = dt.date(self.today.year - 3, 1, 1)
        end = self.today - dt.timedelta(days=LAST_DAYS)
        for mine in self.mines:
            count = self._poisson(rate)
            if not count:
                continue
            registered = dt.date.fromisoformat(str(mine.props["registeredAt"])[:10])
            first = max(start, registered + dt.timedelta(days=1))
            if first > end:
                continue
            span = (end - first).days
            for found in sorted(self._day(first, 0, span) for _ in range(count)):
                self._routine_case(mine, found)
        return rows

    def _poisson(self, rate: float) -> int:
        """How many cases one mine gets (Knuth's method: rates are small)."""
        limit, product, count = math.exp(-rate), self.rng.random(), 0
        while product > limit:
            product *= self.rng.random()
            count += 1
        return count

    def _routine_case(self, mine: SimMine, found: dt.date) -> None:
        rng = self.rng
        kind = rng.choices(self.kinds, self.weights)[0]
        condition = rng.choice(sorted(PROBLEMS))
        description, evidence = PROBLEMS[condition]
        reporter = rng.choice(COMPETENT.get(condition) or (ADMIN,))
        case = self._file(mine, reporter, condition, found, description,
                          f"{found.year}年度例行监督检查记录：{evidence}")  # fmt: skip
        if condition in LEAD_TARGETS and rng.random() < ROUTINE_LEAD_SHARE:
            self._transfers(case)
        if kind == "open":
            if rng.random() < 0.5:
                self._refer(case)
            return
        if kind == "withdrawn":
            on = self._day(case.last_on, 3, 30)
            if on <= self.today:
                case.event(CaseAction.WITHDRAW, on, "经核实问题已当场整改，撤回")
                self._keep(case)
            return
        self._refer_and_decide(case, _OUTCOMES[kind], keep_when_late=True)


def simulate_routine(
    mines: Sequence[SimMine], *, seed: int, today: dt.date, batch: str, cases_per_mine: float
) -> CaseRows:
    """The demo's case stories and, on top, routine supervision's cases up to `cases_per_mine`
    a mine on average."""
    if not 0 <= cases_per_mine <= MAX_CASES_PER_MINE:
        raise ValueError(
            f"cases per mine must be between 0 and {MAX_CASES_PER_MINE:g}, not {cases_per_mine}"
        )
    simulation = RoutineSimulation(
        mines, seed=seed, today=today, batch=batch, cases_per_mine=cases_per_mine
    )
    return simulation.run()
