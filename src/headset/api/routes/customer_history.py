"""A customer's earlier contacts, for the customer card: need to know, audited.

Whoever handles a contact of a customer (connected or in wrap-up) reads a summary of all
that customer's contacts in the tenant, with any agent, because that is what helping them
takes. Everyone else reads them within their `contact.read` scope. Notes are not part of
the summary: they belong to their contact (docs/desktop.md, "Customer card").
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission, Scope
from headset.api.deps import Caller, Rt, reading
from headset.api.read_audit import CUSTOMER_HISTORY_VIEWED
from headset.api.routes.contacts import scoped
from headset.api.routes.customers import audited, customers_of, handled_contacts, refuse_unseen
from headset.storage.tables import contacts, customers

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/customers", tags=["customers"])

#: What the card shows of an earlier contact; no notes, no transcript, no other agent's id.
SUMMARY = (
    "contact_id",
    "created_at",
    "channel",
    "direction",
    "queue_id",
    "status",
    "disposition",
    "subject",
    "answered_at",
    "ended_at",
)


@router.get("/{customer_id}/contacts")
async def customer_history(
    tenant_id: str,
    customer_id: str,
    who: Caller,
    rt: Rt,
    limit: int = Query(default=20, ge=1, le=100),
) -> dict[str, Any]:
    """Newest first. `for_contact_id` names the held contact that gives the caller the whole
    history; without one the list is what the caller's `contact.read` scope reaches."""
    customer_scope = who.check(tenant_id, Permission.CUSTOMER_READ)
    contact_scope = who.check(tenant_id, Permission.CONTACT_READ)
    held = handled_contacts(rt, who, tenant_id)

    def read() -> tuple[bool, str | None, list[Any]]:
        with reading(rt) as conn:
            exists = (
                conn.execute(
                    select(customers.c.customer_id).where(
                        customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
                    )
                ).first()
                is not None
            )
            for_contact = customers_of(conn, tenant_id, held).get(customer_id)
            if not exists or (customer_scope is Scope.OWN and for_contact is None):
                return False, None, []
            query = select(contacts).where(
                contacts.c.tenant_id == tenant_id, contacts.c.customer_id == customer_id
            )
            if for_contact is None:
                query = scoped(query, contact_scope, who)
            query = query.order_by(contacts.c.created_at.desc(), contacts.c.contact_id.desc())
            return True, for_contact, list(conn.execute(query.limit(limit)))

    seen, for_contact, rows = await run_in_threadpool(read)
    refuse_unseen(not seen, tenant_id, customer_id)
    items = [
        {
            **{column: getattr(row, column) for column in SUMMARY},
            "handled_by_you": who.agent_id is not None and row.agent_id == who.agent_id,
        }
        for row in rows
    ]
    await audited(
        rt,
        who,
        tenant_id,
        [customer_id],
        kind=CUSTOMER_HISTORY_VIEWED,
        contact_ids=[item["contact_id"] for item in items],
        **({"for_contact_id": for_contact} if for_contact else {}),
    )
    return {"customer_id": customer_id, "for_contact_id": for_contact, "items": items}
