"""A chat's transcript by e-mail, asked for by the customer at the end of the chat.

`POST /api/v1/chat/{widget_key}/chats/{chat_id}/transcript` with the chat's bearer token
(like every call of the widget): once the chat has ended, the tenant's mailbox marked
`sends_transcripts` sends what the customer saw (whispers never) to the address the
customer gave when starting the chat, as an automatic message (`Auto-Submitted`) with a
reference of its own: a person's answer to it becomes an e-mail contact threaded to it.
One transcript per chat: asking again answers 200 with the first (docs/email.md).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from headset.api.deps import Rt, reading
from headset.api.routes.chat_customer import bearer_of, customer_chat
from headset.api.routes.chat_store import transcript
from headset.api.runtime import Runtime
from headset.chat.messages import Viewer
from headset.core.errors import Conflict
from headset.mail.replies import TranscriptLine
from headset.mailroom.mailboxes import Mailbox
from headset.service.host import StorageFailed
from headset.storage.tables import customers, mail_messages

router = APIRouter(prefix="/api/v1/chat/{widget_key}", tags=["chat (customer)"])


def _earlier(rt: Runtime, tenant_id: str, chat_id: str) -> dict[str, Any] | None:
    with reading(rt) as conn:
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
    return {"mail_id": row.mail_id, "status": row.status, "to": row.to_addresses[0]}


def _address(rt: Runtime, tenant_id: str, customer_id: str) -> str | None:
    with reading(rt) as conn:
        return conn.execute(
            select(customers.c.email).where(
                customers.c.tenant_id == tenant_id, customers.c.customer_id == customer_id
            )
        ).scalar()


def _senders(rt: Runtime, tenant_id: str) -> list[Mailbox]:
    return sorted(
        (
            box
            for box in rt.mailroom.mailboxes.values()
            if box.tenant_id == tenant_id and box.is_active and box.sends_transcripts
        ),
        key=lambda box: box.mailbox_id,
    )


def sends_transcripts(rt: Runtime, tenant_id: str) -> bool:
    """Whether a mailbox of the tenant sends chat transcripts (the widget offers them then)."""
    return bool(_senders(rt, tenant_id))


def _sender(rt: Runtime, tenant_id: str) -> Mailbox:
    boxes = _senders(rt, tenant_id)
    if not boxes:
        raise Conflict("transcripts are not sent by e-mail here", code="no_transcripts")
    return boxes[0]


@router.post("/chats/{chat_id}/transcript", status_code=201)
async def send_transcript(
    widget_key: str, chat_id: str, request: Request, response: Response, rt: Rt
) -> dict[str, Any]:
    """Sends the ended chat's transcript to the customer's address (once)."""
    chat = await run_in_threadpool(customer_chat, rt, widget_key, chat_id, bearer_of(request))
    if not chat.is_ended:
        raise Conflict("the transcript is sent once the chat has ended", code="chat_open")
    earlier = await run_in_threadpool(_earlier, rt, chat.tenant_id, chat_id)
    if earlier is not None:
        response.status_code = 200
        return earlier
    address = await run_in_threadpool(_address, rt, chat.tenant_id, chat.customer_id)
    if not address:
        raise Conflict("no e-mail address was given for this chat", code="no_email")
    mailbox = _sender(rt, chat.tenant_id)
    messages = await run_in_threadpool(transcript, rt, chat.tenant_id, chat_id, Viewer.CUSTOMER)
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
        row = await rt.mailroom.sending.transcript(
            mailbox, chat_id, chat.customer_id, address, subject, lines
        )
    except StorageFailed:
        again = await run_in_threadpool(_earlier, rt, chat.tenant_id, chat_id)
        if again is None:
            raise
        response.status_code = 200
        return again
    return {"mail_id": row["mail_id"], "status": row["status"], "to": address}
