"""Which stored events reach the customer of a chat: an allow-list, never a deny-list.

The customer's live stream subscribes to one audience key per conversation. An event gets
that key only if its type is listed here, and a chat message only if everyone may read it:
a new kind of event stays internal until someone decides the customer may see it.
"""

from __future__ import annotations

from collections.abc import Mapping

from headset.chat.events import Barged, ChatEnded, MessageSent, wire_name
from headset.chat.messages import Visibility

MESSAGE_SENT = wire_name(MessageSent)

#: Events the customer's stream may carry (the stream turns each into its own message).
CUSTOMER_EVENTS = frozenset(
    {
        MESSAGE_SENT,
        wire_name(Barged),
        wire_name(ChatEnded),
        "routing.offer_accepted",
        "routing.contact_transferred",
        "routing.contact_ended",
        "routing.contact_abandoned",
    }
)


def customer_audience(contact_id: str) -> str:
    """The audience key of the customer of one chat: `customer:c_1`."""
    return f"customer:{contact_id}"


def is_for_customer(event_type: str | None, payload: Mapping[str, object]) -> bool:
    """Whether the customer of the event's contact may receive it."""
    if event_type not in CUSTOMER_EVENTS or not isinstance(payload.get("contact_id"), str):
        return False
    if event_type == MESSAGE_SENT:
        return payload.get("visibility") == Visibility.EVERYONE.value
    return True
