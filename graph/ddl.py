"""Uniqueness constraints and indexes, declared once and created per engine.

A natural key (`Key`) gets a uniqueness constraint (which needs an index on FalkorDB, and brings
one on Neo4j); a lookup property (`Index`) gets a plain range index. Labels and property names
come from these constants only, never from input, so the DDL text is built from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph import statements
from graph.statements import Dialect, Statement


@dataclass(frozen=True)
class Key:
    label: str
    property: str


@dataclass(frozen=True)
class Index:
    label: str
    property: str


KEYS: tuple[Key, ...] = (
    Key("Document", "code"),
    Key("Clause", "ref"),
    Key("Department", "code"),
    Key("Person", "id"),
    Key("Duty", "code"),
    Key("Metric", "code"),
    Key("RemovalCondition", "number"),
    Key("JointMeeting", "code"),
    Key("AgendaItem", "code"),
    Key("Rule", "code"),
    Key("WorkRequirement", "number"),
    Key("Procedure", "code"),
    Key("ProcedureStep", "code"),
    Key("Register", "code"),
    Key("Principle", "code"),
    Key("ApiToken", "id"),
    Key("AuditEntry", "id"),
    Key("RoutingVocabulary", "code"),
    Key("RoutingTerm", "text"),
    # mines and the list lifecycle
    Key("Prefecture", "code"),
    Key("Mine", "licenceNumber"),
    Key("Licence", "key"),
    Key("LifecycleEvent", "id"),
    Key("Objection", "id"),
    Key("Rectification", "id"),
    Key("SpotCheckDraw", "id"),
    Key("SpotCheckResult", "id"),
    Key("DemoBatch", "id"),
    # cases, referrals, joint-meeting sessions, decisions, leads, penalties
    Key("Case", "id"),
    Key("CaseEvent", "id"),
    Key("Evidence", "id"),
    Key("Referral", "id"),
    Key("JointMeetingSession", "id"),
    Key("Decision", "id"),
    Key("LeadTransfer", "id"),
    Key("Penalty", "id"),
    #: "<issuing department>:<decision number>": a department numbers its decisions once
    Key("Penalty", "numberKey"),
)

INDEXES: tuple[Index, ...] = (
    Index("AuditEntry", "at"),
    Index("Person", "name"),
    Index("Mine", "status"),
    Index("Mine", "prefecture"),
    Index("Mine", "scale"),
    Index("SpotCheckDraw", "year"),
    Index("Case", "mine"),
    Index("Case", "state"),
    # the sort keys of newest-first pages, read a window of days at a time (graph/keyset.py)
    Index("Case", "filedAt"),
    Index("Case", "foundOn"),
    Index("Case", "stateSince"),
    Index("Referral", "referredOn"),
    Index("Penalty", "mine"),
)


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"{name!r} is not a plain identifier")
    return name


def _slug(label: str, prop: str) -> str:
    return f"{label.lower()}_{prop.lower()}"


def falkordb_index(label: str, prop: str) -> Statement:
    label, prop = _identifier(label), _identifier(prop)
    return statements.schema(
        f"ddl.falkordb.index.{_slug(label, prop)}",
        f"CREATE INDEX FOR (n:{label}) ON (n.{prop})",
        Dialect.FALKORDB,
    )


def neo4j_unique(label: str, prop: str) -> Statement:
    label, prop = _identifier(label), _identifier(prop)
    return statements.schema(
        f"ddl.neo4j.unique.{_slug(label, prop)}",
        f"CREATE CONSTRAINT {_slug(label, prop)}_unique IF NOT EXISTS "
        f"FOR (n:{label}) REQUIRE n.{prop} IS UNIQUE",
        Dialect.NEO4J,
    )


def neo4j_index(label: str, prop: str) -> Statement:
    label, prop = _identifier(label), _identifier(prop)
    return statements.schema(
        f"ddl.neo4j.index.{_slug(label, prop)}",
        f"CREATE INDEX {_slug(label, prop)}_index IF NOT EXISTS FOR (n:{label}) ON (n.{prop})",
        Dialect.NEO4J,
    )


_INDEXED: tuple[Key | Index, ...] = (*KEYS, *INDEXES)
FALKORDB_INDEXES: tuple[tuple[Key | Index, Statement], ...] = tuple(
    (item, falkordb_index(item.label, item.property)) for item in _INDEXED
)
NEO4J_DDL: tuple[Statement, ...] = (
    *(neo4j_unique(k.label, k.property) for k in KEYS),
    *(neo4j_index(i.label, i.property) for i in INDEXES),
)

FALKORDB_LIST_INDEXES = statements.read(
    "ddl.falkordb.list_indexes",
    "CALL db.indexes() YIELD label, properties RETURN label, properties",
    Dialect.FALKORDB,
)
FALKORDB_LIST_CONSTRAINTS = statements.read(
    "ddl.falkordb.list_constraints",
    "CALL db.constraints() YIELD type, label, properties RETURN type, label, properties",
    Dialect.FALKORDB,
)
