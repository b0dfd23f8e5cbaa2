"""Every Cypher statement the project can send passes Neo4j's own linter without errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from graph.catalog import all_statements
from graph.statements import Dialect, Mode, Statement

LINTER = Path(__file__).resolve().parent.parent / "tools" / "cypher-lint"


#: a guard against a hung linter, not a speed limit: ~300 statements take about a minute of CPU
LINT_TIMEOUT_S = 900


def lint(statements: list[Statement]) -> list[dict[str, object]]:
    """Neo4j's linter over the statements, in one Node.js process per core (it is CPU-bound and
    single-threaded); the reports come back in the statements' order."""
    if shutil.which("node") is None:
        pytest.fail("Node.js is needed to run Neo4j's Cypher linter; install it and run make test")
    if not (LINTER / "node_modules").is_dir():
        pytest.fail(f"the linter is not installed; run `make test` (it runs npm ci in {LINTER})")
    workers = max(1, min(os.cpu_count() or 1, len(statements)))
    shares = [statements[i::workers] for i in range(workers)]
    with ThreadPoolExecutor(workers) as pool:
        outputs = list(pool.map(_lint_share, shares))
    reports = {str(r["name"]): r for output in outputs for r in output}
    return [reports[s.name] for s in statements]


def _lint_share(share: list[Statement]) -> list[dict[str, object]]:
    completed = subprocess.run(
        ["node", str(LINTER / "lint.mjs")],
        input=json.dumps([_request(s) for s in share]),
        capture_output=True,
        text=True,
        check=True,
        timeout=LINT_TIMEOUT_S,
    )
    report: list[dict[str, object]] = json.loads(completed.stdout)
    return report


def _request(statement: Statement) -> dict[str, object]:
    return {
        "name": statement.name,
        "text": statement.text,
        "parameters": sorted(statement.parameters),
    }


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
