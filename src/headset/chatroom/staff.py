"""Who of the center may write in a chat: the agent answering it, or a supervisor who barged in.

Only the agent the engine has connected the chat to answers it. Anyone else who tries gets
409 naming who answers, unless they have barged in (then they write beside the agent, and the
customer sees them join). See docs/chat.md.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission, Scope
from headset.chat.events import Barged, wire_name
from headset.chat.messages import AuthorKind, Visibility
from headset.chatroom.attachments import store_attachment
from headset.chatroom.messages import Author, Posted, post_message, typing
from headset.chatroom.room import ChatRoom
from headset.core.errors import Conflict, Forbidden, NotFound
from headset.routing.records import ContactRecord, ContactStatus
from headset.storage.tables import events


class Staff(Protocol):
    """Someone of the center acting in a chat (the API's `Principal` is one)."""

    @property
    def actor(self) -> str: ...

    @property
    def user_id(self) -> str | None: ...

    @property
    def agent_id(self) -> str | None: ...

    @property
    def led_teams(self) -> frozenset[str]: ...

    def check(self, tenant_id: str, permission: Permission) -> Scope: ...


def barged_users(room: ChatRoom, chat_id: str) -> set[str]:
    """Who has barged into the chat (the event log is where it is recorded)."""
    barged = wire_name(Barged)
    with room.reader.connect() as conn:
        rows = conn.execute(
            select(events.c.payload).where(
                events.c.stream_id == f"contact:{chat_id}", events.c.type == barged
            )
        )
        return {str(r.payload["user_id"]) for r in rows}


def connected(room: ChatRoom, tenant_id: str, chat_id: str) -> ContactRecord:
    """The live chat an agent answers now; 404 when it is over, 409 while nobody answers."""
    contact = room.live(tenant_id, chat_id)
    if contact is None:
        raise NotFound(f"no live chat {chat_id!r} in tenant {tenant_id!r}: it is over")
    if contact.status is not ContactStatus.CONNECTED or contact.agent_id is None:
        raise Conflict(f"chat {chat_id!r} is {contact.status.value}; no agent is answering it")
    return contact


def in_reach(
    room: ChatRoom, who: Staff, tenant_id: str, chat_id: str, permission: Permission
) -> ContactRecord:
    """The connected chat, if `who` may use `permission` on it (team scope reaches the chats
    of the teams the user leads)."""
    scope = who.check(tenant_id, permission)
    contact = connected(room, tenant_id, chat_id)
    if scope is Scope.TEAM:
        place = room.host.tenancy.agents.get(contact.agent_id or "")
        if place is None or place[1] not in who.led_teams:
            raise Forbidden("this chat is answered outside your teams")
    return contact


def writer(room: ChatRoom, who: Staff, tenant_id: str, chat_id: str) -> Author:
    """Who the caller writes as in this connected chat; 409 naming who answers if they may
    not write in it."""
    who.check(tenant_id, Permission.CONTACT_READ)
    contact = connected(room, tenant_id, chat_id)
    actor = who.actor
    if who.agent_id is not None and who.agent_id == contact.agent_id:
        who.check(tenant_id, Permission.CHAT_SEND)
        name = room.display_name(agent_id=who.agent_id)
        return Author(AuthorKind.AGENT, actor, name, actor)
    if who.user_id is not None and who.user_id in barged_users(room, chat_id):
        who.check(tenant_id, Permission.CHAT_BARGE)
        name = room.display_name(user_id=who.user_id)
        return Author(AuthorKind.SUPERVISOR, actor, name, actor)
    answering = room.display_name(agent_id=contact.agent_id)
    raise Conflict(
        f"{answering} is answering chat {contact.contact_id!r}; a supervisor may barge in or "
        "take over"
    )


async def send_as_staff(
    room: ChatRoom,
    who: Staff,
    tenant_id: str,
    chat_id: str,
    text: str,
    client_id: str,
    attachment_id: str | None = None,
) -> Posted:
    """A message the customer sees, from the agent answering or a supervisor who barged in."""
    author = await run_in_threadpool(writer, room, who, tenant_id, chat_id)
    return await post_message(
        room, tenant_id, chat_id, author, Visibility.EVERYONE, text, client_id, attachment_id
    )


async def staff_typing(
    room: ChatRoom, who: Staff, tenant_id: str, chat_id: str, is_typing: bool
) -> None:
    """Shows the customer that the agent (or a supervisor who barged in) is typing."""
    author = await run_in_threadpool(writer, room, who, tenant_id, chat_id)
    await typing(room, tenant_id, chat_id, author.kind, author.name, is_typing)


async def staff_upload(
    room: ChatRoom, who: Staff, tenant_id: str, chat_id: str, name: str, content: bytes
) -> dict[str, Any]:
    """Keeps a file someone who may write in the chat uploads (sent with a message after)."""
    await run_in_threadpool(writer, room, who, tenant_id, chat_id)
    return await store_attachment(room, tenant_id, chat_id, name, content, who.actor)
