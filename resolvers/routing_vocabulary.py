"""Admins add and remove routing terms; routing changes with the next request, in every process.

Each change is one write statement that also bumps the vocabulary's version and records the
audit entry, so the change, its record and the signal to every server process land together.
Nothing here touches this process's matcher: it learns of the change the way every other process
does, from the version its next route request reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graph import routing
from graph.routing import TargetLabel, TermRecord
from resolvers.auth import Role, audit_entry, require_role
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.segmentation import has_han, normalize

MAX_TERM = 40
MAX_WEIGHT = 3.0
CONDITION_COUNT = 14


class TermKind(StrEnum):
    OFFICIAL = "official"
    SYNONYM = "synonym"
    ABBREVIATION = "abbreviation"
    COLLOQUIAL = "colloquial"
    ENGLISH = "english"


@dataclass(frozen=True)
class Target:
    label: TargetLabel
    key: str | int
    field: str


def term_text(text: str, *, field: str = "input.text") -> str:
    """The stored form of a term: normalised like the text it will be found in."""
    normalized = normalize(text)
    if not normalized or len(normalized) > MAX_TERM:
        raise BadUserInput(
            f"{field} must be 1 to {MAX_TERM} characters once normalised, not {len(normalized)}",
            field=field,
        )
    if not any(ch.isalnum() for ch in normalized):
        raise BadUserInput(f"{field} {text!r} has no letters or characters to match", field=field)
    return normalized


def target(
    duty_code: str | None, condition_number: int | None, department_code: str | None
) -> Target | None:
    given = [
        Target(TargetLabel.DUTY, duty_code, "input.dutyCode") if duty_code else None,
        Target(TargetLabel.REMOVAL_CONDITION, condition_number, "input.removalConditionNumber")
        if condition_number is not None
        else None,
        Target(TargetLabel.DEPARTMENT, department_code, "input.departmentCode")
        if department_code
        else None,
    ]
    chosen = [t for t in given if t is not None]
    if len(chosen) > 1:
        raise BadUserInput(
            "give at most one of input.dutyCode, input.removalConditionNumber and "
            f"input.departmentCode, not {len(chosen)}",
            field=chosen[1].field,
        )
    return chosen[0] if chosen else None


async def _check_target_exists(ctx: Context, t: Target) -> None:
    if t.label is TargetLabel.DUTY:
        if await ctx.loaders.duty.load(str(t.key)) is None:
            raise NotFound(f"there is no duty with code {t.key!r}", field=t.field)
    elif t.label is TargetLabel.REMOVAL_CONDITION:
        number = int(t.key)
        if not 1 <= number <= CONDITION_COUNT:
            raise BadUserInput(
                f"{t.field} must be between 1 and {CONDITION_COUNT}, not {number}", field=t.field
            )
        if await ctx.loaders.condition.load(number) is None:
            raise NotFound(f"removal condition {number} is not in the graph", field=t.field)
    elif await ctx.loaders.department.load(str(t.key)) is None:
        raise NotFound(f"there is no department with code {t.key!r}", field=t.field)


async def add_term(
    ctx: Context,
    *,
    text: str,
    kind: str,
    weight: float,
    domain_weight: float,
    duty_code: str | None = None,
    condition_number: int | None = None,
    department_code: str | None = None,
) -> TermRecord:
    actor = await ctx.actor()
    require_role(actor, Role.ADMIN, action="changing the routing vocabulary")
    normalized = term_text(text)
    kinds = [k.value for k in TermKind]
    if kind not in kinds:
        raise BadUserInput(
            f"input.kind {kind!r} is not one an admin adds; use one of {', '.join(kinds)} "
            "(context terms come from the seed)",
            field="input.kind",
        )
    if not 0 < weight <= MAX_WEIGHT:
        raise BadUserInput(
            f"input.weight must be above 0 and at most {MAX_WEIGHT}, not {weight}",
            field="input.weight",
        )
    if not 0 <= domain_weight <= 1:
        raise BadUserInput(
            f"input.domainWeight must be between 0 and 1, not {domain_weight}",
            field="input.domainWeight",
        )
    chosen = target(duty_code, condition_number, department_code)
    if chosen is None:
        raise BadUserInput(
            "a term needs one of input.dutyCode, input.removalConditionNumber or "
            "input.departmentCode to point to",
            field="input.dutyCode",
        )
    await _check_target_exists(ctx, chosen)
    audit = audit_entry(
        actor,
        "addRoutingTerm",
        f"routing term {normalized!r} -> {chosen.label.value} {chosen.key} ({weight})",
        {
            "text": normalized,
            "kind": kind,
            "target": f"{chosen.label.value}:{chosen.key}",
            "weight": weight,
            "domainWeight": domain_weight,
        },
        at=ctx.clock(),
    )
    version = await routing.add_link(
        ctx.engine,
        text=normalized,
        lang="zh" if has_han(normalized) else "en",
        kind=kind,
        domain_weight=domain_weight,
        label=chosen.label,
        target=chosen.key,
        weight=weight,
        audit=audit,
    )
    if version is None:
        if await routing.version(ctx.engine) is None:
            raise NotFound("the routing vocabulary is not in the graph yet; run `greenmine seed`")
        raise Conflict(
            f"{normalized!r} already points to {chosen.label.value} {chosen.key}",
            field="input.text",
        )
    return await _term(ctx, normalized)


async def remove_term(
    ctx: Context,
    *,
    text: str,
    duty_code: str | None = None,
    condition_number: int | None = None,
    department_code: str | None = None,
) -> TermRecord:
    """Retire a term (no target given) or one of its links; kept, inactive, for the record."""
    actor = await ctx.actor()
    require_role(actor, Role.ADMIN, action="changing the routing vocabulary")
    normalized = term_text(text)
    chosen = target(duty_code, condition_number, department_code)
    what = f"{chosen.label.value}:{chosen.key}" if chosen else "all"
    audit = audit_entry(
        actor,
        "removeRoutingTerm",
        f"routing term {normalized!r} removed ({what})",
        {"text": normalized, "target": what},
        at=ctx.clock(),
    )
    if chosen is None:
        version = await routing.remove_term(ctx.engine, text=normalized, audit=audit)
    else:
        version = await routing.remove_link(
            ctx.engine, text=normalized, label=chosen.label, target=chosen.key, audit=audit
        )
    if version is None:
        detail = "" if chosen is None else f" pointing to {chosen.label.value} {chosen.key}"
        raise NotFound(
            f"there is no active routing term {normalized!r}{detail}", field="input.text"
        )
    return await _term(ctx, normalized)


async def term(ctx: Context, text: str) -> TermRecord:
    normalized = term_text(text, field="text")
    record = await routing.term(ctx.engine, normalized)
    if record is None:
        raise NotFound(f"there is no routing term {normalized!r}", field="text")
    return record


async def _term(ctx: Context, normalized: str) -> TermRecord:
    record = await routing.term(ctx.engine, normalized)
    if record is None:  # written a moment ago in the same statement as its audit entry
        raise NotFound(f"routing term {normalized!r} vanished", field="input.text")
    return record


async def vocabulary_summary(ctx: Context) -> tuple[int, int]:
    """(version, active terms)."""
    version = await routing.version(ctx.engine)
    if version is None:
        raise NotFound("the routing vocabulary is not in the graph yet; run `greenmine seed`")
    return version.version, await routing.count_terms(ctx.engine)
