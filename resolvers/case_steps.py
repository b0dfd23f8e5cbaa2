"""Pieces every case use case shares: checking text, department codes and condition numbers,
building a case's step, reading the case to change, and settling a guarded write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from graph.case_model import CaseRecord, StepParams
from graph.document import DepartmentRecord
from resolvers import dates, document
from resolvers.auth import Actor, now_iso
from resolvers.case_workflow import CaseAction, CaseState, CaseStep, require
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.events import new_id
from resolvers.lifecycle import REMOVAL_CONDITION_COUNT

MAX_TEXT = 2000


def text(
    value: str | None, *, field: str, required: bool = False, maximum: int = MAX_TEXT
) -> str | None:
    cleaned = value.strip() if value is not None else ""
    if not cleaned:
        if required:
            raise BadUserInput(f"{field} is required and must not be blank", field=field)
        return None
    if len(cleaned) > maximum:
        raise BadUserInput(
            f"{field} is {len(cleaned):,} characters; the limit is {maximum:,}", field=field
        )
    return cleaned


def required_text(value: str, *, field: str, maximum: int = MAX_TEXT) -> str:
    cleaned = text(value, field=field, required=True, maximum=maximum)
    assert cleaned is not None
    return cleaned


async def known_departments(ctx: Context, codes: Sequence[str], *, field: str) -> list[str]:
    """The codes, each naming a department (one round trip); BAD_USER_INPUT names the bad one."""
    found = await ctx.loaders.department.load_many(list(codes))
    for i, (code, record) in enumerate(zip(codes, found, strict=True)):
        if record is None:
            known = ", ".join(d.code for d in await _all_departments(ctx))
            raise BadUserInput(
                f"{field}[{i}] {code!r} is not a department code; the codes are: {known}",
                field=f"{field}[{i}]",
            )
    return list(dict.fromkeys(codes))


async def known_department(ctx: Context, code: str, *, field: str) -> str:
    record = await ctx.loaders.department.load(code)
    if record is None:
        known = ", ".join(d.code for d in await _all_departments(ctx))
        raise BadUserInput(
            f"{field} {code!r} is not a department code; the codes are: {known}", field=field
        )
    return code


async def _all_departments(ctx: Context) -> list[DepartmentRecord]:
    return await document.departments(ctx)


def check_condition(number: int, *, field: str) -> int:
    if not 1 <= number <= REMOVAL_CONDITION_COUNT:
        raise BadUserInput(
            f"{field} must be one of the {REMOVAL_CONDITION_COUNT} removal conditions of 二(四) "
            f"(1 to {REMOVAL_CONDITION_COUNT}), not {number}",
            field=field,
        )
    return number


def case_step(
    chosen: CaseStep,
    *,
    current: CaseState | None,
    occurred_on: dt.date,
    actor: Actor,
    at: dt.datetime,
    details: str | None = None,
    clause_ref: str | None = None,
) -> StepParams:
    """The CaseEvent for `chosen` taken from `current` (None: the case is being filed)."""
    target = chosen.target_from(current) if current is not None else chosen.target
    assert target is not None
    changes_state = current is None or target != current
    return StepParams(
        id=new_id(),
        action=chosen.action.value,
        from_state=current.value if current is not None else None,
        to_state=target.value,
        occurred_on=occurred_on.isoformat(),
        state_since=occurred_on.isoformat() if changes_state else None,
        actor=actor.user,
        role=actor.role.value,
        department=actor.department,
        details=details,
        clause_ref=clause_ref or chosen.clause_ref,
        recorded_at=now_iso(at),
    )


async def existing_case(ctx: Context, case_id: str, *, field: str = "input.caseId") -> CaseRecord:
    record = await ctx.cases.case.load(case_id.strip())
    if record is None:
        raise NotFound(f"there is no case with id {case_id!r}", field=field)
    return record


def step_date(
    ctx: Context, case: CaseRecord, value: dt.date, *, field: str, what: str | None = None
) -> None:
    """A step's date: not in the future, not before the case's last change of state."""
    dates.not_after_today(value, ctx.today(), field=field)
    dates.not_before(
        value,
        dates.parse(case.state_since),
        field=field,
        what=what or f"the case's last change of state (to {case.state})",
    )


async def settled(
    ctx: Context, case_id: str, action: CaseAction, written: CaseRecord | None
) -> CaseRecord:
    """The case after a guarded write; a CONFLICT naming its state if the guard refused it."""
    ctx.cases.forget_case(case_id)
    if written is not None:
        ctx.cases.case.prime(case_id, written)
        return written
    fresh = await existing_case(ctx, case_id)
    state = CaseState(fresh.state)
    require(state, action, case_id=case_id)
    raise Conflict(
        f"case {case_id} changed while this request was being handled (it is {state.value}); "
        "nothing was written; read it again and retry",
        field="input.caseId",
        current=state.value,
        allowed=[],
    )
