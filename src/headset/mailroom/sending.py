"""Sending a conversation's mail: stored as "sending" first, then handed to SMTP, then
marked "sent" or "failed" — so a reply is never sent without a record of it.

The stored row is the outbox: a failed hand-over is tried again with back-off
(`RETRY_DELAYS`, picked up by the mailroom's retry loop, after a restart too) until the
attempts run out; the agent can try again at any time. A reply sent with an idempotency
key is stored once per contact and key: a repeated request returns the first reply.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy import Engine as SqlEngine

from headset.core.ids import new_id
from headset.mail.replies import (
    OutgoingFile,
    Sender,
    TranscriptLine,
    build_acknowledgement,
    build_reply,
    build_survey_invitation,
    build_transcript,
)
from headset.mail.threads import message_ids, new_reference
from headset.mailroom import outbound
from headset.mailroom.events import HandOver, MailFailed, MailSent
from headset.mailroom.mailboxes import Mailbox
from headset.mailroom.servers import ServerAccess
from headset.service.host import EngineHost, StorageFailed
from headset.service.operations import Operation
from headset.storage.tables import mail_attachments, mail_messages, mail_threads

log = logging.getLogger("headset.mailroom")


#: Waits before the automatic attempts after a failed hand-over: attempt 2 comes 30 s
#: after the first failure, ... ; after the last one the message stays "failed".
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def next_attempt(attempts: int, failed_at: datetime) -> datetime | None:
    """When to try again after `attempts` failed hand-overs (None: no more automatic tries)."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return failed_at + RETRY_DELAYS[max(attempts, 1) - 1]


class Sending:
    """Replies, acknowledgements, survey links and chat transcripts, recorded around the
    SMTP hand-over."""

    def __init__(self, host: EngineHost, reader: SqlEngine, access: ServerAccess) -> None:
        self.host = host
        self.reader = reader
        self.access = access

    async def reply(
        self,
        mailbox: Mailbox,
        thread: Any,
        contact_id: str,
        text: str,
        author_id: str,
        files: Sequence[OutgoingFile] = (),
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:
        """The agent's answer to the customer's latest message of the conversation; with an
        `idempotency_key` already used for this contact, the reply stored then."""
        tenant_id = mailbox.tenant_id
        if idempotency_key is not None:
            earlier = await asyncio.to_thread(self._by_key, tenant_id, contact_id, idempotency_key)
            if earlier is not None:
                return earlier
        answered, references = await self._answered(mailbox, thread)
        message = build_reply(
            Sender(mailbox.address, mailbox.display_name),
            thread.customer_address,
            thread.subject,
            thread.reference,
            text,
            answered,
            references,
            self.host.clock.now(),
            signature=mailbox.signature or "",
            files=files,
        )
        try:
            return await self.send(
                mailbox, thread, contact_id, message, "reply", author_id, text,
                files=files, idempotency_key=idempotency_key,
            )  # fmt: skip
        except StorageFailed:
            if idempotency_key is None:
                raise
            # the same key at the same moment: the other request stored it first
            earlier = await asyncio.to_thread(self._by_key, tenant_id, contact_id, idempotency_key)
            if earlier is None:
                raise
            return earlier

    async def acknowledge(
        self, mailbox: Mailbox, thread: Any, answered: str, *, is_sender_verified: bool = False
    ) -> dict[str, Any]:
        """The automatic acknowledgement of a new conversation, with its reference; it
        repeats the customer's subject (and threads under their message) only for a verified
        sender, since anyone can write in another's name."""
        text = (mailbox.acknowledgement or "").replace("{reference}", thread.reference)
        message = build_acknowledgement(
            Sender(mailbox.address, mailbox.display_name),
            thread.customer_address,
            thread.subject if is_sender_verified else None,
            thread.reference,
            text,
            answered if is_sender_verified else None,
            self.host.clock.now(),
        )
        return await self.send(
            mailbox, thread, thread.contact_id, message, "acknowledgement", "system:mail", text
        )

    async def survey(
        self, mailbox: Mailbox, thread: Any, contact_id: str, link: str
    ) -> dict[str, Any] | None:
        """The survey link, in the conversation's thread, once per contact."""
        key = f"survey:{contact_id}"
        if await asyncio.to_thread(self._by_key, mailbox.tenant_id, contact_id, key):
            return None
        answered, references = await self._answered(mailbox, thread)
        text = f"Thank you for writing to us. How did we do? One question, one click:\n\n{link}\n"
        message = build_survey_invitation(
            Sender(mailbox.address, mailbox.display_name),
            thread.customer_address,
            thread.subject,
            thread.reference,
            text,
            answered,
            references,
            self.host.clock.now(),
        )
        try:
            return await self.send(
                mailbox, thread, contact_id, message, "survey", "system:mail", text,
                idempotency_key=key,
            )  # fmt: skip
        except StorageFailed:
            return None  # sent by another task a moment ago

    async def transcript(
        self,
        mailbox: Mailbox,
        contact_id: str,
        customer_id: str | None,
        to: str,
        subject: str,
        lines: list[TranscriptLine],
    ) -> dict[str, Any]:
        """A chat's transcript to the customer, as a conversation of its own (its contact is
        the chat), so a person's answer to it joins it and queues a new e-mail contact."""
        now = self.host.clock.now()
        reference, thread_id = new_reference(), new_id("th")
        thread: dict[str, Any] = {
            "tenant_id": mailbox.tenant_id,
            "thread_id": thread_id,
            "mailbox_id": mailbox.mailbox_id,
            "reference": reference,
            "contact_id": contact_id,
            "customer_id": customer_id,
            "customer_address": to,
            "subject": subject[:1000],
            "created_at": now,
        }
        message = build_transcript(
            Sender(mailbox.address, mailbox.display_name), to, subject, reference, lines, now
        )
        text = message.get_content()
        return await self.send(
            mailbox, _Thread(thread_id, to), contact_id, message, "transcript",
            "customer", text, idempotency_key=f"transcript:{contact_id}",
            thread_row=thread,
        )  # fmt: skip

    async def send(
        self,
        mailbox: Mailbox,
        thread: Any,
        contact_id: str,
        message: EmailMessage,
        kind: str,
        author_id: str,
        text: str,
        files: Sequence[OutgoingFile] = (),
        idempotency_key: str | None = None,
        thread_row: dict[str, Any] | None = None,
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
            "idempotency_key": idempotency_key,
            "attempts": 0,
            "next_attempt_at": None,
        }
        inserts: list[tuple[Any, dict[str, Any]]] = [(mail_messages, row)]
        if thread_row is not None:
            inserts.insert(0, (mail_threads, thread_row))
        for f in files:
            inserts.append(
                (
                    mail_attachments,
                    {
                        "tenant_id": tenant_id,
                        "attachment_id": new_id("ma"),
                        "mail_id": row["mail_id"],
                        "name": f.name,
                        "media_type": f.media_type,
                        "size": len(f.content),
                        "content_id": None,
                        "is_inline": False,
                        "content": f.content,
                    },
                )
            )
        await self.host.submit(Operation(inserts=inserts, tenant_id=tenant_id, actor=author_id))
        status, error, sent_at, attempts, retry_at = await self._hand_over(
            mailbox, row["mail_id"], contact_id, kind, author_id, message, 0
        )
        row.update(
            status=status, error=error, sent_at=sent_at, attempts=attempts,
            next_attempt_at=retry_at,
        )  # fmt: skip
        return row

    async def retry(self, mailbox: Mailbox, mail_id: str, actor: str) -> bool:
        """Hands a "failed" message over again now; False if it is not "failed" (any more)."""
        row = await asyncio.to_thread(self._one, mailbox.tenant_id, mail_id)
        if row is None or row.status != "failed" or row.raw is None:
            return False
        if not await self._claim(mailbox.tenant_id, mail_id, actor):
            return False  # the retry loop (or another click) took it first
        message = BytesParser(policy=policy.default).parsebytes(row.raw)
        assert isinstance(message, EmailMessage)
        await self._hand_over(
            mailbox, mail_id, row.contact_id or "", row.kind, actor, message, row.attempts
        )
        return True

    async def retry_due(self, mailboxes: Mapping[tuple[str, str], Mailbox]) -> int:
        """Hands over again every failed message whose next attempt is due; returns how many."""
        now = self.host.clock.now()
        rows = await asyncio.to_thread(self._due, now)
        count = 0
        for row in rows:
            mailbox = mailboxes.get((row.tenant_id, row.mailbox_id))
            if mailbox is None or row.raw is None:
                continue
            if not await self._claim(row.tenant_id, row.mail_id, "system:mail"):
                continue
            message = BytesParser(policy=policy.default).parsebytes(row.raw)
            assert isinstance(message, EmailMessage)
            await self._hand_over(
                mailbox, row.mail_id, row.contact_id or "", row.kind, row.author_id or "",
                message, row.attempts,
            )  # fmt: skip
            count += 1
        return count

    async def _claim(self, tenant_id: str, mail_id: str, actor: str) -> bool:
        """Marks a failed message "sending" (durably, before the hand-over) unless another
        task did so first."""

        def write(conn: Connection) -> bool:
            done = conn.execute(
                update(mail_messages)
                .where(
                    mail_messages.c.tenant_id == tenant_id,
                    mail_messages.c.mail_id == mail_id,
                    mail_messages.c.status == "failed",
                )
                .values(status="sending", next_attempt_at=None)
            )
            return bool(done.rowcount)

        outcome = await self.host.submit(Operation(write=write, tenant_id=tenant_id, actor=actor))
        return bool(outcome.written)

    def _due(self, now: datetime) -> list[Any]:
        with self.reader.connect() as conn:
            return list(
                conn.execute(
                    select(mail_messages)
                    .where(
                        mail_messages.c.status == "failed",
                        mail_messages.c.next_attempt_at.is_not(None),
                        mail_messages.c.next_attempt_at <= now,
                    )
                    .order_by(mail_messages.c.next_attempt_at)
                    .limit(100)
                ).all()
            )

    def _one(self, tenant_id: str, mail_id: str) -> Any:
        with self.reader.connect() as conn:
            return conn.execute(
                select(mail_messages).where(
                    mail_messages.c.tenant_id == tenant_id, mail_messages.c.mail_id == mail_id
                )
            ).first()

    def _by_key(self, tenant_id: str, contact_id: str, key: str) -> dict[str, Any] | None:
        with self.reader.connect() as conn:
            row = conn.execute(
                select(mail_messages).where(
                    mail_messages.c.tenant_id == tenant_id,
                    mail_messages.c.contact_id == contact_id,
                    mail_messages.c.idempotency_key == key,
                )
            ).first()
        return dict(row._mapping) if row is not None else None

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
                message, row.attempts,
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
        attempts_before: int,
    ) -> tuple[str, str | None, Any, int, datetime | None]:
        """Sends over SMTP, then records "sent" or "failed" with the server's answer, the
        attempt count and, after a failure, when the retry loop tries again."""
        tenant_id = mailbox.tenant_id
        attempts = attempts_before + 1
        error: str | None = None
        try:
            await asyncio.to_thread(outbound.send, mailbox, message, self.access)
        except Exception as failure:  # the server's refusal is the agent's to see, not a crash
            error = f"{type(failure).__name__}: {failure}"[:1000]
            log.warning("sending mail %s failed: %s", mail_id, error)
        now = self.host.clock.now()
        status, sent_at = ("failed", None) if error else ("sent", now)
        retry_at = next_attempt(attempts, now) if error else None

        def write(conn: Connection) -> None:
            conn.execute(
                update(mail_messages)
                .where(mail_messages.c.tenant_id == tenant_id, mail_messages.c.mail_id == mail_id)
                .values(
                    status=status,
                    error=error,
                    sent_at=sent_at,
                    attempts=attempts,
                    next_attempt_at=retry_at,
                )
            )

        live = self.host.engine.state.contacts.get(contact_id)
        handed = HandOver(
            tenant_id, contact_id, mail_id, kind, attempts,
            live.agent_id if live is not None else None, author_id, self.host.clock.now(),
        )  # fmt: skip
        done = MailFailed(handed, error, retry_at) if error else MailSent(handed)
        event = done.new_event()
        await self.host.submit(
            Operation(write=write, events=[event], tenant_id=tenant_id, actor=author_id)
        )
        return status, error, sent_at, attempts, retry_at

    async def _answered(self, mailbox: Mailbox, thread: Any) -> tuple[str | None, list[str]]:
        """The Message-ID and References of the customer's latest message, which a message
        in the thread answers (none yet: no threading headers)."""
        last = await asyncio.to_thread(self._last_inbound, mailbox.tenant_id, thread.thread_id)
        return (last.message_id, list(last.references)) if last is not None else (None, [])

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


class _Thread:
    """What `send` reads of a conversation that is being made with the message."""

    def __init__(self, thread_id: str, customer_address: str) -> None:
        self.thread_id = thread_id
        self.customer_address = customer_address
