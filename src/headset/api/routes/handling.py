"""Commands on live contacts: accept or reject an offer, end, wrap up, transfer, escalate,
callback, abandon. Each calls one action of headset.handling, which checks the caller."""

from __future__ import annotations

from fastapi import APIRouter

from headset.api.deps import Caller, Rt
from headset.handling import contacts, offers
from headset.handling.contacts import (
    CallbackAsked,
    ContactMoved,
    Escalated,
    Transferred,
    WrappedUp,
)
from headset.handling.offers import OfferAnswered
from headset.handling.requests import EscalateIn, TransferIn, WrapUpIn

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}", tags=["contact handling"])


@router.post("/offers/{offer_id}/accept")
async def accept(tenant_id: str, offer_id: str, who: Caller, rt: Rt) -> OfferAnswered:
    return await offers.accept_offer(rt.host, who, tenant_id, offer_id)


@router.post("/offers/{offer_id}/reject")
async def reject(tenant_id: str, offer_id: str, who: Caller, rt: Rt) -> OfferAnswered:
    return await offers.reject_offer(rt.host, who, tenant_id, offer_id)


@router.post("/contacts/{contact_id}/end")
async def end(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> ContactMoved:
    """The conversation is over; wrap-up starts."""
    return await contacts.end_contact(rt.host, who, tenant_id, contact_id)


@router.post("/contacts/{contact_id}/wrap-up")
async def wrap_up(
    tenant_id: str, contact_id: str, body: WrapUpIn, who: Caller, rt: Rt
) -> WrappedUp:
    """Finishes after-contact work with a disposition and notes."""
    return await contacts.wrap_up(rt.host, who, tenant_id, contact_id, body.disposition, body.notes)


@router.post("/contacts/{contact_id}/transfer")
async def transfer(
    tenant_id: str, contact_id: str, body: TransferIn, who: Caller, rt: Rt
) -> Transferred:
    """To another queue or agent of the tenant; a waiting contact is reassigned."""
    return await contacts.transfer(
        rt.host, who, tenant_id, contact_id, body.queue_id, body.agent_id
    )


@router.post("/contacts/{contact_id}/escalate")
async def escalate(
    tenant_id: str, contact_id: str, body: EscalateIn, who: Caller, rt: Rt
) -> Escalated:
    """Raises the contact to the team leaders of the agent's team (or of `team_id`)."""
    return await contacts.escalate(rt.host, who, tenant_id, contact_id, body.team_id)


@router.post("/contacts/{contact_id}/callback")
async def callback(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> CallbackAsked:
    """The waiting customer asks to be called back; the contact keeps its place."""
    return await contacts.request_callback(rt.host, who, tenant_id, contact_id)


@router.post("/contacts/{contact_id}/abandon")
async def abandon(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> ContactMoved:
    """The customer left before an answer (the API channel reports it)."""
    return await contacts.abandon(rt.host, who, tenant_id, contact_id)
