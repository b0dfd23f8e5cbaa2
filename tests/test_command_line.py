"""The `greenmine` command as a user runs it: seed, cypher, export-schema, token, serve."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from seed.routing_terms import TERMS as ROUTING_TERMS
from tests.test_embedded_engine import alive, wait_until

ROOT = Path(__file__).resolve().parent.parent
GREENMINE = [sys.executable, "-m", "greenmine"]


def run(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GREENMINE_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    env.pop("NEO4J_URI", None)
    completed = subprocess.run(
        [*GREENMINE, *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    if check and completed.returncode != 0:
        raise AssertionError(f"greenmine {' '.join(args)} failed:\n{completed.stderr}")
    return completed


def count_departments(data_dir: Path) -> int:
    out = run(data_dir, "cypher", "MATCH (d:Department) RETURN count(d) AS n", "--json").stdout
    return int(json.loads(out)[0]["n"])


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli")
    run(path, "seed")
    return path


def test_seed_prints_what_it_created_and_twice_changes_nothing(tmp_path: Path) -> None:
    # the document's 164 nodes, the routing vocabulary's version node and its terms
    nodes = 164 + 1 + len(ROUTING_TERMS)
    first = run(tmp_path, "seed").stdout
    assert f"created {nodes} nodes" in first
    assert "Department" in first
    second = run(tmp_path, "seed").stdout
    assert "created 0 nodes and 0 relationships" in second
    assert f"the graph now holds {nodes} nodes" in second


def test_cypher_json_counts_eighteen_departments(seeded_dir: Path) -> None:
    assert count_departments(seeded_dir) == 18


def test_cypher_refuses_a_create_and_changes_nothing(seeded_dir: Path) -> None:
    refused = run(seeded_dir, "cypher", "CREATE (:Department {code: 'x'}) RETURN 1", check=False)
    assert refused.returncode == 1
    assert "refused" in refused.stderr and "nothing changed" in refused.stderr
    assert count_departments(seeded_dir) == 18


def test_cypher_takes_parameters_and_prints_nodes(seeded_dir: Path) -> None:
    out = run(
        seeded_dir,
        "cypher",
        "MATCH (d:Department {code: $code}) RETURN d",
        "--param",
        "code=water_resources",
        "--json",
    ).stdout
    [record] = json.loads(out)
    assert record["d"]["labels"] == ["Department"]
    assert record["d"]["properties"]["nameZh"] == "甘肃省水利厅"


def test_cypher_reports_a_syntax_error_cleanly(seeded_dir: Path) -> None:
    failed = run(seeded_dir, "cypher", "MATCH (d:Department RETURN d", check=False)
    assert failed.returncode == 1
    assert failed.stderr.startswith("error:")
    assert "Traceback" not in failed.stderr


def test_export_schema_check_passes_on_a_clean_tree(tmp_path: Path) -> None:
    assert "up to date" in run(tmp_path, "export-schema", "--check").stdout


def test_token_create_prints_a_token_once_and_list_never_shows_it(seeded_dir: Path) -> None:
    created = run(
        seeded_dir, "token", "create", "--department", "water_resources", "--role", "officer",
        "--user", "王工",
    )  # fmt: skip
    token = created.stdout.strip()
    assert token.startswith("gm_")
    listing = run(seeded_dir, "token", "list").stdout
    assert "王工" in listing and token.split("_", 2)[2] not in listing
    bad = run(
        seeded_dir, "token", "create", "--department", "water_resources", "--role", "admin",
        "--user", "x", check=False,
    )  # fmt: skip
    assert bad.returncode == 1 and "natural_resources" in bad.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    port = free_port()
    env = {**os.environ, "GREENMINE_DATA_DIR": str(tmp_path), "PORT": str(port)}
    env.pop("NEO4J_URI", None)
    process = subprocess.Popen(
        [*GREENMINE, "serve"], env=env, cwd=ROOT, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        assert wait_until(lambda: process.poll() is not None or healthy(), timeout=60)
        assert process.poll() is None, (
            f"greenmine serve exited:\n{process.stdout.read() if process.stdout else ''}"
        )
        yield process, base, tmp_path
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stdout:
            process.stdout.close()


def test_serve_seeds_and_answers_graphql_and_cli_works_beside_it(
    serving: tuple[subprocess.Popen[str], str, Path],
) -> None:
    _, base, data_dir = serving
    response = httpx.post(f"{base}/graphql", json={"query": "{ departments { code } }"})
    assert response.status_code == 200
    assert len(response.json()["data"]["departments"]) == 18
    assert "graphiql" in httpx.get(f"{base}/graphql", headers={"accept": "text/html"}).text.lower()
    # the command line attaches to the running server instead of starting its own
    assert count_departments(data_dir) == 18


def test_ctrl_c_on_serve_leaves_no_redis_server_behind(
    serving: tuple[subprocess.Popen[str], str, Path],
) -> None:
    process, _, data_dir = serving
    info = json.loads((data_dir / "server.json").read_text())
    server_pid = int(info["pid"])
    assert alive(server_pid)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    assert wait_until(lambda: not alive(server_pid))
    assert not (data_dir / "server.json").exists()


def test_a_second_serve_on_the_same_data_is_refused_clearly(
    serving: tuple[subprocess.Popen[str], str, Path],
) -> None:
    _, _, data_dir = serving
    env = {**os.environ, "GREENMINE_DATA_DIR": str(data_dir), "PORT": str(free_port())}
    env.pop("NEO4J_URI", None)
    second = subprocess.run(
        [*GREENMINE, "serve"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert second.returncode == 1
    assert "already in use" in second.stderr
    assert "Traceback" not in second.stderr


def test_kill_9_of_everything_then_serving_again_keeps_every_node(
    serving: tuple[subprocess.Popen[str], str, Path],
) -> None:
    process, _, data_dir = serving
    before = run(data_dir, "cypher", "MATCH (n) RETURN count(n) AS n", "--json").stdout
    server_pid = int(json.loads((data_dir / "server.json").read_text())["pid"])
    os.kill(server_pid, signal.SIGKILL)
    process.kill()
    process.wait()
    assert wait_until(lambda: not alive(server_pid))
    after = run(data_dir, "cypher", "MATCH (n) RETURN count(n) AS n", "--json").stdout
    assert json.loads(after) == json.loads(before)
    assert json.loads(after)[0]["n"] >= 164
