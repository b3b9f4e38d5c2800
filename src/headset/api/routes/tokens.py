"""API tokens for integrations: scoped to one tenant and one role, stored hashed, revocable."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection, insert, select, update

from headset.access import tokens
from headset.access.permissions import Permission
from headset.access.roles import Role
from headset.api.deps import Caller, Name, Rt, new_id, reading
from headset.api.directory_events import directory_event
from headset.core.errors import Forbidden, NotFound
from headset.service.operations import Operation
from headset.storage.tables import api_tokens

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/tokens", tags=["API tokens"])


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Name
    role: Role


def token_body(row: Any) -> dict[str, Any]:
    return {c: getattr(row, c) for c in [col.name for col in api_tokens.c] if c != "token_digest"}


@router.get("")
def list_tokens(tenant_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.TOKEN_MANAGE)
    with reading(rt) as conn:
        rows = conn.execute(select(api_tokens).where(api_tokens.c.tenant_id == tenant_id))
        return [token_body(r) for r in rows]


@router.post("", status_code=201)
async def create_token(tenant_id: str, body: TokenIn, who: Caller, rt: Rt) -> dict[str, Any]:
    """Returns the token once; only its digest is kept."""
    who.check(tenant_id, Permission.TOKEN_MANAGE)
    if body.role is Role.ADMIN:
        raise Forbidden("tokens act inside one tenant; the admin role cannot be given to one")
    secret = tokens.new_token(tokens.API_TOKEN_PREFIX)
    token_id = new_id("t")
    now = rt.now()
    values = {
        "token_id": token_id,
        "tenant_id": tenant_id,
        "name": body.name,
        "role": body.role.value,
        "token_digest": tokens.digest(secret),
        "created_by": who.actor,
        "created_at": now,
    }

    def write(conn: Connection) -> None:
        conn.execute(insert(api_tokens).values(**values))

    event = directory_event(
        "token_created",
        tenant_id,
        f"token:{token_id}",
        {"token_id": token_id, "role": body.role.value},
        now,
        who,
    )
    await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    shown = {k: v for k, v in values.items() if k != "token_digest"}
    return {**shown, "token": secret}


@router.delete("/{token_id}", status_code=204)
async def revoke_token(tenant_id: str, token_id: str, who: Caller, rt: Rt) -> None:
    who.check(tenant_id, Permission.TOKEN_MANAGE)
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
