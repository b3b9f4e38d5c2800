"""Reading customers, each read recorded in the audit trail before it is answered.

A customer's earlier contacts (the customer card's history): whoever handles a contact of
the customer (connected or in wrap-up) reads a summary of all that customer's contacts in the
tenant, with any agent, because that is what helping them takes; everyone else reads them
within their `contact.read` scope. Notes are not part of the summary: they belong to their
contact (docs/desktop.md, "Customer card").
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import or_, select

from headset.access.caller import Caller
from headset.access.permissions import Scope
from headset.service import customers as customer_store
from headset.service.audit_trail import AuditEventType, record_read
from headset.service.contact_reads import scoped
from headset.service.customer_views import (
    CustomerCard,
    CustomerOut,
    PossibleMatch,
    customer_out,
    customers_of,
    handled_contacts,
    refuse_unseen,
)
from headset.storage.tables import contacts, customers

if TYPE_CHECKING:
    from headset.bootstrap import Services


class EarlierContact(BaseModel):
    """What the card shows of an earlier contact; no notes, no transcript, no agent's id."""

    contact_id: str
    created_at: str
    channel: str
    direction: str
    queue_id: str
    status: str
    disposition: str | None
    subject: str | None
    answered_at: str | None
    ended_at: str | None
    handled_by_you: bool


_SUMMARY = [name for name in EarlierContact.model_fields if name != "handled_by_you"]


class History(BaseModel):
    """A customer's contacts, newest first, and the held contact that gave the whole list."""

    customer_id: str
    for_contact_id: str | None
    items: list[EarlierContact]


async def find_customers(
    services: Services, who: Caller, tenant_id: str, scope: Scope, search: str | None, limit: int
) -> list[CustomerOut]:
    """The newest customers the caller may see, matching `search` if given."""
    held = handled_contacts(services.host, who.agent_id, tenant_id) if scope is Scope.OWN else []
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

    def read() -> list[CustomerOut]:
        with services.reader.connect() as conn:
            rows = conn.execute(query.order_by(customers.c.created_at.desc()).limit(limit))
            return [customer_out(r) for r in rows]

    found = await asyncio.to_thread(read)
    await _audited(services, who, tenant_id, [c.customer_id for c in found])
    return found


async def customer_card(
    services: Services, who: Caller, tenant_id: str, customer_id: str, scope: Scope
) -> CustomerCard:
    """The customer's profile; an agent gets it only while handling one of their contacts.
    A possible match is shown masked until someone confirms it."""
    held = handled_contacts(services.host, who.agent_id, tenant_id)

    def read() -> tuple[Any, str | None, dict[str, Any] | None]:
        with services.reader.connect() as conn:
            row = conn.execute(
                select(customers).where(
                    customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
                )
            ).first()
            hint = customer_store.match_hint(conn, tenant_id, row) if row is not None else None
            return row, customers_of(conn, tenant_id, held).get(customer_id), hint

    row, for_contact, hint = await asyncio.to_thread(read)
    refuse_unseen(row is None or (scope is Scope.OWN and for_contact is None), tenant_id,
                  customer_id)  # fmt: skip
    detail: dict[str, Any] = {"for_contact_id": for_contact} if for_contact else {}
    await _audited(services, who, tenant_id, [customer_id], **detail)
    match = PossibleMatch(**hint) if hint is not None else None
    return CustomerCard(**customer_out(row).model_dump(), possible_match=match)


async def customer_history(
    services: Services,
    who: Caller,
    tenant_id: str,
    customer_id: str,
    scopes: tuple[Scope, Scope],
    limit: int,
) -> History:
    """The customer's contacts, newest first (`scopes`: of customer.read and contact.read).
    `for_contact_id` names the held contact that gives the caller the whole history; without
    one the list is what the caller's `contact.read` scope reaches."""
    customer_scope, contact_scope = scopes
    held = handled_contacts(services.host, who.agent_id, tenant_id)

    def read() -> tuple[bool, str | None, list[Any]]:
        with services.reader.connect() as conn:
            exists = conn.execute(
                select(customers.c.customer_id).where(
                    customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
                )
            ).first()
            for_contact = customers_of(conn, tenant_id, held).get(customer_id)
            if exists is None or (customer_scope is Scope.OWN and for_contact is None):
                return False, None, []
            query = select(contacts).where(
                contacts.c.tenant_id == tenant_id, contacts.c.customer_id == customer_id
            )
            if for_contact is None:
                query = scoped(query, contact_scope, who)
            query = query.order_by(contacts.c.created_at.desc(), contacts.c.contact_id.desc())
            return True, for_contact, list(conn.execute(query.limit(limit)))

    seen, for_contact, rows = await asyncio.to_thread(read)
    refuse_unseen(not seen, tenant_id, customer_id)
    items = [_earlier(row, who.agent_id) for row in rows]
    await _audited(
        services, who, tenant_id, [customer_id], kind=AuditEventType.CUSTOMER_HISTORY_VIEWED,
        contact_ids=[item.contact_id for item in items],
        **({"for_contact_id": for_contact} if for_contact else {}),
    )  # fmt: skip
    return History(customer_id=customer_id, for_contact_id=for_contact, items=items)


def _earlier(row: Any, agent_id: str | None) -> EarlierContact:
    times = {name: _iso(getattr(row, name)) for name in ("created_at", "answered_at", "ended_at")}
    shown = {name: getattr(row, name) for name in _SUMMARY}
    handled = agent_id is not None and row.agent_id == agent_id
    return EarlierContact(**{**shown, **times, "handled_by_you": handled})


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


async def _audited(
    services: Services,
    who: Caller,
    tenant_id: str,
    customer_ids: list[str],
    kind: AuditEventType = AuditEventType.CUSTOMERS_VIEWED,
    **detail: Any,
) -> None:
    """Customer data is personal: every read is recorded before the data is returned, with
    the contact that justified it when the caller's right comes from handling one."""
    if customer_ids:
        await record_read(services.host, tenant_id, kind, who.actor, customer_ids=customer_ids,
                          **detail)  # fmt: skip
