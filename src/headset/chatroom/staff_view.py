"""A chat as the staff read it: the contact, who answers, who barged in, and the transcript
with whispers; every read is recorded in the tenant's audit trail before it is answered."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.chat.messages import Viewer
from headset.chatroom.answers import AgentAnsweringOut, MessageOut, StaffChatOut
from headset.chatroom.room import ChatRoom
from headset.chatroom.staff import Staff, barged_users
from headset.chatroom.transcripts import transcript
from headset.core.errors import NotFound
from headset.routing.model import Channel
from headset.service.audit_trail import AuditEventType, record_read
from headset.service.contact_reads import load_contact
from headset.storage.tables import chat_sessions


def chat_contact(room: ChatRoom, who: Staff, tenant_id: str, chat_id: str) -> Any:
    """The chat's contact row if `who` may read it; 404 if it is not a chat they see."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    with room.reader.connect() as conn:
        contact = load_contact(conn, tenant_id, chat_id, scope, who)
    if contact.channel != Channel.CHAT.value:
        raise NotFound(f"contact {chat_id!r} is not a chat")
    return contact


def _customer_name(room: ChatRoom, tenant_id: str, chat_id: str) -> str | None:
    with room.reader.connect() as conn:
        return conn.execute(
            select(chat_sessions.c.customer_name).where(
                chat_sessions.c.tenant_id == tenant_id, chat_sessions.c.contact_id == chat_id
            )
        ).scalar()


async def read_chat(
    room: ChatRoom, who: Staff, tenant_id: str, chat_id: str, after: int = 0
) -> StaffChatOut:
    """The chat and its transcript (whispers included) after `after`; the read is audited."""
    contact = await run_in_threadpool(chat_contact, room, who, tenant_id, chat_id)
    name = await run_in_threadpool(_customer_name, room, tenant_id, chat_id)
    messages = await run_in_threadpool(
        transcript, room, tenant_id, chat_id, Viewer.SUPERVISOR, after
    )
    await record_read(
        room.host,
        tenant_id,
        AuditEventType.CHAT_TRANSCRIPT_VIEWED,
        who.actor,
        contact_id=chat_id,
        after=after,
    )
    live = room.live(tenant_id, chat_id)
    answering = None
    if live is not None and live.agent_id is not None:
        agent_id = live.agent_id
        shown = await run_in_threadpool(lambda: room.display_name(agent_id=agent_id))
        answering = AgentAnsweringOut(agent_id=agent_id, display_name=shown)
    barged = await run_in_threadpool(barged_users, room, chat_id)
    return StaffChatOut(
        chat_id=chat_id,
        queue_id=contact.queue_id,
        status=contact.status,
        customer_id=contact.customer_id,
        customer_name=name,
        is_callback=contact.is_callback,
        answering=answering,
        barged_user_ids=sorted(barged),
        messages=[MessageOut.model_validate(m) for m in messages],
    )
