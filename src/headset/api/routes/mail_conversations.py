"""A contact's e-mail conversation: its messages, their files, and the agent's reply.

Only the agent the engine has connected the contact to replies (like chats); anyone else
gets 409 naming who answers. The reply leaves over the mailbox's SMTP server with the
threading headers and the conversation's reference token (docs/email.md).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt, reading
from headset.api.principal import Principal
from headset.api.routes.contacts import load_contact
from headset.api.runtime import Runtime
from headset.core.errors import Conflict, NotFound
from headset.mailroom.room import mailroom_of
from headset.routing.model import Channel
from headset.routing.records import ContactStatus
from headset.storage.tables import mail_attachments, mail_messages, mail_threads

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/contacts/{contact_id}/mail", tags=["e-mail"])


def _thread(rt: Runtime, who: Principal, tenant_id: str, contact_id: str) -> Any:
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
    return thread


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


def _conversation(rt: Runtime, thread: Any) -> dict[str, Any]:
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
    return {
        "thread_id": thread.thread_id,
        "reference": thread.reference,
        "subject": thread.subject,
        "customer_address": thread.customer_address,
        "customer_id": thread.customer_id,
        "contact_id": thread.contact_id,
        "messages": [message_body(r, by_mail.get(r.mail_id, [])) for r in rows],
    }


@router.get("")
async def get_conversation(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> dict[str, Any]:
    """The whole conversation, oldest first: the customer's mail, replies, bounces."""
    thread = await run_in_threadpool(_thread, rt, who, tenant_id, contact_id)
    return await run_in_threadpool(_conversation, rt, thread)


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=100_000)


@router.post("/replies", status_code=201)
async def reply(
    tenant_id: str, contact_id: str, body: ReplyIn, who: Caller, rt: Rt
) -> dict[str, Any]:
    """Sends the agent's answer; the stored message says whether the server took it."""
    who.check(tenant_id, Permission.CONTACT_READ)
    live = rt.host.engine.state.contacts.get(contact_id)
    if live is None or live.tenant_id != tenant_id or live.channel is not Channel.EMAIL:
        raise NotFound(f"no open e-mail contact {contact_id!r} in tenant {tenant_id!r}")
    if live.status is not ContactStatus.CONNECTED or live.agent_id is None:
        raise Conflict(f"contact {contact_id!r} is {live.status.value}; accept it first")
    if who.agent_id != live.agent_id:
        raise Conflict(f"agent {live.agent_id} is answering contact {contact_id!r}")
    who.check(tenant_id, Permission.MAIL_SEND)
    thread = await run_in_threadpool(_thread, rt, who, tenant_id, contact_id)
    room = mailroom_of(rt.host)
    mailbox = room.mailboxes.get((tenant_id, thread.mailbox_id))
    if mailbox is None:
        raise Conflict(f"the conversation's mailbox {thread.mailbox_id!r} no longer exists")
    row = await room.sending.reply(mailbox, thread, contact_id, body.text, who.actor)
    return message_body(_Row(row), [])


@router.get("/attachments/{attachment_id}")
async def attachment(
    tenant_id: str, contact_id: str, attachment_id: str, who: Caller, rt: Rt
) -> Response:
    """A file of the conversation, always as a download (never rendered in the page)."""
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
    return Response(
        row.content,
        media_type=row.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{row.name}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
        },
    )


class _Row:
    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)
        self.created_at = values["created_at"]
