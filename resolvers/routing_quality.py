"""How well routing answers a set of officers' questions: top-1, top-3, out-of-domain rejection.

A case file is JSON Lines, one question a line: `text`, `departments` (expected, the competent one
first; empty for a question the mechanism has nothing to do with), and optionally `duty`,
`condition` and `tags`. The development set is `seed/routing_devset.jsonl`; any other file in
the same shape (a held-out set) can be measured the same way.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from resolvers.routing_matcher import Match

DEVSET = Path(__file__).resolve().parent.parent / "seed" / "routing_devset.jsonl"

Router = Callable[[str], Awaitable[Sequence[Match]]]


@dataclass(frozen=True)
class Case:
    text: str
    departments: tuple[str, ...]
    duty: str | None = None
    condition: int | None = None
    tags: tuple[str, ...] = ()

    @property
    def out_of_domain(self) -> bool:
        return not self.departments


@dataclass(frozen=True)
class Outcome:
    case: Case
    got: tuple[str, ...]
    duty: str | None
    condition: int | None

    @property
    def top1(self) -> bool:
        return bool(self.got) and self.got[0] == self.case.departments[0]

    @property
    def top3(self) -> bool:
        return self.case.departments[0] in self.got[:3]

    @property
    def rejected(self) -> bool:
        return not self.got


@dataclass
class QualityReport:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def in_domain(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.case.out_of_domain]

    @property
    def out_of_domain(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.out_of_domain]

    @property
    def top1(self) -> float:
        return _share(o.top1 for o in self.in_domain)

    @property
    def top3(self) -> float:
        return _share(o.top3 for o in self.in_domain)

    @property
    def ood_rejection(self) -> float:
        return _share(o.rejected for o in self.out_of_domain)

    @property
    def duty_accuracy(self) -> float:
        return _share(o.duty == o.case.duty for o in self.in_domain if o.case.duty)

    @property
    def condition_accuracy(self) -> float:
        return _share(o.condition == o.case.condition for o in self.in_domain if o.case.condition)

    def misses(self) -> list[Outcome]:
        wrong_in = [o for o in self.in_domain if not o.top1]
        wrong_out = [o for o in self.out_of_domain if not o.rejected]
        return wrong_in + wrong_out


def _share(flags: Iterable[bool]) -> float:
    values = list(flags)
    return sum(1 for v in values if v) / len(values) if values else 1.0


def load_cases(path: Path = DEVSET) -> list[Case]:
    cases: list[Case] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            raw = json.loads(line)
            cases.append(
                Case(
                    text=str(raw["text"]),
                    departments=tuple(raw.get("departments") or ()),
                    duty=raw.get("duty"),
                    condition=raw.get("condition"),
                    tags=tuple(raw.get("tags") or ()),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: not a routing case ({error})") from error
    return cases


async def evaluate(route: Router, cases: Sequence[Case]) -> QualityReport:
    report = QualityReport()
    for case in cases:
        found = list(await route(case.text))
        expected = case.departments[0] if case.departments else None
        own = next((m for m in found if m.department == expected), None)
        report.outcomes.append(
            Outcome(
                case=case,
                got=tuple(m.department for m in found),
                duty=own.duty if own else None,
                condition=own.condition if own else None,
            )
        )
    return report
