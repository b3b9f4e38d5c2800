"""Commands on live contacts: accept or reject an offer, end, wrap up, transfer, escalate,
callback, abandon. Each calls one action of headset.handling, which checks the caller."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class WrapUpIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disposition: str | None = Field(default=None, max_length=64)
    notes: str | None = Field(default=None, max_length=10_000)


@router.post("/contacts/{contact_id}/wrap-up")
async def wrap_up(
    tenant_id: str, contact_id: str, body: WrapUpIn, who: Caller, rt: Rt
) -> WrappedUp:
    """Finishes after-contact work with a disposition and notes."""
    return await contacts.wrap_up(rt.host, who, tenant_id, contact_id, body.disposition, body.notes)


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    queue_id: str | None = None
    agent_id: str | None = None

    @model_validator(mode="after")
    def _one(self) -> TransferIn:
        if (self.queue_id is None) == (self.agent_id is None):
            raise ValueError("give exactly one of queue_id and agent_id")
        return self


@router.post("/contacts/{contact_id}/transfer")
async def transfer(
    tenant_id: str, contact_id: str, body: TransferIn, who: Caller, rt: Rt
) -> Transferred:
    """To another queue or agent of the tenant; a waiting contact is reassigned."""
    return await contacts.transfer(
        rt.host, who, tenant_id, contact_id, body.queue_id, body.agent_id
    )


class EscalateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: Literal["team_leader"] = "team_leader"
    team_id: str | None = None


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
