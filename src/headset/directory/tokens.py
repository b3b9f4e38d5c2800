"""API tokens for integrations: one tenant and one role, stored hashed, expiring, revocable.

Who may manage tokens (a signed-in session, with a second factor where one is due) is the
API's to check; these actions store and revoke.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, select

from headset.access import tokens
from headset.access.roles import Role
from headset.core.errors import Forbidden
from headset.core.ids import new_id
from headset.directory.events import DirectoryEventType as E
from headset.directory.names import Name
from headset.directory.registrar import Change, Kind, columns_view, save
from headset.service.host import EngineHost
from headset.storage.tables import api_tokens

#: A token's lifetime when none is chosen, and the longest that may be chosen.
DEFAULT_DAYS = 90
MAX_DAYS = 365

TOKENS = Kind(
    api_tokens, "token_id", "token", E.TOKEN_CREATED, None,
    stream=lambda _, token_id: f"token:{token_id}",
    view=columns_view(api_tokens, "token_digest"),
)  # fmt: skip


class TokenIn(BaseModel):
    """A token to make."""

    model_config = ConfigDict(extra="forbid")
    name: Name
    role: Role
    #: Days until the token stops working (401 from then on); make a new one before.
    expires_in_days: int = Field(default=DEFAULT_DAYS, ge=1, le=MAX_DAYS)


class TokenFacts(BaseModel):
    """What is shown of every token: never its secret or digest."""

    token_id: str
    tenant_id: str
    name: str
    role: str
    created_by: str
    created_at: datetime
    expires_at: datetime


class TokenOut(TokenFacts):
    """A token as listed, with its last use and revocation."""

    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenMade(TokenFacts):
    """A token just made, with its secret: shown this once."""

    token: str


def list_tokens(conn: Connection, tenant_id: str) -> list[dict[str, Any]]:
    """The tenant's tokens, without their digests."""
    rows = conn.execute(select(api_tokens).where(api_tokens.c.tenant_id == tenant_id))
    return [{"tenant_id": tenant_id, **TOKENS.view(r)} for r in rows]


async def create_token(
    host: EngineHost, tenant_id: str, body: TokenIn, *, actor: str
) -> dict[str, Any]:
    """Makes a token; the answer holds the secret, shown once (only its digest is kept)."""
    if body.role is Role.ADMIN:
        raise Forbidden("tokens act inside one tenant; the admin role cannot be given to one")
    secret = tokens.new_token(tokens.API_TOKEN_PREFIX)
    token_id, now = new_id("t"), host.clock.now()
    expires_at = now + timedelta(days=body.expires_in_days)
    values = {
        "name": body.name,
        "role": body.role.value,
        "token_digest": tokens.digest(secret),
        "created_by": actor,
        "created_at": now,
        "expires_at": expires_at,
    }
    data = {"token_id": token_id, "role": body.role.value, "expires_at": expires_at.isoformat()}
    change = Change(tenant_id, token_id, values, actor, now, mode="create", data=data)
    await save(host, TOKENS, change)
    shown = {k: v for k, v in values.items() if k != "token_digest"}
    return {"token_id": token_id, "tenant_id": tenant_id, **shown, "token": secret}


async def revoke_token(host: EngineHost, tenant_id: str, token_id: str, *, actor: str) -> None:
    """Revokes a token of the tenant: refused from the next request on."""
    now = host.clock.now()
    change = Change(
        tenant_id, token_id, {"revoked_at": now}, actor, now, mode="update", event=E.TOKEN_REVOKED
    )
    await save(host, TOKENS, change)
