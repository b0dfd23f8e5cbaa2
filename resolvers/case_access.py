"""Who may do what with cases, referrals, joint meetings, decisions, leads and penalties: every
rule in one table, so that it can be folded into a schema-wide authorization table.

Changes (`MUTATION_ACCESS`): each mutation names the roles that may call it and whose department
the caller must act for. An officer acts only for their own department; an admin (of Natural
Resources) acts for any; an analyst changes nothing. Roles are checked before anything is looked
up (an anonymous caller learns nothing); the department once the case or penalty is read.

Reads (`READ_ACCESS`): cases are private. Anonymous callers read none of it. Admins and analysts
read every case. An officer reads the cases its department is part of: the ones it reported, the
ones referred to it (every referral goes to natural_resources), the ones whose lead passed through
it, and the ones it imposed a penalty in. Referrals follow their case. Joint-meeting sessions and
decisions are read by every token holder (the list they change is public), but a decision's case
only by those who may read the case. Administrative penalties are read by every token holder:
they are bound for public disclosure (记于企业名下并向社会公示) and joint discipline needs every
department to see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from graph.case_model import CaseRecord
from resolvers.auth import Actor, Role, require_role
from resolvers.context import Context
from resolvers.errors import Forbidden, Unauthenticated


class ActsFor(StrEnum):
    """Whose department the caller must act for."""

    #: the department named in the input (reportingDepartmentCode, issuingDepartmentCode)
    INPUT_DEPARTMENT = "the department named in the input"
    #: the department that reported the case
    REPORTING_DEPARTMENT = "the case's reporting department"
    #: the department that holds the case's lead now (the reporting department at first)
    LEAD_HOLDER = "the department holding the case's lead"
    #: the department that imposed the penalty
    ISSUING_DEPARTMENT = "the penalty's issuing department"
    #: Natural Resources, which keeps the list and convenes the joint meeting (admins only)
    LIST_KEEPER = "natural_resources, as keeper of the list (admin)"


OFFICER_OR_ADMIN = frozenset({Role.OFFICER, Role.ADMIN})
ADMIN_ONLY = frozenset({Role.ADMIN})


@dataclass(frozen=True)
class MutationAccess:
    roles: frozenset[Role]
    acts_for: ActsFor
    #: what the caller is doing, for error messages
    action: str
    clause_ref: str


MUTATION_ACCESS: dict[str, MutationAccess] = {
    "fileCase": MutationAccess(
        OFFICER_OR_ADMIN, ActsFor.INPUT_DEPARTMENT, "filing a case", "二(四)"
    ),
    "classifyCase": MutationAccess(
        OFFICER_OR_ADMIN, ActsFor.REPORTING_DEPARTMENT, "classifying a case", "二(四)"
    ),
    "addCaseEvidence": MutationAccess(
        OFFICER_OR_ADMIN, ActsFor.REPORTING_DEPARTMENT, "adding evidence to a case", "二(四)"
    ),
    "referCase": MutationAccess(
        OFFICER_OR_ADMIN,
        ActsFor.REPORTING_DEPARTMENT,
        "referring a case to Natural Resources",
        "二(四)",
    ),
    "withdrawCase": MutationAccess(
        OFFICER_OR_ADMIN, ActsFor.REPORTING_DEPARTMENT, "withdrawing a case", "二(四)"
    ),
    "recordJointMeeting": MutationAccess(
        ADMIN_ONLY, ActsFor.LIST_KEEPER, "recording a joint meeting", "二(一)"
    ),
    "decideCase": MutationAccess(
        ADMIN_ONLY, ActsFor.LIST_KEEPER, "deciding a case (remove, keep or rectify)", "二(四)"
    ),
    "closeCase": MutationAccess(ADMIN_ONLY, ActsFor.LIST_KEEPER, "closing a case", "二(四)"),
    "transferLead": MutationAccess(
        OFFICER_OR_ADMIN, ActsFor.LEAD_HOLDER, "transferring a lead on illegal acts", "二(四)"
    ),
    "recordPenalty": MutationAccess(
        OFFICER_OR_ADMIN,
        ActsFor.INPUT_DEPARTMENT,
        "recording an administrative penalty",
        "二(四)",
    ),
    "recordPenaltyExecution": MutationAccess(
        OFFICER_OR_ADMIN,
        ActsFor.ISSUING_DEPARTMENT,
        "recording that a penalty was carried out",
        "二(四)2",
    ),
    "recordPenaltyPublication": MutationAccess(
        OFFICER_OR_ADMIN,
        ActsFor.ISSUING_DEPARTMENT,
        "recording a penalty's publication in the national credit system",
        "二(四)",
    ),
}

CASES_RULE = "admin, analyst: every case; officer: the cases its department is part of"
ANY_TOKEN = "any token"
READ_ACCESS: dict[str, str] = {
    "case": CASES_RULE,
    "cases": CASES_RULE,
    "Mine.cases": CASES_RULE,
    "referrals": "as their case",
    "jointMeetingSessions": ANY_TOKEN,
    "jointMeetingSession": ANY_TOKEN + " (a decision's case: as the case)",
    "penalties": ANY_TOKEN,
    "penalty": ANY_TOKEN,
    "Mine.penalties": ANY_TOKEN,
    "caseTransitions": "public (the workflow, no data)",
}


async def authorize(ctx: Context, mutation: str) -> Actor:
    """The caller, if their role may call `mutation` (checked before anything is looked up)."""
    access = MUTATION_ACCESS[mutation]
    actor = await ctx.actor()
    require_role(actor, *sorted(access.roles), action=access.action)
    return actor


def acts_for(actor: Actor, mutation: str, department: str, *, field: str) -> None:
    """An officer acts only for `department` (the one the rule names); an admin for any."""
    if actor.role is Role.ADMIN:
        return
    access = MUTATION_ACCESS[mutation]
    if actor.department != department:
        raise Forbidden(
            f"{access.action} is for {access.acts_for.value} ({department}); "
            f"an officer of {actor.department} cannot act for it",
            field=field,
        )


async def reader(ctx: Context, action: str) -> Actor:
    actor = await ctx.actor()
    if actor.is_anonymous:
        raise Unauthenticated(f"{action} needs a bearer token (cases are not public)")
    return actor


def viewer_department(actor: Actor) -> str | None:
    """The department whose cases an officer may read; None: every case (admin, analyst)."""
    if actor.role in (Role.ADMIN, Role.ANALYST):
        return None
    return actor.department or ""


def may_read(actor: Actor, case: CaseRecord) -> bool:
    viewer = viewer_department(actor)
    return viewer is None or viewer in case.departments
