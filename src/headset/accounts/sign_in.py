"""Signing in: the password is checked outside any transaction, the outcome written briefly.

argon2 takes tens of milliseconds on purpose. Checked inside a write transaction (SQLite's
`BEGIN IMMEDIATE`), every sign-in held the database's one write lock that long, and a flood of
sign-ins with made-up names starved every other write (contacts waited seconds, then failed).
So a sign-in reads the account with a read-only connection, verifies the password (or
`dummy_verify` for a name without an account) in a worker thread with no transaction open,
and then writes the outcome (the failure counted, or the session made, a rehash stored) in a
short transaction that reads the account again and checks that what the decision rested on
still holds: the same password hash, still active, not locked meanwhile, the code not used.

Three things keep guessing in check without the lock:

- a token bucket per client address (`sign_ins_per_minute`, 429 with `Retry-After`);
- one check at a time per username in this process: a second attempt on the same name while
  one is being checked is refused (429), so parallel guesses cannot all slip past the back-off
  that the first one's failure will set;
- names without an account, and disabled accounts, back off and lock like accounts do
  (`lockout.UnknownNames`), and take the same path (one argon2 verification, one short
  transaction), so neither the answer nor its timing tells whether a name has an account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Connection, Engine, insert, select, update
from starlette.concurrency import run_in_threadpool

from headset.access import csrf, lockout, tokens, totp
from headset.access.tokens import session_digest
from headset.core.errors import TooManyAttempts, Unauthenticated
from headset.service.sign_in_guard import SignInGuard
from headset.storage.tables import sessions, users

if TYPE_CHECKING:
    from headset.bootstrap import Services

#: What every refused password, unknown name or disabled account is told.
WRONG: Final = "wrong username or password"
#: The answer to a right password without the authenticator code.
CODE_NEEDED: Final = "enter the code from your authenticator app"
CODE_WRONG: Final = "the code is wrong or was already used; wait for a new one"


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A session made by a successful sign-in: the cookie's value is shown only here."""

    session_id: str
    csrf_token: str
    must_set_up_totp: bool
    user_id: str


async def sign_in(
    services: Services, username: str, password: str, code: str | None, address: str
) -> SignedIn:
    """Checks the credentials and makes a session; raises Unauthenticated or TooManyAttempts."""
    guard = services.sign_ins
    now = services.now()
    guard.per_address.check(address, now)
    if username in guard.checking:
        raise TooManyAttempts(
            "a sign-in with this username is being checked; wait a second and try again",
            1.0,
            code="sign_in_in_progress",
        )
    guard.checking.add(username)
    try:
        return await _sign_in(services, guard, username, password, code, now)
    finally:
        guard.checking.discard(username)


async def _sign_in(
    services: Services,
    guard: SignInGuard,
    username: str,
    password: str,
    code: str | None,
    now: datetime,
) -> SignedIn:
    account = await run_in_threadpool(_read_account, services.reader, username)
    if account is None:
        attempts = guard.unknown.attempts(username)
    else:
        attempts = lockout.LoginAttempts(
            account.failed_logins, account.last_failed_login_at, account.locked_until
        )
    lockout.check(attempts, now)  # the same refusal, with or without an account
    async with guard.verifying:
        if account is None:
            await run_in_threadpool(services.passwords.dummy_verify, password)
            is_right = False
        else:
            is_right = await run_in_threadpool(
                services.passwords.verify, account.password_hash, password
            )
    failure = _second_factor_failure(account, code, now) if account is not None else None
    if not is_right:
        failure = WRONG
    if failure is not None:
        if failure != CODE_NEEDED:
            # the same short transaction for a name without an account (it changes no row)
            user_id = account.user_id if account is not None else ""
            await run_in_threadpool(count_failure, services.db, user_id, now)
            if account is None:
                guard.unknown.record_failure(username, now)
        raise Unauthenticated(failure, code="code_needed" if failure == CODE_NEEDED else None)
    assert account is not None
    new_hash = None
    if services.passwords.needs_rehash(account.password_hash):
        new_hash = await run_in_threadpool(services.passwords.hash, password)
    return await run_in_threadpool(_open_session, services, account, code, new_hash, now)


def _read_account(reader: Engine, username: str) -> Any:
    with reader.connect() as conn:
        row = conn.execute(select(users).where(users.c.username == username)).one_or_none()
    # a disabled account is answered exactly like a name without one
    return row if row is not None and row.is_active else None


def _second_factor_failure(account: Any, code: str | None, now: datetime) -> str | None:
    if not account.totp_secret:
        return None
    if not code:
        return CODE_NEEDED
    if totp.verify(account.totp_secret, code, now, last_used_step=account.totp_last_step) is None:
        return CODE_WRONG
    return None


def count_failure(db: Engine, user_id: str, now: datetime) -> None:
    """Counts a failed sign-in on the account as it is now (other processes may count too)."""
    with db.begin() as conn:
        row = conn.execute(
            select(users.c.failed_logins, users.c.last_failed_login_at, users.c.locked_until).where(
                users.c.user_id == user_id
            )
        ).one_or_none()
        attempts = (
            lockout.LoginAttempts(row.failed_logins, row.last_failed_login_at, row.locked_until)
            if row is not None
            else lockout.LoginAttempts()
        )
        _store_attempts(conn, user_id, lockout.record_failure(attempts, now))


def _store_attempts(conn: Connection, user_id: str, attempts: lockout.LoginAttempts) -> None:
    conn.execute(
        update(users)
        .where(users.c.user_id == user_id)
        .values(
            failed_logins=attempts.failures,
            last_failed_login_at=attempts.last_failure_at,
            locked_until=attempts.locked_until,
        )
    )


def _open_session(
    services: Services, account: Any, code: str | None, new_hash: str | None, now: datetime
) -> SignedIn:
    with services.db.begin() as conn:
        user = conn.execute(select(users).where(users.c.user_id == account.user_id)).one()
        # What the decision rested on, read again under the lock: the password was not
        # changed, the account not disabled, locked or given two-factor meanwhile.
        if not user.is_active or user.password_hash != account.password_hash:
            raise Unauthenticated(WRONG)
        lockout.check(lockout.LoginAttempts(locked_until=user.locked_until), now)
        if user.totp_secret != account.totp_secret:
            raise Unauthenticated(CODE_NEEDED if not code else CODE_WRONG)
        values: dict[str, Any] = {}
        if user.totp_secret:
            last_step = user.totp_last_step
            step = totp.verify(user.totp_secret, code or "", now, last_used_step=last_step)
            if step is None:  # used by a sign-in in another process meanwhile
                raise Unauthenticated(CODE_WRONG)
            values["totp_last_step"] = step
        if new_hash is not None:
            values["password_hash"] = new_hash
        if values:
            conn.execute(update(users).where(users.c.user_id == user.user_id).values(**values))
        _store_attempts(conn, user.user_id, lockout.record_success())
        pending = not user.totp_secret and user.role in services.settings.require_totp_roles
        session_id = tokens.new_token(tokens.SESSION_PREFIX)
        csrf_token = csrf.new_csrf_token()
        conn.execute(
            insert(sessions).values(
                session_digest=session_digest(services.settings.secret_key, session_id),
                user_id=user.user_id,
                csrf_token=csrf_token,
                # may only set up two-factor sign-in until it is confirmed
                is_second_factor_pending=pending,
                is_second_factor_verified=bool(user.totp_secret),
                created_at=now,
                expires_at=now + services.settings.session_duration,
            )
        )
    return SignedIn(session_id, csrf_token, pending, user.user_id)
