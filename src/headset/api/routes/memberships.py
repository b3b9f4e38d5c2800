"""Which tenants a user works for: the center's admin gives a user more than one client.

A user is created inside one tenant. A supervisor or manager of the center who serves several
client companies is then given access to the others here, by the center's admin only: a
tenant's own manager never sees another tenant's users, so cannot pick them. Each change is a
`directory.*` event (the audit trail), and it clears the credential cache at once, so a
removed tenant is unreachable from the next request on.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, delete, func, insert, select

from headset.access.roles import Role
from headset.api.deps import Caller, Rt, reading
from headset.api.directory_events import directory_event
from headset.api.principal import Principal
from headset.api.routes.tenants import user_body
from headset.core.errors import Conflict, Forbidden, NotFound
from headset.service.operations import Operation
from headset.storage.tables import agents, tenants, user_tenants, users

router = APIRouter(prefix="/api/v1", tags=["tenants and users"])


class MemberIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(pattern=r"^[A-Za-z0-9_.@-]{2,100}$")


def _admin_only(who: Principal) -> None:
    if who.role is not Role.ADMIN:
        raise Forbidden("only the center's admin decides which tenants a user works for")


def _tenant_exists(conn: Connection, tenant_id: str) -> None:
    found = conn.execute(select(tenants.c.tenant_id).where(tenants.c.tenant_id == tenant_id))
    if found.first() is None:
        raise NotFound(f"no tenant {tenant_id!r}")


@router.get("/users/{user_id}/tenants")
def list_user_tenants(user_id: str, who: Caller, rt: Rt) -> list[dict[str, Any]]:
    """The tenants a user is assigned to (admin only: it names other clients)."""
    _admin_only(who)
    with reading(rt) as conn:
        if conn.execute(select(users.c.user_id).where(users.c.user_id == user_id)).first() is None:
            raise NotFound(f"no user {user_id!r}")
        rows = conn.execute(
            select(tenants.c.tenant_id, tenants.c.name)
            .join(user_tenants, user_tenants.c.tenant_id == tenants.c.tenant_id)
            .where(user_tenants.c.user_id == user_id)
            .order_by(tenants.c.tenant_id)
        )
        return [{"tenant_id": r.tenant_id, "name": r.name} for r in rows]


@router.post("/tenants/{tenant_id}/members", status_code=201)
async def add_member(tenant_id: str, body: MemberIn, who: Caller, rt: Rt) -> dict[str, Any]:
    """Gives an existing user (found by username) access to this tenant too; repeatable."""
    _admin_only(who)

    def write(conn: Connection) -> Any:
        _tenant_exists(conn, tenant_id)
        row = conn.execute(select(users).where(users.c.username == body.username)).first()
        if row is None:
            raise NotFound(
                f"no user {body.username!r}; create the user in one tenant first",
                field="username",
                code="unknown",
                params={"value": body.username},
            )
        member = conn.execute(
            select(user_tenants.c.user_id).where(
                user_tenants.c.user_id == row.user_id, user_tenants.c.tenant_id == tenant_id
            )
        ).first()
        if member is None:
            conn.execute(insert(user_tenants).values(user_id=row.user_id, tenant_id=tenant_id))
        return user_body(row)

    event = directory_event(
        "member_added",
        tenant_id,
        f"tenant:{tenant_id}",
        {"username": body.username},
        rt.now(),
        who,
    )
    outcome = await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    return dict(outcome.written)


@router.delete("/tenants/{tenant_id}/members/{user_id}", status_code=204)
async def remove_member(tenant_id: str, user_id: str, who: Caller, rt: Rt) -> Response:
    """Takes a tenant away from a user: not their last one, and not while they are its agent."""
    _admin_only(who)

    def write(conn: Connection) -> None:
        _tenant_exists(conn, tenant_id)
        member = conn.execute(
            select(user_tenants.c.user_id).where(
                user_tenants.c.user_id == user_id, user_tenants.c.tenant_id == tenant_id
            )
        ).first()
        if member is None:
            raise NotFound(f"no user {user_id!r} in tenant {tenant_id!r}")
        count = conn.execute(
            select(func.count()).select_from(user_tenants).where(user_tenants.c.user_id == user_id)
        ).scalar_one()
        if count == 1:
            raise Conflict(
                "this is the user's only tenant; deactivate the user instead",
                code="last_tenant",
            )
        agent = conn.execute(
            select(agents.c.agent_id).where(
                agents.c.user_id == user_id, agents.c.tenant_id == tenant_id
            )
        ).first()
        if agent is not None:
            raise Conflict(
                f"the user signs in as agent {agent.agent_id!r} of this tenant; "
                "remove the agent first",
                code="is_agent",
                params={"value": agent.agent_id},
            )
        conn.execute(
            delete(user_tenants).where(
                user_tenants.c.user_id == user_id, user_tenants.c.tenant_id == tenant_id
            )
        )

    event = directory_event(
        "member_removed", tenant_id, f"tenant:{tenant_id}", {"user_id": user_id}, rt.now(), who
    )
    await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    return Response(status_code=204)
