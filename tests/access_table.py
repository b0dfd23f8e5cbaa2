"""Who may call each mutation and each private read: the table the attack tests are driven by.

Every field of the Mutation type and every field marked `@private` in the schema needs an entry
here, keyed `Type.field`; tests/test_authorization.py fails while one lacks it (or while an entry
names a field that no longer exists). An entry says which roles may call the field, whether an
officer may act only for one department, and how to make a minimal valid call, so the tests can
show both that the right caller succeeds and that every wrong one is refused with nothing changed.

To add a mutation: add a `Rule` with a `make` that returns a valid call (create what it needs
first through `setup.admin`), acting for `department` when officers are limited to their own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from resolvers.auth import Role
from resolvers.sampling import rank_key
from tests.api import Api
from tests.case_factories import DECIDE, FILE, MEETING, PENALTY, REFER
from tests.factories import (
    EVALUATE,
    NOTICE,
    RESULT,
    VERIFY,
    WALK,
    MineFactory,
    mine_input,
)


@dataclass(frozen=True)
class Call:
    query: str
    variables: dict[str, Any] = field(default_factory=dict)


@dataclass
class Setup:
    """What a call maker gets: a serial number for unique values, and an admin to prepare with."""

    api: Api
    admin: str
    serial: int


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role]
    make: Callable[[Setup], Awaitable[Call]]
    #: officers may act only for this department's records (None: not department-scoped)
    department: str | None = None
    #: a successful call records one AuditEntry (every mutation does; reads do not)
    audited: bool = True


async def appoint_liaison(setup: Setup) -> Call:
    since = dt.date(2027, 1, 1) + dt.timedelta(days=setup.serial)
    return Call(
        "mutation($input: AppointLiaisonInput!) { appointLiaison(input: $input) { code } }",
        {
            "input": {
                "departmentCode": "water_resources",
                "name": f"继任者{setup.serial}",
                "since": since.isoformat(),
                "phone": "0931-0000000",
            }
        },
    )


ADD_TERM = """
mutation($input: AddRoutingTermInput!) { addRoutingTerm(input: $input) { text active } }
"""


def routing_term(setup: Setup) -> dict[str, Any]:
    return {"text": f"测试词{setup.serial}", "departmentCode": "water_resources", "weight": 1.0}


async def add_routing_term(setup: Setup) -> Call:
    return Call(ADD_TERM, {"input": routing_term(setup)})


async def remove_routing_term(setup: Setup) -> Call:
    term = routing_term(setup)
    added = await setup.api.graphql(ADD_TERM, {"input": term}, token=setup.admin)
    assert added.errors == [], added.errors
    return Call(
        "mutation($input: RemoveRoutingTermInput!) { removeRoutingTerm(input: $input) { text } }",
        {"input": {"text": term["text"], "departmentCode": term["departmentCode"]}},
    )


async def cypher(setup: Setup) -> Call:
    return Call(
        "query($q: String!) { cypher(query: $q) { columns rows } }",
        {"q": "MATCH (d:Department) RETURN count(d) AS n"},
    )


MINE = "{ licenceNumber status }"


def mutation(name: str, input_type: str, selection: str = MINE) -> str:
    return f"mutation($input: {input_type}!) {{ {name}(input: $input) {selection} }}"


def mines(setup: Setup) -> MineFactory:
    return MineFactory(setup.api.graphql, setup.admin)  # type: ignore[arg-type]


async def walked_to(setup: Setup, last: str) -> str:
    """A mine registered (as APPLIED) and walked by the admin up to and including `last`."""
    factory = mines(setup)
    licence = await factory.register(appliedOn=WALK["applied"])
    steps: list[tuple[str, str, str, dict[str, Any]]] = [
        ("evaluated", EVALUATE, "recordEvaluation",
         {"evaluator": "甘肃某评估中心", "reportDate": WALK["evaluated"]}),
        ("verified", VERIFY, "recordVerification",
         {"verifiedOn": WALK["verified"], "departmentCodes": ["water_resources"]}),
        ("notice", NOTICE, "startPublicNotice",
         {"startsOn": WALK["notice_start"], "endsOn": WALK["notice_end"]}),
    ]  # fmt: skip
    for step, query, field_name, values in steps:
        await factory.call(query, field_name, licenceNumber=licence, **values)
        if step == last:
            break
    return licence


def seed_ranking_first(licence: str) -> str:
    """A seed under which this licence ranks first in any draw (its key starts with 0000)."""
    for n in range(1_000_000):
        if rank_key(f"s{n}", licence).startswith("0000"):
            return f"s{n}"
    raise AssertionError("no seed found")


async def sampled(setup: Setup) -> str:
    """A LISTED mine, drawn into this year's spot-check sample (the draw replaced if need be)."""
    factory = mines(setup)
    licence = await factory.listed()
    draw = await factory.draw(SPOT_CHECK_YEAR, seed=seed_ranking_first(licence), replace=True)
    assert licence in draw["sample"], draw
    return licence


#: the year the spot-check calls draw for: this year, as the service sees it
SPOT_CHECK_YEAR = dt.datetime.now(dt.UTC).year


async def register_mine(setup: Setup) -> Call:
    return Call(mutation("registerMine", "RegisterMineInput"), {"input": mine_input()})


async def update_mine_licences(setup: Setup) -> Call:
    licence = await mines(setup).register()
    safety = {
        "kind": "SAFETY_PRODUCTION",
        "number": f"(甘)FM安许证字[2026]{setup.serial}号",
        "validFrom": "2026-01-01",
        "validUntil": "2029-01-01",
    }
    return Call(
        mutation("updateMineLicences", "UpdateMineLicencesInput"),
        {"input": {"licenceNumber": licence, "licences": [safety]}},
    )


async def apply_for_listing(setup: Setup) -> Call:
    licence = await mines(setup).register()
    return Call(
        mutation("applyForListing", "ApplyForListingInput"),
        {"input": {"licenceNumber": licence, "appliedOn": today().isoformat()}},
    )


async def record_evaluation(setup: Setup) -> Call:
    licence = await mines(setup).register(appliedOn=WALK["applied"])
    return Call(
        mutation("recordEvaluation", "RecordEvaluationInput"),
        {"input": {"licenceNumber": licence, "evaluator": "评估中心",
                   "reportDate": WALK["evaluated"]}},
    )  # fmt: skip


async def record_verification(setup: Setup) -> Call:
    licence = await walked_to(setup, "evaluated")
    return Call(
        mutation("recordVerification", "RecordVerificationInput"),
        {"input": {"licenceNumber": licence, "verifiedOn": WALK["verified"],
                   "departmentCodes": ["water_resources"]}},
    )  # fmt: skip


async def start_public_notice(setup: Setup) -> Call:
    licence = await walked_to(setup, "verified")
    return Call(
        mutation("startPublicNotice", "StartPublicNoticeInput"),
        {"input": {"licenceNumber": licence, "startsOn": WALK["notice_start"],
                   "endsOn": WALK["notice_end"]}},
    )  # fmt: skip


OBJECTION = {"receivedOn": "2026-04-05", "objector": "村民代表", "summary": "扬尘扰民"}


async def record_objection(setup: Setup) -> Call:
    licence = await walked_to(setup, "notice")
    return Call(
        mutation("recordObjection", "RecordObjectionInput"),
        {"input": {"licenceNumber": licence, **OBJECTION}},
    )


async def resolve_objection(setup: Setup) -> Call:
    licence = await walked_to(setup, "notice")
    mine = await mines(setup).call(
        mutation("recordObjection", "RecordObjectionInput", "{ objections { id } }"),
        "recordObjection",
        licenceNumber=licence,
        **OBJECTION,
    )
    return Call(
        mutation("resolveObjection", "ResolveObjectionInput"),
        {"input": {"licenceNumber": licence, "objectionId": mine["objections"][0]["id"],
                   "resolvedOn": "2026-04-08", "upheld": False, "resolution": "已整改扬尘"}},
    )  # fmt: skip


async def list_mine(setup: Setup) -> Call:
    licence = await walked_to(setup, "notice")
    return Call(
        mutation("listMine", "ListMineInput"),
        {"input": {"licenceNumber": licence, "listedOn": WALK["listed"]}},
    )


def today() -> dt.date:
    """The service's "today": the app these tests call runs on the real clock."""
    return dt.datetime.now(dt.UTC).date()


async def record_recheck(setup: Setup) -> Call:
    # a check can only follow the draw (made today) and cannot be in the future: all today
    licence = await sampled(setup)
    await mines(setup).call(
        RESULT, "recordSpotCheckResult", year=SPOT_CHECK_YEAR, licenceNumber=licence,
        checkedOn=today().isoformat(), outcome="FIXABLE_FAILURE", findings="排土场未复绿",
        rectificationDeadline=(today() + dt.timedelta(days=60)).isoformat(), measures="限期复绿",
    )  # fmt: skip
    return Call(
        mutation("recordRecheck", "RecordRecheckInput"),
        {"input": {"licenceNumber": licence, "recheckedOn": today().isoformat(), "passed": True,
                   "rectificationCompletedOn": today().isoformat()}},
    )  # fmt: skip


async def remove_mine(setup: Setup) -> Call:
    licence = await mines(setup).listed()
    return Call(
        mutation("removeMine", "RemoveMineInput"),
        {"input": {"licenceNumber": licence, "conditionNumber": 3, "decidedOn": "2026-05-01",
                   "reason": "矿山已关闭"}},
    )  # fmt: skip


async def draw_spot_check_sample(setup: Setup) -> Call:
    await mines(setup).listed()
    return Call(
        mutation("drawSpotCheckSample", "DrawSpotCheckSampleInput", "{ id sample }"),
        {"input": {"year": SPOT_CHECK_YEAR, "seed": f"seed{setup.serial}", "replace": True}},
    )


async def record_spot_check_result(setup: Setup) -> Call:
    licence = await sampled(setup)
    return Call(
        mutation("recordSpotCheckResult", "RecordSpotCheckResultInput", "{ id outcome }"),
        {"input": {"year": SPOT_CHECK_YEAR, "licenceNumber": licence,
                   "checkedOn": today().isoformat(), "outcome": "PASSED"}},
    )  # fmt: skip


REPORTER = "ecology_environment"


async def admin_call(setup: Setup, query: str, field_name: str, **input_: Any) -> dict[str, Any]:
    """A preparatory call by the admin (who may act for any department)."""
    reply = await setup.api.graphql(query, {"input": input_}, token=setup.admin)
    assert reply.errors == [], reply.errors
    result: dict[str, Any] = reply.data[field_name]
    return result


def case_input(licence: str) -> dict[str, Any]:
    return {
        "licenceNumber": licence,
        "reportingDepartmentCode": REPORTER,
        "foundOn": "2026-05-06",
        "description": "尾矿库防渗没做，污染地下水",
        "evidence": [{"text": "现场检查笔录"}],
        "conditionNumber": 8,
    }


async def filed_case(setup: Setup) -> str:
    """A case against a listed mine, filed for ecology_environment."""
    licence = await mines(setup).listed()
    case = await admin_call(setup, FILE, "fileCase", **case_input(licence))
    return str(case["id"])


async def referred_case(setup: Setup) -> str:
    case_id = await filed_case(setup)
    await admin_call(
        setup, REFER, "referCase", caseId=case_id, referredOn=today().isoformat(),
        recommendation="建议移出绿色矿山名录",
    )  # fmt: skip
    return case_id


def meeting_input() -> dict[str, Any]:
    """A fresh joint-meeting session input (callers may change its lists in place)."""
    return {
        "heldOn": today().isoformat(),
        "attendingDepartmentCodes": ["natural_resources", REPORTER],
        "agenda": ["通报绿色矿山违法违规问题"],
        "agendaItemNumbers": [2],
    }


def case_mutation(name: str, input_type: str) -> str:
    return mutation(name, input_type, "{ id state }")


async def file_case(setup: Setup) -> Call:
    licence = await mines(setup).listed()
    return Call(case_mutation("fileCase", "FileCaseInput"), {"input": case_input(licence)})


async def classify_case(setup: Setup) -> Call:
    case_id = await filed_case(setup)
    return Call(
        case_mutation("classifyCase", "ClassifyCaseInput"),
        {"input": {"caseId": case_id, "conditionNumber": 7}},
    )


async def add_case_evidence(setup: Setup) -> Call:
    case_id = await filed_case(setup)
    return Call(
        case_mutation("addCaseEvidence", "AddCaseEvidenceInput"),
        {"input": {"caseId": case_id, "evidence": [{"text": "监测报告", "reference": "2026-1"}]}},
    )


async def refer_case(setup: Setup) -> Call:
    case_id = await filed_case(setup)
    return Call(
        case_mutation("referCase", "ReferCaseInput"),
        {"input": {"caseId": case_id, "referredOn": today().isoformat(),
                   "recommendation": "建议移出绿色矿山名录"}},
    )  # fmt: skip


async def withdraw_case(setup: Setup) -> Call:
    case_id = await filed_case(setup)
    return Call(
        case_mutation("withdrawCase", "WithdrawCaseInput"),
        {"input": {"caseId": case_id, "withdrawnOn": today().isoformat(), "reason": "重复报送"}},
    )


async def record_joint_meeting(setup: Setup) -> Call:
    return Call(
        mutation("recordJointMeeting", "RecordJointMeetingInput", "{ id }"),
        {"input": meeting_input()},
    )


async def decided_input(setup: Setup, case_id: str, outcome: str) -> dict[str, Any]:
    meeting = await admin_call(setup, MEETING, "recordJointMeeting", **meeting_input())
    return {
        "caseId": case_id, "meetingId": meeting["id"], "outcome": outcome,
        "decidedOn": today().isoformat(), "meetingOpinion": "同意报送部门意见",
        "reason": "经联席会议研究决定",
    }  # fmt: skip


async def decide_case(setup: Setup) -> Call:
    case_id = await referred_case(setup)
    return Call(
        case_mutation("decideCase", "DecideCaseInput"),
        {"input": await decided_input(setup, case_id, "KEEP")},
    )


async def close_case(setup: Setup) -> Call:
    case_id = await referred_case(setup)
    await admin_call(setup, DECIDE, "decideCase", **await decided_input(setup, case_id, "KEEP"))
    return Call(
        case_mutation("closeCase", "CloseCaseInput"),
        {"input": {"caseId": case_id, "closedOn": today().isoformat(), "note": "已办结"}},
    )


async def transfer_lead(setup: Setup) -> Call:
    case_id = await filed_case(setup)
    return Call(
        mutation("transferLead", "TransferLeadInput", "{ id seq }"),
        {"input": {"caseId": case_id, "toDepartmentCode": "natural_resources",
                   "transferredOn": today().isoformat(), "summary": "移交职能部门依法处理"}},
    )  # fmt: skip


def penalty_input(licence: str, serial: int) -> dict[str, Any]:
    return {
        "licenceNumber": licence,
        "issuingDepartmentCode": REPORTER,
        "decisionNumber": f"甘环罚〔2026〕{serial}号",
        "decidedOn": "2026-06-01",
        "performanceDeadline": "2026-07-01",
        "description": "未按要求建设尾矿库防渗设施，责令改正并处罚款",
    }


async def recorded_penalty(setup: Setup) -> str:
    licence = await mines(setup).listed()
    penalty = await admin_call(
        setup, PENALTY, "recordPenalty", **penalty_input(licence, setup.serial)
    )
    return str(penalty["id"])


async def record_penalty(setup: Setup) -> Call:
    licence = await mines(setup).listed()
    return Call(
        mutation("recordPenalty", "RecordPenaltyInput", "{ id }"),
        {"input": penalty_input(licence, setup.serial)},
    )


async def record_penalty_execution(setup: Setup) -> Call:
    penalty_id = await recorded_penalty(setup)
    return Call(
        mutation("recordPenaltyExecution", "RecordPenaltyExecutionInput", "{ id }"),
        {"input": {"penaltyId": penalty_id, "executedOn": "2026-06-20"}},
    )


async def record_penalty_publication(setup: Setup) -> Call:
    penalty_id = await recorded_penalty(setup)
    return Call(
        mutation("recordPenaltyPublication", "RecordPenaltyPublicationInput", "{ id }"),
        {"input": {"penaltyId": penalty_id, "publishedOn": today().isoformat()}},
    )


OWN_DEPARTMENT = "water_resources"  # the attack tests' default officer reads its own cases


async def own_case(setup: Setup) -> tuple[str, str]:
    """A case (and its mine) filed for the default officer's department, so it may read it."""
    licence = await mines(setup).listed()
    values = {
        **case_input(licence),
        "reportingDepartmentCode": OWN_DEPARTMENT,
        "conditionNumber": 5,
    }
    case = await admin_call(setup, FILE, "fileCase", **values)
    return str(case["id"]), licence


def case_read(query: str) -> Callable[[Setup], Awaitable[Call]]:
    async def make(setup: Setup) -> Call:
        case_id, licence = await own_case(setup)
        return Call(query, {"id": case_id, "l": licence})

    return make


async def session_read(setup: Setup) -> Call:
    meeting = await admin_call(setup, MEETING, "recordJointMeeting", **meeting_input())
    return Call(
        "query($id: String!) { jointMeetingSession(id: $id) { id } }", {"id": meeting["id"]}
    )


async def penalty_read(setup: Setup) -> Call:
    return Call(
        "query($id: String!) { penalty(id: $id) { id } }", {"id": await recorded_penalty(setup)}
    )


MINE_PRIVATE_FIELDS = {
    "listing": "listing { evaluator }",
    "licences": "licences { kind }",
    "history": "history { action }",
    "objections": "objections { id }",
    "rectifications": "rectifications { id }",
    "spotCheckResults": "spotCheckResults { id }",
    "allowedTransitions": "allowedTransitions { action }",
}


def mine_private_read(field_name: str) -> Callable[[Setup], Awaitable[Call]]:
    """A read of one private field of a mine on the published list (its name is public)."""

    async def make(setup: Setup) -> Call:
        licence = await mines(setup).listed()
        selection = MINE_PRIVATE_FIELDS[field_name]
        return Call(
            f"query($l: String!) {{ mine(licenceNumber: $l) {{ name {selection} }} }}",
            {"l": licence},
        )

    return make


async def screening_read(setup: Setup) -> Call:
    return Call("{ screening(first: 5) { totalCount } }")


async def spot_check_draws_read(setup: Setup) -> Call:
    return Call("{ spotCheckDraws { id year } }")


async def audit_trail_read(setup: Setup) -> Call:
    return Call(
        "{ auditTrail(first: 5) { totalCount edges { node { operation changed { key } } } } }"
    )


SIGNED_IN = frozenset({Role.OFFICER, Role.ADMIN, Role.ANALYST})
ADMIN_ONLY = frozenset({Role.ADMIN})
ADMIN_OR_ANALYST = frozenset({Role.ADMIN, Role.ANALYST})
OFFICER_OR_ADMIN = frozenset({Role.OFFICER, Role.ADMIN})

ACCESS: dict[str, Rule] = {
    "Mutation.appointLiaison": Rule(
        roles=frozenset({Role.OFFICER, Role.ADMIN}),
        department="water_resources",
        make=appoint_liaison,
    ),
    "Mutation.addRoutingTerm": Rule(roles=frozenset({Role.ADMIN}), make=add_routing_term),
    "Mutation.removeRoutingTerm": Rule(roles=frozenset({Role.ADMIN}), make=remove_routing_term),
    "Query.cypher": Rule(roles=frozenset({Role.ANALYST}), make=cypher, audited=False),
    # the registry is Natural Resources' (it issues mining licences); each licence is updated by
    # its issuer (the safety production licence: emergency_management); the list is the admin's
    "Mutation.registerMine": Rule(
        roles=OFFICER_OR_ADMIN, department="natural_resources", make=register_mine
    ),
    "Mutation.updateMineLicences": Rule(
        roles=OFFICER_OR_ADMIN, department="emergency_management", make=update_mine_licences
    ),
    "Mutation.applyForListing": Rule(roles=ADMIN_ONLY, make=apply_for_listing),
    "Mutation.recordEvaluation": Rule(roles=ADMIN_ONLY, make=record_evaluation),
    "Mutation.recordVerification": Rule(roles=ADMIN_ONLY, make=record_verification),
    "Mutation.startPublicNotice": Rule(roles=ADMIN_ONLY, make=start_public_notice),
    "Mutation.recordObjection": Rule(roles=ADMIN_ONLY, make=record_objection),
    "Mutation.resolveObjection": Rule(roles=ADMIN_ONLY, make=resolve_objection),
    "Mutation.listMine": Rule(roles=ADMIN_ONLY, make=list_mine),
    "Mutation.recordRecheck": Rule(roles=ADMIN_ONLY, make=record_recheck),
    "Mutation.removeMine": Rule(roles=ADMIN_ONLY, make=remove_mine),
    "Mutation.drawSpotCheckSample": Rule(roles=ADMIN_ONLY, make=draw_spot_check_sample),
    "Mutation.recordSpotCheckResult": Rule(roles=ADMIN_ONLY, make=record_spot_check_result),
    # private reads of the mines work: any token, no audit
    **{
        f"Mine.{name}": Rule(roles=SIGNED_IN, make=mine_private_read(name), audited=False)
        for name in MINE_PRIVATE_FIELDS
    },
    "Query.screening": Rule(roles=SIGNED_IN, make=screening_read, audited=False),
    # cases (resolvers/case_access.py): a co-building department files and refers its own cases,
    # transfers the leads it holds and records the penalties it imposes; Natural Resources'
    # admin records joint meetings and decides
    "Mutation.fileCase": Rule(roles=OFFICER_OR_ADMIN, department=REPORTER, make=file_case),
    "Mutation.classifyCase": Rule(roles=OFFICER_OR_ADMIN, department=REPORTER, make=classify_case),
    "Mutation.addCaseEvidence": Rule(
        roles=OFFICER_OR_ADMIN, department=REPORTER, make=add_case_evidence
    ),
    "Mutation.referCase": Rule(roles=OFFICER_OR_ADMIN, department=REPORTER, make=refer_case),
    "Mutation.withdrawCase": Rule(roles=OFFICER_OR_ADMIN, department=REPORTER, make=withdraw_case),
    "Mutation.recordJointMeeting": Rule(roles=ADMIN_ONLY, make=record_joint_meeting),
    "Mutation.decideCase": Rule(roles=ADMIN_ONLY, make=decide_case),
    "Mutation.closeCase": Rule(roles=ADMIN_ONLY, make=close_case),
    "Mutation.transferLead": Rule(roles=OFFICER_OR_ADMIN, department=REPORTER, make=transfer_lead),
    "Mutation.recordPenalty": Rule(
        roles=OFFICER_OR_ADMIN, department=REPORTER, make=record_penalty
    ),
    "Mutation.recordPenaltyExecution": Rule(
        roles=OFFICER_OR_ADMIN, department=REPORTER, make=record_penalty_execution
    ),
    "Mutation.recordPenaltyPublication": Rule(
        roles=OFFICER_OR_ADMIN, department=REPORTER, make=record_penalty_publication
    ),
    "Query.spotCheckDraws": Rule(roles=SIGNED_IN, make=spot_check_draws_read, audited=False),
    # private reads of cases: officers read the cases their department is part of
    "Query.case": Rule(
        roles=SIGNED_IN,
        make=case_read("query($id: String!) { case(id: $id) { id } }"),
        audited=False,
    ),
    "Query.cases": Rule(
        roles=SIGNED_IN, make=case_read("{ cases(first: 5) { totalCount } }"), audited=False
    ),
    "Query.referrals": Rule(
        roles=SIGNED_IN, make=case_read("{ referrals(first: 5) { totalCount } }"), audited=False
    ),
    "Mine.cases": Rule(
        roles=SIGNED_IN,
        make=case_read(
            "query($l: String!) { mine(licenceNumber: $l) { name cases(first: 5) { totalCount } } }"
        ),
        audited=False,
    ),
    "Query.jointMeetingSessions": Rule(
        roles=SIGNED_IN,
        make=case_read("{ jointMeetingSessions(first: 5) { totalCount } }"),
        audited=False,
    ),
    "Query.jointMeetingSession": Rule(roles=SIGNED_IN, make=session_read, audited=False),
    "Query.penalties": Rule(
        roles=SIGNED_IN, make=case_read("{ penalties(first: 5) { totalCount } }"), audited=False
    ),
    "Query.penalty": Rule(roles=SIGNED_IN, make=penalty_read, audited=False),
    "Mine.penalties": Rule(
        roles=SIGNED_IN,
        make=case_read("query($l: String!) { mine(licenceNumber: $l) { name penalties { id } } }"),
        audited=False,
    ),
    # the audit trail spans every department's work (resolvers/audit_trail.py)
    "Query.auditTrail": Rule(roles=ADMIN_OR_ANALYST, make=audit_trail_read, audited=False),
}
