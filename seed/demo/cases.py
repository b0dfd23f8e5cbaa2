"""Synthetic cases for the demo province (二(四)): cases filed by co-building departments, referrals
to Natural Resources, quarterly joint-meeting sessions and their decisions (removals, keeps,
rectifications), leads transferred along a path of departments, and administrative penalties
(carried out in time, late, or not at all; published or pending publication).

Called by `seed/demo/generator.py` once the mines' histories are simulated. Decisions that remove
or rectify a mine take that step through the mine's simulation (the real state machine), so
every demo removal for a condition has its decision, its case and its session. Everything is made
up and marked `synthetic: true`.

Linear in the number of mines: each mine is visited once; the sessions are a fixed calendar
(one a quarter). The rows are written by `seed/demo/loader.py` in UNWIND batches.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from resolvers.case_workflow import CaseAction, CaseState, DecisionOutcome, step
from resolvers.dates import add_months
from resolvers.lifecycle import RECTIFICATION_RULE, Action, ListStatus, removal_clause
from resolvers.penalties import CREDIT_REGISTER, PublicationStatus
from seed.departments import DEPARTMENTS
from seed.mechanism import JOINT_MEETING, RULES
from seed.removal_conditions import REMOVAL_CONDITIONS

Row = dict[str, Any]
ACTOR = "演示数据生成器 (demo generator)"
ADMIN = "natural_resources"
CO_BUILDING = tuple(d.code for d in DEPARTMENTS if d.code != ADMIN)
COMPETENT = {c.number: tuple(a.department for a in c.competent) for c in REMOVAL_CONDITIONS}
MAX_MONTHS = int(next(r.value for r in RULES if r.code == RECTIFICATION_RULE) or 6)

#: what a demo case is about, by removal condition: description and the evidence found
PROBLEMS: dict[int, tuple[str, str]] = {
    3: ("因企业自身原因停产超过一年，未正常生产运营", "年度信息公示显示全年无产量"),
    4: ("经核查存在越界开采行为", "卫片执法图斑及实地测量报告"),
    5: ("发生较大生产安全事故", "事故调查报告"),
    7: ("排污许可要求未按期整改到位", "执法检查笔录及监测数据"),
    8: ("未按要求开展尾矿库污染隐患排查", "尾矿库现场检查记录"),
    9: ("采矿权人被列入矿业权人勘查开采信息公示异常名录", "异常名录截图"),
    12: ("矿区粉尘污染引发网络负面舆情", "舆情监测报告"),
    14: ("违规占用林地堆放废石", "现场照片及林地调查报告"),
}
#: where a lead on illegal acts goes next, by removal condition
LEAD_TARGETS: dict[int, tuple[str, ...]] = {
    2: ("market_regulation", "taxation"),
    3: ("market_regulation",),
    4: ("natural_resources", "market_regulation", "emergency_management"),
    5: ("emergency_management", "ecology_environment"),
    7: ("ecology_environment",),
    8: ("ecology_environment", "water_resources"),
    9: ("market_regulation",),
    12: ("ecology_environment", "emergency_management"),
    14: ("forestry_grassland", "natural_resources"),
}
PENALTY_PROBLEM = "行政处罚期满未执行到位"
PENALTY_PREFIX = {
    "natural_resources": "甘自然资罚",
    "ecology_environment": "甘环罚",
    "emergency_management": "甘应急罚",
    "water_resources": "甘水罚",
    "forestry_grassland": "甘林罚",
    "market_regulation": "甘市监罚",
    "taxation": "甘税罚",
}
PENALTY_TEXTS = (
    "责令停止违法行为并处罚款",
    "责令限期改正并处罚款",
    "没收违法所得并处罚款",
)
OPINIONS = {
    DecisionOutcome.REMOVE: "联席会议同意报送部门意见，按程序移出绿色矿山名录",
    DecisionOutcome.KEEP: "联席会议认为问题已整改到位，不予移出",
    DecisionOutcome.RECTIFY: "联席会议同意限期整改，期满复核",
}
TOPICS = (
    "通报本季度绿色矿山违法违规问题",
    "研究共建部门反馈的移出名录事项",
    "安排年度随机抽查与核查",
    "研究依法实施联合惩戒相关事宜",
)

#: kinds of case stories and their share of the mines that get one (fixed proportions,
#: shuffled, so even a small province shows each kind)
KINDS: tuple[tuple[str, float], ...] = (
    ("remove", 0.03),
    ("penalty_remove", 0.02),
    ("rectify", 0.03),
    ("keep", 0.03),
    ("open", 0.02),
    ("withdrawn", 0.01),
    ("penalty_only", 0.02),
)
DECIDED_KINDS = frozenset({"remove", "penalty_remove", "rectify", "keep"})
#: of the mines with a decided story, how many had an earlier case too (decided KEEP)
EARLIER_CASE_SHARE = 0.4


class SimMine(Protocol):
    """The generator's simulated mine (`seed/demo/generator.py`)."""

    props: Row
    status: ListStatus | None
    last_on: dt.date

    @property
    def licence(self) -> str: ...

    def step(
        self,
        action: Action,
        on: dt.date,
        *,
        details: str | None = None,
        departments: tuple[str, ...] = (),
        condition: int | None = None,
    ) -> str: ...


@dataclass
class CaseRows:
    cases: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    evidence: list[Row] = field(default_factory=list)
    referrals: list[Row] = field(default_factory=list)
    sessions: list[Row] = field(default_factory=list)
    attendance: list[Row] = field(default_factory=list)
    agenda: list[Row] = field(default_factory=list)
    decisions: list[Row] = field(default_factory=list)
    rectifications: list[Row] = field(default_factory=list)
    leads: list[Row] = field(default_factory=list)
    lead_links: list[Row] = field(default_factory=list)
    penalties: list[Row] = field(default_factory=list)


def _compact(row: Row) -> Row:
    return {k: v for k, v in row.items() if v is not None}


def _stamp(day: dt.date, hour: int = 10) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00+00:00"


class _Case:
    """One case being simulated; its steps are kept in date order."""

    def __init__(self, sim: Simulation, mine: SimMine, reporter: str, condition: int) -> None:
        self.sim = sim
        self.mine = mine
        self.id = f"{sim.batch}-k{len(sim.rows.cases) + 1}"
        self.reporter = reporter
        self.condition = condition
        self.state = CaseState.OPEN
        self.state_since = sim.today
        self.departments = [reporter]
        self.holder = reporter
        self.lead_ids: list[str] = []
        self.steps = 0
        #: the day of its latest step: later steps come on or after it, so seq follows dates
        self.last_on = sim.today
        self.props: Row = {}

    def event(
        self, action: CaseAction, on: dt.date, details: str, *, department: str | None = None
    ) -> str:
        chosen = step(action)
        by_admin = action in (CaseAction.DECIDE, CaseAction.CLOSE)
        target = chosen.target_from(self.state)
        self.steps += 1
        event_id = f"{self.id}-e{self.steps}"
        self.sim.rows.events.append(
            {
                "case": self.id,
                "props": _compact(
                    {
                        "id": event_id,
                        "seq": self.steps,
                        "action": action.value,
                        "fromState": self.state.value if action is not CaseAction.FILE else None,
                        "toState": target.value,
                        "occurredOn": on.isoformat(),
                        "actor": ACTOR,
                        "role": "admin" if by_admin else "officer",
                        "department": department or (ADMIN if by_admin else self.reporter),
                        "details": details,
                        "clauseRef": removal_clause(self.condition),
                        "recordedAt": _stamp(on),
                        "synthetic": True,
                    }
                ),
            }
        )  # fmt: skip
        if target is not self.state:
            self.state, self.state_since = target, on
        self.last_on = on
        return event_id

    def join(self, department: str) -> None:
        if department not in self.departments:
            self.departments.append(department)


class Simulation:
    def __init__(self, mines: Sequence[SimMine], *, seed: int, today: dt.date, batch: str) -> None:
        self.mines = mines
        self.rng = random.Random(f"cases-{seed}")
        self.today = today
        self.batch = batch
        self.rows = CaseRows()
        self.session_days: list[dt.date] = []
        self.session_ids: list[str] = []
        self.penalty_numbers = 0

    def run(self) -> CaseRows:
        self._sessions()
        eligible = [m for m in self.mines if m.status is ListStatus.LISTED]
        self.rng.shuffle(eligible)
        # decided stories need time: they go to the mines whose last change is oldest first
        eligible.sort(key=lambda m: m.last_on)
        kinds: list[str] = []
        for kind, share in KINDS:
            kinds += [kind] * max(1, round(share * len(eligible)))
        decided = [k for k in kinds if k in DECIDED_KINDS]
        other = [k for k in kinds if k not in DECIDED_KINDS]
        self.rng.shuffle(decided)
        self.rng.shuffle(other)
        ordered = decided + other
        for mine, kind in zip(eligible, ordered, strict=False):
            self._story(mine, kind)
        return self.rows

    # -- the joint meeting's calendar -------------------------------------------------------

    def _sessions(self) -> None:
        for year in range(self.today.year - 3, self.today.year + 1):
            for month in (3, 6, 9, 12):
                held = dt.date(year, month, 20)
                if held > self.today:
                    return
                session_id = f"{self.batch}-s{len(self.session_ids) + 1}"
                others = self.rng.sample(CO_BUILDING, self.rng.randint(4, 9))
                departments = [ADMIN, *others]
                numbers = sorted({2, 4, *self.rng.sample((1, 3), self.rng.randint(0, 2))})
                self.rows.sessions.append(
                    {
                        "props": {
                            "id": session_id,
                            "heldOn": held.isoformat(),
                            "body": JOINT_MEETING.code,
                            "convener": JOINT_MEETING.convener,
                            "departments": departments,
                            "agenda": [TOPICS[n - 1] for n in numbers],
                            "agendaItems": numbers,
                            "summary": f"{year}年第{month // 3}季度联席会议（演示）",
                            "actor": ACTOR,
                            "recordedAt": _stamp(held, 16),
                            "synthetic": True,
                            "demoBatch": self.batch,
                        }
                    }
                )
                self.rows.attendance += [
                    {"session": session_id, "department": d} for d in departments
                ]
                self.rows.agenda += [
                    {"session": session_id, "body": JOINT_MEETING.code, "number": n}
                    for n in numbers
                ]
                self.session_days.append(held)
                self.session_ids.append(session_id)

    def _session_on_or_after(self, day: dt.date) -> tuple[str, dt.date] | None:
        i = bisect.bisect_left(self.session_days, day)
        if i == len(self.session_days):
            return None
        return self.session_ids[i], self.session_days[i]

    # -- one mine's story -------------------------------------------------------------------

    def _day(self, start: dt.date, low: int, high: int) -> dt.date:
        return start + dt.timedelta(days=self.rng.randint(low, high))

    def _story(self, mine: SimMine, kind: str) -> None:
        rng, today = self.rng, self.today
        room = (today - mine.last_on).days
        if room < 30:
            return  # changed too recently for anything to have been found since
        if kind in DECIDED_KINDS and rng.random() < EARLIER_CASE_SHARE:
            # an earlier, lesser problem with the same mine, kept on the list
            condition = rng.choice(sorted(PROBLEMS))
            description, evidence = PROBLEMS[condition]
            reporter = rng.choice(COMPETENT.get(condition) or (ADMIN,))
            earlier = self._file(mine, reporter, condition, self._found(mine, latest=150),
                                 description, evidence)  # fmt: skip
            self._refer_and_decide(earlier, DecisionOutcome.KEEP)
        if kind == "penalty_only":
            self._penalty(mine, None, rng.choice(sorted(PENALTY_PREFIX)), self._found(mine),
                          outcome="overdue")  # fmt: skip
            return
        if kind == "penalty_remove":
            issuer = rng.choice(("ecology_environment", "emergency_management", "water_resources"))
            imposed = self._found(mine, latest=120)
            penalty = self._penalty(mine, None, issuer, imposed, outcome="overdue")
            deadline = dt.date.fromisoformat(penalty["props"]["performanceDeadline"])
            if deadline + dt.timedelta(days=10) > today:
                return
            evidence = f"处罚决定书{penalty['props']['decisionNumber']}及履行情况记录"
            case = self._file(
                mine, issuer, 2, self._day(deadline, 1, 10), PENALTY_PROBLEM, evidence
            )
            penalty["case"] = penalty["props"]["case"] = case.id
            self._refer_and_decide(case, DecisionOutcome.REMOVE)
            return
        condition = rng.choice(sorted(PROBLEMS))
        reporter = rng.choice(COMPETENT.get(condition) or (ADMIN,))
        description, evidence = PROBLEMS[condition]
        case = self._file(mine, reporter, condition, self._found(mine), description, evidence)
        if condition in LEAD_TARGETS and rng.random() < 0.6:
            self._transfers(case)
        if kind == "open":
            if rng.random() < 0.5:
                self._refer(case)
            return
        if kind == "withdrawn":
            on = self._day(case.last_on, 3, 30)
            if on <= today:
                case.event(CaseAction.WITHDRAW, on, "经核实为重复报送，撤回")
                self._keep(case)
            return
        outcome = {"remove": DecisionOutcome.REMOVE, "rectify": DecisionOutcome.RECTIFY,
                   "keep": DecisionOutcome.KEEP}[kind]  # fmt: skip
        self._refer_and_decide(case, outcome)

    def _found(self, mine: SimMine, latest: int = 60) -> dt.date:
        """A day after the mine's last change, leaving time for what follows."""
        room = (self.today - mine.last_on).days
        return self._day(mine.last_on, 1, max(1, min(400, room - latest)))

    def _file(
        self,
        mine: SimMine,
        reporter: str,
        condition: int,
        found: dt.date,
        description: str,
        evidence: str,
    ) -> _Case:
        case = _Case(self, mine, reporter, condition)
        filed = min(self._day(found, 1, 10), self.today)
        case.state_since = case.last_on = filed
        case.event(CaseAction.FILE, filed, description)
        self.rows.evidence.append(
            {
                "case": case.id,
                "props": {
                    "id": f"{case.id}-v1",
                    "seq": 1,
                    "text": evidence,
                    "reference": f"演示证据{len(self.rows.evidence) + 1}号",
                    "addedOn": filed.isoformat(),
                    "addedBy": ACTOR,
                    "department": reporter,
                    "synthetic": True,
                },
            }
        )
        case.props = {
            "id": case.id,
            "mine": mine.licence,
            "prefecture": mine.props["prefecture"],
            "reportingDepartment": reporter,
            "foundOn": found.isoformat(),
            "filedOn": filed.isoformat(),
            "filedAt": _stamp(filed, 9),
            "description": description,
            "conditionNumber": condition,
            "classification": "CITED",
            "competentDepartments": list(COMPETENT.get(condition) or (ADMIN,)),
            "evidenceCount": 1,
            "synthetic": True,
            "demoBatch": self.batch,
        }
        self.rows.cases.append({"mine": mine.licence, "reporter": reporter,
                                "condition": condition, "props": case.props})  # fmt: skip
        self._keep(case)
        return case

    def _keep(self, case: _Case) -> None:
        """Copy the simulated state into the case's row (called after every step)."""
        case.props.update(
            state=case.state.value,
            stateSince=case.state_since.isoformat(),
            departments=list(case.departments),
            eventCount=case.steps,
            leadCount=len(case.lead_ids),
            leadHolder=case.holder,
        )
        if case.lead_ids:
            case.props["lastLeadId"] = case.lead_ids[-1]

    def _transfers(self, case: _Case) -> None:
        rng = self.rng
        on = case.last_on
        for _ in range(rng.choice((1, 1, 2, 3))):
            choices = [d for d in (*LEAD_TARGETS[case.condition], *CO_BUILDING[:3])
                       if d != case.holder]  # fmt: skip
            receiver = choices[0] if rng.random() < 0.7 else rng.choice(choices)
            on = self._day(on, 1, 20)
            if on > self.today:
                break
            transfer_id = f"{case.id}-t{len(case.lead_ids) + 1}"
            event = case.event(
                CaseAction.TRANSFER_LEAD, on, f"线索由{case.holder}移交{receiver}",
                department=case.holder,
            )  # fmt: skip
            self.rows.leads.append(
                {
                    "case": case.id,
                    "from": case.holder,
                    "to": receiver,
                    "event": event,
                    "props": {
                        "id": transfer_id,
                        "seq": len(case.lead_ids) + 1,
                        "case": case.id,
                        "fromDepartment": case.holder,
                        "toDepartment": receiver,
                        "transferredOn": on.isoformat(),
                        "summary": "发现违法违规线索，移交职能部门依法处理",
                        "actor": ACTOR,
                        "role": "officer",
                        "actingDepartment": case.holder,
                        "recordedAt": _stamp(on, 11),
                        "synthetic": True,
                    },
                }
            )
            self.rows.lead_links.append(
                {"case": case.id, "previous": case.lead_ids[-1] if case.lead_ids else None,
                 "transfer": transfer_id}
            )  # fmt: skip
            case.lead_ids.append(transfer_id)
            case.join(case.holder)
            case.join(receiver)
            case.holder = receiver
        self._keep(case)
        if case.lead_ids and rng.random() < 0.5:
            last = dt.date.fromisoformat(self.rows.leads[-1]["props"]["transferredOn"])
            imposed = self._day(last, 10, 60)
            if imposed <= self.today and case.holder in PENALTY_PREFIX:
                outcome = rng.choices(("on_time", "late", "overdue"), (60, 15, 25))[0]
                penalty = self._penalty(case.mine, case, case.holder, imposed, outcome=outcome)
                penalty["event"] = case.event(
                    CaseAction.RECORD_PENALTY, imposed,
                    f"{case.holder}作出行政处罚（{penalty['props']['decisionNumber']}）",
                    department=case.holder,
                )  # fmt: skip
                self._keep(case)

    def _refer(self, case: _Case) -> bool:
        on = self._day(case.last_on, 3, 30)
        if on > self.today:
            return False
        advice = "建议移出绿色矿山名录" if case.condition != 12 else "建议限期整改"
        event = case.event(CaseAction.REFER, on, advice)
        case.join(ADMIN)
        self.rows.referrals.append(
            {
                "case": case.id,
                "from": case.reporter,
                "to": ADMIN,
                "event": event,
                "props": {
                    "id": f"{case.id}-r",
                    "case": case.id,
                    "mine": case.mine.licence,
                    "prefecture": case.mine.props["prefecture"],
                    "fromDepartment": case.reporter,
                    "toDepartment": ADMIN,
                    "referredOn": on.isoformat(),
                    "recommendation": advice,
                    "conditionNumber": case.condition,
                    "actor": ACTOR,
                    "recordedAt": _stamp(on, 14),
                    "synthetic": True,
                },
            }
        )
        self._keep(case)
        return True

    def _refer_and_decide(
        self, case: _Case, outcome: DecisionOutcome, *, keep_when_late: bool = False
    ) -> None:
        """Refer the case and decide it at the next session. A decision dated before the mine's
        last change is left undecided, or, with `keep_when_late`, decided KEEP (a KEEP does not
        touch the mine's history, so it may come at any time)."""
        if not self._refer(case):
            return
        found = self._session_on_or_after(case.state_since)
        if found is None:
            return
        session_id, held = found
        decided = self._day(held, 0, 7)
        mine = case.mine
        if decided > self.today:
            return
        if decided < mine.last_on:
            if not keep_when_late:
                return
            outcome = DecisionOutcome.KEEP
        if outcome is not DecisionOutcome.KEEP and mine.status is not ListStatus.LISTED:
            outcome = DecisionOutcome.KEEP
        reason = PROBLEMS[case.condition][0] if case.condition in PROBLEMS else PENALTY_PROBLEM
        lifecycle_event = None
        deadline = None
        if outcome is DecisionOutcome.REMOVE:
            lifecycle_event = mine.step(
                Action.REMOVE_FOR_CONDITION, decided, details=reason, condition=case.condition,
                departments=(ADMIN, case.reporter),
            )  # fmt: skip
            mine.props.update(removedOn=decided.isoformat(), rectificationDeadline=None)
        elif outcome is DecisionOutcome.RECTIFY:
            deadline = add_months(decided, self.rng.randint(2, MAX_MONTHS))
            lifecycle_event = mine.step(
                Action.RECTIFY_BY_DECISION, decided, details=reason, condition=case.condition,
                departments=(ADMIN, case.reporter),
            )  # fmt: skip
            mine.props["rectificationDeadline"] = deadline.isoformat()
        decision_id = f"{case.id}-d"
        event = case.event(CaseAction.DECIDE, decided, f"{outcome.value}：{reason}")
        self.rows.decisions.append(
            {
                "case": case.id,
                "meeting": session_id,
                "lifecycleEvent": lifecycle_event,
                "caseEvent": event,
                "condition": case.condition,
                "props": _compact(
                    {
                        "id": decision_id,
                        "case": case.id,
                        "mine": mine.licence,
                        "meeting": session_id,
                        "outcome": outcome.value,
                        "decidedOn": decided.isoformat(),
                        "meetingOpinion": OPINIONS[outcome],
                        "reason": reason,
                        "conditionNumber": case.condition,
                        "clauseRef": removal_clause(case.condition),
                        "rectificationDeadline": deadline.isoformat() if deadline else None,
                        "actor": ACTOR,
                        "recordedAt": _stamp(decided, 15),
                        "synthetic": True,
                    }
                ),
            }
        )
        if deadline is not None:
            self._rectification(case, decision_id, decided, deadline, lifecycle_event, reason)
        closed = self._day(case.last_on, 15, 90)
        if closed <= self.today and self.rng.random() < 0.6:
            case.event(CaseAction.CLOSE, closed, "决定执行完毕，结案")
        self._keep(case)

    def _rectification(
        self,
        case: _Case,
        decision: str,
        decided: dt.date,
        deadline: dt.date,
        opened_by: str | None,
        reason: str,
    ) -> None:
        mine = case.mine
        props: Row = {
            "id": f"{decision}-x",
            "foundOn": decided.isoformat(),
            "deadline": deadline.isoformat(),
            "findings": reason,
            "measures": "按联席会议意见限期整改",
            "synthetic": True,
        }
        row: Row = {"mine": mine.licence, "decision": decision, "openedBy": opened_by,
                    "closedBy": None, "props": props}  # fmt: skip
        self.rows.rectifications.append(row)
        rechecked = self._day(deadline, 1, 20)
        if rechecked > self.today or self.rng.random() < 0.25:
            return  # still open; overdue once its deadline has passed
        if self.rng.random() < 0.65:
            completed = max(decided + dt.timedelta(days=1),
                            deadline - dt.timedelta(days=self.rng.randint(1, 30)))  # fmt: skip
            action, outcome = Action.PASS_RECHECK, "PASSED"
        else:
            completed, action, outcome = None, Action.FAIL_RECHECK, "FAILED"
        row["closedBy"] = mine.step(action, rechecked, departments=(ADMIN,))
        props.update(
            _compact(
                {
                    "closedOn": rechecked.isoformat(),
                    "outcome": outcome,
                    "completedOn": completed.isoformat() if completed else None,
                }
            )
        )
        mine.props["rectificationDeadline"] = None
        if action is Action.FAIL_RECHECK:
            mine.props["removedOn"] = rechecked.isoformat()

    def _penalty(
        self, mine: SimMine, case: _Case | None, issuer: str, imposed: dt.date, *, outcome: str
    ) -> Row:
        rng, today = self.rng, self.today
        self.penalty_numbers += 1
        number = f"{PENALTY_PREFIX[issuer]}〔{imposed.year}〕{self.penalty_numbers}号（演示）"
        deadline = self._day(imposed, 15, 90)
        executed: dt.date | None = None
        if outcome == "on_time":
            executed = self._day(imposed, 1, (deadline - imposed).days)
        elif outcome == "late":
            executed = self._day(deadline, 5, 60)
        if executed is not None and executed > today:
            executed = None
        published = self._day(imposed, 7, 30)
        is_published = published <= today and rng.random() < 0.7
        row: Row = {
            "mine": mine.licence,
            "case": case.id if case else None,
            "issuer": issuer,
            "event": None,
            "props": _compact(
                {
                    "id": f"{self.batch}-p{self.penalty_numbers}",
                    "numberKey": f"{issuer}:{number}",
                    "decisionNumber": number,
                    "mine": mine.licence,
                    "prefecture": mine.props["prefecture"],
                    "company": mine.props["company"],
                    "issuingDepartment": issuer,
                    "decidedOn": imposed.isoformat(),
                    "performanceDeadline": deadline.isoformat(),
                    "description": rng.choice(PENALTY_TEXTS),
                    "amount": float(rng.randint(2, 50) * 10000),
                    "case": case.id if case else None,
                    "executedOn": executed.isoformat() if executed else None,
                    "publication": (PublicationStatus.PUBLISHED if is_published
                                    else PublicationStatus.PENDING).value,
                    "publishedOn": published.isoformat() if is_published else None,
                    "publicationReference": f"演示公示{self.penalty_numbers}" if is_published
                    else None,
                    "register": CREDIT_REGISTER,
                    "actor": ACTOR,
                    "recordedAt": _stamp(imposed, 13),
                    "synthetic": True,
                }
            ),
        }  # fmt: skip
        if case is not None:
            case.join(issuer)
        self.rows.penalties.append(row)
        return row


def simulate(mines: Sequence[SimMine], *, seed: int, today: dt.date, batch: str) -> CaseRows:
    """Cases, sessions, decisions, leads and penalties for the simulated mines (whose histories
    the decisions extend)."""
    return Simulation(mines, seed=seed, today=today, batch=batch).run()
