"""Yearly random spot checks (二(三)2): drawing the sample, recording each sampled mine's result.

A result feeds the lifecycle in the same statement: passed keeps the mine LISTED; a fixable
failure puts it UNDER_RECTIFICATION with a deadline at most `rectification_max_months` (Rule)
after the check; an unfixable failure removes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from graph import spot_checks
from graph.errors import ConstraintViolation
from graph.spot_checks import DrawRecord, NewDraw, NewRectification, NewResult, ResultRecord
from resolvers import dates, rules, sampling
from resolvers.auth import audit_entry, now_iso
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict, NotFound
from resolvers.events import new_id
from resolvers.lifecycle import (
    RECTIFICATION_RULE,
    SPOT_CHECK_RULE,
    CheckOutcome,
    ListStatus,
    check_rectification_deadline,
    spot_check_action,
)
from resolvers.listing import audit_for, departments, plan, settled, text
from resolvers.loaders import forget
from resolvers.mine_access import REGISTRY_DEPARTMENT, list_admin, signed_in

FIRST_YEAR = 2000
MAX_SEED = 100


async def draws(ctx: Context, year: int | None) -> list[DrawRecord]:
    await signed_in(ctx, "reading spot-check draws")
    records = await spot_checks.draws(ctx.engine, year)
    for record in records:
        ctx.mines.draw.prime(record.id, record)
    return records


async def draw_sample(ctx: Context, *, year: int, seed: str, replace: bool) -> DrawRecord:
    actor = await list_admin(ctx, "drawing the yearly spot-check sample")
    today = ctx.today()
    if not FIRST_YEAR <= year <= today.year:
        raise BadUserInput(
            f"input.year must be between {FIRST_YEAR} and this year ({today.year}), not {year}",
            field="input.year",
        )
    seed_text = seed.strip()
    if not seed_text or len(seed_text) > MAX_SEED:
        raise BadUserInput(f"input.seed must be 1 to {MAX_SEED} characters", field="input.seed")
    earlier = await spot_checks.draws(ctx.engine, year)
    current = next((d for d in earlier if d.current), None)
    if current is not None and not replace:
        raise Conflict(
            f"the {year} spot-check sample was already drawn on {current.drawn_on} (draw "
            f"{current.id}, seed {current.seed!r}, {len(current.sample)} mines); pass "
            "replace: true to draw it again (the earlier draw stays in the history)",
            field="input.year",
        )
    share = await rules.value(ctx, SPOT_CHECK_RULE)
    population = await spot_checks.listed_population(ctx.engine, ListStatus.LISTED.value)
    if not population:
        raise Conflict(
            "no mine is LISTED, so there is nothing to draw a spot-check sample from",
            field="input.year",
        )
    sample = sampling.draw(population, seed=seed_text, share=share)
    number = max((d.number for d in earlier), default=0) + 1
    new = NewDraw(
        id=f"{year}-{number}",
        year=year,
        number=number,
        seed=seed_text,
        algorithm=sample.algorithm,
        share=share,
        drawn_on=today.isoformat(),
        drawn_at=now_iso(ctx.clock()),
        actor=actor.user,
        population=list(sample.population),
        sample=list(sample.sample),
    )
    audit = audit_entry(
        actor,
        "drawSpotCheckSample",
        f"spot-check sample {new.id}: {sample.size} of {len(sample.population)} listed mines",
        {
            "draw": new.id,
            "year": year,
            "seed": seed_text,
            "share": share,
            "algorithm": sample.algorithm,
            "populationSize": len(sample.population),
            "sample": new.sample,
            "replaces": current.id if current else None,
        },
        at=ctx.clock(),
    )
    try:
        await spot_checks.draw(
            ctx.engine, new, previous_id=current.id if current else None, audit=audit
        )
    except ConstraintViolation:
        raise Conflict(
            f"another {year} spot-check draw was recorded at the same moment; nothing was written",
            field="input.year",
        ) from None
    record = DrawRecord(
        id=new.id,
        year=year,
        number=number,
        seed=seed_text,
        algorithm=new.algorithm,
        share=share,
        drawn_on=new.drawn_on,
        drawn_at=new.drawn_at,
        actor=actor.user,
        population=new.population,
        sample=new.sample,
        current=True,
        replaces_id=current.id if current else None,
        replaced_by_id=None,
    )
    ctx.mines.draw.prime(record.id, record, force=True)
    return record


async def record_result(
    ctx: Context,
    *,
    year: int,
    licence_number: str,
    checked_on: dt.date,
    outcome: CheckOutcome,
    findings: str | None,
    rectification_deadline: dt.date | None,
    measures: str | None,
    department_codes: Sequence[str],
) -> ResultRecord:
    actor = await list_admin(ctx, "recording a spot-check result")
    licence = licence_number.strip().upper()
    current = next((d for d in await spot_checks.draws(ctx.engine, year) if d.current), None)
    if current is None:
        raise NotFound(f"no spot-check sample has been drawn for {year}", field="input.year")
    if licence not in current.sample:
        raise BadUserInput(
            f"mine {licence} is not in the {year} sample (draw {current.id})",
            field="input.licenceNumber",
        )
    if any(r.mine == licence for r in await ctx.mines.draw_results.load(current.id)):
        raise Conflict(
            f"the {year} result of mine {licence} is already recorded", field="input.licenceNumber"
        )
    what = text(findings, field="input.findings", required=outcome is not CheckOutcome.PASSED)
    todo = text(measures, field="input.measures")
    codes = await departments(ctx, department_codes, field="input.departmentCodes")
    dates.not_before(
        checked_on,
        dt.date.fromisoformat(current.drawn_on),
        field="input.checkedOn",
        what=f"the draw ({current.id})",
    )
    rectification = None
    if outcome is CheckOutcome.FIXABLE_FAILURE:
        if rectification_deadline is None:
            raise BadUserInput(
                "input.rectificationDeadline is required for a fixable failure "
                "(二(三)2: 明确整改期限)",
                field="input.rectificationDeadline",
            )
        months = int(await rules.value(ctx, RECTIFICATION_RULE))
        check_rectification_deadline(
            checked_on,
            rectification_deadline,
            months,
            field="input.rectificationDeadline",
            found_field="input.checkedOn",
        )
        rectification = NewRectification(
            new_id(), checked_on.isoformat(), rectification_deadline.isoformat(), what, todo
        )
    elif rectification_deadline is not None:
        raise BadUserInput(
            "input.rectificationDeadline is only for a fixable failure",
            field="input.rectificationDeadline",
        )
    planned = await plan(
        ctx,
        actor,
        licence,
        spot_check_action(outcome),
        occurred_on=checked_on,
        date_field="input.checkedOn",
        details=what,
        department_codes=[REGISTRY_DEPARTMENT, *codes],
    )
    result = NewResult(new_id(), year, checked_on.isoformat(), outcome.value, what, codes)
    changes: dict[str, object] = {}
    if rectification is not None:
        changes["rectificationDeadline"] = rectification.deadline
    if outcome is CheckOutcome.UNFIXABLE_FAILURE:
        changes["removedOn"] = checked_on.isoformat()
    written = await spot_checks.record_result(
        ctx.engine,
        draw_id=current.id,
        licence=licence,
        expected=planned.current.value,
        result=result,
        rectification=rectification,
        event=planned.event,
        audit=audit_for(
            ctx,
            planned,
            {
                "result": result.params(),
                "draw": current.id,
                "rectification": rectification.params() if rectification else None,
            },
        ),
        set_properties=changes,
    )
    forget(ctx.mines.draw_results, current.id)
    if written is None:
        await settled(ctx, planned, None)  # raises the CONFLICT naming the mine's state now
    ctx.mines.forget_mine(licence)
    return ResultRecord(
        id=result.id,
        draw_id=current.id,
        year=year,
        mine=licence,
        checked_on=result.checked_on,
        outcome=result.outcome,
        findings=what,
        departments=codes,
        rectification_id=rectification.id if rectification else None,
    )
