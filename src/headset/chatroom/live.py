"""The customer's live stream of one chat, without the socket: snapshot, then translations.

The API's WebSocket (api/routes/chat_customer_live.py) subscribes to the hub, asks for the
`snapshot` and turns every hub message into what the customer's protocol says with
`translate`: `message`, `typing`, `joined`, `transferred`, `position`, `ended`, `resync`.
Hub events are decoded into their typed classes first (chat/events.py, routing/events.py);
`sent` drops every message whose seq was already sent, so a reconnect loses or doubles none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool

from headset.chat import events as chat
from headset.chat.messages import AuthorKind, Viewer
from headset.chatroom.messages import customer_view
from headset.chatroom.room import ChatRoom
from headset.chatroom.sessions import CustomerChat
from headset.chatroom.status import place_of
from headset.chatroom.transcripts import transcript
from headset.core.errors import Invalid
from headset.core.messages import Event
from headset.routing import events as routing
from headset.routing.records import ContactStatus
from headset.storage import codec

#: What ends the chat for its customer.
_ENDING = (chat.ChatEnded, routing.ContactEnded, routing.ContactAbandoned)


def decoded(name: str | None, data: Mapping[str, Any]) -> Event | None:
    """The typed event of a hub message (a chat or routing event), None for any other."""
    found = chat.decode(name, data)
    if found is not None or name is None or name not in codec.EVENT_TYPES:
        return found
    try:
        return codec.decode(name, data)
    except Invalid:
        return None


class CustomerStream:
    """Turns hub messages into the customer's protocol and remembers what was sent."""

    def __init__(self, room: ChatRoom, chat_: CustomerChat, after: int) -> None:
        self.room = room
        self.chat = chat_
        self.sent = after
        self.status = "ended" if chat_.is_ended else "waiting"
        self.position: tuple[int | None, float | None] | None = None

    async def snapshot(self) -> dict[str, Any]:
        """The first message: status, place in line, who answers and the messages after the
        client's last (read after subscribing: what commits meanwhile comes live)."""
        chat_ = self.chat
        messages = await run_in_threadpool(
            transcript, self.room, chat_.tenant_id, chat_.contact_id, Viewer.CUSTOMER, self.sent
        )
        contact = self.room.live(self.chat.tenant_id, self.chat.contact_id)
        answering = None
        if self.chat.is_ended or contact is None or contact.status is ContactStatus.WRAP_UP:
            self.status = "ended"
        elif contact.is_in_line:
            self.status = "waiting"
        else:
            self.status = "connected"
            if contact.agent_id is not None:
                name = await self._name(contact.agent_id)
                answering = {"display_name": name}
        if messages:
            self.sent = max(self.sent, max(m["seq"] for m in messages))
        position, wait = self._place()
        self.position = (position, wait)
        return {
            "type": "snapshot",
            "data": {
                "chat_id": self.chat.contact_id,
                "status": self.status,
                "position": position,
                "expected_wait_seconds": wait,
                "answering": answering,
                "messages": messages,
                "last_message_seq": self.sent,
            },
        }

    def _place(self) -> tuple[int | None, float | None]:
        contact = self.room.live(self.chat.tenant_id, self.chat.contact_id)
        if self.status != "waiting" or contact is None:
            return None, None
        return place_of(self.room, contact)

    def position_update(self) -> dict[str, Any] | None:
        """A `position` message when the place in line or the estimate changed."""
        place = self._place()
        if self.status != "waiting" or place == self.position:
            return None
        self.position = place
        return {"type": "position", "position": place[0], "expected_wait_seconds": place[1]}

    def heartbeat(self) -> dict[str, Any]:
        return {"type": "heartbeat", "last_message_seq": self.sent}

    async def translate(self, item: Mapping[str, Any]) -> list[dict[str, Any]]:
        """What the customer is sent for one hub message (often nothing)."""
        if item["type"] == "resync":
            # the client reconnects with its last seq: nothing is lost
            return [{"type": "resync", "last_message_seq": self.sent}]
        if item["type"] not in {"event", "signal"}:
            return []
        event = decoded(item.get("event"), item.get("data") or {})
        if isinstance(event, chat.Typing):
            if event.who == AuthorKind.CUSTOMER:
                return []  # the customer's own typing comes back to nobody
            return [
                {"type": "typing", "display_name": event.display_name, "is_typing": event.is_typing}
            ]
        if item["type"] != "event" or event is None:
            return []
        return await self._translate(event)

    async def _translate(self, event: Event) -> list[dict[str, Any]]:
        if isinstance(event, chat.MessageSent):
            if event.message["seq"] <= self.sent:
                return []  # already in the snapshot
            self.sent = event.message["seq"]
            return [{"type": "message", "message": customer_view(dict(event.message))}]
        if isinstance(event, routing.OfferAccepted):
            self.status = "connected"
            name = await self._name(event.agent_id)
            return [{"type": "joined", "role": "agent", "display_name": name}]
        if isinstance(event, chat.Barged):
            return [{"type": "joined", "role": "supervisor", "display_name": event.display_name}]
        if isinstance(event, routing.ContactTransferred):
            self.status, self.position = "waiting", None
            return [{"type": "transferred"}]
        if isinstance(event, _ENDING) and self.status != "ended":
            self.status = "ended"
            return [{"type": "ended"}]
        return []

    async def _name(self, agent_id: str) -> str:
        return await run_in_threadpool(lambda: self.room.display_name(agent_id=agent_id))
