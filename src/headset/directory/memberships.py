"""Which tenants a user works for: the center's admin gives a user more than one client.

Each change is a directory event (the audit trail), which also clears the API's credential
cache, so a removed tenant is unreachable from the next request on.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, delete, func, insert, select

from headset.core.errors import Conflict, NotFound
from headset.directory.events import DirectoryChanged
from headset.directory.events import DirectoryEventType as E
from headset.directory.registrar import submit
from headset.directory.users import user_view
from headset.service.host import EngineHost
from headset.storage.tables import agents, tenants, user_tenants, users


class MemberIn(BaseModel):
    """The user to give access to a tenant, by username."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(pattern=r"^[A-Za-z0-9_.@-]{2,100}$")


class UserTenantOut(BaseModel):
    """A tenant a user works for."""

    tenant_id: str
    name: str


def _tenant_exists(conn: Connection, tenant_id: str) -> None:
    found = conn.execute(select(tenants.c.tenant_id).where(tenants.c.tenant_id == tenant_id))
    if found.first() is None:
        raise NotFound(f"no tenant {tenant_id!r}")


def _is_member(conn: Connection, user_id: str, tenant_id: str) -> bool:
    query = select(user_tenants.c.user_id).where(
        user_tenants.c.user_id == user_id, user_tenants.c.tenant_id == tenant_id
    )
    return conn.execute(query).first() is not None


def user_tenants_of(conn: Connection, user_id: str) -> list[dict[str, Any]]:
    """The tenants a user is assigned to, by id; NotFound for an unknown user."""
    if conn.execute(select(users.c.user_id).where(users.c.user_id == user_id)).first() is None:
        raise NotFound(f"no user {user_id!r}")
    rows = conn.execute(
        select(tenants.c.tenant_id, tenants.c.name)
        .join(user_tenants, user_tenants.c.tenant_id == tenants.c.tenant_id)
        .where(user_tenants.c.user_id == user_id)
        .order_by(tenants.c.tenant_id)
    )
    return [{"tenant_id": r.tenant_id, "name": r.name} for r in rows]


async def add_member(host: EngineHost, tenant_id: str, username: str, *, actor: str) -> Any:
    """Gives an existing user (found by username) access to the tenant too; repeatable."""

    def write(conn: Connection) -> Any:
        _tenant_exists(conn, tenant_id)
        row = conn.execute(select(users).where(users.c.username == username)).first()
        if row is None:
            raise NotFound(
                f"no user {username!r}; create the user in one tenant first",
                field="username",
                code="unknown",
                params={"value": username},
            )
        if not _is_member(conn, row.user_id, tenant_id):
            conn.execute(insert(user_tenants).values(user_id=row.user_id, tenant_id=tenant_id))
        return user_view(row)

    data = {"username": username}
    event = DirectoryChanged(
        E.MEMBER_ADDED, tenant_id, f"tenant:{tenant_id}", data, actor, host.clock.now()
    )
    return dict(await submit(host, write, event))


async def remove_member(host: EngineHost, tenant_id: str, user_id: str, *, actor: str) -> None:
    """Takes a tenant away from a user: not their last one, and not while they are its agent."""

    def write(conn: Connection) -> None:
        _tenant_exists(conn, tenant_id)
        if not _is_member(conn, user_id, tenant_id):
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

    data = {"user_id": user_id}
    event = DirectoryChanged(
        E.MEMBER_REMOVED, tenant_id, f"tenant:{tenant_id}", data, actor, host.clock.now()
    )
    await submit(host, write, event)
