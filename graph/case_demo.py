"""Bulk writes of the demo province's cases (`seed/demo/cases.py`), in UNWIND batches: cases,
their steps and evidence, referrals, joint-meeting sessions, decisions, rectifications ordered by
decisions, lead transfers and their path, penalties. Each statement looks up what it links to by
an indexed key; what one batch links to was written by an earlier step, never by the same
statement. Every node is `synthetic: true`; `CASE_LABELS` are removed with the demo.
"""

from __future__ import annotations

from graph import statements

CASE_LABELS = (
    "CaseEvent",
    "Evidence",
    "Referral",
    "Decision",
    "LeadTransfer",
    "Penalty",
    "Case",
    "JointMeetingSession",
)

CASES = statements.write(
    "demo.cases.cases",
    """
    UNWIND $rows AS r
    MATCH (m:Mine {licenceNumber: r.mine}), (d:Department {code: r.reporter})
    OPTIONAL MATCH (x:RemovalCondition {number: r.condition})
    CREATE (c:Case)
    SET c = r.props
    CREATE (c)-[:AGAINST]->(m)
    CREATE (c)-[:REPORTED_BY]->(d)
    FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END | CREATE (c)-[:CITES]->(x))
    """,
)

EVENTS = statements.write(
    "demo.cases.events",
    """
    UNWIND $rows AS r
    MATCH (c:Case {id: r.case})
    CREATE (c)-[:HAS_EVENT]->(e:CaseEvent)
    SET e = r.props
    """,
)

EVIDENCE = statements.write(
    "demo.cases.evidence",
    """
    UNWIND $rows AS r
    MATCH (c:Case {id: r.case})
    CREATE (c)-[:HAS_EVIDENCE]->(e:Evidence)
    SET e = r.props
    """,
)

REFERRALS = statements.write(
    "demo.cases.referrals",
    """
    UNWIND $rows AS r
    MATCH (c:Case {id: r.case}), (sender:Department {code: r.from}),
          (receiver:Department {code: r.to}), (e:CaseEvent {id: r.event})
    CREATE (c)-[:REFERRED_AS]->(x:Referral)
    SET x = r.props
    CREATE (x)-[:FROM_DEPARTMENT]->(sender)
    CREATE (x)-[:TO_DEPARTMENT]->(receiver)
    CREATE (e)-[:ABOUT]->(x)
    """,
)

SESSIONS = statements.write(
    "demo.cases.sessions",
    """
    UNWIND $rows AS r
    MATCH (body:JointMeeting {code: r.props.body})
    CREATE (s:JointMeetingSession)
    SET s = r.props
    CREATE (s)-[:SESSION_OF]->(body)
    """,
)

ATTENDANCE = statements.write(
    "demo.cases.attendance",
    """
    UNWIND $rows AS r
    MATCH (s:JointMeetingSession {id: r.session}), (d:Department {code: r.department})
    CREATE (s)-[:ATTENDED_BY]->(d)
    """,
)

AGENDA = statements.write(
    "demo.cases.agenda",
    """
    UNWIND $rows AS r
    MATCH (s:JointMeetingSession {id: r.session}),
          (:JointMeeting {code: r.body})-[:HAS_AGENDA_ITEM]->(a:AgendaItem {number: r.number})
    CREATE (s)-[:COVERED]->(a)
    """,
)

DECISIONS = statements.write(
    "demo.cases.decisions",
    """
    UNWIND $rows AS r
    MATCH (c:Case {id: r.case}), (s:JointMeetingSession {id: r.meeting}),
          (step:CaseEvent {id: r.caseEvent})
    OPTIONAL MATCH (event:LifecycleEvent {id: r.lifecycleEvent})
    OPTIONAL MATCH (x:RemovalCondition {number: r.condition})
    CREATE (d:Decision)
    SET d = r.props
    CREATE (s)-[:DECIDED]->(d)
    CREATE (d)-[:DECIDES]->(c)
    CREATE (step)-[:ABOUT]->(d)
    FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END | CREATE (d)-[:CITES]->(x))
    FOREACH (e IN CASE WHEN event IS NULL THEN [] ELSE [event] END | CREATE (e)-[:ABOUT]->(d))
    """,
)

RECTIFICATIONS = statements.write(
    "demo.cases.rectifications",
    """
    UNWIND $rows AS r
    MATCH (m:Mine {licenceNumber: r.mine}), (d:Decision {id: r.decision})
    OPTIONAL MATCH (opening:LifecycleEvent {id: r.openedBy})
    OPTIONAL MATCH (closing:LifecycleEvent {id: r.closedBy})
    CREATE (m)-[:HAS_RECTIFICATION]->(x:Rectification)<-[:REQUIRED]-(d)
    SET x = r.props
    FOREACH (e IN CASE WHEN opening IS NULL THEN [] ELSE [opening] END |
        CREATE (e)-[:ABOUT]->(x))
    FOREACH (e IN CASE WHEN closing IS NULL THEN [] ELSE [closing] END |
        CREATE (e)-[:ABOUT]->(x))
    """,
)

LEADS = statements.write(
    "demo.cases.leads",
    """
    UNWIND $rows AS r
    MATCH (sender:Department {code: r.from}), (receiver:Department {code: r.to}),
          (e:CaseEvent {id: r.event})
    CREATE (t:LeadTransfer)
    SET t = r.props
    CREATE (t)-[:FROM_DEPARTMENT]->(sender)
    CREATE (t)-[:TO_DEPARTMENT]->(receiver)
    CREATE (e)-[:ABOUT]->(t)
    """,
)

# the path is linked once every transfer exists (a transfer and the one before it may be in the
# same batch of LEADS, and a statement does not see what it creates itself)
LEAD_LINKS = statements.write(
    "demo.cases.lead_links",
    """
    UNWIND $rows AS r
    MATCH (c:Case {id: r.case}), (t:LeadTransfer {id: r.transfer})
    OPTIONAL MATCH (previous:LeadTransfer {id: r.previous})
    FOREACH (_ IN CASE WHEN previous IS NULL THEN [1] ELSE [] END | CREATE (c)-[:LEAD]->(t))
    FOREACH (p IN CASE WHEN previous IS NULL THEN [] ELSE [previous] END |
        CREATE (p)-[:NEXT]->(t))
    """,
)

PENALTIES = statements.write(
    "demo.cases.penalties",
    """
    UNWIND $rows AS r
    MATCH (m:Mine {licenceNumber: r.mine}), (issuer:Department {code: r.issuer}),
          (register:Register {code: r.props.register})
    OPTIONAL MATCH (c:Case {id: r.case})
    OPTIONAL MATCH (e:CaseEvent {id: r.event})
    CREATE (p:Penalty)
    SET p = r.props
    CREATE (p)-[:IMPOSED_ON]->(m)
    CREATE (p)-[:ISSUED_BY]->(issuer)
    CREATE (p)-[:TO_BE_PUBLISHED_IN]->(register)
    FOREACH (x IN CASE WHEN c IS NULL THEN [] ELSE [c] END | CREATE (x)-[:RESULTED_IN]->(p))
    FOREACH (x IN CASE WHEN e IS NULL THEN [] ELSE [e] END | CREATE (x)-[:ABOUT]->(p))
    FOREACH (_ IN CASE WHEN r.props.publishedOn IS NULL THEN [] ELSE [1] END |
        CREATE (p)-[:PUBLISHED_IN {on: r.props.publishedOn,
                                   reference: r.props.publicationReference}]->(register))
    """,
)
