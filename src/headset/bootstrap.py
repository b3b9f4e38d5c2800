"""The composition root: every service of one process, built explicitly, in one place.

`start_services` migrates the database, rebuilds the engine from the event log, wires the
engine host to the bus and the bus to the live hub, configures the vault's master keys (a
tenant's data key is made when first needed), and starts the webhook outbox, the
mailroom and (when voice is on) the switchboard; `stop_services` stops them in the reverse
order. The API (api/app.py), the web pages, the CLI (`headset serve`, `headset demo`) and the
tests get their services from the `Services` these return, never from a registry
(docs/decisions/0009-composition-root.md).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar, overload

from sqlalchemy import Engine as SqlEngine

from headset.access.passwords import Passwords
from headset.access.secret_box import KeyedSecretBox
from headset.bus.base import Bus
from headset.bus.factory import make_bus
from headset.chatroom import ChatRoom
from headset.config import Settings
from headset.core.clock import Clock
from headset.live.event import LiveEvent
from headset.live.hub import LiveHub
from headset.live.offers import OFFERED, offer_extras
from headset.mail.surveys import survey_token
from headset.mailroom.room import Mailroom, SurveyLink
from headset.mailroom.servers import ServerAccess
from headset.media.settings import load_media_settings
from headset.service.host import EngineHost
from headset.service.live_snapshot import consultations_of
from headset.service.metrics import Metrics
from headset.service.sign_in_guard import SignInGuard
from headset.service.tenant_keys import TenantKeys
from headset.service.token_uses import TokenUses
from headset.service.webhook_outbox import WebhookOutbox
from headset.storage.database import make_engine, read_only
from headset.storage.event_log import SqlEventLog, StoredEvent
from headset.storage.migrate import upgrade
from headset.vault.configured import key_ring
from headset.voice.board import Switchboard

log = logging.getLogger("headset.service")


@dataclass(eq=False)
class Services:
    """The process's database, engine host, live hub, bus, clock and the services around them."""

    settings: Settings
    db: SqlEngine
    #: Connections for reading: they never take SQLite's write lock.
    reader: SqlEngine
    host: EngineHost
    hub: LiveHub
    bus: Bus
    clock: Clock
    passwords: Passwords
    metrics: Metrics
    #: Webhook deliveries, enqueued in the writer's transaction and sent in the background.
    outbox: WebhookOutbox
    #: Mailboxes, the SMTP receiver, IMAP watchers and the sender (docs/email.md).
    mailroom: Mailroom
    #: Web chat's actions and per-process state: a lock per conversation, names and widget
    #: origins read (docs/chat.md).
    chat: ChatRoom
    #: Each tenant's data key, made on first use and stored wrapped (docs/data-protection.md).
    tenant_keys: TenantKeys
    #: Live calls and softphones (docs/voice.md); None when voice is off.
    switchboard: Switchboard | None = None
    #: When API tokens were last used, written at most once a minute per token.
    token_uses: TokenUses = field(default_factory=TokenUses)
    #: Sign-in's state in this process: per-address limit, names being checked, attempts on
    #: names without an account (accounts/sign_in.py).
    sign_ins: SignInGuard = field(default_factory=SignInGuard)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    def now(self) -> datetime:
        return self.clock.now()


S = TypeVar("S", bound=Services)


@overload
async def start_services(
    settings: Settings, *, clock: Clock, passwords: Passwords, migrate: bool = True
) -> Services: ...


@overload
async def start_services(
    settings: Settings, *, clock: Clock, passwords: Passwords, migrate: bool = True, kind: type[S]
) -> S: ...


async def start_services(
    settings: Settings,
    *,
    clock: Clock,
    passwords: Passwords,
    migrate: bool = True,
    kind: type[Services] = Services,
) -> Services:
    """Builds and starts every service of the process; `kind` may add state of its own
    (the API's `Runtime` does: its credential cache, pending TOTP secrets)."""
    if migrate:
        await asyncio.to_thread(upgrade, settings.database_url)
    db = make_engine(settings.database_url)
    reader = read_only(db)
    event_log = SqlEventLog(db)
    host = EngineHost(db, event_log, clock)
    count = await asyncio.to_thread(host.boot)
    last_seq = await asyncio.to_thread(event_log.last_seq)
    access = ServerAccess(KeyedSecretBox(settings.secret_key), settings.mail_internal_hosts)
    mailroom = Mailroom(host, reader, access, authserv_id=settings.mail_authserv_id)
    mailroom.survey_link = survey_link(settings)
    hub, bus = LiveHub(start_seq=last_seq), make_bus(settings.bus_url)
    chat = ChatRoom(host, reader, bus, hub, attachment_max_bytes=settings.chat_attachment_max_bytes)
    services = kind(
        settings=settings,
        db=db,
        reader=reader,
        host=host,
        hub=hub,
        bus=bus,
        clock=clock,
        passwords=passwords,
        metrics=Metrics(),
        outbox=WebhookOutbox(db, clock, allow_internal=settings.webhook_internal_targets),
        mailroom=mailroom,
        chat=chat,
        tenant_keys=TenantKeys(host.submit, reader, key_ring(settings), clock),
        sign_ins=SignInGuard(per_minute=settings.sign_ins_per_minute),
    )
    await _connect(services)
    await host.start()
    await mailroom.start(settings.mail_receiver_bind)  # docs/email.md
    if settings.is_voice_enabled:  # calls and softphones (docs/voice.md, "Call control")
        media = settings.media or load_media_settings(os.environ)
        services.switchboard = Switchboard(host, media, in_process=media.is_in_process)
        started = time.monotonic()
        await services.switchboard.start()
        log.info("switchboard started", extra={"seconds": round(time.monotonic() - started, 3)})
    # The engine's state lives as long as the process: keep it out of the cyclic collector's
    # work, and collect less often, so full collections do not stall routing for tens of ms.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    services.tasks.append(asyncio.create_task(services.outbox.run(), name="headset-webhooks"))
    services.tasks.append(
        asyncio.create_task(services.token_uses.run(db), name="headset-token-uses")
    )
    log.info("service started", extra={"events_replayed": count, "last_seq": last_seq})
    return services


async def _connect(services: Services) -> None:
    """Committed events go from the engine host to the bus, and from the bus to the live hub."""
    host, hub, bus, metrics = services.host, services.hub, services.bus, services.metrics

    def to_hub(batch: list[dict[str, Any]]) -> None:
        events: list[LiveEvent] = []
        for m in batch:
            if "signal" in m:  # ephemeral (typing): delivered in its place, never stored
                if events:
                    hub.publish(events)
                    events = []
                hub.signal(frozenset(m["audiences"]), m["signal"], m["payload"])
            else:
                events.append(
                    LiveEvent(m["seq"], m["type"], m["payload"], frozenset(m["audiences"]))
                )
        if events:
            hub.publish(events)

    async def publish(stored: list[StoredEvent]) -> None:
        metrics.events.inc(len(stored))
        await bus.publish([_message(services, e) for e in stored])

    def batch_size(count: int) -> None:
        metrics.operations.inc(count)
        metrics.commit_batch.observe(count)

    bus.subscribe(to_hub)
    await bus.start()
    host.publish = publish
    host.routing_seconds = metrics.routing_seconds.observe
    host.batch_sizes = batch_size
    host.write_hooks.append(services.outbox.enqueue)


def _message(services: Services, event: StoredEvent) -> dict[str, Any]:
    host = services.host
    payload = dict(event.payload)
    if event.type == OFFERED:  # the offer as the snapshot shows it (live/offers.py)
        calls = consultations_of(services.switchboard)
        contact_id = str(payload.get("contact_id"))
        payload.update(offer_extras(host.engine.state.contacts, calls, contact_id))
    return {
        "seq": event.seq,
        "type": event.type,
        "tenant_id": event.tenant_id,
        "payload": payload,
        "audiences": sorted(
            host.tenancy.audiences(dict(event.payload), event.tenant_id, event.type)
        ),
    }


def survey_link(settings: Settings) -> SurveyLink:
    """The survey link of a contact, as the mailroom puts it in the e-mail."""
    base = settings.public_url or f"http://{settings.host}:{settings.port}"

    def link(tenant_id: str, contact_id: str) -> str:
        return f"{base}/survey/{survey_token(settings.secret_key, tenant_id, contact_id)}"

    return link


async def stop_services(services: Services) -> None:
    """Stops the background tasks, receiving and calls before the writer, then the bus."""
    for task in services.tasks:
        task.cancel()
    try:
        await asyncio.to_thread(services.token_uses.flush, services.db)
    except Exception:  # the last minute of token uses is not worth a failed stop
        log.warning("could not record API token uses at stop", exc_info=True)
    await services.mailroom.stop()
    if services.switchboard is not None:
        await services.switchboard.stop()
    await services.host.stop()
    await services.bus.stop()
    services.db.dispose()
