"""API tokens for integrations: one tenant and one role, stored hashed, expiring, revocable."""

from __future__ import annotations

from fastapi import APIRouter

from headset.access.permissions import Permission
from headset.access.roles import Role
from headset.api.deps import Caller, Rt, reading
from headset.api.principal import Principal
from headset.api.runtime import Runtime
from headset.core.errors import Forbidden
from headset.directory import tokens
from headset.directory.tokens import TokenIn, TokenMade, TokenOut

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/tokens", tags=["API tokens"])


def _may_manage_tokens(who: Principal, rt: Runtime, role: Role | None = None) -> None:
    """Tokens are managed from a signed-in session, with a second factor where one is due.

    A token may not make tokens (a leaked one would otherwise make itself permanent), and
    since a token never asks for a code, one whose role must use two-factor sign-in is made
    only by a session that showed a code.
    """
    if who.user_id is None:
        raise Forbidden(
            "an API token cannot manage API tokens; a manager signs in to do it",
            code="token_needs_session",
        )
    required = rt.settings.require_totp_roles
    if (who.role.value in required or (role is not None and role.value in required)) and (
        not who.is_second_factor_verified
    ):
        raise Forbidden(
            "managing API tokens for this role needs a sign-in with the authenticator code; "
            "sign out and in again with the code",
            code="second_factor_required",
        )


@router.get("")
def list_tokens(tenant_id: str, who: Caller, rt: Rt) -> list[TokenOut]:
    who.check(tenant_id, Permission.TOKEN_MANAGE)
    _may_manage_tokens(who, rt)
    with reading(rt) as conn:
        return [TokenOut(**t) for t in tokens.list_tokens(conn, tenant_id)]


@router.post("", status_code=201)
async def create_token(tenant_id: str, body: TokenIn, who: Caller, rt: Rt) -> TokenMade:
    """Returns the token once; only its digest is kept."""
    who.check(tenant_id, Permission.TOKEN_MANAGE)
    if body.role is not Role.ADMIN:  # the action refuses the admin role itself
        _may_manage_tokens(who, rt, body.role)
    return TokenMade(**await tokens.create_token(rt.host, tenant_id, body, actor=who.actor))


@router.delete("/{token_id}", status_code=204)
async def revoke_token(tenant_id: str, token_id: str, who: Caller, rt: Rt) -> None:
    who.check(tenant_id, Permission.TOKEN_MANAGE)
    _may_manage_tokens(who, rt)
    await tokens.revoke_token(rt.host, tenant_id, token_id, actor=who.actor)
