"""Reading a conversation: the transcript as one reader may see it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from headset.chat.messages import Viewer, Visibility, can_see
from headset.chatroom.messages import customer_view, message_body
from headset.chatroom.room import Reads
from headset.storage.tables import chat_attachments, chat_messages


def transcript(
    room: Reads, tenant_id: str, contact_id: str, viewer: Viewer, after: int = 0
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
    with room.reader.connect() as conn:
        rows = conn.execute(query).all()
    out = []
    for row in rows:
        if not can_see(viewer, Visibility(row.visibility)):
            continue  # the query filters already; the domain rule is the last word
        attachment = row if row.attachment_id is not None else None
        body = message_body(row, attachment)
        out.append(customer_view(body) if viewer is Viewer.CUSTOMER else body)
    return out
