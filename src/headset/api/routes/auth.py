"""Signing in and out, the current user, and two-factor (TOTP) set-up."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, delete, insert, select, update

from headset.access import csrf, lockout, tokens, totp
from headset.access.roles import Role
from headset.api.deps import Caller, Rt
from headset.api.directory_events import directory_event
from headset.api.principal import SESSION_COOKIE, Principal, load_user_principal, session_digest
from headset.api.runtime import Runtime
from headset.core.errors import Conflict, Invalid, Unauthenticated
from headset.service.operations import Operation
from headset.storage.tables import sessions, users

router = APIRouter(prefix="/api/v1/auth", tags=["authentication"])


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=256)
    #: The 6-digit code of the user's authenticator app, when two-factor sign-in is on.
    code: str | None = Field(default=None, max_length=12)


class TotpCode(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=6, max_length=12)


def me_body(principal: Principal) -> dict[str, Any]:
    return {
        "user_id": principal.user_id,
        "username": principal.username,
        "role": principal.role.value,
        "tenant_ids": None if principal.tenant_ids is None else sorted(principal.tenant_ids),
        "agent_id": principal.agent_id,
        "led_teams": sorted(principal.led_teams),
    }


@router.post("/login")
def login(body: Login, request: Request, response: Response, rt: Rt) -> dict[str, Any]:
    """Signs in with username and password (and code); sets the session cookie."""
    now = rt.now()
    with rt.db.begin() as conn:
        user = conn.execute(select(users).where(users.c.username == body.username)).one_or_none()
        if user is None or not user.is_active:
            rt.passwords.dummy_verify(body.password)
            raise Unauthenticated("wrong username or password")
        attempts = lockout.LoginAttempts(
            user.failed_logins, user.last_failed_login_at, user.locked_until
        )
        lockout.check(attempts, now)
        failure = _second_factor_failure(rt, user, body, now)
        if not rt.passwords.verify(user.password_hash, body.password):
            failure = "wrong username or password"
        if failure is not None and failure != _CODE_NEEDED:
            _record(conn, user.user_id, lockout.record_failure(attempts, now))
    if failure is not None:  # raised after the commit, so the failure is counted
        raise Unauthenticated(failure)
    with rt.db.begin() as conn:
        pending = False
        if user.totp_secret:
            step = totp.verify(user.totp_secret, body.code or "", now)
            conn.execute(
                update(users).where(users.c.user_id == user.user_id).values(totp_last_step=step)
            )
        elif user.role in rt.settings.require_totp_roles:
            pending = True  # may only set up two-factor sign-in until it is confirmed
        _record(conn, user.user_id, lockout.record_success())
        session_id = tokens.new_token(tokens.SESSION_PREFIX)
        csrf_token = csrf.new_csrf_token()
        conn.execute(
            insert(sessions).values(
                session_digest=session_digest(rt.settings.secret_key, session_id),
                user_id=user.user_id,
                csrf_token=csrf_token,
                is_second_factor_pending=pending,
                created_at=now,
                expires_at=now + rt.settings.session_duration,
            )
        )
        principal = load_user_principal(conn, user.user_id)
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(rt.settings.session_duration.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=rt.settings.is_cookie_secure,
        path="/",
    )
    return {"csrf_token": csrf_token, "must_set_up_totp": pending, "user": me_body(principal)}


_CODE_NEEDED = "enter the code from your authenticator app"


def _second_factor_failure(rt: Runtime, user: Any, body: Login, now: Any) -> str | None:
    if not user.totp_secret:
        return None
    if not body.code:
        return _CODE_NEEDED
    if totp.verify(user.totp_secret, body.code, now, last_used_step=user.totp_last_step) is None:
        return "the code is wrong or was already used; wait for a new one"
    return None


def _record(conn: Connection, user_id: str, attempts: lockout.LoginAttempts) -> None:
    conn.execute(
        update(users)
        .where(users.c.user_id == user_id)
        .values(
            failed_logins=attempts.failures,
            last_failed_login_at=attempts.last_failure_at,
            locked_until=attempts.locked_until,
        )
    )


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, who: Caller, rt: Rt) -> None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        with rt.db.begin() as conn:
            digest = session_digest(rt.settings.secret_key, session_id)
            conn.execute(delete(sessions).where(sessions.c.session_digest == digest))
        rt.credentials.clear()
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me")
def me(who: Caller) -> dict[str, Any]:
    return me_body(who)


class MePatch(BaseModel):
    """What users change about themselves (the admin pages change everything else)."""

    model_config = ConfigDict(extra="forbid")
    language: str = Field(pattern=r"^(en|nl|de|lv)$")


@router.patch("/me")
async def update_me(body: MePatch, who: Caller, rt: Rt) -> dict[str, Any]:
    """Changes the signed-in user's own language."""
    user_id = _user_of(who)

    def write(conn: Connection) -> None:
        conn.execute(update(users).where(users.c.user_id == user_id).values(language=body.language))

    event = directory_event(
        "user_updated", None, f"user:{user_id}", body.model_dump(), rt.now(), who
    )
    await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    return {**me_body(who), "language": body.language}


@router.post("/totp/setup")
def totp_setup(who: Caller, rt: Rt) -> dict[str, str]:
    """Starts two-factor set-up: returns a new secret to scan; confirm with a code."""
    user_id = _user_of(who)
    secret = totp.new_secret()
    with rt.db.begin() as conn:
        user = conn.execute(select(users).where(users.c.user_id == user_id)).one()
        if user.totp_secret:
            raise Conflict("two-factor sign-in is already on; turn it off first")
    # kept in memory until confirmed, so an abandoned set-up does not lock anyone out
    rt.pending_totp[user_id] = secret
    return {"secret": secret, "uri": totp.provisioning_uri(secret, user.username)}


@router.post("/totp/confirm")
def totp_confirm(body: TotpCode, request: Request, who: Caller, rt: Rt) -> dict[str, bool]:
    user_id = _user_of(who)
    secret = rt.pending_totp.get(user_id)
    if secret is None:
        raise Conflict("start with POST /api/v1/auth/totp/setup")
    step = totp.verify(secret, body.code, rt.now())
    if step is None:
        raise Invalid("the code does not match; check the time on your phone and try again")
    with rt.db.begin() as conn:
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
    del rt.pending_totp[user_id]
    rt.credentials.clear()
    return {"totp_enabled": True}


@router.post("/totp/disable")
def totp_disable(body: TotpCode, who: Caller, rt: Rt) -> dict[str, bool]:
    user_id = _user_of(who)
    with rt.db.begin() as conn:
        user = conn.execute(select(users).where(users.c.user_id == user_id)).one()
        if not user.totp_secret:
            raise Conflict("two-factor sign-in is not on")
        if user.role in rt.settings.require_totp_roles:
            raise Conflict(f"the {Role(user.role).value} role must use two-factor sign-in")
        if totp.verify(user.totp_secret, body.code, rt.now(), last_used_step=None) is None:
            raise Invalid("the code does not match")
        conn.execute(update(users).where(users.c.user_id == user_id).values(totp_secret=None))
    rt.credentials.clear()
    return {"totp_enabled": False}


def _user_of(who: Principal) -> str:
    if who.user_id is None:
        raise Conflict("API tokens have no two-factor sign-in; this is for users")
    return who.user_id
