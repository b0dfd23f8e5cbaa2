"""Factories for cases, joint-meeting sessions, decisions, leads and penalties, through the real
GraphQL API (like `tests/factories.py` for mines).

    cases = CaseFactory(gql, tokens)                      # tokens: a TokenFactory
    case = await cases.file(licence, department="ecology_environment", conditionNumber=8)
    await cases.refer(case["id"], department="ecology_environment")
    meeting = await cases.meeting()
    await cases.decide(case["id"], meeting["id"], "REMOVE")

Each call returns the mutation's result as JSON. Dates default to days before
`tests.conftest.FIXED_NOW` (2026-11-25), the clock the resolvers see, and after the mine factory's
listing walk (listed 2026-04-15).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from resolvers.auth import Role
from tests.conftest import TokenFactory
from tests.factories import Caller, data

_numbers = itertools.count(1)

CASE_FIELDS = """
id state stateSince foundOn filedOn description conditionNumber classification
competentDepartmentCodes reportingDepartmentCode licenceNumber leadHolderCode
"""
FILE = f"mutation($input: FileCaseInput!) {{ fileCase(input: $input) {{ {CASE_FIELDS} }} }}"
CLASSIFY = (
    f"mutation($input: ClassifyCaseInput!) {{ classifyCase(input: $input) {{ {CASE_FIELDS} }} }}"
)
EVIDENCE = (
    "mutation($input: AddCaseEvidenceInput!) { addCaseEvidence(input: $input) "
    f"{{ {CASE_FIELDS} evidence {{ seq text reference }} }} }}"
)
REFER = (
    "mutation($input: ReferCaseInput!) { referCase(input: $input) "
    f"{{ {CASE_FIELDS} referral {{ id referredOn recommendation }} }} }}"
)
WITHDRAW = (
    f"mutation($input: WithdrawCaseInput!) {{ withdrawCase(input: $input) {{ {CASE_FIELDS} }} }}"
)
MEETING = """
mutation($input: RecordJointMeetingInput!) {
  recordJointMeeting(input: $input) { id heldOn departmentCodes agenda agendaItemNumbers }
}
"""
DECIDE = (
    "mutation($input: DecideCaseInput!) { decideCase(input: $input) "
    f"{{ {CASE_FIELDS} decision {{ id outcome decidedOn conditionNumber clauseRef }} }} }}"
)
CLOSE = f"mutation($input: CloseCaseInput!) {{ closeCase(input: $input) {{ {CASE_FIELDS} }} }}"
TRANSFER = """
mutation($input: TransferLeadInput!) {
  transferLead(input: $input) { id seq fromDepartmentCode toDepartmentCode transferredOn actor }
}
"""
PENALTY_FIELDS = """
id decisionNumber decidedOn performanceDeadline executedOn publication publishedOn
issuingDepartmentCode licenceNumber caseId executionState
"""
PENALTY = f"mutation($input: RecordPenaltyInput!) {{ recordPenalty(input: $input) {{ {PENALTY_FIELDS} }} }}"
EXECUTE = (
    "mutation($input: RecordPenaltyExecutionInput!) { recordPenaltyExecution(input: $input) "
    f"{{ {PENALTY_FIELDS} }} }}"
)
PUBLISH = (
    "mutation($input: RecordPenaltyPublicationInput!) { recordPenaltyPublication(input: $input) "
    f"{{ {PENALTY_FIELDS} }} }}"
)

#: default dates of a case's steps, after the mine factory lists its mines (2026-04-15)
DAYS = {
    "found": "2026-05-06",
    "referred": "2026-11-25",
    "meeting": "2026-11-25",
    "decided": "2026-11-25",
}


@dataclass
class CaseFactory:
    gql: Caller
    tokens: TokenFactory
    _tokens: dict[tuple[Role, str], str] = field(default_factory=dict)

    async def token(self, role: Role = Role.OFFICER, department: str = "natural_resources") -> str:
        key = (role, department)
        if key not in self._tokens:
            self._tokens[key] = await self.tokens(role, department)
        return self._tokens[key]

    async def admin(self) -> str:
        return await self.token(Role.ADMIN, "natural_resources")

    async def call(self, query: str, field: str, token: str, **input_: Any) -> dict[str, Any]:
        return data(await self.gql(query, {"input": input_}, token=token), field)

    async def file(
        self, licence: str, *, department: str = "ecology_environment", **overrides: Any
    ) -> dict[str, Any]:
        values: dict[str, Any] = {
            "licenceNumber": licence,
            "reportingDepartmentCode": department,
            "foundOn": DAYS["found"],
            "description": "尾矿库防渗没做，污染地下水",
            "evidence": [{"text": "现场检查笔录", "reference": f"检查记录{next(_numbers)}号"}],
        }
        values.update(overrides)
        return await self.call(FILE, "fileCase", await self.token(department=department), **values)

    async def refer(
        self, case_id: str, *, department: str = "ecology_environment", **overrides: Any
    ) -> dict[str, Any]:
        values: dict[str, Any] = {
            "caseId": case_id,
            "referredOn": DAYS["referred"],
            "recommendation": "建议移出绿色矿山名录",
        }
        values.update(overrides)
        return await self.call(
            REFER, "referCase", await self.token(department=department), **values
        )

    async def meeting(self, **overrides: Any) -> dict[str, Any]:
        values: dict[str, Any] = {
            "heldOn": DAYS["meeting"],
            "attendingDepartmentCodes": ["natural_resources", "ecology_environment",
                                         "water_resources"],
            "agenda": ["通报绿色矿山违法违规问题"],
            "agendaItemNumbers": [2],
        }  # fmt: skip
        values.update(overrides)
        return await self.call(MEETING, "recordJointMeeting", await self.admin(), **values)

    async def decide(
        self, case_id: str, meeting_id: str, outcome: str, **overrides: Any
    ) -> dict[str, Any]:
        values: dict[str, Any] = {
            "caseId": case_id,
            "meetingId": meeting_id,
            "outcome": outcome,
            "decidedOn": DAYS["decided"],
            "meetingOpinion": "联席会议同意报送部门意见",
            "reason": "经联席会议研究决定",
        }
        values.update(overrides)
        return await self.call(DECIDE, "decideCase", await self.admin(), **values)

    async def referred(self, licence: str, **file: Any) -> dict[str, Any]:
        """A case filed and referred by its reporting department."""
        department = file.pop("department", "ecology_environment")
        case = await self.file(licence, department=department, **file)
        return await self.refer(case["id"], department=department)

    async def transfer(
        self, case_id: str, to: str, *, by: str, token: str | None = None, **overrides: Any
    ) -> dict[str, Any]:
        values: dict[str, Any] = {
            "caseId": case_id,
            "toDepartmentCode": to,
            "transferredOn": "2026-11-20",
            "summary": "发现违法线索，移交职能部门依法处理",
        }
        values.update(overrides)
        return await self.call(
            TRANSFER, "transferLead", token or await self.token(department=by), **values
        )

    async def penalty(
        self, licence: str, *, department: str = "ecology_environment", **overrides: Any
    ) -> dict[str, Any]:
        values: dict[str, Any] = {
            "licenceNumber": licence,
            "issuingDepartmentCode": department,
            "decisionNumber": f"甘环罚〔2026〕{next(_numbers)}号",
            "decidedOn": "2026-06-01",
            "performanceDeadline": "2026-07-01",
            "description": "未按要求建设尾矿库防渗设施，责令改正并处罚款",
            "amount": 200000.0,
        }
        values.update(overrides)
        return await self.call(
            PENALTY, "recordPenalty", await self.token(department=department), **values
        )
