"""Ingestion: a delivered message becomes part of a conversation, durably and only once.

`Ingest.deliver` returns only after the message (and, for a new conversation, its contact
queued through the engine) is committed through the engine host; the SMTP receiver answers
250 and the IMAP watcher marks the message \\Seen only then. The unique (tenant, mailbox,
Message-ID) of `mail_messages` makes a second delivery of the same message a no-op, so a
crash between commit and acknowledgement duplicates nothing. A message over the mailroom's
rate limits is refused before anything is stored (`Deferred`, mailroom/limits.py).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy import Engine as SqlEngine

from headset.contacts.start import ClaimedCustomer, KnownCustomer, StartContact
from headset.core.ids import new_id
from headset.customers.matching import Claim, Source
from headset.mail.authentication import is_dmarc_pass
from headset.mail.parsing import Mail, parse
from headset.mail.threads import candidates, new_reference
from headset.mailroom.events import MailReceived
from headset.mailroom.limits import MailLimits
from headset.mailroom.mailboxes import Mailbox
from headset.routing.model import Channel
from headset.service.contacts import Alongside, start_contact
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import (
    mail_attachments,
    mail_messages,
    mail_threads,
)

log = logging.getLogger("headset.mailroom")


@dataclass(frozen=True, slots=True)
class Delivery:
    """What became of a delivered message."""

    #: "new" (a new conversation), "joined", "duplicate", or "held" (a machine's message
    #: with no conversation to join: stored, not routed).
    outcome: str
    mail_id: str | None
    contact_id: str | None
    thread_id: str | None
    #: Whether the caller should send the automatic acknowledgement.
    wants_acknowledgement: bool = False
    #: Whether the MTA in front vouched for the sender (DMARC passed, mail/authentication.py).
    is_sender_verified: bool = False


@dataclass(frozen=True, slots=True)
class _Found:
    is_duplicate: bool
    thread: Any  # a mail_threads row, or None
    contact_id: str | None


class Ingest:
    """Turns raw messages of a mailbox into stored mail, threads and contacts."""

    def __init__(
        self,
        host: EngineHost,
        reader: SqlEngine,
        limits: MailLimits | None = None,
        authserv_id: str | None = None,
    ) -> None:
        self.host = host
        self.reader = reader
        self.limits = limits or MailLimits()
        #: The operator's MTA whose Authentication-Results are believed (none: no sender is
        #: verified).
        self.authserv_id = authserv_id

    async def deliver(self, mailbox: Mailbox, raw: bytes) -> Delivery:
        """Stores the message once; raises TooLarge, Deferred (over a rate limit: nothing
        stored), or anything that means "try again"."""
        # in a worker thread: a large message would otherwise hold up the event loop
        mail = await asyncio.to_thread(parse, raw, mailbox.max_message_bytes)
        self.limits.admit(mailbox, mail.from_address, self.host.clock.now())
        return await self.store(mailbox, mail)

    async def store(self, mailbox: Mailbox, mail: Mail) -> Delivery:
        found = await asyncio.to_thread(self._find, mailbox, mail)
        if found.is_duplicate:
            return Delivery("duplicate", None, found.contact_id, None)
        try:
            return await self._submit(mailbox, mail, found)
        except Exception:
            # a second delivery racing this one hits the unique constraint: not an error
            again = await asyncio.to_thread(self._find, mailbox, mail)
            if again.is_duplicate:
                return Delivery("duplicate", None, again.contact_id, None)
            raise

    # reading --------------------------------------------------------------------------
    def _find(self, mailbox: Mailbox, mail: Mail) -> _Found:
        tenant_id = mailbox.tenant_id
        with self.reader.connect() as conn:
            seen = conn.execute(
                select(mail_messages.c.contact_id).where(
                    mail_messages.c.tenant_id == tenant_id,
                    mail_messages.c.mailbox_id == mailbox.mailbox_id,
                    mail_messages.c.message_id == mail.message_id,
                )
            ).first()
            if seen is not None:
                return _Found(True, None, seen.contact_id)
            thread = _thread_of(conn, tenant_id, mail)
        return _Found(False, thread, thread.contact_id if thread is not None else None)

    # writing --------------------------------------------------------------------------
    async def _submit(self, mailbox: Mailbox, mail: Mail, found: _Found) -> Delivery:
        now = self.host.clock.now()
        tenant_id = mailbox.tenant_id
        kind = "bounce" if mail.bounce else "automatic" if mail.is_automatic else "message"
        thread = found.thread
        new_contact: str | None = None
        outcome = "joined"
        if kind == "message" and thread is None:
            if not self.limits.opens_conversation(mailbox, mail.from_address, now):
                kind, outcome = "automatic", "held"  # a robot that does not say so
            else:
                outcome = "new"
        if kind != "message" and thread is None:
            outcome = "held"
        elif kind == "message" and (thread is None or not self._is_live(thread.contact_id)):
            # a new conversation, or an answer to one whose contact is over: a new contact
            new_contact = new_id("c")
        thread_id = (
            thread.thread_id if thread is not None else (new_id("th") if outcome == "new" else None)
        )
        contact_id = new_contact or (thread.contact_id if thread is not None else None)
        reference = thread.reference if thread is not None else new_reference()
        mail_id = new_id("ml")
        row = _message_row(mailbox, mail, mail_id, thread_id, contact_id, kind, now)
        files = [
            {
                "tenant_id": tenant_id,
                "attachment_id": new_id("ma"),
                "mail_id": mail_id,
                "name": f.name,
                "media_type": f.media_type,
                "size": len(f.content),
                "content_id": f.content_id,
                "is_inline": f.is_inline,
                "content": f.content,
            }
            for f in mail.attachments
        ]

        def write(conn: Connection, customer_id: str | None) -> None:
            """The conversation's rows; `customer_id` is the new contact's customer."""
            if outcome == "new":
                conn.execute(
                    insert(mail_threads).values(
                        tenant_id=tenant_id,
                        thread_id=thread_id,
                        mailbox_id=mailbox.mailbox_id,
                        reference=reference,
                        contact_id=new_contact,
                        customer_id=customer_id,
                        customer_address=mail.from_address,
                        subject=(mail.subject or "(no subject)")[:1000],
                        created_at=now,
                    )
                )
            elif new_contact is not None and thread is not None:
                conn.execute(
                    update(mail_threads)
                    .where(
                        mail_threads.c.tenant_id == tenant_id,
                        mail_threads.c.thread_id == thread.thread_id,
                    )
                    .values(contact_id=new_contact)
                )
            conn.execute(insert(mail_messages).values(**row))
            if files:
                conn.execute(insert(mail_attachments), files)

        events = []
        if contact_id is not None:
            events.append(self._event(tenant_id, contact_id, mail, mail_id, thread_id, kind, now))
        actor = f"mail:{mailbox.mailbox_id}"
        if new_contact is not None:
            start = StartContact(
                tenant_id,
                new_contact,
                mailbox.queue_id,
                Channel.EMAIL,
                subject=mail.subject or "(no subject)",
                customer=_customer(mail, thread),
            )
            also = Alongside(write=write, events=tuple(events))
            await start_contact(self.host, start, actor=actor, alongside=also, now=now)
        else:
            await self.host.submit(
                Operation(
                    write=lambda conn: write(conn, None),
                    events=events,
                    tenant_id=tenant_id,
                    actor=actor,
                )
            )
        return Delivery(
            outcome,
            mail_id,
            contact_id,
            thread_id,
            wants_acknowledgement=outcome == "new" and bool(mailbox.acknowledgement),
            is_sender_verified=is_dmarc_pass(mail.headers, mail.from_address, self.authserv_id),
        )

    def _is_live(self, contact_id: str) -> bool:
        """Whether the contact is still with the engine (waiting, offered, answered, wrap-up)."""
        return contact_id in self.host.engine.state.contacts

    def _event(
        self,
        tenant_id: str,
        contact_id: str,
        mail: Mail,
        mail_id: str,
        thread_id: str | None,
        kind: str,
        now: datetime,
    ) -> NewEvent:
        live = self.host.engine.state.contacts.get(contact_id)
        agent_id = live.agent_id if live is not None else None  # who answers sees it at once
        return MailReceived(
            tenant_id, contact_id, mail_id, thread_id, kind, mail.from_address, mail.subject,
            agent_id, now,
        ).new_event()  # fmt: skip


def _thread_of(conn: Connection, tenant_id: str, mail: Mail) -> Any:
    """The conversation by message ids (the bounce's original first), then by reference."""
    ids = candidates(mail.in_reply_to, mail.references)
    if mail.bounce is not None and mail.bounce.original_message_id:
        ids.insert(0, mail.bounce.original_message_id)
    for message_id in ids:
        hit = conn.execute(
            select(mail_messages.c.thread_id)
            .where(
                mail_messages.c.tenant_id == tenant_id,
                mail_messages.c.message_id == message_id,
                mail_messages.c.thread_id.is_not(None),
            )
            .limit(1)
        ).first()
        if hit is not None:
            return _thread(conn, tenant_id, mail_threads.c.thread_id == hit.thread_id)
    if mail.reference:
        return _thread(conn, tenant_id, mail_threads.c.reference == mail.reference)
    return None


def _thread(conn: Connection, tenant_id: str, condition: Any) -> Any:
    return conn.execute(
        select(mail_threads).where(mail_threads.c.tenant_id == tenant_id, condition)
    ).first()


def _customer(mail: Mail, thread: Any) -> KnownCustomer | ClaimedCustomer:
    """The sender's customer: the conversation's when the mail continues it from the same
    address; else a new one carrying the From line, tentatively linked to the customer with
    that address (a From line proves nothing: customers/matching.py)."""
    if thread is not None and thread.customer_id and thread.customer_address == mail.from_address:
        return KnownCustomer(str(thread.customer_id))
    claim = Claim(name=mail.from_name or None, email=mail.from_address)
    return ClaimedCustomer(claim, Source.UNVERIFIED)


def _message_row(
    mailbox: Mailbox,
    mail: Mail,
    mail_id: str,
    thread_id: str | None,
    contact_id: str | None,
    kind: str,
    now: datetime,
) -> dict[str, Any]:
    bounce = mail.bounce
    return {
        "tenant_id": mailbox.tenant_id,
        "mail_id": mail_id,
        "mailbox_id": mailbox.mailbox_id,
        "thread_id": thread_id,
        "contact_id": contact_id,
        "direction": "inbound",
        "kind": kind,
        "message_id": mail.message_id[:500],
        "in_reply_to": (mail.in_reply_to or "")[:500] or None,
        "references": list(mail.references),
        "from_address": mail.from_address[:320],
        "from_name": mail.from_name[:200],
        "to_addresses": list(mail.to_addresses),
        "subject": mail.subject[:1000],
        "text": mail.text,
        "html": mail.html,
        "headers": dict(mail.headers),
        "refused_attachments": [{"name": n, "reason": r} for n, r in mail.refused],
        "bounce": (
            {
                "original_message_id": bounce.original_message_id,
                "recipient": bounce.recipient,
                "status": bounce.status,
                "reason": bounce.reason,
            }
            if bounce is not None
            else None
        ),
        "status": "received",
        "error": None,
        "author_id": None,
        "raw": None,
        "created_at": now,
        # the sender's Date only when it names its zone ("-0000" means unknown)
        "sent_at": mail.sent_at if mail.sent_at and mail.sent_at.tzinfo else None,
    }
