"""Sending a conversation's mail: stored as "sending" first, then handed to SMTP, then
marked "sent" or "failed" — so a reply is never sent without a record of it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy import Engine as SqlEngine

from headset.mail.replies import Sender, build_acknowledgement, build_reply
from headset.mail.threads import message_ids
from headset.mailroom import outbound
from headset.mailroom.ids import new_id
from headset.mailroom.mailboxes import Mailbox
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import mail_messages

log = logging.getLogger("headset.mailroom")

SENT = "mail.sent"
FAILED = "mail.failed"


class Sending:
    """Replies and acknowledgements of conversations, recorded around the SMTP hand-over."""

    def __init__(self, host: EngineHost, reader: SqlEngine) -> None:
        self.host = host
        self.reader = reader

    async def reply(
        self, mailbox: Mailbox, thread: Any, contact_id: str, text: str, author_id: str
    ) -> dict[str, Any]:
        """The agent's answer to the customer's latest message of the conversation."""
        last = await asyncio.to_thread(self._last_inbound, mailbox.tenant_id, thread.thread_id)
        message = build_reply(
            Sender(mailbox.address, mailbox.display_name),
            thread.customer_address,
            thread.subject,
            thread.reference,
            text,
            last.message_id if last is not None else None,
            list(last.references) if last is not None else [],
            self.host.clock.now(),
            signature=mailbox.signature or "",
        )
        return await self.send(mailbox, thread, contact_id, message, "reply", author_id, text)

    async def acknowledge(self, mailbox: Mailbox, thread: Any, answered: str) -> dict[str, Any]:
        """The automatic acknowledgement of a new conversation, with its reference."""
        text = (mailbox.acknowledgement or "").replace("{reference}", thread.reference)
        message = build_acknowledgement(
            Sender(mailbox.address, mailbox.display_name),
            thread.customer_address,
            thread.subject,
            thread.reference,
            text,
            answered,
            self.host.clock.now(),
        )
        return await self.send(
            mailbox, thread, thread.contact_id, message, "acknowledgement", "system:mail", text
        )

    async def send(
        self,
        mailbox: Mailbox,
        thread: Any,
        contact_id: str,
        message: EmailMessage,
        kind: str,
        author_id: str,
        text: str,
    ) -> dict[str, Any]:
        tenant_id, now = mailbox.tenant_id, self.host.clock.now()
        row = {
            "tenant_id": tenant_id,
            "mail_id": new_id("ml"),
            "mailbox_id": mailbox.mailbox_id,
            "thread_id": thread.thread_id,
            "contact_id": contact_id,
            "direction": "outbound",
            "kind": kind,
            "message_id": str(message["Message-ID"]),
            "in_reply_to": str(message["In-Reply-To"]) if message["In-Reply-To"] else None,
            "references": message_ids(str(message["References"] or "")),
            "from_address": mailbox.address,
            "from_name": mailbox.display_name,
            "to_addresses": [thread.customer_address],
            "subject": str(message["Subject"]),
            "text": text,
            "html": None,
            "headers": {},
            "refused_attachments": [],
            "bounce": None,
            "status": "sending",
            "error": None,
            "author_id": author_id,
            "created_at": now,
            "sent_at": None,
            # the bytes as handed over: sent again, unchanged, if Headset stops before the
            # server's answer is recorded (see `resend_unsent`)
            "raw": message.as_bytes(policy=policy.SMTP),
        }
        await self.host.submit(
            Operation(inserts=[(mail_messages, row)], tenant_id=tenant_id, actor=author_id)
        )
        status, error, sent_at = await self._hand_over(
            mailbox, row["mail_id"], contact_id, kind, author_id, message
        )
        row.update(status=status, error=error, sent_at=sent_at)
        return row

    async def resend_unsent(self, mailboxes: Mapping[tuple[str, str], Mailbox]) -> int:
        """Hands over again what a stopped process left "sending" (same bytes, same
        Message-ID, so a copy the server did take is recognisable); returns how many."""
        rows = await asyncio.to_thread(self._unsent)
        for row in rows:
            mailbox = mailboxes.get((row.tenant_id, row.mailbox_id))
            if mailbox is None or row.raw is None:
                continue  # its mailbox is gone: it stays "sending" for people to see
            message = BytesParser(policy=policy.default).parsebytes(row.raw)
            assert isinstance(message, EmailMessage)
            await self._hand_over(
                mailbox, row.mail_id, row.contact_id or "", row.kind, row.author_id or "",
                message,
            )  # fmt: skip
        return len(rows)

    def _unsent(self) -> list[Any]:
        with self.reader.connect() as conn:
            return list(
                conn.execute(
                    select(mail_messages)
                    .where(
                        mail_messages.c.direction == "outbound",
                        mail_messages.c.status == "sending",
                    )
                    .order_by(mail_messages.c.created_at)
                ).all()
            )

    async def _hand_over(
        self,
        mailbox: Mailbox,
        mail_id: str,
        contact_id: str,
        kind: str,
        author_id: str,
        message: EmailMessage,
    ) -> tuple[str, str | None, Any]:
        """Sends over SMTP, then records "sent" or "failed" with the server's answer."""
        tenant_id = mailbox.tenant_id
        error: str | None = None
        try:
            await asyncio.to_thread(outbound.send, mailbox, message)
        except Exception as failure:  # the server's refusal is the agent's to see, not a crash
            error = f"{type(failure).__name__}: {failure}"[:1000]
            log.warning("sending mail %s failed: %s", mail_id, error)
        status, sent_at = ("failed", None) if error else ("sent", self.host.clock.now())

        def write(conn: Connection) -> None:
            conn.execute(
                update(mail_messages)
                .where(mail_messages.c.tenant_id == tenant_id, mail_messages.c.mail_id == mail_id)
                .values(status=status, error=error, sent_at=sent_at)
            )

        payload: dict[str, Any] = {"contact_id": contact_id, "mail_id": mail_id, "kind": kind}
        live = self.host.engine.state.contacts.get(contact_id)
        if live is not None and live.agent_id is not None:
            payload["agent_id"] = live.agent_id
        if error:
            payload["error"] = error
        event = NewEvent(
            stream_id=f"contact:{contact_id}",
            type=FAILED if error else SENT,
            payload=payload,
            occurred_at=self.host.clock.now(),
            tenant_id=tenant_id,
            actor=author_id,
        )
        await self.host.submit(
            Operation(write=write, events=[event], tenant_id=tenant_id, actor=author_id)
        )
        return status, error, sent_at

    def _last_inbound(self, tenant_id: str, thread_id: str) -> Any:
        with self.reader.connect() as conn:
            return conn.execute(
                select(mail_messages.c.message_id, mail_messages.c.references)
                .where(
                    mail_messages.c.tenant_id == tenant_id,
                    mail_messages.c.thread_id == thread_id,
                    mail_messages.c.direction == "inbound",
                    mail_messages.c.kind == "message",
                )
                .order_by(mail_messages.c.created_at.desc())
                .limit(1)
            ).first()
