"""API tokens for integrations: one tenant and one role, stored hashed, expiring, revocable."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, insert, select, update

from headset.access import tokens
from headset.access.permissions import Permission
from headset.access.roles import Role
from headset.api.deps import Caller, Name, Rt, reading
from headset.api.directory_events import directory_event
from headset.api.principal import Principal
from headset.api.runtime import Runtime
from headset.core.errors import Forbidden, NotFound
from headset.core.ids import new_id
from headset.service.operations import Operation
from headset.storage.tables import api_tokens

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/tokens", tags=["API tokens"])


#: A token's lifetime when none is chosen, and the longest that may be chosen.
DEFAULT_DAYS = 90
MAX_DAYS = 365


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name
    role: Role
    #: Days until the token stops working (401 from then on); make a new one before.
    expires_in_days: int = Field(default=DEFAULT_DAYS, ge=1, le=MAX_DAYS)


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


def token_body(row: Any) -> dict[str, Any]:
    return {c: getattr(row, c) for c in [col.name for col in api_tokens.c] if c != "token_digest"}


@router.get("")
def list_tokens(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.TOKEN_MANAGE)
    _may_manage_tokens(who, rt)
    with reading(rt) as conn:
        rows = conn.execute(select(api_tokens).where(api_tokens.c.tenant_id == tenant_id))
        return [token_body(r) for r in rows]


@router.post("", status_code=201)
async def create_token(tenant_id: str, body: TokenIn, who: Caller, rt: Rt) -> dict[str, Any]:
    """Returns the token once; only its digest is kept."""
    who.check(tenant_id, Permission.TOKEN_MANAGE)
    if body.role is Role.ADMIN:
        raise Forbidden("tokens act inside one tenant; the admin role cannot be given to one")
    _may_manage_tokens(who, rt, body.role)
    secret = tokens.new_token(tokens.API_TOKEN_PREFIX)
    token_id = new_id("t")
    now = rt.now()
    expires_at = now + timedelta(days=body.expires_in_days)
    values = {
        "token_id": token_id,
        "tenant_id": tenant_id,
        "name": body.name,
        "role": body.role.value,
        "token_digest": tokens.digest(secret),
        "created_by": who.actor,
        "created_at": now,
        "expires_at": expires_at,
    }

    def write(conn: Connection) -> None:
        conn.execute(insert(api_tokens).values(**values))

    event = directory_event(
        "token_created",
        tenant_id,
        f"token:{token_id}",
        {"token_id": token_id, "role": body.role.value, "expires_at": expires_at.isoformat()},
        now,
        who,
    )
    await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    shown = {k: v for k, v in values.items() if k != "token_digest"}
    return {**shown, "token": secret}


@router.delete("/{token_id}", status_code=204)
async def revoke_token(tenant_id: str, token_id: str, who: Caller, rt: Rt) -> None:
    who.check(tenant_id, Permission.TOKEN_MANAGE)
    _may_manage_tokens(who, rt)
    now = rt.now()

    def write(conn: Connection) -> None:
        done = conn.execute(
            update(api_tokens)
            .where(api_tokens.c.tenant_id == tenant_id, api_tokens.c.token_id == token_id)
            .values(revoked_at=now)
        )
        if done.rowcount == 0:
            raise NotFound(f"no token {token_id!r} in tenant {tenant_id!r}")

    event = directory_event(
        "token_revoked", tenant_id, f"token:{token_id}", {"token_id": token_id}, now, who
    )
    await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
