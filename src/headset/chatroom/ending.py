"""The customer leaves a chat: an answered chat ends (the agent wraps up), a waiting one is
abandoned. Ending twice is harmless."""

from __future__ import annotations

from sqlalchemy import Connection, update

from headset.chat.events import ChatEnded
from headset.chatroom.room import ChatRoom
from headset.chatroom.sessions import CustomerChat
from headset.core.messages import Command
from headset.routing.endings import customer_left
from headset.service.operations import Operation
from headset.storage.tables import chat_sessions


def closing_commands(room: ChatRoom, chat: CustomerChat) -> list[Command]:
    """What the engine is told when the customer leaves: end an answered chat, abandon a
    waiting one, nothing for one already over."""
    return customer_left(room.live(chat.tenant_id, chat.contact_id))


async def end_chat(room: ChatRoom, chat: CustomerChat) -> None:
    """Ends the customer's chat: its session is closed and the engine told, in one operation."""
    if chat.is_ended:
        return
    now = room.now()

    def write(conn: Connection) -> None:
        conn.execute(
            update(chat_sessions)
            .where(
                chat_sessions.c.tenant_id == chat.tenant_id,
                chat_sessions.c.contact_id == chat.contact_id,
                chat_sessions.c.ended_at.is_(None),
            )
            .values(ended_at=now)
        )

    ended = ChatEnded(chat.contact_id, "customer", room.answering_agent(chat.contact_id))
    await room.host.submit(
        Operation(
            commands=closing_commands(room, chat),
            write=write,
            events=[room.stored(chat.tenant_id, ended, "customer")],
            tenant_id=chat.tenant_id,
            actor="customer",
        )
    )
