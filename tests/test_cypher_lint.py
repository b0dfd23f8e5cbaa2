"""Every Cypher statement the project can send passes Neo4j's own linter without errors."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from graph.catalog import all_statements
from graph.statements import Dialect, Mode, Statement

LINTER = Path(__file__).resolve().parent.parent / "tools" / "cypher-lint"


def lint(statements: list[Statement]) -> list[dict[str, object]]:
    if shutil.which("node") is None:
        pytest.fail("Node.js is needed to run Neo4j's Cypher linter; install it and run make test")
    if not (LINTER / "node_modules").is_dir():
        pytest.fail(f"the linter is not installed; run `make test` (it runs npm ci in {LINTER})")
    payload = [
        {"name": s.name, "text": s.text, "parameters": sorted(s.parameters)} for s in statements
    ]
    completed = subprocess.run(
        ["node", str(LINTER / "lint.mjs")],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    report: list[dict[str, object]] = json.loads(completed.stdout)
    return report


def test_every_statement_passes_neo4js_linter() -> None:
    statements = all_statements()
    assert len(statements) > 50
    failures = {r["name"]: r["errors"] for r in lint(statements) if r["errors"]}
    assert failures == {}


def test_the_linter_reports_a_broken_statement() -> None:
    broken = Statement("broken", "MATCH (d:Department RETURN d", Mode.READ, Dialect.BOTH)
    undeclared = Statement("undeclared", "MATCH (d {code: $code}) RETURN d", Mode.READ)
    report = lint([broken, undeclared])
    assert report[0]["errors"]
    assert report[1]["errors"] == []  # $code is declared from the statement's own text


def test_statements_are_registered_once_with_unique_names() -> None:
    statements = all_statements()
    names = [s.name for s in statements]
    assert len(names) == len(set(names))
    assert all(s.mode in Mode for s in statements)
