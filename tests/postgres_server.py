"""A real PostgreSQL server for the test session, and a fresh migrated database per test.

Other test folders use it from their conftest.py:

    from tests.postgres_server import postgres_server, postgres_url

The server starts on first use (a SQLite-only run never starts it) and fails loudly if it
cannot: PostgreSQL tests are never skipped. It is tuned for speed, not durability (fsync,
synchronous_commit and full_page_writes off), since its data is thrown away.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from headset.storage.migrate import upgrade

BIN = Path(os.environ.get("HEADSET_PG_BIN", "/usr/lib/postgresql/15/bin"))
_TEMPLATE = "headset_template"


class PostgresServer:
    """One throw-away PostgreSQL cluster in a temporary folder, on 127.0.0.1 at a free port."""

    def __init__(self, bin_dir: Path = BIN) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="headset-pg-"))
        self.data_dir = self.root / "data"
        self.log_file = self.root / "server.log"
        self.port = 0
        self._numbers = itertools.count(1)
        self._has_template = False

    # lifecycle -------------------------------------------------------------------------
    def start(self) -> None:
        """Creates the cluster and starts the server; raises with the server log if it fails."""
        as_root = os.geteuid() == 0
        if as_root:
            # PostgreSQL refuses to run as root: the cluster belongs to the postgres user
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data_dir), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        self.port = _free_port()
        options = " ".join(
            (
                "-c listen_addresses=127.0.0.1",
                f"-c port={self.port}",
                f"-c unix_socket_directories={self.root}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            )
        )
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file),
                      "-o", options, "-w", "-t", "60", "start")  # fmt: skip
            self._wait_until_ready()
        except Exception as error:
            raise RuntimeError(f"PostgreSQL did not start:\n{self.log()}") from error

    def stop(self) -> None:
        """Stops the server at once (its data is thrown away) and deletes the folder."""
        if (self.data_dir / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        """The server's log, for error messages."""
        return self.log_file.read_text() if self.log_file.exists() else "(no log written)"

    # databases -------------------------------------------------------------------------
    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of `database` on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, *, migrated: bool = True) -> str:
        """A new database test_N (migrated to head unless told otherwise); returns its URL."""
        name = f"test_{next(self._numbers)}"
        if migrated and not self._has_template:
            # migrate once, then copy: CREATE DATABASE ... TEMPLATE is faster than migrating
            self._execute(f"CREATE DATABASE {_TEMPLATE}")
            upgrade(self.url(_TEMPLATE))
            self._has_template = True
        template = _TEMPLATE if migrated else "template0"
        self._execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    # plumbing --------------------------------------------------------------------------
    def _conninfo(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={database}"

    def _execute(self, sql: str) -> None:
        with psycopg.connect(self._conninfo(), autocommit=True) as connection:
            connection.execute(sql.encode())

    def _wait_until_ready(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self._conninfo(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin_dir / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
            )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test session."""
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a fresh database, migrated to head, for one test."""
    return postgres_server.create_database()
