"""Reading a contact's e-mail conversation: the thread, its messages, a file, one message.

The conversation is personal data: reading it is recorded in the audit trail before it is
answered (service/audit_trail.py). Only contacts the caller's `contact.read` scope reaches
are found.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from sqlalchemy import Connection, select

from headset.access.caller import Viewer
from headset.access.permissions import Scope
from headset.core.errors import NotFound
from headset.mailroom.conversation_views import MessageOut, TimersOut, message_out, timers_of
from headset.mailroom.mailboxes import Mailbox
from headset.routing.model import Channel
from headset.service.audit_trail import AuditEventType, record_read
from headset.service.contact_reads import load_contact
from headset.storage.tables import mail_attachments, mail_messages, mail_threads

if TYPE_CHECKING:
    from headset.mailroom.room import Mailroom

#: Room in a request body for the reply's text and JSON around the files.
_BODY_OVERHEAD = 120_000


class ConversationOut(BaseModel):
    """A whole conversation, oldest message first, with what a reply needs to know."""

    thread_id: str
    reference: str
    subject: str
    customer_address: str
    customer_id: str | None
    contact_id: str
    mailbox_address: str | None
    signature: str | None
    reply_files_max_bytes: int
    timers: TimersOut
    messages: list[MessageOut]


def reply_files_max_bytes(max_body_bytes: int, mailbox: Mailbox | None) -> int:
    """The most a reply's files may weigh together: what the request body has room for
    (base64 adds a third), and no larger a message than the mailbox itself takes."""
    room = max(0, (max_body_bytes - _BODY_OVERHEAD) * 3 // 4)
    # the files leave in base64 too: a third more inside the message
    return min(room, mailbox.max_message_bytes * 3 // 4) if mailbox is not None else room


def find_thread(
    room: Mailroom, tenant_id: str, contact_id: str, scope: Scope, who: Viewer
) -> tuple[Any, Any]:
    """The conversation (thread row) of an e-mail contact the caller may see, and the
    contact's row; NotFound otherwise."""
    with room.reader.connect() as conn:
        contact = load_contact(conn, tenant_id, contact_id, scope, who)
        if contact.channel != Channel.EMAIL.value:
            raise NotFound(f"contact {contact_id!r} is not an e-mail")
        # the thread the contact belongs to (a later contact of the same conversation too)
        thread_id = conn.execute(
            select(mail_messages.c.thread_id)
            .where(
                mail_messages.c.tenant_id == tenant_id,
                mail_messages.c.contact_id == contact_id,
                mail_messages.c.thread_id.is_not(None),
            )
            .limit(1)
        ).scalar()
        thread = conn.execute(
            select(mail_threads).where(
                mail_threads.c.tenant_id == tenant_id, mail_threads.c.thread_id == thread_id
            )
        ).first()
    if thread is None:
        raise NotFound(f"contact {contact_id!r} has no e-mail conversation")
    return thread, contact


async def read_conversation(
    room: Mailroom,
    who: Viewer,
    actor: str,
    tenant_id: str,
    contact_id: str,
    scope: Scope,
    max_body_bytes: int,
) -> ConversationOut:
    """The whole conversation, oldest first: the customer's mail, replies, bounces; the
    mailbox's signature, the reply's file limit and the contact's timers; audited."""
    thread, contact = await asyncio.to_thread(find_thread, room, tenant_id, contact_id, scope, who)
    rows, files = await asyncio.to_thread(_messages, room, thread)
    mailbox = room.mailboxes.get((thread.tenant_id, thread.mailbox_id))
    conversation = ConversationOut(
        thread_id=thread.thread_id,
        reference=thread.reference,
        subject=thread.subject,
        customer_address=thread.customer_address,
        customer_id=thread.customer_id,
        contact_id=thread.contact_id,
        mailbox_address=mailbox.address if mailbox else None,
        signature=mailbox.signature if mailbox else None,
        reply_files_max_bytes=reply_files_max_bytes(max_body_bytes, mailbox),
        timers=timers_of(room.host, contact, mailbox, rows),
        messages=[message_out(r, files.get(r.mail_id, [])) for r in rows],
    )
    await record_read(room.host, tenant_id, AuditEventType.MAIL_CONVERSATION_VIEWED, actor,
                      contact_id=contact_id)  # fmt: skip
    return conversation


def _messages(room: Mailroom, thread: Any) -> tuple[list[Any], dict[str, list[Any]]]:
    with room.reader.connect() as conn:
        rows = conn.execute(
            select(*[c for c in mail_messages.c if c.name != "raw"])
            .where(
                mail_messages.c.tenant_id == thread.tenant_id,
                mail_messages.c.thread_id == thread.thread_id,
            )
            .order_by(mail_messages.c.created_at, mail_messages.c.mail_id)
        ).all()
        files = _files(conn, thread.tenant_id, [r.mail_id for r in rows])
    by_mail: dict[str, list[Any]] = {}
    for f in files:
        by_mail.setdefault(f.mail_id, []).append(f)
    return list(rows), by_mail


def _files(conn: Connection, tenant_id: str, mail_ids: list[str]) -> list[Any]:
    return list(
        conn.execute(
            select(*[c for c in mail_attachments.c if c.name != "content"]).where(
                mail_attachments.c.tenant_id == tenant_id,
                mail_attachments.c.mail_id.in_(mail_ids),
            )
        ).all()
    )


def one_message(room: Mailroom, tenant_id: str, mail_id: str) -> MessageOut:
    """One stored message of the tenant with its files' descriptions; NotFound if none."""
    with room.reader.connect() as conn:
        row = conn.execute(
            select(*[c for c in mail_messages.c if c.name != "raw"]).where(
                mail_messages.c.tenant_id == tenant_id, mail_messages.c.mail_id == mail_id
            )
        ).first()
        if row is None:
            raise NotFound(f"no message {mail_id!r} in tenant {tenant_id!r}")
        return message_out(row, _files(conn, tenant_id, [mail_id]))


def conversation_file(
    room: Mailroom, tenant_id: str, contact_id: str, attachment_id: str, scope: Scope, who: Viewer
) -> Any:
    """A file of the contact's conversation (its row, with its bytes); NotFound if none."""
    thread, _ = find_thread(room, tenant_id, contact_id, scope, who)
    with room.reader.connect() as conn:
        row = conn.execute(
            select(mail_attachments)
            .join(
                mail_messages,
                (mail_messages.c.tenant_id == mail_attachments.c.tenant_id)
                & (mail_messages.c.mail_id == mail_attachments.c.mail_id),
            )
            .where(
                mail_attachments.c.tenant_id == tenant_id,
                mail_attachments.c.attachment_id == attachment_id,
                mail_messages.c.thread_id == thread.thread_id,
            )
        ).first()
    if row is None:
        raise NotFound(f"no attachment {attachment_id!r} in this conversation")
    return row
