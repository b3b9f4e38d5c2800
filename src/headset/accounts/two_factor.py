"""Two-factor sign-in (TOTP): set up with a code, confirmed, turned off.

A secret shown for set-up waits in `pending` (the API's memory, not the database) until a
code confirms it, so an abandoned set-up does not lock anyone out.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import Connection, select, update

from headset.access import totp
from headset.access.roles import Role
from headset.access.tokens import session_digest
from headset.core.errors import Conflict, Invalid
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.tables import sessions, users


@dataclass(frozen=True, slots=True)
class NewSecret:
    """A secret to scan into an authenticator app, and its otpauth:// URI."""

    secret: str
    uri: str


async def start_setup(host: EngineHost, pending: dict[str, str], user_id: str) -> NewSecret:
    """A new secret for the user, kept in `pending` until a code confirms it."""
    secret = totp.new_secret()

    def write(conn: Connection) -> str:
        user = conn.execute(select(users).where(users.c.user_id == user_id)).one()
        if user.totp_secret:
            raise Conflict("two-factor sign-in is already on; turn it off first")
        return str(user.username)

    username = (await host.submit(Operation(write=write))).written
    pending[user_id] = secret
    return NewSecret(secret, totp.provisioning_uri(secret, username))


async def confirm(
    host: EngineHost,
    pending: dict[str, str],
    user_id: str,
    code: str,
    *,
    secret_key: str,
    session_id: str | None,
) -> None:
    """Turns two-factor sign-in on with the pending secret, if `code` matches it; the session
    `session_id` has shown a code by that (API tokens need such a session: tokens.py)."""
    secret = pending.get(user_id)
    if secret is None:
        raise Conflict("start with POST /api/v1/auth/totp/setup")
    step = totp.verify(secret, code, host.clock.now())
    if step is None:
        raise Invalid("the code does not match; check the time on your phone and try again")
    current = session_digest(secret_key, session_id) if session_id else None

    def write(conn: Connection) -> None:
        conn.execute(
            update(users)
            .where(users.c.user_id == user_id)
            .values(totp_secret=secret, totp_last_step=step)
        )
        conn.execute(
            update(sessions)
            .where(sessions.c.user_id == user_id)
            .values(is_second_factor_pending=False)
        )
        if current is not None:
            conn.execute(
                update(sessions)
                .where(sessions.c.user_id == user_id, sessions.c.session_digest == current)
                .values(is_second_factor_verified=True)
            )

    await host.submit(Operation(write=write))
    del pending[user_id]


async def disable(
    host: EngineHost, user_id: str, code: str, required_roles: Collection[str]
) -> None:
    """Turns two-factor sign-in off, with a code; not for a role that must use it."""
    now = host.clock.now()

    def write(conn: Connection) -> None:
        user = conn.execute(select(users).where(users.c.user_id == user_id)).one()
        if not user.totp_secret:
            raise Conflict("two-factor sign-in is not on")
        if user.role in required_roles:
            raise Conflict(f"the {Role(user.role).value} role must use two-factor sign-in")
        if totp.verify(user.totp_secret, code, now, last_used_step=None) is None:
            raise Invalid("the code does not match")
        conn.execute(update(users).where(users.c.user_id == user_id).values(totp_secret=None))

    await host.submit(Operation(write=write))
