"""Where a customer's chat stands: waiting (place in line, expected wait), answered, ended."""

from __future__ import annotations

from dataclasses import dataclass

from headset.chatroom.room import ChatRoom
from headset.chatroom.sessions import CustomerChat
from headset.core.errors import Conflict
from headset.routing.records import ContactRecord, ContactStatus
from headset.routing.waiting import expected_wait, place_in_line


@dataclass(frozen=True, slots=True)
class Waiting:
    """A chat's status for its customer, with the place in line while it waits."""

    status: str
    position: int | None = None
    expected_wait_seconds: float | None = None


def place_of(room: ChatRoom, contact: ContactRecord) -> tuple[int | None, float | None]:
    """The place in line of a waiting contact (1 = next) and its expected wait in seconds."""
    if not contact.is_in_line:
        return None, None
    position, slots = place_in_line(room.host.engine.state, contact)
    wait = expected_wait(position, slots)
    return position, (wait.total_seconds() if wait is not None else None)


def waiting(room: ChatRoom, tenant_id: str, contact_id: str) -> Waiting:
    """Status, place in line and expected wait (while waiting)."""
    contact = room.live(tenant_id, contact_id)
    if contact is None or contact.status is ContactStatus.WRAP_UP:
        return Waiting("ended")
    if contact.is_in_line:
        return Waiting("waiting", *place_of(room, contact))
    return Waiting("connected")


def answering_name(room: ChatRoom, chat: CustomerChat) -> str | None:
    """The display name of the agent answering the chat now, if one is."""
    contact = room.live(chat.tenant_id, chat.contact_id)
    if contact is None or contact.agent_id is None or contact.status is not ContactStatus.CONNECTED:
        return None
    return room.display_name(agent_id=contact.agent_id)


def is_over(room: ChatRoom, chat: CustomerChat) -> bool:
    """Whether either side has ended the chat."""
    contact = room.live(chat.tenant_id, chat.contact_id)
    return chat.is_ended or contact is None or contact.status is ContactStatus.WRAP_UP


def check_open(room: ChatRoom, chat: CustomerChat) -> None:
    """Refuses writing into a chat either side has ended."""
    if is_over(room, chat):
        raise Conflict("this chat has ended; start a new one")
