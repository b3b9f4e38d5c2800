"""Customers of a tenant: who contacted the center (personal data: read by role, audited)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import Connection, insert, or_, select, update
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, new_id, reading
from headset.api.directory_events import directory_event
from headset.core.errors import NotFound
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import customers

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/customers", tags=["customers"])


class CustomerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ()./-]{3,40}$")
    email: EmailStr | None = None
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}(-[A-Z]{2})?$")
    external_id: str | None = Field(default=None, max_length=200)


def customer_body(row: Any) -> dict[str, Any]:
    return {c: getattr(row, c) for c in [col.name for col in customers.c] if c != "tenant_id"}


def save_customer(conn: Connection, tenant_id: str, body: CustomerIn, now: Any) -> str:
    """Finds the customer by external id (updating what was sent) or creates one."""
    values = body.model_dump(exclude_none=True)
    if body.external_id:
        found = conn.execute(
            select(customers.c.customer_id).where(
                customers.c.tenant_id == tenant_id, customers.c.external_id == body.external_id
            )
        ).first()
        if found is not None:
            conn.execute(
                update(customers)
                .where(
                    customers.c.tenant_id == tenant_id, customers.c.customer_id == found.customer_id
                )
                .values(**values)
            )
            return str(found.customer_id)
    customer_id = new_id("cu")
    conn.execute(
        insert(customers).values(
            tenant_id=tenant_id, customer_id=customer_id, created_at=now, **values
        )
    )
    return customer_id


async def _audited(rt: Any, who: Any, tenant_id: str, customer_ids: list[str]) -> None:
    """Customer data is personal: every read is recorded before the data is returned."""
    if not customer_ids:
        return
    event = NewEvent(
        stream_id=f"audit:{tenant_id}",
        type="audit.customers_viewed",
        payload={"customer_ids": customer_ids},
        occurred_at=rt.now(),
        tenant_id=tenant_id,
        actor=who.actor,
    )
    await rt.host.submit(Operation(events=[event], actor=who.actor))


@router.get("")
async def list_customers(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    search: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=50, ge=1, le=500),
) -> list[dict[str, Any]]:
    who.check(tenant_id, Permission.CUSTOMER_READ)
    query = select(customers).where(customers.c.tenant_id == tenant_id)
    if search:
        like = f"%{search}%"
        query = query.where(
            or_(
                customers.c.name.ilike(like),
                customers.c.email.ilike(like),
                customers.c.phone.like(like),
                customers.c.external_id == search,
            )
        )

    def read() -> list[dict[str, Any]]:
        with reading(rt) as conn:
            rows = conn.execute(query.order_by(customers.c.created_at.desc()).limit(limit))
            return [customer_body(r) for r in rows]

    found = await run_in_threadpool(read)
    await _audited(rt, who, tenant_id, [c["customer_id"] for c in found])
    return found


@router.post("", status_code=201)
async def create_customer(tenant_id: str, body: CustomerIn, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.CUSTOMER_WRITE)
    now = rt.now()

    def write(conn: Connection) -> Any:
        customer_id = save_customer(conn, tenant_id, body, now)
        return customer_body(
            conn.execute(
                select(customers).where(
                    customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
                )
            ).one()
        )

    event = directory_event(
        "customer_saved",
        tenant_id,
        f"customers:{tenant_id}",
        {"external_id": body.external_id},
        now,
        who,
    )
    outcome = await rt.host.submit(Operation(write=write, events=[event], actor=who.actor))
    return dict(outcome.written)


@router.get("/{customer_id}")
async def get_customer(tenant_id: str, customer_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    who.check(tenant_id, Permission.CUSTOMER_READ)

    def read() -> Any:
        with reading(rt) as conn:
            return conn.execute(
                select(customers).where(
                    customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
                )
            ).first()

    row = await run_in_threadpool(read)
    if row is None:
        raise NotFound(f"no customer {customer_id!r} in tenant {tenant_id!r}")
    await _audited(rt, who, tenant_id, [customer_id])
    return customer_body(row)
