"""The mailroom of one service process: its mailboxes, receiver, IMAP watchers and sender.

Built, started (after the engine host) and stopped by the composition root (bootstrap.py).
Mailbox changes made through the API call `refresh`, which reloads the settings and restarts
the watchers whose settings changed. Its `access` opens the mailboxes' sealed passwords and
checks their hosts (mailroom/servers.py); its `ingest.limits` are the rate limits of mail in
and of acknowledgements out (mailroom/limits.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine as SqlEngine
from sqlalchemy import select

from headset.core.errors import Invalid
from headset.mailroom.imap_watch import ImapWatcher
from headset.mailroom.ingest import Delivery, Ingest
from headset.mailroom.limits import MailLimits
from headset.mailroom.mailboxes import Mailbox, load_mailboxes
from headset.mailroom.receiver import DeliveryHandler, make_protocol
from headset.mailroom.sending import Sending
from headset.mailroom.servers import ServerAccess
from headset.routing.events import ContactCompleted
from headset.service.host import EngineHost
from headset.storage import codec
from headset.storage.event_log import StoredEvent
from headset.storage.tables import contacts, mail_messages, mail_threads

#: How far back a starting mailroom looks for wrapped-up contacts whose survey link was lost.
MISSED_SURVEYS_WITHIN = timedelta(days=2)
#: Makes the survey link of a contact: (tenant_id, contact_id) -> URL.
SurveyLink = Callable[[str, str], str]

log = logging.getLogger("headset.mailroom")

#: The wire name of a wrap-up, from its class: only those are decoded after a commit.
_COMPLETED = next(name for name, cls in codec.EVENT_TYPES.items() if cls is ContactCompleted)

#: The largest message the receiver reads at all; each mailbox may set a smaller limit.
RECEIVER_MAX_BYTES = 50_000_000
#: How long a delivery from an IMAP thread may wait for the writer.
DELIVERY_TIMEOUT_SECONDS = 60
#: How often the outbox is looked at for failed messages due for another attempt.
RETRY_INTERVAL_SECONDS = 10.0


class Mailroom:
    def __init__(
        self,
        host: EngineHost,
        reader: SqlEngine,
        access: ServerAccess,
        *,
        authserv_id: str | None = None,
        limits: MailLimits | None = None,
    ) -> None:
        self.host = host
        self.reader = reader
        self.access = access
        self.ingest = Ingest(host, reader, limits, authserv_id)
        self.sending = Sending(host, reader, access)
        self.mailboxes: dict[tuple[str, str], Mailbox] = {}
        self.by_address: dict[str, Mailbox] = {}
        self.watchers: dict[tuple[str, str], ImapWatcher] = {}
        self.server: asyncio.Server | None = None
        self.receiver_port: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._background: set[asyncio.Task[Any]] = set()
        self.retry_interval = RETRY_INTERVAL_SECONDS
        self.survey_link: SurveyLink | None = None

    # start and stop --------------------------------------------------------------------
    async def start(self, receiver_bind: str | None) -> None:
        self._loop = asyncio.get_running_loop()
        await self.refresh()
        self.host.listeners.append(self._on_events)
        # in the background: another mail server must not hold up the service's start
        for job in (self._resend(), self._retry_loop(), self.send_missed_surveys()):
            task = self._loop.create_task(job)
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        if receiver_bind:
            host, _, port = receiver_bind.rpartition(":")
            handler = DeliveryHandler(self.ingest, self.mailbox_for)
            handler.on_delivered = self._after_delivery
            self.server = await self._loop.create_server(
                make_protocol(handler, RECEIVER_MAX_BYTES), host.strip("[]") or "127.0.0.1",
                int(port),
            )  # fmt: skip
            self.receiver_port = int(self.server.sockets[0].getsockname()[1])
            log.info("SMTP receiver listening", extra={"port": self.receiver_port})

    async def stop(self) -> None:
        if self._on_events in self.host.listeners:
            self.host.listeners.remove(self._on_events)
        for watcher in self.watchers.values():
            watcher.stopping.set()
        if self.server is not None:
            self.server.close()
            self.server = None
        await asyncio.to_thread(self._join_watchers)
        self.watchers.clear()
        for task in list(self._background):
            task.cancel()

    async def _resend(self) -> None:
        try:
            count = await self.sending.resend_unsent(self.mailboxes)
        except Exception:
            log.exception("sending again what was left unsent failed")
            return
        if count:
            log.info("sent again what a stopped process left unsent", extra={"count": count})

    async def _retry_loop(self) -> None:
        """Tries failed hand-overs again when their back-off is over (sending.RETRY_DELAYS)."""
        while True:
            await asyncio.sleep(self.retry_interval)
            try:
                count = await self.sending.retry_due(self.mailboxes)
            except Exception:
                log.exception("trying failed mail again failed")
                continue
            if count:
                log.info("tried failed mail again", extra={"count": count})

    def _on_events(self, events: list[StoredEvent]) -> None:
        """After a commit: a wrapped-up contact may get the survey link by e-mail."""
        if self.survey_link is None:
            return
        for event in events:
            if event.tenant_id is None or event.type != _COMPLETED:
                continue
            try:
                typed = codec.decode(event.type, event.payload)
            except Invalid:  # not the engine's (or not this version's): nothing to do
                continue
            if not isinstance(typed, ContactCompleted):
                continue
            job = self._survey(event.tenant_id, typed.contact_id)
            task = asyncio.get_running_loop().create_task(job)
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _survey(self, tenant_id: str, contact_id: str) -> None:
        try:
            thread = await asyncio.to_thread(self._thread_of_contact, tenant_id, contact_id)
            if thread is None:
                return  # not an e-mail conversation (or a transcript's)
            mailbox = self.mailboxes.get((tenant_id, thread.mailbox_id))
            if mailbox is None or not mailbox.is_active or not mailbox.send_survey:
                return
            assert self.survey_link is not None
            await self.sending.survey(mailbox, thread, contact_id, self.survey_link(
                tenant_id, contact_id))  # fmt: skip
        except Exception:
            log.exception("sending the survey link failed")

    async def send_missed_surveys(self, within: timedelta = MISSED_SURVEYS_WITHIN) -> int:
        """Survey links a stopped process did not send: the link leaves after the wrap-up's
        commit, so a stop in between would lose it. At start, every e-mail contact wrapped
        up in the last `within` that has no survey message yet gets its chance again (the
        mailbox's setting still decides, and each contact gets one at most)."""
        if self.survey_link is None:
            return 0
        since = self.host.clock.now() - within
        missed = await asyncio.to_thread(self._without_survey, since)
        for tenant_id, contact_id in missed:
            await self._survey(tenant_id, contact_id)
        return len(missed)

    def _without_survey(self, since: datetime) -> list[tuple[str, str]]:
        asked = (
            select(mail_messages.c.mail_id)
            .where(
                mail_messages.c.tenant_id == contacts.c.tenant_id,
                mail_messages.c.contact_id == contacts.c.contact_id,
                mail_messages.c.kind == "survey",
            )
            .exists()
        )
        with self.reader.connect() as conn:
            rows = conn.execute(
                select(contacts.c.tenant_id, contacts.c.contact_id).where(
                    contacts.c.channel == "email", contacts.c.wrapped_at >= since, ~asked
                )
            )
            return [(r.tenant_id, r.contact_id) for r in rows]

    def _thread_of_contact(self, tenant_id: str, contact_id: str) -> Any:
        with self.reader.connect() as conn:
            channel = conn.execute(
                select(contacts.c.channel).where(
                    contacts.c.tenant_id == tenant_id, contacts.c.contact_id == contact_id
                )
            ).scalar()
            if channel != "email":
                return None
            return conn.execute(
                select(mail_threads).where(
                    mail_threads.c.tenant_id == tenant_id,
                    mail_threads.c.contact_id == contact_id,
                )
            ).first()

    def _join_watchers(self) -> None:
        for watcher in self.watchers.values():
            watcher.stop()

    async def refresh(self) -> None:
        """Reads the mailboxes again; starts, stops or restarts IMAP watchers to match."""
        boxes = await asyncio.to_thread(self._load)
        self.mailboxes = {b.key: b for b in boxes}
        self.by_address = {b.address: b for b in boxes if b.is_active}
        wanted = {b.key: b for b in boxes if b.is_active and b.inbound == "imap"}
        for key, watcher in list(self.watchers.items()):
            if wanted.get(key) != watcher.mailbox:
                watcher.stopping.set()
                await asyncio.to_thread(watcher.stop)
                del self.watchers[key]
        for key, box in wanted.items():
            if key not in self.watchers:
                watcher = ImapWatcher(box, self.deliver_from_thread, self.access)
                self.watchers[key] = watcher
                watcher.start()

    def _load(self) -> list[Mailbox]:
        with self.reader.connect() as conn:
            return load_mailboxes(conn)

    def mailbox_for(self, address: str) -> Mailbox | None:
        return self.by_address.get(address.strip().strip("<>").lower())

    # deliveries ------------------------------------------------------------------------
    def deliver_from_thread(self, mailbox: Mailbox, raw: bytes) -> Delivery:
        """Called by IMAP threads: runs ingestion on the service's loop and waits for it."""
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(self._deliver(mailbox, raw), self._loop)
        return future.result(DELIVERY_TIMEOUT_SECONDS)

    async def _deliver(self, mailbox: Mailbox, raw: bytes) -> Delivery:
        delivery = await self.ingest.deliver(mailbox, raw)
        self._after_delivery(mailbox, delivery)
        return delivery

    def _after_delivery(self, mailbox: Mailbox, delivery: Delivery) -> None:
        """Sends the acknowledgement of a new conversation, after its commit, in the
        background: the sender's 250 (or the IMAP \\Seen) never waits for another server.
        Past the mailbox's or the tenant's limit of acknowledgements none is sent (the
        conversation is routed all the same): a flood in forged names gets no answers."""
        if not delivery.wants_acknowledgement or delivery.thread_id is None:
            return
        if not self.ingest.limits.may_acknowledge(mailbox, self.host.clock.now()):
            log.info(
                "no acknowledgement: over the limit",
                extra={"tenant_id": mailbox.tenant_id, "mailbox_id": mailbox.mailbox_id},
            )
            return
        task = asyncio.get_running_loop().create_task(self._acknowledge(mailbox, delivery))
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _acknowledge(self, mailbox: Mailbox, delivery: Delivery) -> None:
        try:
            thread, answered = await asyncio.to_thread(self._thread, mailbox, delivery)
            await self.sending.acknowledge(
                mailbox, thread, answered, is_sender_verified=delivery.is_sender_verified
            )
        except Exception:
            log.exception("the automatic acknowledgement failed")

    def _thread(self, mailbox: Mailbox, delivery: Delivery) -> tuple[Any, str]:
        from headset.storage.tables import mail_messages

        with self.reader.connect() as conn:
            thread = conn.execute(
                select(mail_threads).where(
                    mail_threads.c.tenant_id == mailbox.tenant_id,
                    mail_threads.c.thread_id == delivery.thread_id,
                )
            ).one()
            answered = conn.execute(
                select(mail_messages.c.message_id).where(
                    mail_messages.c.tenant_id == mailbox.tenant_id,
                    mail_messages.c.mail_id == delivery.mail_id,
                )
            ).scalar_one()
        return thread, str(answered)
