"""The agent's reply to an e-mail contact, and sending a failed reply again.

Only the agent the engine has connected the contact to replies (like chats); anyone else
gets 409 naming who answers. The reply leaves over the mailbox's SMTP server with the
threading headers and the conversation's reference token (docs/email.md). A reply with an
idempotency key is sent once: the same key again returns the first reply.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from headset.access.caller import Caller
from headset.access.permissions import Permission, Scope
from headset.core.errors import Conflict, Invalid, NotFound
from headset.mail.attachments import judge, safe_file_name
from headset.mail.replies import OutgoingFile
from headset.mailroom.conversation_views import MessageOut
from headset.mailroom.conversations import find_thread, one_message, reply_files_max_bytes
from headset.mailroom.mailboxes import Mailbox
from headset.routing.model import Channel
from headset.routing.records import ContactStatus

if TYPE_CHECKING:
    from headset.mailroom.room import Mailroom


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


async def reply(
    room: Mailroom,
    who: Caller,
    tenant_id: str,
    contact_id: str,
    body: ReplyIn,
    *,
    idempotency_key: str | None,
    max_body_bytes: int,
) -> MessageOut:
    """Sends the agent's answer; the stored message says whether the server took it."""
    scope = _open_contact(room, who, tenant_id, contact_id)
    thread, mailbox = await _thread_and_mailbox(room, who, tenant_id, contact_id, scope)
    if idempotency_key and body.client_id and idempotency_key != body.client_id:
        raise Invalid("the Idempotency-Key header and client_id differ", field="client_id")
    files = outgoing_files(body.files, reply_files_max_bytes(max_body_bytes, mailbox))
    key = idempotency_key or body.client_id
    row = await room.sending.reply(
        mailbox, thread, contact_id, body.text, who.actor, files,
        f"client:{key}" if key else None,  # apart from Headset's own keys (survey:, ...)
    )  # fmt: skip
    return await asyncio.to_thread(one_message, room, tenant_id, row["mail_id"])


async def retry(
    room: Mailroom, who: Caller, tenant_id: str, contact_id: str, mail_id: str
) -> MessageOut:
    """Hands a failed reply to the SMTP server again (same bytes, same Message-ID)."""
    scope = _open_contact(room, who, tenant_id, contact_id)
    thread, _ = await asyncio.to_thread(find_thread, room, tenant_id, contact_id, scope, who)
    found = await asyncio.to_thread(one_message, room, tenant_id, mail_id)
    if found.contact_id != contact_id or found.direction != "outbound":
        raise NotFound(f"no reply {mail_id!r} of contact {contact_id!r}")
    mailbox = _mailbox(room, tenant_id, thread)
    if not await room.sending.retry(mailbox, mail_id, who.actor):
        raise Conflict(f"the reply is {found.status}, not failed", code="not_failed")
    return await asyncio.to_thread(one_message, room, tenant_id, mail_id)


def _open_contact(room: Mailroom, who: Caller, tenant_id: str, contact_id: str) -> Scope:
    """The contact is an open e-mail and the caller is the agent connected to it; the
    caller's scope of `contact.read`."""
    scope = who.check(tenant_id, Permission.CONTACT_READ)
    live = room.host.engine.state.contacts.get(contact_id)
    if live is None or live.tenant_id != tenant_id or live.channel is not Channel.EMAIL:
        raise NotFound(f"no open e-mail contact {contact_id!r} in tenant {tenant_id!r}")
    if live.status is not ContactStatus.CONNECTED or live.agent_id is None:
        raise Conflict(f"contact {contact_id!r} is {live.status.value}; accept it first")
    if who.agent_id != live.agent_id:
        raise Conflict(f"agent {live.agent_id} is answering contact {contact_id!r}")
    who.check(tenant_id, Permission.MAIL_SEND)
    return scope


async def _thread_and_mailbox(
    room: Mailroom, who: Caller, tenant_id: str, contact_id: str, scope: Scope
) -> tuple[Any, Mailbox]:
    thread, _ = await asyncio.to_thread(find_thread, room, tenant_id, contact_id, scope, who)
    return thread, _mailbox(room, tenant_id, thread)


def _mailbox(room: Mailroom, tenant_id: str, thread: Any) -> Mailbox:
    mailbox = room.mailboxes.get((tenant_id, thread.mailbox_id))
    if mailbox is None:
        raise Conflict(f"the conversation's mailbox {thread.mailbox_id!r} no longer exists")
    return mailbox
