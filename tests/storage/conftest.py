"""Storage tests run every contract on SQLite (a temporary file) and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from headset.storage.database import make_engine
from headset.storage.event_log import SqlEventLog
from headset.storage.migrate import upgrade
from tests.postgres_server import postgres_server, postgres_url

__all__ = ["postgres_server", "postgres_url"]  # fixtures, re-exported for pytest to find

BACKENDS = ["sqlite", "postgresql"]


def sqlite_url(folder: Path) -> str:
    """The URL of a SQLite database file in `folder` (not created yet)."""
    return f"sqlite:///{folder / 'data' / 'headset.db'}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each test using it runs once per database."""
    name: str = request.param
    return name


@pytest.fixture
def empty_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of an empty database (no tables yet)."""
    if backend == "sqlite":
        return sqlite_url(tmp_path)
    server = request.getfixturevalue("postgres_server")
    url: str = server.create_database(migrated=False)
    return url


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The URL of a fresh database migrated to head."""
    if backend == "sqlite":
        url = sqlite_url(tmp_path)
        upgrade(url)
        return url
    migrated: str = request.getfixturevalue("postgres_url")
    return migrated


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the fresh database, disposed after the test."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def event_log(engine: Engine) -> SqlEventLog:
    return SqlEventLog(engine)
