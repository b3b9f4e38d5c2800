"""Signing in and out, the current user, and two-factor (TOTP) set-up."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, delete, select, update
from starlette.concurrency import run_in_threadpool

from headset.access import lockout, totp
from headset.access.passwords import check_policy
from headset.access.roles import Role
from headset.api.deps import Caller, Rt
from headset.api.directory_events import directory_event
from headset.api.principal import SESSION_COOKIE, Principal, session_digest
from headset.api.sign_in import CODE_NEEDED, count_failure, end_access, sign_in
from headset.core.errors import Conflict, Invalid
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
async def login(body: Login, request: Request, response: Response, rt: Rt) -> dict[str, Any]:
    """Signs in with username and password (and code); sets the session cookie.

    The password is checked outside any transaction (api/sign_in.py); answers are the same
    for a wrong password, an unknown name and a disabled account.
    """
    address = request.client.host if request.client else "unknown"
    signed = await sign_in(rt, body.username, body.password, body.code, address)
    session_id, csrf_token, pending = signed.session_id, signed.csrf_token, signed.must_set_up_totp
    principal = signed.principal
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


#: Also what the sign-in page recognises (web/pages.py).
_CODE_NEEDED = CODE_NEEDED


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


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(min_length=1, max_length=256)


@router.post("/password", status_code=204)
async def change_password(body: PasswordChange, request: Request, who: Caller, rt: Rt) -> Response:
    """Changes the signed-in user's own password.

    Every other session of the user ends and the API tokens they made are revoked: whoever
    knew the old password, or stole a session, is out. This session stays.
    """
    if who.user_id is None:
        raise Conflict("an API token has no password; this is for signed-in users")
    user_id, now = who.user_id, rt.now()
    account = await run_in_threadpool(_account, rt, user_id)
    attempts = lockout.LoginAttempts(
        account.failed_logins, account.last_failed_login_at, account.locked_until
    )
    lockout.check(attempts, now)  # a stolen session may not guess the password either
    check_policy(body.new_password, account.username)
    is_right = await run_in_threadpool(
        rt.passwords.verify, account.password_hash, body.current_password
    )
    if not is_right:
        await run_in_threadpool(count_failure, rt.db, user_id, now)
        raise Invalid(
            "the current password is wrong",
            field="current_password",
            code="wrong_password",
        )
    new_hash = await run_in_threadpool(rt.passwords.hash, body.new_password)
    current = request.cookies.get(SESSION_COOKIE)
    keep = session_digest(rt.settings.secret_key, current) if current else None

    def write(conn: Connection) -> None:
        row = conn.execute(select(users.c.password_hash).where(users.c.user_id == user_id)).one()
        if row.password_hash != account.password_hash:
            raise Conflict("the password was changed meanwhile; sign in again with the new one")
        conn.execute(update(users).where(users.c.user_id == user_id).values(password_hash=new_hash))
        end_access(conn, user_id, now, keep_session=keep)

    event = directory_event(
        "user_updated", None, f"user:{user_id}", {"password_changed": True}, now, who
    )
    await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    rt.credentials.clear()
    return Response(status_code=204)


def _account(rt: Rt, user_id: str) -> Any:
    with rt.reader.connect() as conn:
        return conn.execute(select(users).where(users.c.user_id == user_id)).one()


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
        current = request.cookies.get(SESSION_COOKIE)
        if current:  # this session has just shown a code (API tokens need that: tokens.py)
            conn.execute(
                update(sessions)
                .where(
                    sessions.c.user_id == user_id,
                    sessions.c.session_digest == session_digest(rt.settings.secret_key, current),
                )
                .values(is_second_factor_verified=True)
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
