"""Use cases and rules; no Cypher here (that lives in `graph/`)."""
