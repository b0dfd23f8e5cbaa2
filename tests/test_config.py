"""Settings come from the environment, with defaults, and a bad value names its variable."""

from __future__ import annotations

from pathlib import Path

import pytest

from greenmine.config import ConfigError, EngineKind, Settings


def test_defaults_serve_the_embedded_engine_on_loopback() -> None:
    settings = Settings.from_environ({})
    assert settings.engine_kind is EngineKind.EMBEDDED
    assert settings.data_dir == Path("data")
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.fsync == "everysec"


def test_neo4j_uri_selects_neo4j_and_falkordb_url_an_external_falkordb() -> None:
    neo4j = Settings.from_environ(
        {"NEO4J_URI": "neo4j+s://x.databases.neo4j.io", "NEO4J_PASSWORD": "p"}
    )
    assert neo4j.engine_kind is EngineKind.NEO4J
    assert neo4j.neo4j is not None and neo4j.neo4j.database == "neo4j"
    external = Settings.from_environ({"FALKORDB_URL": "redis://db:6379"})
    assert external.engine_kind is EngineKind.FALKORDB


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"GREENMINE_FSYNC": "sometimes"}, "GREENMINE_FSYNC"),
        ({"GREENMINE_SEED_ON_START": "maybe"}, "GREENMINE_SEED_ON_START"),
        ({"GREENMINE_QUERY_TIMEOUT_MS": "0"}, "GREENMINE_QUERY_TIMEOUT_MS"),
    ],
)
def test_a_bad_value_names_its_variable(environ: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_environ(environ)
