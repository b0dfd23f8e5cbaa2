"""Leads on illegal acts, transferred to the competent department (二(四): 发现违法违规线索的，及时
移交职能部门依法处理), and onwards from there when it is not competent either.

A case's lead has one holder at a time: the reporting department at first, then whoever it was
last transferred to. Only the holder (an officer of it, or an admin) transfers it on, never to
itself. Each transfer appends to the lead's path in the graph,
`(case)-[:LEAD]->(t1)-[:NEXT]->(t2)...`, guarded on the path's length as read, so two transfers
of the same lead at once cannot both land.
"""

from __future__ import annotations

import datetime as dt

from graph import cases
from graph.case_model import CaseRecord, LeadTransferRecord
from resolvers import dates
from resolvers.auth import audit_entry, now_iso
from resolvers.case_access import acts_for, authorize, reader
from resolvers.case_steps import case_step, existing_case, known_department, required_text
from resolvers.case_workflow import CaseAction, CaseState, require
from resolvers.context import Context
from resolvers.errors import BadUserInput, Conflict
from resolvers.events import new_id


async def transfer_lead(
    ctx: Context,
    case_id: str,
    *,
    to_department: str,
    transferred_on: dt.date,
    summary: str,
) -> LeadTransferRecord:
    actor = await authorize(ctx, "transferLead")
    case = await existing_case(ctx, case_id)
    holder = case.lead_holder
    acts_for(actor, "transferLead", holder, field="input.caseId")
    current = CaseState(case.state)
    chosen = require(current, CaseAction.TRANSFER_LEAD, case_id=case.id)
    receiver = await known_department(ctx, to_department, field="input.toDepartmentCode")
    if receiver == holder:
        raise BadUserInput(
            f"input.toDepartmentCode: {receiver} already holds the lead of case {case.id}; "
            "transfer it to another department",
            field="input.toDepartmentCode",
        )
    what = required_text(summary, field="input.summary")
    dates.not_after_today(transferred_on, ctx.today(), field="input.transferredOn")
    dates.not_before(
        transferred_on,
        dates.parse(case.found_on),
        field="input.transferredOn",
        what="the day the problem was found",
    )
    chain = await ctx.cases.lead_chain.load(case.id)
    if chain:
        dates.not_before(
            transferred_on,
            dates.parse(chain[-1].transferred_on),
            field="input.transferredOn",
            what=f"the previous transfer of this lead (to {chain[-1].to_department})",
        )
    lead = {
        "id": new_id(),
        "fromDepartment": holder,
        "toDepartment": receiver,
        "transferredOn": transferred_on.isoformat(),
        "summary": what,
        "actor": actor.user,
        "role": actor.role.value,
        "actingDepartment": actor.department,
        "recordedAt": now_iso(ctx.clock()),
    }
    moved = case_step(
        chosen,
        current=current,
        occurred_on=transferred_on,
        actor=actor,
        at=ctx.clock(),
        details=f"线索由{holder}移交{receiver}：{what}",
    )
    audit = audit_entry(
        actor,
        chosen.mutation,
        f"case {case.id}: lead transferred from {holder} to {receiver}",
        {"case": case.id, "transfer": lead, "position": case.lead_count + 1},
        at=ctx.clock(),
    )
    written = await cases.transfer_lead(
        ctx.engine,
        case_id=case.id,
        expected=[s.value for s in chosen.sources],
        lead_count=case.lead_count,
        last_lead_id=case.last_lead_id,
        lead=lead,
        step=moved,
        audit=audit,
    )
    if written is None:
        fresh = await settled_lead(ctx, case.id)
        raise Conflict(
            f"the lead of case {case.id} moved while this request was being handled (held by "
            f"{fresh.lead_holder} now, {fresh.lead_count} transfer(s)); nothing was written",
            field="input.caseId",
            current=fresh.state,
            allowed=[],
        )
    ctx.cases.forget_case(case.id)
    return written


async def settled_lead(ctx: Context, case_id: str) -> CaseRecord:
    """The case as it is now, after a refused transfer (a CONFLICT if its state forbids it)."""
    ctx.cases.forget_case(case_id)
    fresh = await existing_case(ctx, case_id)
    require(CaseState(fresh.state), CaseAction.TRANSFER_LEAD, case_id=case_id)
    return fresh


async def lead_chain(ctx: Context, case_id: str) -> list[LeadTransferRecord]:
    await reader(ctx, "reading a lead's transfers")
    return await ctx.cases.lead_chain.load(case_id)
