"""The only code that talks to a graph database: engines, Cypher statements, DDL, row mapping."""
