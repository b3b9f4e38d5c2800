"""Accepting and rejecting an offer: the agent it was made to answers it."""

from __future__ import annotations

from dataclasses import dataclass

from headset.access.caller import Caller
from headset.access.permissions import Permission
from headset.core.errors import Conflict, Forbidden
from headset.routing.commands import AcceptOffer, RejectOffer
from headset.routing.records import ContactStatus, OfferRecord
from headset.service.host import EngineHost
from headset.service.operations import Operation

#: What a rejected offer's answer says; a rejected offer is no contact status.
REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class OfferAnswered:
    """An offer once its answer is durable."""

    offer_id: str
    contact_id: str
    status: str


def pending_offer(host: EngineHost, who: Caller, tenant_id: str, offer_id: str) -> OfferRecord:
    """The offer if it still waits for this caller's answer in this tenant."""
    who.check(tenant_id, Permission.CONTACT_HANDLE)
    offer = host.engine.state.offers.get(offer_id)
    if offer is None or host.tenancy.contacts.get(offer.contact_id) != tenant_id:
        raise Conflict(f"offer {offer_id!r} is no longer pending: answered, rejected or expired")
    if offer.agent_id != who.agent_id:
        raise Forbidden("this offer was made to another agent")
    return offer


def tenant_of_offer(host: EngineHost, offer_id: str) -> str:
    """The tenant of a pending offer (for a caller who names only the offer)."""
    offer = host.engine.state.offers.get(offer_id)
    if offer is None:
        raise Conflict(f"offer {offer_id!r} is no longer pending: answered, rejected or expired")
    return host.tenancy.contacts.get(offer.contact_id, "")


async def accept_offer(
    host: EngineHost, who: Caller, tenant_id: str, offer_id: str
) -> OfferAnswered:
    """The agent takes the contact: it is connected."""
    command = AcceptOffer(offer_id)
    return await _answer(host, who, tenant_id, command, ContactStatus.CONNECTED.value)


async def reject_offer(
    host: EngineHost, who: Caller, tenant_id: str, offer_id: str
) -> OfferAnswered:
    """The agent declines the contact: it goes back in line for another agent."""
    return await _answer(host, who, tenant_id, RejectOffer(offer_id), REJECTED)


async def _answer(
    host: EngineHost, who: Caller, tenant_id: str, command: AcceptOffer | RejectOffer, status: str
) -> OfferAnswered:
    offer = pending_offer(host, who, tenant_id, command.offer_id)
    await host.submit(Operation(commands=[command], tenant_id=tenant_id, actor=who.actor))
    return OfferAnswered(command.offer_id, offer.contact_id, status)
