"""Cases (二(四)): a co-building department files a problem it found with a mine, classifies it
(one of the 14 removal conditions, cited or suggested by routing from free text), adds evidence,
refers it to Natural Resources with its handling recommendation, or withdraws it; Natural
Resources closes it once its decision has been carried out. (Reads: `resolvers/case_reads.py`.)

Each change: checks the caller against `resolvers/case_access.py`, reads the case, asks the
workflow (`resolvers/case_workflow.py`) whether the step is allowed from its state, checks the
input and its dates, and writes one guarded statement. If the case changed in between, nothing is
written and the caller gets a CONFLICT naming its state now.

Input that names something unknown (a mine, a department, a condition) is BAD_USER_INPUT naming
the field; an unknown case is NOT_FOUND.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from graph import cases
from graph.case_model import CaseRecord
from resolvers import dates, routing
from resolvers.auth import Actor, audit_entry, now_iso
from resolvers.case_access import acts_for, authorize
from resolvers.case_steps import (
    case_step,
    check_condition,
    existing_case,
    known_department,
    known_departments,
    required_text,
    settled,
    step_date,
    text,
)
from resolvers.case_workflow import (
    CaseAction,
    CaseState,
    Classification,
    DecisionOutcome,
    require,
    step,
)
from resolvers.context import Context
from resolvers.errors import BadUserInput, NotFound
from resolvers.events import new_id
from resolvers.lifecycle import removal_clause
from resolvers.mine_access import REGISTRY_DEPARTMENT

MAX_REFERENCE = 500
MAX_EVIDENCE = 20
SUGGESTIONS = 3


@dataclass(frozen=True)
class EvidenceItem:
    text: str
    reference: str | None = None


@dataclass(frozen=True)
class Filing:
    licence_number: str
    reporting_department: str
    found_on: dt.date
    description: str
    evidence: Sequence[EvidenceItem]
    #: cite one of the 14 conditions; without it routing suggests one from the description
    condition_number: int | None = None
    #: the departments the officer chose as competent; default: the condition's, or routing's
    competent_departments: Sequence[str] | None = None


# -- filing and classifying ----------------------------------------------------------------


def _evidence_rows(
    items: Sequence[EvidenceItem], *, actor: Actor, today: dt.date, field: str, required: bool
) -> list[dict[str, object]]:
    if required and not items:
        raise BadUserInput(
            f"{field} must hold at least one item (what was found, 证据材料)", field=field
        )
    if len(items) > MAX_EVIDENCE:
        raise BadUserInput(
            f"{field} holds {len(items)} items; at most {MAX_EVIDENCE} per request", field=field
        )
    rows = []
    for i, item in enumerate(items, start=1):
        here = f"{field}[{i - 1}]"
        rows.append(
            {
                "id": new_id(),
                "seq": i,
                "text": required_text(item.text, field=f"{here}.text"),
                "reference": text(item.reference, field=f"{here}.reference", maximum=MAX_REFERENCE),
                "addedOn": today.isoformat(),
                "addedBy": actor.user,
                "department": actor.department,
            }
        )
    return rows


async def _competence(ctx: Context, condition: int) -> list[str]:
    return [a.department_code for a in await ctx.loaders.competence_for_condition.load(condition)]


@dataclass(frozen=True)
class _Choice:
    condition: int | None
    competent: list[str]
    classification: Classification
    suggestions: list[dict[str, object]]


async def _classify(
    ctx: Context,
    *,
    description: str,
    condition: int | None,
    competent: Sequence[str] | None,
) -> _Choice:
    """Cited condition, or routing's suggestions from the description (stored either way when
    routed), and what the officer chose over them."""
    chosen = (
        await known_departments(ctx, competent, field="input.competentDepartmentCodes")
        if competent
        else None
    )
    if condition is not None:
        check_condition(condition, field="input.conditionNumber")
        return _Choice(
            condition,
            chosen or await _competence(ctx, condition),
            Classification.CITED,
            [],
        )
    matches = await routing.route(ctx, description, limit=SUGGESTIONS)
    suggestions: list[dict[str, object]] = [
        {
            "rank": rank,
            "department": m.department.code,
            "score": m.score,
            "matchedTerms": list(m.matched_terms),
            "conditionNumber": m.condition.number if m.condition else None,
            "duty": m.duty.code if m.duty else None,
            "clauseRef": m.clause.ref if m.clause else None,
            "explanationZh": m.explanation_zh,
            "explanationEn": m.explanation_en,
        }
        for rank, m in enumerate(matches, start=1)
    ]
    if not matches and not chosen:
        raise BadUserInput(
            "input.conditionNumber: routing found no competent department for "
            "input.description; cite one of the 14 removal conditions (conditionNumber) or "
            "name input.competentDepartmentCodes",
            field="input.conditionNumber",
        )
    suggested_condition = next((m.condition.number for m in matches if m.condition), None)
    return _Choice(
        suggested_condition,
        chosen or [m.department.code for m in matches],
        Classification.OFFICER if chosen else Classification.ROUTING,
        suggestions,
    )


async def file_case(ctx: Context, filing: Filing) -> CaseRecord:
    actor = await authorize(ctx, "fileCase")
    acts_for(
        actor,
        "fileCase",
        filing.reporting_department,
        field="input.reportingDepartmentCode",
    )
    reporting = await known_department(
        ctx, filing.reporting_department, field="input.reportingDepartmentCode"
    )
    licence = filing.licence_number.strip().upper()
    mine = await ctx.mines.mine.load(licence)
    if mine is None:
        raise BadUserInput(
            f"input.licenceNumber: there is no mine with licence number {licence!r}",
            field="input.licenceNumber",
        )
    today = ctx.today()
    dates.not_after_today(filing.found_on, today, field="input.foundOn")
    description = required_text(filing.description, field="input.description")
    evidence = _evidence_rows(
        filing.evidence, actor=actor, today=today, field="input.evidence", required=True
    )
    choice = await _classify(
        ctx,
        description=description,
        condition=filing.condition_number,
        competent=filing.competent_departments,
    )
    case_id = new_id()
    chosen = step(CaseAction.FILE)
    filed = case_step(
        chosen,
        current=None,
        occurred_on=today,
        actor=actor,
        at=ctx.clock(),
        details=description,
        clause_ref=removal_clause(choice.condition) if choice.condition else None,
    )
    props: dict[str, object] = {
        "id": case_id,
        "state": CaseState.OPEN.value,
        "stateSince": today.isoformat(),
        "mine": mine.licence_number,
        "prefecture": mine.prefecture,
        "reportingDepartment": reporting,
        "foundOn": filing.found_on.isoformat(),
        "filedOn": today.isoformat(),
        "filedAt": now_iso(ctx.clock()),
        "description": description,
        "conditionNumber": choice.condition,
        "classification": choice.classification.value,
        "competentDepartments": choice.competent,
        "departments": [reporting],
        "eventCount": 0,
        "evidenceCount": len(evidence),
        "leadCount": 0,
        "leadHolder": reporting,
        "synthetic": False,
    }
    audit = audit_entry(
        actor,
        chosen.mutation,
        f"case {case_id} filed by {reporting} against mine {mine.licence_number}",
        {
            "case": case_id,
            "mine": mine.licence_number,
            "reportingDepartment": reporting,
            "foundOn": filing.found_on.isoformat(),
            "conditionNumber": choice.condition,
            "classification": choice.classification.value,
            "competentDepartments": choice.competent,
            "suggestions": choice.suggestions,
            "evidence": len(evidence),
        },
        at=ctx.clock(),
    )
    record = await cases.file(
        ctx.engine,
        case=props,
        evidence=evidence,
        suggestions=choice.suggestions,
        step=filed,
        audit=audit,
    )
    if record is None:  # the mine or the department went away in between
        raise NotFound(
            f"mine {mine.licence_number} or department {reporting} is no longer in the graph",
            field="input.licenceNumber",
        )
    # the request's lists and counts of the mine's cases lack the new one
    ctx.cases.forget_case(case_id)
    ctx.cases.case.prime(case_id, record, force=True)
    return record


async def classify_case(
    ctx: Context,
    case_id: str,
    *,
    condition_number: int | None,
    competent_departments: Sequence[str] | None,
) -> CaseRecord:
    actor = await authorize(ctx, "classifyCase")
    case = await existing_case(ctx, case_id)
    acts_for(actor, "classifyCase", case.reporting_department, field="input.caseId")
    chosen = require(CaseState(case.state), CaseAction.CLASSIFY, case_id=case.id)
    if condition_number is None and not competent_departments:
        raise BadUserInput(
            "input.conditionNumber or input.competentDepartmentCodes must be given",
            field="input.conditionNumber",
        )
    if condition_number is not None:
        check_condition(condition_number, field="input.conditionNumber")
    else:  # only the departments were chosen: the condition stays
        condition_number = case.condition_number
    competent = (
        await known_departments(ctx, competent_departments, field="input.competentDepartmentCodes")
        if competent_departments
        else await _competence(ctx, condition_number or 0)
    )
    classified = case_step(
        chosen,
        current=CaseState(case.state),
        occurred_on=ctx.today(),
        actor=actor,
        at=ctx.clock(),
        details=f"移出情形：{condition_number or '未定'}；职能部门：{'、'.join(competent)}",
        clause_ref=removal_clause(condition_number) if condition_number else None,
    )
    audit = audit_entry(
        actor,
        chosen.mutation,
        f"case {case.id} classified: condition {condition_number}, {', '.join(competent)}",
        {
            "case": case.id,
            "before": {
                "conditionNumber": case.condition_number,
                "competentDepartments": case.competent_departments,
                "classification": case.classification,
            },
            "after": {
                "conditionNumber": condition_number,
                "competentDepartments": competent,
                "classification": Classification.OFFICER.value,
            },
        },
        at=ctx.clock(),
    )
    written = await cases.classify(
        ctx.engine,
        case_id=case.id,
        expected=[s.value for s in chosen.sources],
        condition_number=condition_number,
        classification=Classification.OFFICER.value,
        competent_departments=competent,
        step=classified,
        audit=audit,
    )
    return await settled(ctx, case.id, CaseAction.CLASSIFY, written)


async def add_evidence(ctx: Context, case_id: str, items: Sequence[EvidenceItem]) -> CaseRecord:
    actor = await authorize(ctx, "addCaseEvidence")
    case = await existing_case(ctx, case_id)
    acts_for(actor, "addCaseEvidence", case.reporting_department, field="input.caseId")
    chosen = require(CaseState(case.state), CaseAction.ADD_EVIDENCE, case_id=case.id)
    rows = _evidence_rows(
        items, actor=actor, today=ctx.today(), field="input.evidence", required=True
    )
    added = case_step(
        chosen,
        current=CaseState(case.state),
        occurred_on=ctx.today(),
        actor=actor,
        at=ctx.clock(),
        details=f"补充证据{len(rows)}项",
    )
    audit = audit_entry(
        actor,
        chosen.mutation,
        f"case {case.id}: {len(rows)} evidence item(s) added",
        {
            "case": case.id,
            "evidence": [{"text": r["text"], "reference": r["reference"]} for r in rows],
        },
        at=ctx.clock(),
    )
    written = await cases.add_evidence(
        ctx.engine,
        case_id=case.id,
        expected=[s.value for s in chosen.sources],
        evidence=rows,
        step=added,
        audit=audit,
    )
    return await settled(ctx, case.id, CaseAction.ADD_EVIDENCE, written)


# -- referral, withdrawal, closing ---------------------------------------------------------


async def refer_case(
    ctx: Context,
    case_id: str,
    *,
    referred_on: dt.date,
    recommendation: str,
    recommended_outcome: DecisionOutcome | None,
) -> CaseRecord:
    """二(四): 及时反馈省自然资源厅，并提出处理意见建议."""
    actor = await authorize(ctx, "referCase")
    case = await existing_case(ctx, case_id)
    acts_for(actor, "referCase", case.reporting_department, field="input.caseId")
    current = CaseState(case.state)
    chosen = require(current, CaseAction.REFER, case_id=case.id)
    advice = required_text(recommendation, field="input.recommendation")
    step_date(ctx, case, referred_on, field="input.referredOn")
    dates.not_before(
        referred_on,
        dates.parse(case.found_on),
        field="input.referredOn",
        what="the day the problem was found",
    )
    referral = {
        "id": new_id(),
        "fromDepartment": case.reporting_department,
        "toDepartment": REGISTRY_DEPARTMENT,
        "referredOn": referred_on.isoformat(),
        "recommendation": advice,
        "recommendedOutcome": recommended_outcome.value if recommended_outcome else None,
        "actor": actor.user,
        "recordedAt": now_iso(ctx.clock()),
    }
    referred = case_step(
        chosen,
        current=current,
        occurred_on=referred_on,
        actor=actor,
        at=ctx.clock(),
        details=advice,
    )
    audit = audit_entry(
        actor,
        chosen.mutation,
        f"case {case.id} referred by {case.reporting_department} to {REGISTRY_DEPARTMENT}",
        {"case": case.id, "referral": referral},
        at=ctx.clock(),
    )
    written = await cases.refer(
        ctx.engine,
        case_id=case.id,
        expected=[s.value for s in chosen.sources],
        referral=referral,
        step=referred,
        audit=audit,
    )
    return await settled(ctx, case.id, CaseAction.REFER, written)


async def withdraw_case(
    ctx: Context, case_id: str, *, withdrawn_on: dt.date, reason: str
) -> CaseRecord:
    actor = await authorize(ctx, "withdrawCase")
    case = await existing_case(ctx, case_id)
    acts_for(actor, "withdrawCase", case.reporting_department, field="input.caseId")
    return await _plain_step(
        ctx,
        actor,
        case,
        CaseAction.WITHDRAW,
        on=withdrawn_on,
        date_field="input.withdrawnOn",
        note=required_text(reason, field="input.reason"),
    )


async def close_case(ctx: Context, case_id: str, *, closed_on: dt.date, note: str) -> CaseRecord:
    actor = await authorize(ctx, "closeCase")
    case = await existing_case(ctx, case_id)
    acts_for(actor, "closeCase", REGISTRY_DEPARTMENT, field="input.caseId")
    return await _plain_step(
        ctx,
        actor,
        case,
        CaseAction.CLOSE,
        on=closed_on,
        date_field="input.closedOn",
        note=required_text(note, field="input.note"),
    )


async def _plain_step(
    ctx: Context,
    actor: Actor,
    case: CaseRecord,
    action: CaseAction,
    *,
    on: dt.date,
    date_field: str,
    note: str,
) -> CaseRecord:
    current = CaseState(case.state)
    chosen = require(current, action, case_id=case.id)
    step_date(ctx, case, on, field=date_field)
    taken = case_step(
        chosen, current=current, occurred_on=on, actor=actor, at=ctx.clock(), details=note
    )
    audit = audit_entry(
        actor,
        chosen.mutation,
        f"case {case.id}: {current.value} -> {taken.to_state} on {on.isoformat()}",
        {
            "case": case.id,
            "from": current.value,
            "to": taken.to_state,
            "on": on.isoformat(),
            "note": note,
        },
        at=ctx.clock(),
    )
    written = await cases.take_step(
        ctx.engine,
        case_id=case.id,
        expected=[s.value for s in chosen.sources],
        step=taken,
        audit=audit,
    )
    return await settled(ctx, case.id, action, written)
