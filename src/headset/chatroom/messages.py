"""Sending a chat message, and what a message looks like to the API and the live streams.

Every message goes through `post_message`: one lock per conversation around "is this a retry?
which seq is next? store it", so a retried message returns the stored one, and the sequence
numbers of a conversation are 1, 2, 3... without gaps, in the order the writer commits them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select
from starlette.concurrency import run_in_threadpool

from headset.chat.audience import customer_audience
from headset.chat.events import MessageSent, Typing
from headset.chat.messages import AuthorKind, Visibility, check_text
from headset.chatroom.attachments import attachment_body, attachment_of, row_of
from headset.chatroom.room import ChatRoom
from headset.core.ids import new_id
from headset.service.operations import Operation
from headset.storage.tables import chat_messages


@dataclass(frozen=True, slots=True)
class Author:
    """Who writes: kind, the id idempotency is keyed by, the name readers see."""

    kind: AuthorKind
    author_id: str
    name: str
    actor: str


@dataclass(frozen=True, slots=True)
class Posted:
    """A message as stored, and whether this call stored it (False: a retry found it)."""

    message: dict[str, Any]
    is_new: bool


def message_body(row: Any, attachment: Any = None) -> dict[str, Any]:
    """A stored message as the API and the live streams show it."""
    return {
        "message_id": row.message_id,
        "contact_id": row.contact_id,
        "seq": row.seq,
        "client_message_id": row.client_message_id,
        "author_kind": row.author_kind,
        "author_name": row.author_name,
        "visibility": row.visibility,
        "text": row.text,
        "attachment": attachment_body(attachment) if attachment is not None else None,
        "sent_at": row.sent_at.isoformat(),
    }


def customer_view(message: dict[str, Any]) -> dict[str, Any]:
    """What the customer sees of a message (never called with a whisper)."""
    return {k: v for k, v in message.items() if k not in {"visibility", "contact_id"}}


def message_row(
    tenant_id: str,
    contact_id: str,
    seq: int,
    author: Author,
    text: str,
    *,
    sent_at: datetime,
    client_message_id: str | None = None,
    visibility: Visibility = Visibility.EVERYONE,
    attachment_id: str | None = None,
) -> dict[str, Any]:
    """A message's row, as `chat_messages` stores it."""
    return {
        "tenant_id": tenant_id,
        "message_id": new_id("m"),
        "contact_id": contact_id,
        "seq": seq,
        "client_message_id": client_message_id,
        "author_kind": author.kind.value,
        "author_id": author.author_id,
        "author_name": author.name,
        "visibility": visibility.value,
        "text": text,
        "attachment_id": attachment_id,
        "sent_at": sent_at,
    }


async def post_message(
    room: ChatRoom,
    tenant_id: str,
    contact_id: str,
    author: Author,
    visibility: Visibility,
    text: str,
    client_message_id: str,
    attachment_id: str | None = None,
) -> Posted:
    """Stores a message (or finds the one a retry refers to)."""
    text = check_text(text, attachment_id is not None)
    async with room.lock(contact_id):
        existing, attachment, seq = await run_in_threadpool(
            _before_post, room, tenant_id, contact_id, author, client_message_id, attachment_id
        )
        if existing is not None:
            return Posted(existing, False)
        row = message_row(
            tenant_id,
            contact_id,
            seq,
            author,
            text,
            client_message_id=client_message_id,
            visibility=visibility,
            attachment_id=attachment_id,
            sent_at=room.now(),
        )
        body = message_body(row_of(row), attachment)
        sent = MessageSent(contact_id, visibility.value, body, room.answering_agent(contact_id))
        await room.host.submit(
            Operation(
                inserts=[(chat_messages, row)],
                events=[room.stored(tenant_id, sent, author.actor)],
                tenant_id=tenant_id,
                actor=author.actor,
            )
        )
        return Posted(body, True)


def _before_post(
    room: ChatRoom,
    tenant_id: str,
    contact_id: str,
    author: Author,
    client_message_id: str,
    attachment_id: str | None,
) -> tuple[dict[str, Any] | None, Any, int]:
    with room.reader.connect() as conn:
        found = conn.execute(
            select(chat_messages).where(
                chat_messages.c.tenant_id == tenant_id,
                chat_messages.c.contact_id == contact_id,
                chat_messages.c.author_id == author.author_id,
                chat_messages.c.client_message_id == client_message_id,
            )
        ).first()
        wanted = found.attachment_id if found is not None else attachment_id
        attachment = attachment_of(conn, tenant_id, contact_id, wanted)
        if found is not None:
            return message_body(found, attachment), attachment, found.seq
        return None, attachment, _last_seq(conn, tenant_id, contact_id) + 1


def _last_seq(conn: Connection, tenant_id: str, contact_id: str) -> int:
    last = conn.execute(
        select(func.coalesce(func.max(chat_messages.c.seq), 0)).where(
            chat_messages.c.tenant_id == tenant_id, chat_messages.c.contact_id == contact_id
        )
    ).scalar_one()
    return int(last)


async def typing(
    room: ChatRoom, tenant_id: str, contact_id: str, who: AuthorKind, name: str, on: bool
) -> None:
    """Tells the other side (and the staff watching) that someone is typing; not stored.

    It goes through the bus like stored events (as a `signal`), so it reaches the streams of
    every process serving the tenant's users and customers."""
    agent_id = room.answering_agent(contact_id)
    keys = set(room.host.tenancy.audiences({"agent_id": agent_id}, tenant_id))
    if who is not AuthorKind.CUSTOMER:
        keys.add(customer_audience(contact_id))
    signal = Typing(contact_id, who.value, name, on)
    # a signal's seq is the last event's, as on the stream: not a new place in the log
    out = {"seq": room.hub.last_seq, "signal": signal.name, "payload": signal.payload()}
    await room.bus.publish([{**out, "audiences": sorted(keys)}])
