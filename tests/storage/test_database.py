"""Engines by URL, SQLite tuned for durability, and concurrent writers that queue, not fail."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from headset.storage.database import is_postgres, make_engine, read_only

from .conftest import sqlite_url


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(sqlite_url(tmp_path))
    yield engine
    engine.dispose()


def test_sqlite_creates_the_folder_of_its_file(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a' / 'b' / 'headset.db'}")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        assert (tmp_path / "a" / "b" / "headset.db").exists()
        assert not is_postgres(engine)
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("pragma", "expected"),
    [("journal_mode", "wal"), ("synchronous", 2), ("foreign_keys", 1), ("busy_timeout", 10000)],
)
def test_every_sqlite_connection_is_tuned_for_durability(
    sqlite_engine: Engine, pragma: str, expected: object
) -> None:
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql(f"PRAGMA {pragma}").scalar_one() == expected


def test_plain_postgresql_urls_use_psycopg_3() -> None:
    engine = make_engine("postgresql://headset@db.example/headset")
    try:
        assert engine.dialect.driver == "psycopg"
        assert is_postgres(engine)
        assert engine.pool.size() == 10  # type: ignore[attr-defined]
    finally:
        engine.dispose()


@pytest.mark.parametrize("url", ["mysql://db/headset", "postgresql+psycopg2://db/headset"])
def test_other_databases_are_refused_with_the_supported_urls(url: str) -> None:
    with pytest.raises(ValueError, match=r"sqlite:///path/to/file\.db or postgresql://"):
        make_engine(url)


def test_postgres_engines_know_they_are(engine: Engine, backend: str) -> None:
    assert is_postgres(engine) == (backend == "postgresql")


def test_concurrent_read_then_write_transactions_queue_instead_of_failing(
    sqlite_engine: Engine,
) -> None:
    with sqlite_engine.begin() as conn:
        conn.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        conn.execute(text("INSERT INTO counter VALUES (0)"))
    errors: list[BaseException] = []

    def increment() -> None:
        try:
            for _ in range(50):
                with sqlite_engine.begin() as conn:
                    # read, then write: a deferred transaction would fail to upgrade its lock
                    n = conn.execute(text("SELECT n FROM counter")).scalar_one()
                    conn.execute(text("UPDATE counter SET n = :n"), {"n": n + 1})
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=increment) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("SELECT n FROM counter")).scalar_one() == 200


def test_readers_do_not_wait_for_a_writer(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    with sqlite_engine.begin() as writer:
        writer.execute(text("INSERT INTO t VALUES (1)"))
        # the writer holds the write lock; a reader sees the last committed state at once
        with read_only(sqlite_engine).connect() as reader:
            assert reader.execute(text("SELECT count(*) FROM t")).scalar_one() == 0


def test_a_new_database_its_wal_and_shm_and_its_folder_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "data" / "headset-data"
    url = f"sqlite:///{folder / 'headset.db'}"
    old_umask = os.umask(0o022)  # a usual umask: files 0644, folders 0755 unless asked
    try:
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
            conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        with engine.connect() as conn:  # the WAL and its index exist while connected
            conn.exec_driver_sql("SELECT x FROM t").all()
            files = [folder / "headset.db", folder / "headset.db-wal", folder / "headset.db-shm"]
            modes = {f.name: stat.S_IMODE(os.stat(f).st_mode) for f in files}
        engine.dispose()
    finally:
        os.umask(old_umask)
    assert modes == {"headset.db": 0o600, "headset.db-wal": 0o600, "headset.db-shm": 0o600}
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
