"""Building the lifecycle event and audit entry that go with a change to a mine."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from graph.mine_model import EventParams
from resolvers.auth import Actor, now_iso
from resolvers.lifecycle import ListStatus, Transition


def new_id() -> str:
    return uuid.uuid4().hex


def lifecycle_event(
    transition: Transition,
    *,
    current: ListStatus | None,
    occurred_on: dt.date,
    actor: Actor,
    at: dt.datetime,
    details: str | None = None,
    clause_ref: str | None = None,
    condition_number: int | None = None,
    departments: Sequence[str] = (),
) -> EventParams:
    """The event for `transition` taken from `current` (None: the mine is being registered)."""
    target = transition.target_from(current) if current is not None else transition.target
    assert target is not None
    changes_status = current is None or target != current
    return EventParams(
        id=new_id(),
        action=transition.action.value,
        from_status=current.value if current is not None else None,
        to_status=target.value,
        occurred_on=occurred_on.isoformat(),
        status_since=occurred_on.isoformat() if changes_status else None,
        actor=actor.user,
        role=actor.role.value,
        department=actor.department,
        details=details,
        clause_ref=clause_ref if clause_ref is not None else (transition.clause_ref or None),
        rule_code=transition.rule_code,
        condition_number=condition_number,
        departments=list(departments),
        recorded_at=now_iso(at),
    )
