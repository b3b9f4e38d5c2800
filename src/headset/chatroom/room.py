"""The chat room of one service process: what every chat action needs, built once.

The composition root (bootstrap.py) builds it from the engine host, the reader, the bus and
the live hub. It keeps chat's per-process state: one lock per conversation (so a retried
message is found and the sequence numbers have no gaps), the names of people already looked
up, and the widgets' allowed origins read lately (chatroom/origins.py).
"""

from __future__ import annotations

import asyncio
import weakref
from datetime import datetime
from typing import Protocol

from sqlalchemy import Engine as SqlEngine
from sqlalchemy import select

from headset.bus.base import Bus
from headset.chat.events import ChatEvent
from headset.live.hub import LiveHub
from headset.routing.model import Channel
from headset.routing.records import ContactRecord
from headset.service.host import EngineHost
from headset.storage.event_log import NewEvent
from headset.storage.tables import agents, users


class Reads(Protocol):
    """What a read of chat sessions needs (the chat room has it, and so has `Services`)."""

    @property
    def host(self) -> EngineHost: ...

    @property
    def reader(self) -> SqlEngine: ...

    def now(self) -> datetime: ...


class ChatRoom:
    """Web chat's services and per-process state; the actions take it as their first argument."""

    def __init__(
        self,
        host: EngineHost,
        reader: SqlEngine,
        bus: Bus,
        hub: LiveHub,
        *,
        attachment_max_bytes: int,
    ) -> None:
        self.host = host
        self.reader = reader
        self.bus = bus
        self.hub = hub
        self.attachment_max_bytes = attachment_max_bytes
        self.locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        self.names: dict[str, str] = {}
        #: widget_key -> (allowed origins, read at); saving a widget clears it
        self.origins: dict[str, tuple[frozenset[str], float]] = {}

    def now(self) -> datetime:
        return self.host.clock.now()

    def lock(self, contact_id: str) -> asyncio.Lock:
        """The conversation's lock (kept while someone holds or waits for it)."""
        found = self.locks.get(contact_id)
        if found is None:
            found = asyncio.Lock()
            self.locks[contact_id] = found
        return found

    def live(self, tenant_id: str, contact_id: str) -> ContactRecord | None:
        """The engine's record of a chat of this tenant, while it is live."""
        contact = self.host.engine.state.contacts.get(contact_id)
        if contact is None or contact.tenant_id != tenant_id or contact.channel is not Channel.CHAT:
            return None
        return contact

    def answering_agent(self, contact_id: str) -> str | None:
        """The agent the engine has connected the contact to, if any."""
        live = self.host.engine.state.contacts.get(contact_id)
        return live.agent_id if live is not None else None

    def stored(self, tenant_id: str, event: ChatEvent, actor: str) -> NewEvent:
        """The event as the log stores it, on the contact's stream."""
        return NewEvent(
            stream_id=f"contact:{event.contact_id}",
            type=event.name,
            payload=event.payload(),
            occurred_at=self.now(),
            tenant_id=tenant_id,
            actor=actor,
        )

    def display_name(self, *, agent_id: str | None = None, user_id: str | None = None) -> str:
        """The name people of the center show in chats (cached: names rarely change)."""
        key = f"a:{agent_id}" if agent_id else f"u:{user_id}"
        if key in self.names:
            return self.names[key]
        with self.reader.connect() as conn:
            if agent_id:
                query = select(agents.c.display_name).where(agents.c.agent_id == agent_id)
            else:
                query = select(users.c.display_name).where(users.c.user_id == user_id)
            name = conn.execute(query).scalar()
        self.names[key] = str(name or "an agent")
        return self.names[key]
