"""A chat's files: keeping an upload the rule for files accepts, and reading it back."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, select

from headset.chat.attachments import accept_upload
from headset.chat.events import AttachmentUploaded
from headset.chat.messages import Visibility
from headset.chatroom.room import ChatRoom
from headset.core.errors import NotFound
from headset.core.ids import new_id
from headset.service.operations import Operation
from headset.storage.tables import chat_attachments, chat_messages


def attachment_body(row: Any) -> dict[str, Any]:
    """An attachment as the API and the live streams describe it (never its bytes)."""
    return {
        "attachment_id": row.attachment_id,
        "name": row.name,
        "media_type": row.media_type,
        "size": row.size,
    }


async def store_attachment(
    room: ChatRoom, tenant_id: str, contact_id: str, name: str, content: bytes, actor: str
) -> dict[str, Any]:
    """Keeps an uploaded file the rule for files accepts (its kind judged by its bytes, its
    name cleaned and agreeing with the kind); returns its description."""
    accepted = accept_upload(name, content, room.attachment_max_bytes)
    row: dict[str, Any] = {
        "tenant_id": tenant_id,
        "attachment_id": new_id("at"),
        "contact_id": contact_id,
        "media_type": accepted.media_type,
        "name": accepted.name,
        "size": len(content),
        "content": content,
        "uploaded_by": actor,
        "created_at": room.now(),
    }
    event = AttachmentUploaded(contact_id, row["attachment_id"], accepted.media_type, len(content))
    await room.host.submit(
        Operation(
            inserts=[(chat_attachments, row)],
            events=[room.stored(tenant_id, event, actor)],
            tenant_id=tenant_id,
            actor=actor,
        )
    )
    return attachment_body(row_of(row))


def row_of(values: dict[str, Any]) -> Any:
    """A dict read like a row, so what is about to be stored renders like what is stored."""
    return SimpleNamespace(**values)


def _find(conn: Connection, tenant_id: str, contact_id: str, attachment_id: str) -> Any:
    return conn.execute(
        select(chat_attachments).where(
            chat_attachments.c.tenant_id == tenant_id,
            chat_attachments.c.contact_id == contact_id,
            chat_attachments.c.attachment_id == attachment_id,
        )
    ).first()


def attachment_of(
    conn: Connection, tenant_id: str, contact_id: str, attachment_id: str | None
) -> Any:
    """The attachment a message names (None for none); 404 if the chat has no such file."""
    if attachment_id is None:
        return None
    row = _find(conn, tenant_id, contact_id, attachment_id)
    if row is None:
        raise NotFound(f"no attachment {attachment_id!r} in this chat; upload it first")
    return row


def read_attachment(room: ChatRoom, tenant_id: str, contact_id: str, attachment_id: str) -> Any:
    """The stored file of the chat; 404 if it has none of that id."""
    with room.reader.connect() as conn:
        row = _find(conn, tenant_id, contact_id, attachment_id)
    if row is None:
        raise NotFound(f"no attachment {attachment_id!r} in this chat")
    return row


def customer_attachment(
    room: ChatRoom, tenant_id: str, contact_id: str, attachment_id: str, uploader: str
) -> Any:
    """A file the customer may download: their own, or one a message to everyone carries
    (whispers' files stay in)."""
    row = read_attachment(room, tenant_id, contact_id, attachment_id)
    if row.uploaded_by == uploader:
        return row
    with room.reader.connect() as conn:
        shared = conn.execute(
            select(chat_messages.c.message_id).where(
                chat_messages.c.tenant_id == tenant_id,
                chat_messages.c.attachment_id == attachment_id,
                chat_messages.c.visibility == Visibility.EVERYONE.value,
            )
        ).first()
    if shared is None:
        raise NotFound(f"no attachment {attachment_id!r} in this chat")
    return row
