"""A contact's e-mail conversation: its messages, their files, its timers, and the agent's
reply (mailroom/conversations.py reads, mailroom/agent_replies.py sends).

A reply sent with an `Idempotency-Key` header (or `client_id` in the body) is sent once: the
same key again returns the first reply.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response
from starlette.concurrency import run_in_threadpool

from headset.access.permissions import Permission
from headset.api.deps import Caller, Rt
from headset.api.downloads import download
from headset.core.files import IMAGE_TYPES, served_media_type, served_name
from headset.mailroom import agent_replies
from headset.mailroom.agent_replies import ReplyIn
from headset.mailroom.conversation_views import MessageOut
from headset.mailroom.conversations import ConversationOut, conversation_file, read_conversation

router = APIRouter(prefix="/api/v1/tenants/{tenant_id}/contacts/{contact_id}/mail", tags=["e-mail"])


@router.get("")
async def get_conversation(tenant_id: str, contact_id: str, who: Caller, rt: Rt) -> ConversationOut:
    """The whole conversation, oldest first: the customer's mail, replies, bounces; the
    mailbox's signature, the reply's file limit and the contact's timers; the read is
    audited."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    return await read_conversation(
        rt.mailroom, who, who.actor, tenant_id, contact_id, scope, rt.settings.max_body_bytes
    )


@router.post("/replies", status_code=201)
async def reply(
    tenant_id: str,
    contact_id: str,
    body: ReplyIn,
    who: Caller,
    rt: Rt,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> MessageOut:
    """Sends the agent's answer; the stored message says whether the server took it."""
    return await agent_replies.reply(
        rt.mailroom, who, tenant_id, contact_id, body,
        idempotency_key=idempotency_key, max_body_bytes=rt.settings.max_body_bytes,
    )  # fmt: skip


@router.post("/replies/{mail_id}/retry")
async def retry(tenant_id: str, contact_id: str, mail_id: str, who: Caller, rt: Rt) -> MessageOut:
    """Hands a failed reply to the SMTP server again (same bytes, same Message-ID)."""
    return await agent_replies.retry(rt.mailroom, who, tenant_id, contact_id, mail_id)


@router.get("/attachments/{attachment_id}")
async def attachment(
    tenant_id: str, contact_id: str, attachment_id: str, who: Caller, rt: Rt, inline: bool = False
) -> Response:
    """A file of the conversation, as a download (never rendered in the page); with
    `?inline=true` an inline image (png, jpeg, gif, webp) is served for the desktop to show
    inside its message, still sandboxed."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    row = await run_in_threadpool(
        conversation_file, rt.mailroom, tenant_id, contact_id, attachment_id, scope, who
    )
    # the type the bytes show, not the one the sender declared (the rule of core/files.py)
    media_type = served_media_type(row.content)
    shown = inline and row.is_inline and media_type in IMAGE_TYPES
    return download(row.content, served_name(row.name, media_type), media_type, is_inline=shown)
