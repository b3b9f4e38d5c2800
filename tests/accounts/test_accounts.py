"""The accounts' actions on the engine host over SQLite with a fake clock, without HTTP:
sign-in and sign-out, a user's language and password, two-factor set-up and its end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import func, insert, select

from headset.access import totp
from headset.access.passwords import FAST_FOR_TESTS
from headset.access.tokens import session_digest
from headset.accounts import profile, two_factor
from headset.accounts.sessions import session_expires_at, sign_out
from headset.accounts.sign_in import CODE_NEEDED, WRONG, sign_in
from headset.bootstrap import Services
from headset.core.errors import Conflict, Invalid, Unauthenticated
from headset.storage.tables import sessions, users
from tests.services_on_sqlite import services_on_sqlite

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery staple"
KEY = "k" * 32


@pytest_asyncio.fixture
async def services(tmp_path: Path) -> AsyncIterator[Services]:
    roles = frozenset({"manager"})
    async with services_on_sqlite(
        tmp_path, NOW, secret_key=KEY, require_totp_roles=roles
    ) as services:
        with services.db.begin() as conn:
            for user_id, username, role in (("u1", "ada", "agent"), ("u2", "max", "manager")):
                conn.execute(
                    insert(users).values(
                        user_id=user_id, username=username, display_name=username, role=role,
                        password_hash=FAST_FOR_TESTS.hash(PASSWORD), created_at=NOW,
                    )
                )  # fmt: skip
        yield services


def _user(services: Services, user_id: str) -> Any:
    with services.reader.connect() as conn:
        return conn.execute(select(users).where(users.c.user_id == user_id)).one()


def _sessions(services: Services, user_id: str) -> int:
    with services.reader.connect() as conn:
        query = select(func.count()).select_from(sessions).where(sessions.c.user_id == user_id)
        return int(conn.execute(query).scalar_one())


def _events(services: Services, stream_id: str) -> list[tuple[str, dict[str, Any]]]:
    return [(e.type, dict(e.payload)) for e in services.host.event_log.read_stream(stream_id)]


@pytest.mark.asyncio
async def test_sign_in_makes_a_session_that_ends_when_its_time_is_up(services: Services) -> None:
    signed = await sign_in(services, "ada", PASSWORD, None, "10.0.0.1")

    assert signed.user_id == "u1"
    assert not signed.must_set_up_totp
    ends = session_expires_at(services.reader, KEY, signed.session_id)
    assert ends == NOW + services.settings.session_duration


@pytest.mark.asyncio
async def test_a_wrong_password_is_refused_and_counted(services: Services) -> None:
    with pytest.raises(Unauthenticated, match=WRONG):
        await sign_in(services, "ada", "not the password", None, "10.0.0.1")

    assert _user(services, "u1").failed_logins == 1
    assert _sessions(services, "u1") == 0


@pytest.mark.asyncio
async def test_a_manager_without_two_factor_must_set_it_up(services: Services) -> None:
    signed = await sign_in(services, "max", PASSWORD, None, "10.0.0.1")

    assert signed.must_set_up_totp


@pytest.mark.asyncio
async def test_sign_out_ends_only_that_session(services: Services) -> None:
    first = await sign_in(services, "ada", PASSWORD, None, "10.0.0.1")
    await sign_in(services, "ada", PASSWORD, None, "10.0.0.1")

    await sign_out(services.host, KEY, first.session_id)

    assert session_expires_at(services.reader, KEY, first.session_id) is None
    assert _sessions(services, "u1") == 1


@pytest.mark.asyncio
async def test_a_changed_language_is_stored_with_its_directory_event(services: Services) -> None:
    await profile.change_language(services.host, "u1", "lv", "user:u1")

    assert _user(services, "u1").language == "lv"
    assert _events(services, "user:u1") == [("directory.user_updated", {"language": "lv"})]


@pytest.mark.asyncio
async def test_a_new_password_ends_every_other_session(services: Services) -> None:
    kept = await sign_in(services, "ada", PASSWORD, None, "10.0.0.1")
    other = await sign_in(services, "ada", PASSWORD, None, "10.0.0.2")
    new = "a much better passphrase 2026"

    await profile.change_password(
        services, "u1", PASSWORD, new, session_id=kept.session_id, actor="user:u1"
    )

    assert session_expires_at(services.reader, KEY, kept.session_id) is not None
    assert session_expires_at(services.reader, KEY, other.session_id) is None
    assert FAST_FOR_TESTS.verify(_user(services, "u1").password_hash, new)
    assert _events(services, "user:u1") == [("directory.user_updated", {"password_changed": True})]


@pytest.mark.asyncio
async def test_a_wrong_current_password_changes_nothing(services: Services) -> None:
    with pytest.raises(Invalid, match="current password is wrong"):
        await profile.change_password(
            services, "u1", "a guess", "a much better passphrase 2026",
            session_id=None, actor="user:u1",
        )  # fmt: skip

    assert FAST_FOR_TESTS.verify(_user(services, "u1").password_hash, PASSWORD)
    assert _user(services, "u1").failed_logins == 1
    assert _events(services, "user:u1") == []


@pytest.mark.asyncio
async def test_two_factor_is_on_once_a_code_confirms_it(services: Services) -> None:
    pending: dict[str, str] = {}
    signed = await sign_in(services, "ada", PASSWORD, None, "10.0.0.1")
    shown = await two_factor.start_setup(services.host, pending, "u1")
    assert _user(services, "u1").totp_secret is None  # not before a code confirms it

    code = totp.code_at(shown.secret, NOW)
    await two_factor.confirm(
        services.host, pending, "u1", code, secret_key=KEY, session_id=signed.session_id
    )

    assert _user(services, "u1").totp_secret == shown.secret
    assert pending == {}
    with services.reader.connect() as conn:
        digest = session_digest(KEY, signed.session_id)
        row = conn.execute(select(sessions).where(sessions.c.session_digest == digest)).one()
    assert row.is_second_factor_verified
    with pytest.raises(Unauthenticated, match=CODE_NEEDED):
        await sign_in(services, "ada", PASSWORD, None, "10.0.0.1")


@pytest.mark.asyncio
async def test_a_wrong_code_leaves_two_factor_off(services: Services) -> None:
    pending: dict[str, str] = {}
    shown = await two_factor.start_setup(services.host, pending, "u1")
    wrong = totp.code_at(shown.secret, NOW + timedelta(minutes=10))

    with pytest.raises(Invalid, match="does not match"):
        await two_factor.confirm(
            services.host, pending, "u1", wrong, secret_key=KEY, session_id=None
        )

    assert _user(services, "u1").totp_secret is None
    assert "u1" in pending


@pytest.mark.asyncio
async def test_two_factor_turns_off_with_a_code_but_not_for_a_role_that_needs_it(
    services: Services,
) -> None:
    for user_id in ("u1", "u2"):
        pending: dict[str, str] = {}
        shown = await two_factor.start_setup(services.host, pending, user_id)
        code = totp.code_at(shown.secret, NOW)
        await two_factor.confirm(services.host, pending, user_id, code, secret_key=KEY,
                                 session_id=None)  # fmt: skip
    secret_of = {u: _user(services, u).totp_secret for u in ("u1", "u2")}
    roles = services.settings.require_totp_roles

    await two_factor.disable(services.host, "u1", totp.code_at(secret_of["u1"], NOW), roles)
    with pytest.raises(Conflict, match="manager role must use two-factor"):
        await two_factor.disable(services.host, "u2", totp.code_at(secret_of["u2"], NOW), roles)

    assert _user(services, "u1").totp_secret is None
    assert _user(services, "u2").totp_secret == secret_of["u2"]
