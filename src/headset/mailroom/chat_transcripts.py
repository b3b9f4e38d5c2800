"""A chat's transcript by e-mail, asked for by the customer once the chat has ended.

The tenant's mailbox marked `sends_transcripts` sends what the customer saw (whispers never)
to the address the customer gave when starting the chat, as an automatic message
(`Auto-Submitted`) with a reference of its own: a person's answer to it becomes an e-mail
contact threaded to it. One transcript per chat: asking again answers the first
(docs/email.md).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import select

from headset.chat.messages import Viewer
from headset.chatroom.room import Reads
from headset.chatroom.sessions import customer_chat
from headset.chatroom.transcripts import transcript
from headset.core.errors import Conflict
from headset.mail.replies import TranscriptLine
from headset.mailroom.mailboxes import Mailbox
from headset.service.host import StorageFailed
from headset.storage.tables import customers, mail_messages

if TYPE_CHECKING:
    from headset.mailroom.room import Mailroom


class TranscriptSent(BaseModel):
    """The transcript's message: its id, whether the server took it, and where it went."""

    mail_id: str
    status: str
    to: str


def transcript_senders(mailboxes: Iterable[Mailbox], tenant_id: str) -> list[Mailbox]:
    """The tenant's active mailboxes that send chat transcripts, by id (the first sends)."""
    return sorted(
        (b for b in mailboxes if b.tenant_id == tenant_id and b.is_active and b.sends_transcripts),
        key=lambda box: box.mailbox_id,
    )


async def send_chat_transcript(
    room: Mailroom, chats: Reads, widget_key: str, chat_id: str, token: str | None
) -> tuple[TranscriptSent, bool]:
    """Sends the ended chat's transcript to the customer's address, once; with whether it
    was sent now (False: the one sent before)."""
    chat = await asyncio.to_thread(customer_chat, chats, widget_key, chat_id, token)
    if not chat.is_ended:
        raise Conflict("the transcript is sent once the chat has ended", code="chat_open")
    earlier = await asyncio.to_thread(_earlier, room, chat.tenant_id, chat_id)
    if earlier is not None:
        return earlier, False
    address = await asyncio.to_thread(_address, room, chat.tenant_id, chat.customer_id)
    if not address:
        raise Conflict("no e-mail address was given for this chat", code="no_email")
    senders = transcript_senders(room.mailboxes.values(), chat.tenant_id)
    if not senders:
        raise Conflict("transcripts are not sent by e-mail here", code="no_transcripts")
    mailbox = senders[0]
    messages = await asyncio.to_thread(transcript, chats, chat.tenant_id, chat_id, Viewer.CUSTOMER)
    lines = [
        TranscriptLine(
            m["author_name"],
            datetime.fromisoformat(m["sent_at"]),
            m["text"] or (f"[{m['attachment']['name']}]" if m.get("attachment") else ""),
        )
        for m in messages
    ]
    subject = f"Your chat with {mailbox.display_name}"
    try:
        row = await room.sending.transcript(
            mailbox, chat_id, chat.customer_id, address, subject, lines
        )
    except StorageFailed:
        again = await asyncio.to_thread(_earlier, room, chat.tenant_id, chat_id)
        if again is None:
            raise
        return again, False
    return TranscriptSent(mail_id=row["mail_id"], status=row["status"], to=address), True


def _earlier(room: Mailroom, tenant_id: str, chat_id: str) -> TranscriptSent | None:
    with room.reader.connect() as conn:
        row = conn.execute(
            select(mail_messages.c.mail_id, mail_messages.c.status, mail_messages.c.to_addresses)
            .where(
                mail_messages.c.tenant_id == tenant_id,
                mail_messages.c.contact_id == chat_id,
                mail_messages.c.kind == "transcript",
            )
            .limit(1)
        ).first()
    if row is None:
        return None
    return TranscriptSent(mail_id=row.mail_id, status=row.status, to=row.to_addresses[0])


def _address(room: Mailroom, tenant_id: str, customer_id: str | None) -> str | None:
    with room.reader.connect() as conn:
        found = conn.execute(
            select(customers.c.email).where(
                customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
            )
        ).scalar()
    return str(found) if found else None
