"""Customers of a tenant: who contacted the center (personal data: read by role, audited).

An agent's scope is `own`: the customers of the live contacts they are connected to or
wrapping up (`handled_contacts`), for as long as they hold them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import Connection, or_, select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission, Scope
from headset.api.deps import Caller, Rt, reading
from headset.api.directory_events import directory_event
from headset.api.principal import Principal
from headset.api.read_audit import CUSTOMERS_VIEWED, audit_read
from headset.core.errors import NotFound
from headset.customers.matching import Claim, Source
from headset.service import customers as customer_store
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import contacts, customers

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
    """An authenticated caller's customer (verified input, customers/matching.py): the one with
    the same external id brought up to date with what was sent, or a new one."""
    claim = Claim(**body.model_dump(exclude_none=True))
    return customer_store.save_customer(conn, tenant_id, claim, Source.VERIFIED, now)


def handled_contacts(rt: Any, who: Principal, tenant_id: str) -> list[str]:
    """The live contacts of `tenant_id` the caller's own agent is connected to or wrapping up:
    what gives an agent a need to know their customer. An offer not yet accepted does not."""
    record = rt.host.engine.state.agents.get(who.agent_id) if who.agent_id else None
    if record is None:
        return []
    held = record.connected | record.wrapping
    return sorted(c for c in held if rt.host.tenancy.contacts.get(c) == tenant_id)


def customers_of(conn: Connection, tenant_id: str, contact_ids: list[str]) -> dict[str, str]:
    """customer id -> the first of `contact_ids` that belongs to that customer."""
    if not contact_ids:
        return {}
    rows = conn.execute(
        select(contacts.c.customer_id, contacts.c.contact_id)
        .where(contacts.c.tenant_id == tenant_id, contacts.c.contact_id.in_(contact_ids))
        .order_by(contacts.c.contact_id)
    )
    found: dict[str, str] = {}
    for row in rows:
        if row.customer_id is not None:
            found.setdefault(row.customer_id, row.contact_id)
    return found


async def audited(
    rt: Any,
    who: Principal,
    tenant_id: str,
    customer_ids: list[str],
    kind: str = CUSTOMERS_VIEWED,
    **detail: Any,
) -> None:
    """Customer data is personal: every read is recorded before the data is returned, with
    the contact that justified it when the caller's right comes from handling one."""
    if customer_ids:
        await audit_read(rt, who, tenant_id, kind, customer_ids=customer_ids, **detail)


@router.get("")
async def list_customers(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    search: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=50, ge=1, le=500),
) -> list[dict[str, Any]]:
    scope = who.check(tenant_id, Permission.CUSTOMER_READ)
    held = handled_contacts(rt, who, tenant_id) if scope is Scope.OWN else []
    query = select(customers).where(customers.c.tenant_id == tenant_id)
    if scope is Scope.OWN:
        query = query.where(
            customers.c.customer_id.in_(
                select(contacts.c.customer_id).where(
                    contacts.c.tenant_id == tenant_id, contacts.c.contact_id.in_(held)
                )
            )
        )
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
    await audited(rt, who, tenant_id, [c["customer_id"] for c in found])
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
    """The customer's profile; an agent gets it only while handling one of their contacts."""
    scope = who.check(tenant_id, Permission.CUSTOMER_READ)
    held = handled_contacts(rt, who, tenant_id)

    def read() -> tuple[Any, str | None, dict[str, Any] | None]:
        with reading(rt) as conn:
            row = conn.execute(
                select(customers).where(
                    customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
                )
            ).first()
            hint = customer_store.match_hint(conn, tenant_id, row) if row is not None else None
            return row, customers_of(conn, tenant_id, held).get(customer_id), hint

    row, for_contact, hint = await run_in_threadpool(read)
    unseen = row is None or (scope is Scope.OWN and for_contact is None)
    refuse_unseen(unseen, tenant_id, customer_id)
    detail = {"for_contact_id": for_contact} if for_contact else {}
    await audited(rt, who, tenant_id, [customer_id], **detail)
    # unverified: who this customer may be, masked until someone confirms it
    return {**customer_body(row), "possible_match": hint}


@router.post("/{customer_id}/confirm-match")
async def confirm_customer_match(
    tenant_id: str, customer_id: str, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Someone who checked the customer's identity (an agent handling their contact, or a
    role that sees every customer) confirms the possible match: the customer's contacts move
    to the customer of record, whose profile stays as it was. Audited."""
    scope = who.check(tenant_id, Permission.CUSTOMER_READ)
    held = handled_contacts(rt, who, tenant_id)

    def read() -> tuple[Any, str | None]:
        with reading(rt) as conn:
            row = conn.execute(
                select(customers.c.possible_match_id).where(
                    customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
                )
            ).first()
            return row, customers_of(conn, tenant_id, held).get(customer_id)

    row, for_contact = await run_in_threadpool(read)
    refuse_unseen(
        row is None or (scope is Scope.OWN and for_contact is None), tenant_id, customer_id
    )
    event = NewEvent(
        stream_id=f"audit:{tenant_id}",
        type="audit.customer_match_confirmed",
        payload={
            "customer_ids": [customer_id, row.possible_match_id],
            "customer_id": customer_id,
            "merged_into_id": row.possible_match_id,
            **({"for_contact_id": for_contact} if for_contact else {}),
        },
        occurred_at=rt.now(),
        tenant_id=tenant_id,
        actor=who.actor,
    )

    def write(conn: Connection) -> dict[str, Any]:
        return customer_store.confirm_match(conn, tenant_id, customer_id)

    outcome = await rt.host.submit(
        Operation(write=write, events=[event], tenant_id=tenant_id, actor=who.actor)
    )
    return dict(outcome.written)


def refuse_unseen(unseen: bool, tenant_id: str, customer_id: str) -> None:
    """404 for a customer that does not exist and for one the caller may not see (an agent
    not handling a contact of theirs): like contacts out of scope, the answer does not tell
    whether the customer exists."""
    if unseen:
        raise NotFound(
            f"no customer {customer_id!r} in tenant {tenant_id!r} among those you may see; "
            "an agent sees a customer while handling one of their contacts"
        )
