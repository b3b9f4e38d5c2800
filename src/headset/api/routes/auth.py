"""Signing in and out, the current user, and two-factor (TOTP) set-up (headset.accounts)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from headset.accounts import profile, two_factor
from headset.accounts.forms import (
    Login,
    Me,
    MePatch,
    MeWithLanguage,
    PasswordChange,
    SignedInOut,
    TotpCode,
    TotpOut,
    TotpSecretOut,
)
from headset.accounts.sessions import sign_out
from headset.accounts.sign_in import sign_in
from headset.api.deps import Caller, Rt
from headset.api.principal import SESSION_COOKIE, Principal, read_user_principal
from headset.core.errors import Conflict

router = APIRouter(prefix="/api/v1/auth", tags=["authentication"])


def me_body(principal: Principal) -> Me:
    tenant_ids = principal.tenant_ids
    return Me(
        user_id=principal.user_id,
        username=principal.username,
        role=principal.role.value,
        tenant_ids=None if tenant_ids is None else sorted(tenant_ids),
        agent_id=principal.agent_id,
        led_teams=sorted(principal.led_teams),
    )


@router.post("/login")
async def login(body: Login, request: Request, response: Response, rt: Rt) -> SignedInOut:
    """Signs in with username and password (and code); sets the session cookie.

    The password is checked outside any transaction (accounts/sign_in.py); answers are the
    same for a wrong password, an unknown name and a disabled account.
    """
    address = request.client.host if request.client else "unknown"
    signed = await sign_in(rt, body.username, body.password, body.code, address)
    principal = await run_in_threadpool(read_user_principal, rt.reader, signed.user_id)
    response.set_cookie(
        SESSION_COOKIE,
        signed.session_id,
        max_age=int(rt.settings.session_duration.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=rt.settings.is_cookie_secure,
        path="/",
    )
    return SignedInOut(
        csrf_token=signed.csrf_token,
        must_set_up_totp=signed.must_set_up_totp,
        user=me_body(principal),
    )


@router.post("/logout", status_code=204)
async def logout(request: Request, response: Response, who: Caller, rt: Rt) -> None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        await sign_out(rt.host, rt.settings.secret_key, session_id)
        rt.credentials.clear()
    response.delete_cookie(SESSION_COOKIE, path="/")


@router.get("/me")
def me(who: Caller) -> Me:
    return me_body(who)


@router.patch("/me")
async def update_me(body: MePatch, who: Caller, rt: Rt) -> MeWithLanguage:
    """Changes the signed-in user's own language."""
    await profile.change_language(rt.host, _user_of(who), body.language, who.actor)
    return MeWithLanguage(**me_body(who).model_dump(), language=body.language)


@router.post("/password", status_code=204)
async def change_password(body: PasswordChange, request: Request, who: Caller, rt: Rt) -> Response:
    """Changes the signed-in user's own password.

    Every other session of the user ends and the API tokens they made are revoked: whoever
    knew the old password, or stole a session, is out. This session stays.
    """
    if who.user_id is None:
        raise Conflict("an API token has no password; this is for signed-in users")
    session_id = request.cookies.get(SESSION_COOKIE)
    await profile.change_password(
        rt, who.user_id, body.current_password, body.new_password,
        session_id=session_id, actor=who.actor,
    )  # fmt: skip
    rt.credentials.clear()
    return Response(status_code=204)


@router.post("/totp/setup")
async def totp_setup(who: Caller, rt: Rt) -> TotpSecretOut:
    """Starts two-factor set-up: returns a new secret to scan; confirm with a code."""
    found = await two_factor.start_setup(rt.host, rt.pending_totp, _user_of(who))
    return TotpSecretOut(secret=found.secret, uri=found.uri)


@router.post("/totp/confirm")
async def totp_confirm(body: TotpCode, request: Request, who: Caller, rt: Rt) -> TotpOut:
    await two_factor.confirm(
        rt.host, rt.pending_totp, _user_of(who), body.code,
        secret_key=rt.settings.secret_key, session_id=request.cookies.get(SESSION_COOKIE),
    )  # fmt: skip
    rt.credentials.clear()
    return TotpOut(totp_enabled=True)


@router.post("/totp/disable")
async def totp_disable(body: TotpCode, who: Caller, rt: Rt) -> TotpOut:
    await two_factor.disable(rt.host, _user_of(who), body.code, rt.settings.require_totp_roles)
    rt.credentials.clear()
    return TotpOut(totp_enabled=False)


def _user_of(who: Principal) -> str:
    if who.user_id is None:
        raise Conflict("API tokens have no two-factor sign-in; this is for users")
    return who.user_id
