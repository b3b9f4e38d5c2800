"""What signed-in users change about themselves: their language and their password."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select, update
from starlette.concurrency import run_in_threadpool

from headset.access import lockout
from headset.access.passwords import check_policy
from headset.access.tokens import session_digest
from headset.accounts.sessions import end_access
from headset.accounts.sign_in import count_failure
from headset.core.errors import Conflict, Invalid
from headset.directory.events import DirectoryChanged, DirectoryEventType
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import users

if TYPE_CHECKING:
    from headset.bootstrap import Services


async def change_language(host: EngineHost, user_id: str, language: str, actor: str) -> None:
    """Sets the language of the user's pages."""

    def write(conn: Connection) -> None:
        conn.execute(update(users).where(users.c.user_id == user_id).values(language=language))

    event = _user_updated(user_id, {"language": language}, actor, host.clock.now())
    await host.submit(Operation(write=write, events=[event], actor=actor))


async def change_password(
    services: Services,
    user_id: str,
    current_password: str,
    new_password: str,
    *,
    session_id: str | None,
    actor: str,
) -> None:
    """Changes the user's own password; every other session of theirs ends and the API tokens
    they made are revoked (the session `session_id` stays)."""
    now = services.now()
    account = await run_in_threadpool(_account, services, user_id)
    attempts = lockout.LoginAttempts(
        account.failed_logins, account.last_failed_login_at, account.locked_until
    )
    lockout.check(attempts, now)  # a stolen session may not guess the password either
    check_policy(new_password, account.username)
    is_right = await run_in_threadpool(
        services.passwords.verify, account.password_hash, current_password
    )
    if not is_right:
        await run_in_threadpool(count_failure, services.db, user_id, now)
        raise Invalid(
            "the current password is wrong",
            field="current_password",
            code="wrong_password",
        )
    new_hash = await run_in_threadpool(services.passwords.hash, new_password)
    keep = session_digest(services.settings.secret_key, session_id) if session_id else None

    def write(conn: Connection) -> None:
        row = conn.execute(select(users.c.password_hash).where(users.c.user_id == user_id)).one()
        if row.password_hash != account.password_hash:
            raise Conflict("the password was changed meanwhile; sign in again with the new one")
        conn.execute(update(users).where(users.c.user_id == user_id).values(password_hash=new_hash))
        end_access(conn, user_id, now, keep_session=keep)

    event = _user_updated(user_id, {"password_changed": True}, actor, now)
    await services.host.submit(Operation(write=write, events=[event], actor=actor))


def _account(services: Services, user_id: str) -> Any:
    with services.reader.connect() as conn:
        return conn.execute(select(users).where(users.c.user_id == user_id)).one()


def _user_updated(user_id: str, data: dict[str, Any], actor: str, at: datetime) -> NewEvent:
    return DirectoryChanged(
        DirectoryEventType.USER_UPDATED, None, f"user:{user_id}", data, actor, at
    ).new_event()
