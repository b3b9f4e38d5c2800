"""A contact's e-mail conversation: its messages, their files, its timers, and the agent's
reply.

Only the agent the engine has connected the contact to replies (like chats); anyone else
gets 409 naming who answers. The reply leaves over the mailbox's SMTP server with the
threading headers and the conversation's reference token (docs/email.md). A reply sent
with an `Idempotency-Key` header (or `client_id` in the body) is sent once: the same key
again returns the first reply.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Header, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.api.downloads import download
from headset.api.principal import Principal
from headset.api.read_audit import MAIL_CONVERSATION_VIEWED, audit_read
from headset.api.routes.contacts import load_contact
from headset.api.runtime import Runtime
from headset.core.errors import Conflict, Invalid, NotFound
from headset.core.files import IMAGE_TYPES, served_media_type, served_name
from headset.mail.attachments import judge, safe_file_name
from headset.mail.replies import OutgoingFile
from headset.mail.timers import timer
from headset.mailroom.mailboxes import Mailbox
from headset.routing.business_hours import BusinessHours
from headset.routing.model import Channel
from headset.routing.records import ContactStatus
from headset.storage.tables import mail_attachments, mail_messages, mail_threads

#: Inline images the desktop may show inside a message (anything else is a download).
#: Room in a request body for the reply's text and JSON around the files.
_BODY_OVERHEAD = 120_000

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/contacts/{contact_id}/mail", tags=["e-mail"])


def _thread(rt: Runtime, who: Principal, tenant_id: str, contact_id: str) -> Any:
    return _thread_and_contact(rt, who, tenant_id, contact_id)[0]


def _thread_and_contact(
    rt: Runtime, who: Principal, tenant_id: str, contact_id: str
) -> tuple[Any, Any]:
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    with reading(rt) as conn:
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


def message_body(row: Any, files: list[Any]) -> dict[str, Any]:
    return {
        "mail_id": row.mail_id,
        "contact_id": row.contact_id,
        "direction": row.direction,
        "kind": row.kind,
        "message_id": row.message_id,
        "in_reply_to": row.in_reply_to,
        "references": row.references,
        "from_address": row.from_address,
        "from_name": row.from_name,
        "to_addresses": row.to_addresses,
        "subject": row.subject,
        "text": row.text,
        "html": row.html,
        "status": row.status,
        "error": row.error,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at.isoformat() if row.next_attempt_at else None,
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        "bounce": row.bounce,
        "refused_attachments": row.refused_attachments,
        "attachments": [
            {
                "attachment_id": f.attachment_id,
                "name": f.name,
                "media_type": f.media_type,
                "size": f.size,
                "content_id": f.content_id,
                "is_inline": f.is_inline,
            }
            for f in files
        ],
        "created_at": row.created_at.isoformat(),
    }


def reply_files_max_bytes(rt: Runtime, mailbox: Mailbox | None) -> int:
    """The most a reply's files may weigh together: what the request body has room for
    (base64 adds a third), and no larger a message than the mailbox itself takes."""
    room = max(0, (rt.settings.max_body_bytes - _BODY_OVERHEAD) * 3 // 4)
    # the files leave in base64 too: a third more inside the message
    return min(room, mailbox.max_message_bytes * 3 // 4) if mailbox is not None else room


def timers(
    rt: Runtime, contact: Any, mailbox: Mailbox | None, rows: Sequence[Any]
) -> dict[str, Any]:
    """First response (the contact's first customer message to its first sent reply) and
    resolution (to the wrap-up), in the business hours of the contact's queue."""
    calendar = rt.host.tenancy.hours.get(contact.queue_id) or BusinessHours({})
    mine = [r for r in rows if r.contact_id == contact.contact_id]
    asked = [r.created_at for r in mine if r.direction == "inbound" and r.kind == "message"]
    answered = [r.sent_at for r in mine if r.kind == "reply" and r.sent_at is not None]
    started = min(asked) if asked else contact.created_at
    now = rt.now()
    first = timer(
        calendar, started, min(answered) if answered else None, now,
        mailbox.first_response_target_s if mailbox else None,
    )  # fmt: skip
    resolution = timer(
        calendar, started, contact.wrapped_at, now,
        mailbox.resolution_target_s if mailbox else None,
    )  # fmt: skip
    return {
        "first_response": first.as_dict() if first else None,
        "resolution": resolution.as_dict() if resolution else None,
        "business_hours": not calendar.is_always_open,
    }


def _conversation(rt: Runtime, thread: Any, contact: Any) -> dict[str, Any]:
    with reading(rt) as conn:
        rows = conn.execute(
            select(*[c for c in mail_messages.c if c.name != "raw"])
            .where(
                mail_messages.c.tenant_id == thread.tenant_id,
                mail_messages.c.thread_id == thread.thread_id,
            )
            .order_by(mail_messages.c.created_at, mail_messages.c.mail_id)
        ).all()
        files = conn.execute(
            select(*[c for c in mail_attachments.c if c.name != "content"]).where(
                mail_attachments.c.tenant_id == thread.tenant_id,
                mail_attachments.c.mail_id.in_([r.mail_id for r in rows]),
            )
        ).all()
    by_mail: dict[str, list[Any]] = {}
    for f in files:
        by_mail.setdefault(f.mail_id, []).append(f)
    mailbox = rt.mailroom.mailboxes.get((thread.tenant_id, thread.mailbox_id))
    return {
        "thread_id": thread.thread_id,
        "reference": thread.reference,
        "subject": thread.subject,
        "customer_address": thread.customer_address,
        "customer_id": thread.customer_id,
        "contact_id": thread.contact_id,
        "mailbox_address": mailbox.address if mailbox else None,
        "signature": mailbox.signature if mailbox else None,
        "reply_files_max_bytes": reply_files_max_bytes(rt, mailbox),
        "timers": timers(rt, contact, mailbox, rows),
        "messages": [message_body(r, by_mail.get(r.mail_id, [])) for r in rows],
    }


@router.get("")
async def get_conversation(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The whole conversation, oldest first: the customer's mail, replies, bounces; the
    mailbox's signature, the reply's file limit and the contact's timers; the read is
    audited."""
    thread, contact = await run_in_threadpool(_thread_and_contact, rt, who, tenant_id, contact_id)
    conversation = await run_in_threadpool(_conversation, rt, thread, contact)
    await audit_read(rt, who, tenant_id, MAIL_CONVERSATION_VIEWED, contact_id=contact_id)
    return conversation


class FileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=255)
    media_type: str = Field(default="application/octet-stream", max_length=100)
    #: The file's bytes in base64.
    content: str


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=100_000)
    files: list[FileIn] = Field(default_factory=list, max_length=20)
    #: Makes a repeated request return the first reply (like the Idempotency-Key header).
    client_id: str | None = Field(default=None, min_length=1, max_length=200)


def outgoing_files(files: list[FileIn], limit: int) -> list[OutgoingFile]:
    """The reply's files, decoded and judged by the rules for inbound attachments."""
    found: list[OutgoingFile] = []
    total = 0
    for at, f in enumerate(files):
        field = f"files.{at}"
        try:
            content = base64.b64decode(f.content, validate=True)
        except (binascii.Error, ValueError):
            raise Invalid(f"the file {f.name!r} is not valid base64", field=field) from None
        name = safe_file_name(f.name)
        media_type = f.media_type.lower() if "/" in f.media_type else "application/octet-stream"
        verdict = judge(name, media_type, content)
        if verdict.is_refused:
            raise Invalid(
                f"the file {name!r} is refused: {verdict.reason}",
                field=field, code="file_refused", params={"name": name, "reason": verdict.reason},
            )  # fmt: skip
        total += len(content)
        if total > limit:
            raise Invalid(
                f"the files weigh more than {limit} bytes together",
                field=field, code="files_too_large", params={"limit": limit},
            )  # fmt: skip
        found.append(OutgoingFile(name, media_type, content))
    return found


def _open_contact(rt: Runtime, who: Principal, tenant_id: str, contact_id: str) -> None:
    """The contact is an open e-mail and the caller is the agent connected to it."""
    who.check(tenant_id, Permission.CONTACT_READ)
    live = rt.host.engine.state.contacts.get(contact_id)
    if live is None or live.tenant_id != tenant_id or live.channel is not Channel.EMAIL:
        raise NotFound(f"no open e-mail contact {contact_id!r} in tenant {tenant_id!r}")
    if live.status is not ContactStatus.CONNECTED or live.agent_id is None:
        raise Conflict(f"contact {contact_id!r} is {live.status.value}; accept it first")
    if who.agent_id != live.agent_id:
        raise Conflict(f"agent {live.agent_id} is answering contact {contact_id!r}")
    who.check(tenant_id, Permission.MAIL_SEND)


@router.post("/replies", status_code=201)
async def reply(
    tenant_id: str,
    contact_id: str,
    body: ReplyIn,
    who: Caller,
    rt: Rt,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> dict[str, Any]:
    """Sends the agent's answer; the stored message says whether the server took it."""
    _open_contact(rt, who, tenant_id, contact_id)
    thread = await run_in_threadpool(_thread, rt, who, tenant_id, contact_id)
    room = rt.mailroom
    mailbox = room.mailboxes.get((tenant_id, thread.mailbox_id))
    if mailbox is None:
        raise Conflict(f"the conversation's mailbox {thread.mailbox_id!r} no longer exists")
    if idempotency_key and body.client_id and idempotency_key != body.client_id:
        raise Invalid("the Idempotency-Key header and client_id differ", field="client_id")
    files = outgoing_files(body.files, reply_files_max_bytes(rt, mailbox))
    key = idempotency_key or body.client_id
    row = await room.sending.reply(
        mailbox, thread, contact_id, body.text, who.actor, files,
        f"client:{key}" if key else None,  # apart from Headset's own keys (survey:, ...)
    )  # fmt: skip
    return await run_in_threadpool(_one_message, rt, tenant_id, row["mail_id"])


@router.post("/replies/{mail_id}/retry")
async def retry(
    tenant_id: str, contact_id: str, mail_id: str, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Hands a failed reply to the SMTP server again (same bytes, same Message-ID)."""
    _open_contact(rt, who, tenant_id, contact_id)
    thread = await run_in_threadpool(_thread, rt, who, tenant_id, contact_id)
    found = await run_in_threadpool(_one_message, rt, tenant_id, mail_id)
    if found["contact_id"] != contact_id or found["direction"] != "outbound":
        raise NotFound(f"no reply {mail_id!r} of contact {contact_id!r}")
    room = rt.mailroom
    mailbox = room.mailboxes.get((tenant_id, thread.mailbox_id))
    if mailbox is None:
        raise Conflict(f"the conversation's mailbox {thread.mailbox_id!r} no longer exists")
    if not await room.sending.retry(mailbox, mail_id, who.actor):
        raise Conflict(f"the reply is {found['status']}, not failed", code="not_failed")
    return await run_in_threadpool(_one_message, rt, tenant_id, mail_id)


def _one_message(rt: Runtime, tenant_id: str, mail_id: str) -> dict[str, Any]:
    with reading(rt) as conn:
        row = conn.execute(
            select(*[c for c in mail_messages.c if c.name != "raw"]).where(
                mail_messages.c.tenant_id == tenant_id, mail_messages.c.mail_id == mail_id
            )
        ).first()
        if row is None:
            raise NotFound(f"no message {mail_id!r} in tenant {tenant_id!r}")
        files = conn.execute(
            select(*[c for c in mail_attachments.c if c.name != "content"]).where(
                mail_attachments.c.tenant_id == tenant_id, mail_attachments.c.mail_id == mail_id
            )
        ).all()
    return message_body(row, list(files))


@router.get("/attachments/{attachment_id}")
async def attachment(
    tenant_id: str, contact_id: str, attachment_id: str, who: Caller, rt: Rt, inline: bool = False
) -> Response:
    """A file of the conversation, as a download (never rendered in the page); with
    `?inline=true` an inline image (png, jpeg, gif, webp) is served for the desktop to show
    inside its message, still sandboxed."""
    thread = await run_in_threadpool(_thread, rt, who, tenant_id, contact_id)

    def read() -> Any:
        with reading(rt) as conn:
            return conn.execute(
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

    row = await run_in_threadpool(read)
    if row is None:
        raise NotFound(f"no attachment {attachment_id!r} in this conversation")
    # the type the bytes show, not the one the sender declared (the rule of core/files.py)
    media_type = served_media_type(row.content)
    shown = inline and row.is_inline and media_type in IMAGE_TYPES
    name = served_name(row.name, media_type)
    return download(row.content, name, media_type, is_inline=shown)
