"""Engines chosen by URL: SQLite (the zero-configuration default) or PostgreSQL via psycopg 3.

SQLite is tuned for a service whose acknowledged writes must survive `kill -9` and power loss,
with several threads writing:

- `journal_mode=WAL`: readers never block the writer, and the writer never blocks readers;
- `synchronous=FULL`: in WAL mode, NORMAL may lose the last commits on power loss;
- `foreign_keys=ON`: SQLite ignores foreign keys unless asked, per connection;
- `busy_timeout=10000`: a writer waits up to ten seconds for the lock instead of failing;
- `BEGIN IMMEDIATE`: a transaction takes the write lock when it starts. A deferred transaction
  that reads and then writes must upgrade its lock, and SQLite cannot wait for that: it fails
  at once with "database is locked". Taking the lock up front makes writers queue instead.
  The sqlite3 driver's own transaction handling is switched off so that we emit BEGIN
  ourselves (SQLAlchemy's documented recipe, "Transactions with SQLite and the sqlite3
  driver"). Connections marked with `read_only` start a deferred BEGIN, so readers (the
  event tailer, the wallboard) never wait for writers.

A new database file is created readable by its owner only (0600, and so are its -wal and
-shm files), in a folder created for the owner only (0700): `create_private`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import ConnectionPoolEntry

#: Execution option that marks a connection as reading only (a deferred BEGIN on SQLite).
READ_ONLY_OPTION = "headset_read_only"

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)


def make_engine(url: str) -> Engine:
    """An engine for `sqlite:///path` or `postgresql://...` (psycopg 3), tuned as above."""
    parsed = make_url(url)
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            create_private(Path(database).expanduser())
        engine = create_engine(parsed)
        _tune_sqlite(engine)
        return engine
    if parsed.drivername in ("postgresql", "postgresql+psycopg"):
        # plain postgresql:// would mean psycopg2; Headset uses psycopg 3
        parsed = parsed.set(drivername="postgresql+psycopg")
        # the service runs commands on a thread pool; pre-ping survives a database restart
        return create_engine(parsed, pool_size=10, max_overflow=10, pool_pre_ping=True)
    raise ValueError(
        f"unsupported database URL {parsed.render_as_string(hide_password=True)!r}: "
        "use sqlite:///path/to/file.db or postgresql://user@host/database"
    )


def create_private(path: Path) -> None:
    """Creates the SQLite file (0600) and its folder (0700) when missing, before SQLite does.

    The database holds personal data and password hashes: other users of the machine must
    not read it. SQLite creates the -wal and -shm files with the database file's own
    permissions, so they are private too. Existing files and folders keep theirs.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(descriptor)


def is_postgres(engine: Engine) -> bool:
    """Whether the engine talks to PostgreSQL (else SQLite)."""
    return engine.dialect.name == "postgresql"


def read_only(engine: Engine) -> Engine:
    """The same engine (same pool), whose connections only read: no write lock on SQLite."""
    return engine.execution_options(**{READ_ONLY_OPTION: True})


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # hand BEGIN/COMMIT over to SQLAlchemy: the driver would otherwise BEGIN (deferred)
        # on its own before the first INSERT, and never before a SELECT
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in _SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(READ_ONLY_OPTION):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
