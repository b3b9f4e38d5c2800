"""Customers of a tenant: who contacted the center (personal data: read by role, audited),
and a customer's earlier contacts for the customer card.

The reads are service/customer_reads.py, the changes service/customer_changes.py.
"""

from __future__ import annotations

from fastapi import APIRouter, Query

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt
from headset.service import customer_changes, customer_reads
from headset.service.customer_changes import CustomerIn, MatchConfirmed
from headset.service.customer_reads import History
from headset.service.customer_views import CustomerCard, CustomerOut

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/customers", tags=["customers"])


@router.get("")
async def list_customers(
    tenant_id: str,
    who: Caller,
    rt: Rt,
    search: str | None = Query(default=None, max_length=200),
    limit: int = Query(default=50, ge=1, le=500),
) -> list[CustomerOut]:
    scope = who.check(tenant_id, Permission.CUSTOMER_READ)
    return await customer_reads.find_customers(rt, who, tenant_id, scope, search, limit)


@router.post("", status_code=201)
async def create_customer(tenant_id: str, body: CustomerIn, who: Caller, rt: Rt) -> CustomerOut:
    who.check(tenant_id, Permission.CUSTOMER_WRITE)
    return await customer_changes.create_customer(rt.host, tenant_id, body, who.actor)


@router.get("/{customer_id}")
async def get_customer(tenant_id: str, customer_id: str, who: Caller, rt: Rt) -> CustomerCard:
    """The customer's profile; an agent gets it only while handling one of their contacts."""
    scope = who.check(tenant_id, Permission.CUSTOMER_READ)
    return await customer_reads.customer_card(rt, who, tenant_id, customer_id, scope)


@router.post("/{customer_id}/confirm-match")
async def confirm_customer_match(
    tenant_id: str, customer_id: str, who: Caller, rt: Rt
) -> MatchConfirmed:
    """Someone who checked the customer's identity confirms the possible match: the
    customer's contacts move to the customer of record. Audited."""
    scope = who.check(tenant_id, Permission.CUSTOMER_READ)
    return await customer_changes.confirm_customer_match(rt, who, tenant_id, customer_id, scope)


@router.get("/{customer_id}/contacts")
async def customer_history(
    tenant_id: str,
    customer_id: str,
    who: Caller,
    rt: Rt,
    limit: int = Query(default=20, ge=1, le=100),
) -> History:
    """Newest first. `for_contact_id` names the held contact that gives the caller the whole
    history; without one the list is what the caller's `contact.read` scope reaches."""
    scopes = (
        who.check(tenant_id, Permission.CUSTOMER_READ),
        who.check(tenant_id, Permission.CONTACT_READ),
    )
    return await customer_reads.customer_history(rt, who, tenant_id, customer_id, scopes, limit)
