"""How a contact ends when its customer leaves (hangs up, closes the chat), for every channel:
an answered contact ends and its agent wraps up, one still in line is abandoned, one in
wrap-up or already over needs nothing."""

from __future__ import annotations

from enum import Enum

from headset.core.messages import Command
from headset.routing.commands import AbandonContact, EndContact
from headset.routing.records import ContactRecord, ContactStatus


class Ending(Enum):
    """What the customer's leaving means for the contact."""

    #: It was answered: the conversation is over, the agent wraps up.
    ENDED = "ended"
    #: It was still in line (waiting or ringing): it counts as abandoned.
    ABANDONED = "abandoned"
    #: Nothing more: the agent is wrapping up already, or the engine let it go.
    NOTHING = "nothing"


def ending_of(contact: ContactRecord | None) -> Ending:
    """How the contact ends if its customer leaves now."""
    if contact is None or contact.status is ContactStatus.WRAP_UP:
        return Ending.NOTHING
    if contact.status is ContactStatus.CONNECTED:
        return Ending.ENDED
    if contact.is_in_line:
        return Ending.ABANDONED
    return Ending.NOTHING


def customer_left(contact: ContactRecord | None) -> list[Command]:
    """The engine's commands when the contact's customer leaves now."""
    ending = ending_of(contact)
    if contact is None or ending is Ending.NOTHING:
        return []
    if ending is Ending.ENDED:
        return [EndContact(contact.contact_id)]
    return [AbandonContact(contact.contact_id)]
