"""Tenants: the client companies of the center, created by its admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, insert, select, update

from headset.core.errors import Conflict, NotFound
from headset.directory.events import DirectoryChanged
from headset.directory.events import DirectoryEventType as E
from headset.directory.names import Name, Slug, check_time_zone
from headset.directory.registrar import submit
from headset.service.host import EngineHost
from headset.storage.tables import tenants


class TenantIn(BaseModel):
    """A tenant to create."""

    model_config = ConfigDict(extra="forbid")
    tenant_id: Slug
    name: Name
    time_zone: str = Field(default="UTC", max_length=64)


class TenantPatch(BaseModel):
    """What changes of a tenant; fields left out stay."""

    model_config = ConfigDict(extra="forbid")
    name: Name | None = None
    time_zone: str | None = Field(default=None, max_length=64)
    is_active: bool | None = None


class TenantOut(BaseModel):
    """A tenant."""

    tenant_id: str
    name: str
    time_zone: str
    is_active: bool


def tenant_view(row: Any) -> dict[str, Any]:
    """A tenant as the API shows it."""
    return {
        "tenant_id": row.tenant_id,
        "name": row.name,
        "time_zone": row.time_zone,
        "is_active": row.is_active,
    }


def list_tenants(
    conn: Connection, is_seen: Callable[[str], bool] = lambda _: True
) -> list[dict[str, Any]]:
    """The tenants, by id, that `is_seen` lets the caller see."""
    rows = conn.execute(select(tenants).order_by(tenants.c.tenant_id))
    return [tenant_view(r) for r in rows if is_seen(r.tenant_id)]


def get_tenant(conn: Connection, tenant_id: str) -> dict[str, Any]:
    """One tenant, or NotFound."""
    row = conn.execute(select(tenants).where(tenants.c.tenant_id == tenant_id)).one_or_none()
    if row is None:
        raise NotFound(f"no tenant {tenant_id!r}")
    return tenant_view(row)


async def create_tenant(host: EngineHost, body: TenantIn, *, actor: str) -> dict[str, Any]:
    """Creates a tenant; its id is never reused."""
    check_time_zone(body.time_zone)
    now, values = host.clock.now(), body.model_dump()

    def write(conn: Connection) -> None:
        found = select(tenants.c.tenant_id).where(tenants.c.tenant_id == body.tenant_id)
        if conn.execute(found).first():
            raise Conflict(
                f"tenant {body.tenant_id!r} exists already; choose another id",
                field="tenant_id",
                code="taken",
                params={"value": body.tenant_id},
            )
        conn.execute(insert(tenants).values(**values, created_at=now))

    stream = f"tenant:{body.tenant_id}"
    event = DirectoryChanged(E.TENANT_CREATED, body.tenant_id, stream, values, actor, now)
    await submit(host, write, event)
    return {**values, "is_active": True}


async def update_tenant(
    host: EngineHost, tenant_id: str, body: TenantPatch, *, actor: str
) -> dict[str, Any]:
    """Changes a tenant's name, time zone or whether it is active."""
    if body.time_zone is not None:
        check_time_zone(body.time_zone)
    values = body.model_dump(exclude_none=True)

    def write(conn: Connection) -> dict[str, Any]:
        if values:
            conn.execute(update(tenants).where(tenants.c.tenant_id == tenant_id).values(**values))
        return get_tenant(conn, tenant_id)

    stream = f"tenant:{tenant_id}"
    event = DirectoryChanged(E.TENANT_UPDATED, tenant_id, stream, values, actor, host.clock.now())
    return dict(await submit(host, write, event))
