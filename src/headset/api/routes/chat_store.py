"""Storing and reading chat messages and attachments: what customer and agent routes share.

Every message goes through `post_message`: one lock per conversation around "is this a retry?
which seq is next? store it", so a retried message returns the stored one, and the sequence
numbers of a conversation are 1, 2, 3... without gaps, in the order the writer commits them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from headset.api.deps import reading
from headset.api.runtime import Runtime
from headset.chat.attachments import accept_upload
from headset.chat.audience import MESSAGE_SENT, customer_audience
from headset.chat.messages import AuthorKind, Viewer, Visibility, can_see, check_text
from headset.core.errors import NotFound
from headset.core.ids import new_id
from headset.routing.model import Channel
from headset.routing.records import ContactRecord
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import agents, chat_attachments, chat_messages, users
from headset.voice.queueing import place_in_line as line_place


@dataclass(frozen=True, slots=True)
class Author:
    """Who writes: kind, the id idempotency is keyed by, the name readers see."""

    kind: AuthorKind
    author_id: str
    name: str
    actor: str


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


def attachment_body(row: Any) -> dict[str, Any]:
    return {
        "attachment_id": row.attachment_id,
        "name": row.name,
        "media_type": row.media_type,
        "size": row.size,
    }


def customer_view(message: dict[str, Any]) -> dict[str, Any]:
    """What the customer sees of a message (never called with a whisper)."""
    return {k: v for k, v in message.items() if k not in {"visibility", "contact_id"}}


def transcript(
    rt: Runtime, tenant_id: str, contact_id: str, viewer: Viewer, after: int = 0
) -> list[dict[str, Any]]:
    """The conversation as `viewer` may read it, from message `after` on (synchronous)."""
    query = (
        select(chat_messages, chat_attachments)
        .join_from(
            chat_messages,
            chat_attachments,
            chat_messages.c.attachment_id == chat_attachments.c.attachment_id,
            isouter=True,
        )
        .where(
            chat_messages.c.tenant_id == tenant_id,
            chat_messages.c.contact_id == contact_id,
            chat_messages.c.seq > after,
        )
        .order_by(chat_messages.c.seq)
    )
    if viewer is Viewer.CUSTOMER:
        query = query.where(chat_messages.c.visibility == Visibility.EVERYONE.value)
    with reading(rt) as conn:
        rows = conn.execute(query).all()
    out = []
    for row in rows:
        if not can_see(viewer, Visibility(row.visibility)):
            continue  # the query filters already; the domain rule is the last word
        attachment = row if row.attachment_id is not None else None
        body = message_body(row, attachment)
        out.append(customer_view(body) if viewer is Viewer.CUSTOMER else body)
    return out


async def post_message(
    rt: Runtime,
    tenant_id: str,
    contact_id: str,
    author: Author,
    visibility: Visibility,
    text: str,
    client_message_id: str,
    attachment_id: str | None = None,
) -> tuple[dict[str, Any], bool]:
    """Stores a message (or finds the one a retry refers to); returns it and whether it is new."""
    text = check_text(text, attachment_id is not None)
    async with rt.chat.lock(contact_id):
        existing, attachment, seq = await run_in_threadpool(
            _before_post, rt, tenant_id, contact_id, author, client_message_id, attachment_id
        )
        if existing is not None:
            return existing, False
        now = rt.now()
        row = {
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
            "sent_at": now,
        }
        body = message_body(AsRow(row), attachment)
        event = chat_event(
            rt,
            tenant_id,
            contact_id,
            MESSAGE_SENT,
            author.actor,
            visibility=visibility.value,
            message=body,
        )
        await rt.host.submit(
            Operation(
                inserts=[(chat_messages, row)],
                events=[event],
                tenant_id=tenant_id,
                actor=author.actor,
            )
        )
        return body, True


def _before_post(
    rt: Runtime,
    tenant_id: str,
    contact_id: str,
    author: Author,
    client_message_id: str,
    attachment_id: str | None,
) -> tuple[dict[str, Any] | None, Any, int]:
    with reading(rt) as conn:
        found = conn.execute(
            select(chat_messages).where(
                chat_messages.c.tenant_id == tenant_id,
                chat_messages.c.contact_id == contact_id,
                chat_messages.c.author_id == author.author_id,
                chat_messages.c.client_message_id == client_message_id,
            )
        ).first()
        attachment = None
        wanted = found.attachment_id if found is not None else attachment_id
        if wanted is not None:
            attachment = conn.execute(
                select(chat_attachments).where(
                    chat_attachments.c.tenant_id == tenant_id,
                    chat_attachments.c.contact_id == contact_id,
                    chat_attachments.c.attachment_id == wanted,
                )
            ).first()
            if attachment is None:
                raise NotFound(f"no attachment {wanted!r} in this chat; upload it first")
        if found is not None:
            return message_body(found, attachment), attachment, found.seq
        last = conn.execute(
            select(func.coalesce(func.max(chat_messages.c.seq), 0)).where(
                chat_messages.c.tenant_id == tenant_id, chat_messages.c.contact_id == contact_id
            )
        ).scalar_one()
    return None, attachment, int(last) + 1


class AsRow:
    """A dict read like a row, so a message about to be stored renders like a stored one."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)


def chat_event(
    rt: Runtime, tenant_id: str, contact_id: str, kind: str, actor: str, **data: Any
) -> NewEvent:
    """A `chat.*` event on the contact's stream, addressed (by `agent_id`) to whoever answers."""
    live = rt.host.engine.state.contacts.get(contact_id)
    payload: dict[str, Any] = {"contact_id": contact_id, **data}
    if live is not None and live.agent_id is not None:
        payload.setdefault("agent_id", live.agent_id)
    return NewEvent(
        stream_id=f"contact:{contact_id}",
        type=kind,
        payload=payload,
        occurred_at=rt.now(),
        tenant_id=tenant_id,
        actor=actor,
    )


def live_chat(rt: Runtime, tenant_id: str, contact_id: str) -> ContactRecord | None:
    """The engine's record of a chat of this tenant, while it is live."""
    contact = rt.host.engine.state.contacts.get(contact_id)
    if contact is None or contact.tenant_id != tenant_id or contact.channel is not Channel.CHAT:
        return None
    return contact


async def typing(
    rt: Runtime, tenant_id: str, contact_id: str, who: str, name: str, on: bool
) -> None:
    """Tells the other side (and the staff watching) that someone is typing; not stored.

    It goes through the bus like stored events (as a `signal`), so it reaches the streams of
    every process serving the tenant's users and customers."""
    contact = rt.host.engine.state.contacts.get(contact_id)
    agent_id = contact.agent_id if contact is not None else None
    keys = set(rt.host.tenancy.audiences({"agent_id": agent_id}, tenant_id))
    if who != AuthorKind.CUSTOMER.value:
        keys.add(customer_audience(contact_id))
    data = {"contact_id": contact_id, "who": who, "display_name": name, "is_typing": on}
    # a signal's seq is the last event's, as on the stream: not a new place in the log
    signal = {"seq": rt.hub.last_seq, "signal": "chat.typing", "payload": data}
    await rt.bus.publish([{**signal, "audiences": sorted(keys)}])


async def store_attachment(
    rt: Runtime, tenant_id: str, contact_id: str, name: str, content: bytes, actor: str
) -> dict[str, Any]:
    """Keeps an uploaded file the rule for files accepts (its kind judged by its bytes, its
    name cleaned and agreeing with the kind); returns its description."""
    accepted = accept_upload(name, content, rt.settings.chat_attachment_max_bytes)
    media_type = accepted.media_type
    now = rt.now()
    row: dict[str, Any] = {
        "tenant_id": tenant_id,
        "attachment_id": new_id("at"),
        "contact_id": contact_id,
        "media_type": media_type,
        "name": accepted.name,
        "size": len(content),
        "content": content,
        "uploaded_by": actor,
        "created_at": now,
    }
    event = NewEvent(
        stream_id=f"contact:{contact_id}",
        type="chat.attachment_uploaded",
        payload={
            "contact_id": contact_id,
            "attachment_id": row["attachment_id"],
            "media_type": media_type,
            "size": len(content),
        },
        occurred_at=now,
        tenant_id=tenant_id,
        actor=actor,
    )
    await rt.host.submit(
        Operation(
            inserts=[(chat_attachments, row)], events=[event], tenant_id=tenant_id, actor=actor
        )
    )
    return attachment_body(AsRow(row))


def read_attachment(rt: Runtime, tenant_id: str, contact_id: str, attachment_id: str) -> Any:
    with reading(rt) as conn:
        row = conn.execute(
            select(chat_attachments).where(
                chat_attachments.c.tenant_id == tenant_id,
                chat_attachments.c.contact_id == contact_id,
                chat_attachments.c.attachment_id == attachment_id,
            )
        ).first()
    if row is None:
        raise NotFound(f"no attachment {attachment_id!r} in this chat")
    return row


def is_shared_with_customer(rt: Runtime, tenant_id: str, attachment_id: str) -> bool:
    """Whether a message everyone may read carries the attachment (whispers' files stay in)."""
    with reading(rt) as conn:
        return (
            conn.execute(
                select(chat_messages.c.message_id).where(
                    chat_messages.c.tenant_id == tenant_id,
                    chat_messages.c.attachment_id == attachment_id,
                    chat_messages.c.visibility == Visibility.EVERYONE.value,
                )
            ).first()
            is not None
        )


def display_name(rt: Runtime, *, agent_id: str | None = None, user_id: str | None = None) -> str:
    """The name people of the center show in chats (cached: names rarely change)."""
    key = f"a:{agent_id}" if agent_id else f"u:{user_id}"
    names = rt.chat.names
    if key in names:
        return names[key]
    with reading(rt) as conn:
        if agent_id:
            name = conn.execute(
                select(agents.c.display_name).where(agents.c.agent_id == agent_id)
            ).scalar()
        else:
            name = conn.execute(
                select(users.c.display_name).where(users.c.user_id == user_id)
            ).scalar()
    names[key] = str(name or "an agent")
    return names[key]


def place_in_line(rt: Runtime, contact: ContactRecord) -> tuple[int, int]:
    """The contact's place in its queue (1 = next) and the slots of signed-in agents."""
    return line_place(rt.host.engine.state, contact)


def iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None
