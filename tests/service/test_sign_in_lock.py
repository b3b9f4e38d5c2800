"""Sign-in never holds the database's write lock while a password is checked (issue 12, #3).

argon2 is slow on purpose. The hostile tester's two threads of sign-ins with made-up names
held SQLite's write lock through every verification, and contact creation went from 8 ms to
seconds, then to "database is locked". Nothing here measures time: the password hasher is a
real argon2 hasher whose `verify` (and `hash`) first asks, from a connection of its own,
whether the database is write-locked (`BEGIN IMMEDIATE` with no wait, rolled back), and then
waits until the test lets it go. Contacts are created while verifications wait.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from headset.access.passwords import Passwords
from headset.api.app import create_app
from headset.config import Settings
from headset.storage.database import make_engine
from headset.storage.tables import user_tenants, users
from tests.service.conftest import ADMIN_PASSWORD, Served, bearer, login, ok, seed_admin

#: A safety net only: a test that goes wrong fails instead of hanging.
NEVER = 30.0
#: Looks at the lock before a verification is said to hold it.
_LOOKS = 50


class ProbingPasswords(Passwords):
    """argon2id at the cheapest parameters; each verify and hash probes the write lock first.

    While `held` is clear, a verification waits (after probing) until the test sets it.
    """

    def __init__(self, database: Path) -> None:
        super().__init__(time_cost=1, memory_cost=8, parallelism=1)
        self.database = database
        self.probes: list[bool] = []
        self.waiting = threading.Semaphore(0)
        self.held = threading.Event()
        self.held.set()
        self.pause = threading.Event()  # never set: a sleep between looks

    def is_write_locked(self) -> bool:
        """Whether the lock stays taken while this verification runs.

        Another sign-in's short transaction (a failure counted) may hold it for a moment, so a
        lock seen is looked at again: held by the caller of this verification, it would be
        held on every look, since the verification cannot return meanwhile.
        """
        for _ in range(_LOOKS):
            probe = sqlite3.connect(self.database, timeout=0, isolation_level=None)
            try:
                probe.execute("BEGIN IMMEDIATE")
                probe.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:  # "database is locked"
                self.pause.wait(0.01)
            finally:
                probe.close()
        return True

    def verify(self, stored_hash: str, password: str) -> bool:
        self.probes.append(self.is_write_locked())
        self.waiting.release()
        assert self.held.wait(NEVER), "the test never let the verification go"
        return super().verify(stored_hash, password)

    def hash(self, password: str) -> str:
        if self.database.exists():
            self.probes.append(self.is_write_locked())
        return super().hash(password)


@dataclass
class Site:
    served: Served
    passwords: ProbingPasswords
    url: str
    api: httpx.Client
    db_url: str


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    database = tmp_path / "h.db"
    url = f"sqlite:///{database}"
    seed_admin(url)
    passwords = ProbingPasswords(database)
    settings = Settings(
        database_url=url, secret_key="k" * 32, is_secret_generated=False, sign_ins_per_minute=1000
    )
    served = Served(create_app(settings, passwords=passwords))
    admin = login(served.url, "admin", ADMIN_PASSWORD)
    try:
        ok(admin.post("/api/v1/tenants", json={"tenant_id": "acme", "name": "Acme"}), 201)
        queue = {"queue_id": "acme-sales", "name": "Sales"}
        ok(admin.put("/api/v1/tenants/acme/queues/acme-sales", json=queue))
        user = {
            "username": "vera",
            "display_name": "Vera",
            "role": "agent",
            "password": "Vq8-long-secret-Z",
        }
        ok(admin.post("/api/v1/tenants/acme/users", json=user), 201)
        token = {"name": "crm", "role": "manager"}
        made = ok(admin.post("/api/v1/tenants/acme/tokens", json=token), 201)
    finally:
        admin.close()
    api = bearer(served.url, made["token"])
    passwords.probes.clear()  # the admin's sign-in above is not a test's
    passwords.waiting = threading.Semaphore(0)
    yield Site(served, passwords, served.url, api, url)
    passwords.held.set()
    api.close()
    served.stop()


def _sign_in(url: str, username: str, password: str) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=NEVER) as client:
        return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def _while_verifying(
    site: Site, attempts: list[tuple[str, str]], held_at_once: int
) -> list[httpx.Response]:
    """Starts the sign-ins, and while `held_at_once` of them are inside argon2, creates
    contacts: each must be answered before any verification is let go."""
    site.passwords.held.clear()
    with ThreadPoolExecutor(len(attempts)) as pool:
        futures: list[Future[httpx.Response]] = [
            pool.submit(_sign_in, site.url, name, password) for name, password in attempts
        ]
        for _ in range(held_at_once):
            assert site.passwords.waiting.acquire(timeout=NEVER), "no verification started"
        for _ in range(3):
            created = site.api.post(
                "/api/v1/tenants/acme/contacts", json={"queue_id": "acme-sales"}
            )
            assert created.status_code == 201, created.text
        assert not any(f.done() for f in futures), "a sign-in finished while held"
        site.passwords.held.set()
        return [f.result(timeout=NEVER) for f in futures]


def test_a_sign_in_with_an_unknown_name_does_not_hold_the_write_lock(site: Site) -> None:
    [answer] = _while_verifying(site, [("nobody", "whatever-it-was-1")], held_at_once=1)
    assert answer.status_code == 401
    assert site.passwords.probes == [False]


def test_a_wrong_password_does_not_hold_the_write_lock(site: Site) -> None:
    [answer] = _while_verifying(site, [("vera", "not-her-password-1")], held_at_once=1)
    assert answer.status_code == 401
    assert site.passwords.probes == [False]
    # and the failure was counted, in its own short transaction
    engine = make_engine(site.db_url)
    try:
        with engine.connect() as conn:
            failed = conn.execute(
                sa.select(users.c.failed_logins).where(users.c.username == "vera")
            )
            assert failed.scalar_one() == 1
    finally:
        engine.dispose()


def test_a_right_password_and_its_rehash_do_not_hold_the_write_lock(site: Site) -> None:
    old = Passwords(time_cost=2, memory_cost=16, parallelism=1)  # other parameters: rehash
    engine = make_engine(site.db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                sa.insert(users).values(
                    user_id="u_olga",
                    username="olga",
                    display_name="Olga",
                    role="agent",
                    password_hash=old.hash("Ol9-long-secret-X"),
                    created_at=datetime.now(UTC),
                )
            )
            conn.execute(sa.insert(user_tenants).values(user_id="u_olga", tenant_id="acme"))
        [answer] = _while_verifying(site, [("olga", "Ol9-long-secret-X")], held_at_once=1)
        assert answer.status_code == 200, answer.text
        assert site.passwords.probes == [False, False]  # the verification and the new hash
        with engine.connect() as conn:
            stored = conn.execute(
                sa.select(users.c.password_hash).where(users.c.user_id == "u_olga")
            ).scalar_one()
        assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    finally:
        engine.dispose()


def test_a_flood_of_sign_ins_leaves_contact_creation_alone(site: Site) -> None:
    names = [(f"guess-{i}", "wrong-password-66") for i in range(6)] + [
        ("vera", "not-her-password-1")
    ]
    slots = site.served.app.state.runtime.sign_ins.slots
    answers = _while_verifying(site, names, held_at_once=min(slots, len(names)))
    assert [a.status_code for a in answers] == [401] * len(names)
    assert site.passwords.probes == [False] * len(names)
