"""One view of an offer for the agent's screen: the same on the `routing.contact_offered`
event the live stream sends and in the snapshot's `agent.offers`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

#: The wire name of `routing.events.ContactOffered`, the event that carries a new offer.
OFFERED = "routing.contact_offered"


class Contact(Protocol):
    """The engine's contact (`routing.records.ContactRecord`): its channel's wire value."""

    @property
    def channel(self) -> str: ...


class Offer(Protocol):
    """The engine's pending offer (`routing.records.OfferRecord`)."""

    @property
    def offer_id(self) -> str: ...

    @property
    def contact_id(self) -> str: ...

    @property
    def queue_id(self) -> str: ...

    @property
    def expires_at(self) -> datetime: ...


def offer_extras(
    contacts: Mapping[str, Contact], consultations: Mapping[str, str], contact_id: str
) -> dict[str, Any]:
    """What the engine's offer does not say: the contact's channel (the desktop rings
    differently per channel) and, for a warm transfer's consultation, the call it is about."""
    contact = contacts.get(contact_id)
    # the channel is a StrEnum in the engine: str() is its wire value
    extras: dict[str, Any] = {"channel": str(contact.channel)} if contact is not None else {}
    if contact_id in consultations:
        extras["consultation_of"] = consultations[contact_id]
    return extras


def offer_view(
    offer: Offer, contacts: Mapping[str, Contact], consultations: Mapping[str, str]
) -> dict[str, Any]:
    """A pending offer as the snapshot shows it; the event's payload carries the same keys."""
    return {
        "offer_id": offer.offer_id,
        "contact_id": offer.contact_id,
        "queue_id": offer.queue_id,
        "expires_at": offer.expires_at.isoformat(),
        **offer_extras(contacts, consultations, offer.contact_id),
    }


#: The keys of an offer in the snapshot, taken from a `routing.contact_offered` payload.
OFFER_KEYS = ("offer_id", "contact_id", "queue_id", "expires_at", "channel", "consultation_of")
