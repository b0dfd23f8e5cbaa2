"""A synthetic Gansu province, generated from a seed: mines, licences, lifecycle histories,
objections, yearly spot-check draws and results, rectifications (some overdue), and cases with
their referrals, joint-meeting decisions (the removals for a condition among them), leads and
penalties (`seed/demo/cases.py`); for national-scale provinces, routine supervision's cases up
to a few a mine (`seed/demo/routine_cases.py`, `cases_per_mine`).

Everything is made up and marked `synthetic: true` with its `demoBatch`; licence numbers contain
DEMO. The histories are walked through the real state machine (`resolvers.lifecycle.require`)
and the draws use the real sampling algorithm (`resolvers.sampling`), so the demo obeys the same
rules as real data: a draw can be re-drawn from its recorded population and seed.

Pure and linear in the number of mines: the loader (`seed/demo/loader.py`) writes the rows this
returns in UNWIND batches.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from resolvers import sampling
from resolvers.dates import add_months
from resolvers.lifecycle import (
    NEW_MINE_RULE,
    RECTIFICATION_RULE,
    SPOT_CHECK_RULE,
    Action,
    ListStatus,
    removal_clause,
    require,
    transition,
)
from seed.demo import regions
from seed.demo.cases import CaseRows, simulate
from seed.demo.routine_cases import simulate_routine
from seed.departments import DEPARTMENTS
from seed.mechanism import RULES
from seed.prefectures import BY_CODE as PREFECTURES

ACTOR = "演示数据生成器 (demo generator)"
EARLIEST = dt.date(2018, 6, 1)
Row = dict[str, Any]

_RULES = {r.code: r for r in RULES}
CO_BUILDING = tuple(d.code for d in DEPARTMENTS if d.code != "natural_resources")


def _rule_value(code: str) -> float:
    value = _RULES[code].value
    assert value is not None, code
    return float(value)


@dataclass
class DemoProvince:
    batch_id: str
    seed: int
    today: dt.date
    mines: list[Row] = field(default_factory=list)
    licences: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    event_departments: list[Row] = field(default_factory=list)
    objections: list[Row] = field(default_factory=list)
    draws: list[Row] = field(default_factory=list)
    samples: list[Row] = field(default_factory=list)
    results: list[Row] = field(default_factory=list)
    rectifications: list[Row] = field(default_factory=list)
    cases: CaseRows = field(default_factory=CaseRows)


class _Mine:
    """One mine being simulated: its properties and its history, oldest first."""

    def __init__(self, province: DemoProvince, props: Row) -> None:
        self.province = province
        self.props = props
        self.status: ListStatus | None = None
        self.events: list[Row] = []
        self.last_on = EARLIEST

    @property
    def licence(self) -> str:
        return str(self.props["licenceNumber"])

    def status_on(self, day: dt.date) -> ListStatus | None:
        status = None
        for event in self.events:
            if event["props"]["occurredOn"] <= day.isoformat():
                status = ListStatus(event["props"]["toStatus"])
        return status

    def step(
        self,
        action: Action,
        on: dt.date,
        *,
        details: str | None = None,
        departments: tuple[str, ...] = (),
        condition: int | None = None,
    ) -> str:
        """Take a lifecycle step (checked by the real state machine); returns the event id."""
        if self.status is None:
            step = transition(action)
            target = step.target
        else:
            step = require(self.status, action, licence_number=self.licence)
            target = step.target_from(self.status)
        assert target is not None
        assert on >= self.last_on, (self.licence, action, on, self.last_on)
        province = self.province
        event_id = f"{province.batch_id}-e{len(province.events) + 1}"
        props: Row = {
            "id": event_id,
            "seq": len(self.events) + 1,
            "action": action.value,
            "fromStatus": self.status.value if self.status else None,
            "toStatus": target.value,
            "occurredOn": on.isoformat(),
            "actor": ACTOR,
            "role": "admin",
            "department": "natural_resources",
            "details": details,
            "clauseRef": removal_clause(condition) if condition else (step.clause_ref or None),
            "ruleCode": step.rule_code,
            "conditionNumber": condition,
            "departments": list(departments),
            "recordedAt": f"{on.isoformat()}T09:00:00+00:00",
            "synthetic": True,
        }
        row = {"mine": self.licence, "props": _compact(props)}
        self.events.append(row)
        province.events.append(row)
        province.event_departments += [{"event": event_id, "department": d} for d in departments]
        if target != self.status:
            self.props["statusSince"] = on.isoformat()
        self.status = target
        self.last_on = on
        self.props["status"] = target.value
        self.props["eventCount"] = len(self.events)
        return event_id


def _compact(row: Row) -> Row:
    """Drop nulls: a property set to null is no property, on both engines."""
    return {k: v for k, v in row.items() if v is not None}


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


class _Generator:
    def __init__(
        self, mines: int, seed: int, today: dt.date, batch_id: str, cases_per_mine: float | None
    ) -> None:
        self.rng = random.Random(seed)
        self.count = mines
        self.cases_per_mine = cases_per_mine
        self.today = today
        self.province = DemoProvince(batch_id, seed, today)
        self.sims: list[_Mine] = []
        self.share = _rule_value(SPOT_CHECK_RULE)
        self.max_months = int(_rule_value(RECTIFICATION_RULE))
        self.new_mine_years = int(_rule_value(NEW_MINE_RULE))

    def run(self) -> DemoProvince:
        weights = [r.weight for r in regions.REGIONS]
        for index in range(1, self.count + 1):
            region = self.rng.choices(regions.REGIONS, weights)[0]
            self.sims.append(self._mine(index, region))
        for year in range(self.today.year - 3, self.today.year):
            self._spot_check(year)
        # removals for a condition come from decisions on cases, through the same simulation
        seed, batch = self.province.seed, self.province.batch_id
        if self.cases_per_mine is None:
            self.province.cases = simulate(self.sims, seed=seed, today=self.today, batch=batch)
        else:  # routine supervision's cases on top, up to that many a mine on average
            self.province.cases = simulate_routine(
                self.sims, seed=seed, today=self.today, batch=batch,
                cases_per_mine=self.cases_per_mine,
            )  # fmt: skip
        self.province.mines = [_compact(s.props) for s in self.sims]
        return self.province

    # -- a mine and its licences -----------------------------------------------------------

    def _mine(self, index: int, region: regions.Region) -> _Mine:
        rng, today = self.rng, self.today
        minerals, mineral_weights = zip(*region.minerals, strict=True)
        mineral = rng.choices(minerals, mineral_weights)[0]
        county = rng.choice(region.counties)
        bulk = mineral in regions.BULK_MINERALS
        scale = rng.choices(("LARGE", "MEDIUM", "SMALL"), (20, 35, 45) if bulk else (4, 18, 78))[0]
        stage = rng.choices(("NEW", "RECONSTRUCTION_EXPANSION", "PRODUCING"), (14, 14, 72))[0]
        production = self._production_start(stage)
        division = PREFECTURES[region.prefecture].division_code
        licence = f"C{division[:4]}DEMO{index:07d}"
        short = county[:2]
        suffix = "" if mineral.endswith("矿") else "矿"
        props: Row = {
            "licenceNumber": licence,
            "name": f"{short}{rng.choice(regions.PLACES)}{mineral}{suffix}",
            "company": f"{short}{rng.choice(regions.COMPANY_WORDS)}矿业有限责任公司",
            "mineral": mineral if mineral.endswith("矿") or mineral == "煤" else f"{mineral}矿",
            "scale": scale,
            "stage": stage,
            "prefecture": region.prefecture,
            "county": county,
            "productionStart": production.isoformat() if production else None,
            "openObjections": 0,
            "eventCount": 0,
            "synthetic": True,
            "demoBatch": self.province.batch_id,
        }
        sim = _Mine(self.province, props)
        registered = _day(rng, EARLIEST, today - dt.timedelta(days=400))
        if production is not None and production > EARLIEST:
            registered = min(registered, production)
        props["registeredAt"] = f"{registered.isoformat()}T08:00:00+00:00"
        sim.step(Action.REGISTER, registered)
        self._licences(sim, production)
        self._listing(sim, stage, production)
        return sim

    def _production_start(self, stage: str) -> dt.date | None:
        rng, today = self.rng, self.today
        if stage == "NEW":
            if rng.random() < 0.2:
                return None  # built, not yet in formal production
            return _day(rng, today - dt.timedelta(days=3 * 365), today - dt.timedelta(days=30))
        latest = today - dt.timedelta(days=3 * 365)
        return _day(rng, dt.date(1990, 1, 1), latest)

    def _licences(self, sim: _Mine, production: dt.date | None) -> None:
        rng, today = self.rng, self.today
        rows = self.province.licences
        mine = sim.licence
        start = _day(rng, dt.date(2008, 1, 1), today - dt.timedelta(days=400))
        end = start + dt.timedelta(days=365 * rng.randint(5, 20))
        while end < today:  # renewed on time: a new term from the end of the last
            start, end = end, end + dt.timedelta(days=365 * rng.randint(3, 10))
        if rng.random() < 0.05:
            end = today - dt.timedelta(days=rng.randint(1, 500))  # expired, not renewed in time
            start = min(start, end - dt.timedelta(days=365 * 3))
        rows.append(_licence(mine, "MINING", mine, start, end))
        if rng.random() < 0.97:
            start = _day(rng, today - dt.timedelta(days=3 * 365), today - dt.timedelta(days=30))
            end = add_months(start, 36)
            if rng.random() < 0.06:
                end = today - dt.timedelta(days=rng.randint(1, 300))
                start = add_months(end, -36)
            number = f"(甘)FM安许证字[{start.year}]{rng.randint(1, 9999):04d}号"
            rows.append(_licence(mine, "SAFETY_PRODUCTION", number, start, end))
        if rng.random() < 0.98:
            start = _day(rng, dt.date(2000, 1, 1), dt.date(2016, 12, 31))
            until = None if rng.random() < 0.7 else start + dt.timedelta(days=365 * 30)
            revoked = (
                today - dt.timedelta(days=rng.randint(10, 400)) if rng.random() < 0.01 else None
            )
            code = f"91{PREFECTURES[sim.props['prefecture']].division_code}{rng.randrange(16**10):010X}"
            rows.append(_licence(mine, "BUSINESS", code, start, until, revoked))

    # -- the listing process ---------------------------------------------------------------

    def _listing(self, sim: _Mine, stage: str, production: dt.date | None) -> None:
        rng, today = self.rng, self.today
        if stage == "NEW":
            if production is None or rng.random() < 0.35:
                return  # has not applied (yet): some of these are overdue for verification
            applied = production + dt.timedelta(days=rng.randint(60, 420))
        else:
            if rng.random() < 0.35:
                return
            applied = _day(rng, max(sim.last_on, EARLIEST), today - dt.timedelta(days=20))
        applied = max(applied, sim.last_on)
        if applied > today:
            return
        sim.step(Action.APPLY, applied)
        evaluated = applied + dt.timedelta(days=rng.randint(20, 90))
        if evaluated > today:
            return
        evaluator = rng.choice(regions.EVALUATORS)
        passed = rng.random() > 0.06
        sim.step(
            Action.PASS_EVALUATION if passed else Action.FAIL_EVALUATION,
            evaluated,
            details=f"第三方评估机构：{evaluator}",
        )
        sim.props.update(
            evaluator=evaluator, evaluatedOn=evaluated.isoformat(), appliedOn=applied.isoformat()
        )
        if not passed:
            return
        verified = evaluated + dt.timedelta(days=rng.randint(15, 60))
        if verified > today:
            return
        passed = rng.random() > 0.04
        taking = ("natural_resources", *rng.sample(CO_BUILDING, rng.randint(2, 3)))
        sim.step(
            Action.PASS_VERIFICATION if passed else Action.FAIL_VERIFICATION,
            verified,
            departments=taking,
        )
        if not passed:
            return
        sim.props["verifiedOn"] = verified.isoformat()
        start = verified + dt.timedelta(days=rng.randint(5, 30))
        if start > today:
            return
        end = start + dt.timedelta(days=9)
        sim.step(Action.START_NOTICE, start)
        sim.props.update(noticeStart=start.isoformat(), noticeEnd=end.isoformat())
        if rng.random() < 0.1 and start + dt.timedelta(days=3) <= today:
            self._objection(sim, start, end)
            if sim.status is ListStatus.REJECTED or sim.props["openObjections"]:
                return
        listed = max(end, sim.last_on) + dt.timedelta(days=rng.randint(1, 20))
        if listed > today:
            return
        sim.step(Action.LIST, listed)
        sim.props["listedOn"] = listed.isoformat()

    def _objection(self, sim: _Mine, start: dt.date, end: dt.date) -> None:
        rng = self.rng
        received = start + dt.timedelta(days=rng.randint(1, 3))
        summary = "反映矿区扬尘影响周边农田" if rng.random() < 0.5 else "反映复垦承诺未兑现"
        recorded = sim.step(Action.RECORD_OBJECTION, received, details=summary)
        resolved = received + dt.timedelta(days=rng.randint(3, 15))
        if resolved > self.today:
            sim.props["openObjections"] = 1
            self._objection_row(sim, received, summary, recorded, None, None, None)
            return
        upheld = rng.random() < 0.3
        resolution = (
            "经核实情况属实，不予纳入名录" if upheld else "经核实反映问题已整改到位，异议不成立"
        )
        action = Action.UPHOLD_OBJECTION if upheld else Action.DISMISS_OBJECTION
        closed = sim.step(action, resolved, details=resolution)
        self._objection_row(sim, received, summary, recorded, resolved, upheld, closed, resolution)

    def _objection_row(
        self,
        sim: _Mine,
        received: dt.date,
        summary: str,
        recorded: str,
        resolved: dt.date | None,
        upheld: bool | None,
        closed: str | None,
        resolution: str | None = None,
    ) -> None:
        self.province.objections.append(
            {
                "mine": sim.licence,
                "recordedBy": recorded,
                "resolvedBy": closed,
                "props": _compact(
                    {
                        "id": f"{self.province.batch_id}-o{len(self.province.objections) + 1}",
                        "receivedOn": received.isoformat(),
                        "objector": self.rng.choice(regions.OBJECTORS),
                        "summary": summary,
                        "resolvedOn": resolved.isoformat() if resolved else None,
                        "upheld": upheld,
                        "resolution": resolution,
                        "synthetic": True,
                    }
                ),
            }
        )

    # -- spot checks, rectifications, removals ---------------------------------------------

    def _spot_check(self, year: int) -> None:
        rng, province = self.rng, self.province
        drawn_on = dt.date(year, 3, rng.randint(5, 25))
        population = [s.licence for s in self.sims if s.status_on(drawn_on) is ListStatus.LISTED]
        if not population:
            return
        seed = f"demo-{province.seed}-{year}"
        sample = sampling.draw(population, seed=seed, share=self.share)
        draw_id = f"{year}-1"
        province.draws.append(
            {
                "id": draw_id,
                "year": year,
                "number": 1,
                "seed": seed,
                "algorithm": sample.algorithm,
                "share": self.share,
                "drawnOn": drawn_on.isoformat(),
                "drawnAt": f"{drawn_on.isoformat()}T10:00:00+00:00",
                "actor": ACTOR,
                "population": list(sample.population),
                "sample": list(sample.sample),
                "populationSize": len(sample.population),
                "sampleSize": sample.size,
                "current": True,
                "synthetic": True,
                "demoBatch": province.batch_id,
            }
        )
        # outcomes in fixed proportions (shuffled), so even a small province shows each kind
        k = sample.size
        fixable, unfixable = max(1, round(0.3 * k)), round(0.07 * k)
        outcomes = ["FIXABLE_FAILURE"] * fixable + ["UNFIXABLE_FAILURE"] * unfixable
        outcomes += ["PASSED"] * (k - len(outcomes))
        rng.shuffle(outcomes)
        by_licence = {s.licence: s for s in self.sims}
        for licence, outcome in zip(sample.sample, outcomes, strict=True):
            self._check(by_licence[licence], year, draw_id, drawn_on, outcome)

    def _check(self, sim: _Mine, year: int, draw_id: str, drawn_on: dt.date, outcome: str) -> None:
        rng, province = self.rng, self.province
        checked = max(
            _day(rng, drawn_on + dt.timedelta(days=20), dt.date(year, 11, 30)), sim.last_on
        )
        taking = ("natural_resources", *rng.sample(CO_BUILDING, 2))
        findings = None if outcome == "PASSED" else rng.choice(regions.FINDINGS)
        action = {
            "PASSED": Action.PASS_SPOT_CHECK,
            "FIXABLE_FAILURE": Action.FAIL_SPOT_CHECK_FIXABLE,
            "UNFIXABLE_FAILURE": Action.FAIL_SPOT_CHECK_UNFIXABLE,
        }[outcome]
        event = sim.step(action, checked, details=findings, departments=taking)
        result_id = f"{province.batch_id}-r{len(province.results) + 1}"
        province.samples.append({"draw": draw_id, "mine": sim.licence, "resultId": result_id})
        province.results.append(
            {
                "draw": draw_id,
                "mine": sim.licence,
                "event": event,
                "props": _compact(
                    {
                        "id": result_id,
                        "year": year,
                        "checkedOn": checked.isoformat(),
                        "outcome": outcome,
                        "findings": findings,
                        "departments": list(taking[1:]),
                        "synthetic": True,
                    }
                ),
            }
        )
        if outcome == "UNFIXABLE_FAILURE":
            sim.props["removedOn"] = checked.isoformat()
        elif outcome == "FIXABLE_FAILURE":
            self._rectification(sim, result_id, checked, findings)

    def _rectification(
        self, sim: _Mine, result_id: str, found: dt.date, findings: str | None
    ) -> None:
        rng, province, today = self.rng, self.province, self.today
        deadline = add_months(found, rng.randint(2, self.max_months))
        props: Row = {
            "id": f"{province.batch_id}-x{len(province.rectifications) + 1}",
            "foundOn": found.isoformat(),
            "deadline": deadline.isoformat(),
            "findings": findings,
            "measures": rng.choice(regions.MEASURES),
            "synthetic": True,
        }
        row: Row = {"mine": sim.licence, "result": result_id, "closedBy": None, "props": props}
        sim.props["rectificationDeadline"] = deadline.isoformat()
        rechecked = deadline + dt.timedelta(days=rng.randint(1, 20))
        roll = rng.random()
        # last year's rectifications are the likeliest to be still waiting for their re-check;
        # the first of them always is, so the demo always shows an overdue one
        last_year = found.year == today.year - 1
        first_of_last_year = last_year and not any(
            r["props"]["foundOn"] >= f"{found.year}-01-01" for r in province.rectifications
        )
        still_open = 0.45 if last_year else 0.25
        province.rectifications.append(row)
        if rechecked > today or first_of_last_year or roll >= 1 - still_open:
            return  # still open; overdue once its deadline has passed
        if roll < 0.6:
            completed = max(
                found + dt.timedelta(days=1), deadline - dt.timedelta(days=rng.randint(1, 40))
            )
            action, outcome = Action.PASS_RECHECK, "PASSED"
        else:
            completed, action, outcome = None, Action.FAIL_RECHECK, "FAILED"
        row["closedBy"] = sim.step(action, rechecked, departments=("natural_resources",))
        props.update(
            _compact(
                {
                    "closedOn": rechecked.isoformat(),
                    "outcome": outcome,
                    "completedOn": completed.isoformat() if completed else None,
                }
            )
        )
        sim.props["rectificationDeadline"] = None
        if action is Action.FAIL_RECHECK:
            sim.props["removedOn"] = rechecked.isoformat()


def _licence(
    mine: str,
    kind: str,
    number: str,
    start: dt.date,
    until: dt.date | None,
    revoked: dt.date | None = None,
) -> Row:
    return {
        "mine": mine,
        "props": _compact(
            {
                "key": f"{mine}:{kind}",
                "kind": kind,
                "number": number,
                "validFrom": start.isoformat(),
                "validUntil": until.isoformat() if until else None,
                "revokedOn": revoked.isoformat() if revoked else None,
                "synthetic": True,
            }
        ),
    }


def generate(
    *, mines: int, seed: int, today: dt.date, batch_id: str, cases_per_mine: float | None = None
) -> DemoProvince:
    """The whole synthetic province as rows, the same for the same arguments. With
    `cases_per_mine`, routine supervision adds cases up to that many a mine on average
    (`seed/demo/routine_cases.py`); without it, the cases are the demo's stories alone (about
    one mine in ten has one)."""
    return _Generator(mines, seed, today, batch_id, cases_per_mine).run()
