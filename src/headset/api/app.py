"""The ASGI application: routes, error handling, limits, and the process's runtime."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, WebSocket
from starlette.types import ASGIApp, Receive, Scope, Send

from headset.access.passwords import Passwords
from headset.access.secret_box import KeyedSecretBox
from headset.api import openapi_problems, problems
from headset.api.metrics import Metrics
from headset.api.routes import (
    agents,
    audit,
    auth,
    call_monitor,
    calls,
    canned,
    chat_agent,
    chat_customer,
    chat_customer_live,
    config,
    contacts,
    customer_history,
    customers,
    handling,
    ivr_flows,
    live,
    mail_conversations,
    mail_surveys,
    mail_timers,
    mail_transcripts,
    mailboxes,
    memberships,
    ops,
    queues,
    recordings,
    stats,
    tenants,
    tokens,
    transfer_targets,
    voice_customer,
    webhooks,
    widgets,
)
from headset.api.routes.chat_cors import WidgetCors
from headset.api.runtime import Runtime
from headset.api.security_headers import SecurityHeaders
from headset.api.sign_in import SignInGuard
from headset.bus.factory import make_bus
from headset.config import Settings
from headset.core.clock import Clock, SystemClock
from headset.live.event import LiveEvent
from headset.live.hub import LiveHub
from headset.mailroom.room import start_mailroom, stop_mailroom
from headset.mailroom.servers import ServerAccess
from headset.media.settings import load_media_settings
from headset.service.host import EngineHost
from headset.service.webhook_outbox import WebhookOutbox
from headset.storage.database import make_engine, read_only
from headset.storage.event_log import SqlEventLog, StoredEvent
from headset.storage.migrate import upgrade
from headset.voice.board import start_switchboard, stop_switchboard, switchboard_of
from headset.web import site

log = logging.getLogger("headset.service")


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    passwords: Passwords | None = None,
    migrate: bool = True,
) -> FastAPI:
    """The service for `settings`; the database is migrated and the engine rebuilt at start."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = await _start(settings, clock or SystemClock(), passwords or Passwords(), migrate)
        app.state.runtime = runtime
        try:
            yield
        finally:
            await _stop(runtime)

    app = HeadsetApp(
        title="Headset",
        version="0.1.0",
        summary="Contact-center platform: routing, contacts, agents, live events.",
        lifespan=lifespan,
        # /docs is a page of the site, served with Headset's own copy of Swagger UI
        # (web/api_docs.py); ReDoc is not served
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.security_headers = SecurityHeaders(is_cookie_secure=settings.is_cookie_secure)
    problems.install(app)
    # Routes are added flat, the busiest first: matching walks them in order, and nested
    # routers would cost a walk per router on every request.
    for module in (
        handling,
        contacts,
        live,
        agents,
        stats,
        auth,
        tenants,
        memberships,
        config,
        queues,
        customers,
        customer_history,
        transfer_targets,
        tokens,
        webhooks,
        audit,
        ops,
        chat_customer,
        chat_agent,
        canned,
        widgets,
        mailboxes,
        mail_conversations,
        mail_transcripts,
        mail_surveys,
        mail_timers,
        voice_customer,
        calls,
        call_monitor,
        recordings,
        ivr_flows,
    ):
        app.router.routes.extend(module.router.routes)
    site.install(app)  # the browser UI: pages, administration, static files (docs/web.md)
    openapi_problems.install(app)  # every error status in the schema, as problem+json
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(WidgetCors)  # the chat widget's cross-origin calls (docs/chat.md)
    return app


async def _start(settings: Settings, clock: Clock, passwords: Passwords, migrate: bool) -> Runtime:
    if migrate:
        await asyncio.to_thread(upgrade, settings.database_url)
    db = make_engine(settings.database_url)
    event_log = SqlEventLog(db)
    host = EngineHost(db, event_log, clock)
    count = await asyncio.to_thread(host.boot)
    last_seq = await asyncio.to_thread(event_log.last_seq)
    hub = LiveHub(start_seq=last_seq)
    bus = make_bus(settings.bus_url)
    metrics = Metrics()
    runtime = Runtime(settings, db, read_only(db), host, hub, bus, clock, passwords, metrics)
    runtime.sign_ins = SignInGuard(per_minute=settings.sign_ins_per_minute)

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
        await bus.publish([_message(host, e) for e in stored])

    def forget_credentials(stored: list[StoredEvent]) -> None:
        if any(e.type.startswith("directory.") for e in stored):
            runtime.credentials.clear()
            runtime.team_targets.clear()

    host.listeners.append(forget_credentials)
    bus.subscribe(to_hub)
    await bus.start()
    host.publish = publish
    host.routing_seconds = metrics.routing_seconds.observe

    def batch_size(count: int) -> None:
        metrics.operations.inc(count)
        metrics.commit_batch.observe(count)

    host.batch_sizes = batch_size
    outbox = WebhookOutbox(db, clock, allow_internal=settings.webhook_internal_targets)
    host.write_hooks.append(outbox.enqueue)
    await host.start()
    await start_mailroom(  # docs/email.md
        host, runtime.reader, settings.mail_receiver_bind, mail_surveys.link_maker(settings),
        access=ServerAccess(KeyedSecretBox(settings.secret_key), settings.mail_internal_hosts),
        authserv_id=settings.mail_authserv_id,
    )  # fmt: skip
    if settings.is_voice_enabled:  # calls and softphones (docs/voice.md, "Call control")
        media = settings.media or load_media_settings(os.environ)
        await start_switchboard(host, media, in_process=media.is_in_process)
    # The engine's state lives as long as the process: keep it out of the cyclic collector's
    # work, and collect less often, so full collections do not stall routing for tens of ms.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    runtime.tasks.append(asyncio.create_task(outbox.run(), name="headset-webhooks"))
    runtime.tasks.append(asyncio.create_task(runtime.token_uses.run(db), name="headset-token-uses"))
    log.info("service started", extra={"events_replayed": count, "last_seq": last_seq})
    return runtime


def _message(host: EngineHost, event: StoredEvent) -> dict[str, Any]:
    payload = dict(event.payload)
    if event.type == "routing.contact_offered":  # the desktop rings differently per channel
        live = host.engine.state.contacts.get(str(payload.get("contact_id")))
        if live is not None:
            payload["channel"] = live.channel.value
        board = switchboard_of(host)  # a warm transfer's offer names the call it is about
        if board is not None and payload.get("contact_id") in board.consultations:
            payload["consultation_of"] = board.consultations[str(payload["contact_id"])]
    return {
        "seq": event.seq,
        "type": event.type,
        "tenant_id": event.tenant_id,
        "payload": payload,
        "audiences": sorted(
            host.tenancy.audiences(dict(event.payload), event.tenant_id, event.type)
        ),
    }


async def _stop(runtime: Runtime) -> None:
    for task in runtime.tasks:
        task.cancel()
    try:
        await asyncio.to_thread(runtime.token_uses.flush, runtime.db)
    except Exception:  # the last minute of token uses is not worth a failed stop
        log.warning("could not record API token uses at stop", exc_info=True)
    await stop_mailroom(runtime.host)
    await stop_switchboard(runtime.host)
    await runtime.host.stop()
    await runtime.bus.stop()
    runtime.db.dispose()


class HeadsetApp(FastAPI):
    """FastAPI, with the live stream served before the middleware stack.

    Every message to a live stream would otherwise pass through each middleware's send
    wrapper; with a thousand agents connected that was a quarter of the process's time.
    Every HTTP answer, even an unexpected error's, gets the security headers
    (api/security_headers.py) outside the whole stack.
    """

    security_headers = SecurityHeaders()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await super().__call__(scope, receive, self.security_headers.wrap(scope, send))
            return
        if scope["type"] == "websocket" and scope["path"] == live.PATH:
            scope["app"] = self
            await live.live(WebSocket(scope, receive, send))
            return
        if scope["type"] == "websocket" and chat_customer_live.is_customer_live(scope["path"]):
            scope["app"] = self
            await chat_customer_live.customer_live(WebSocket(scope, receive, send))
            return
        await super().__call__(scope, receive, send)


class BodyLimit:
    """Refuses request bodies over `max_bytes` with 413, before the route reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        seen = 0

        async def limited() -> Any:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problems.problem(
            413, "Too large", f"request bodies may be at most {self.max_bytes} bytes"
        )
        await response(scope, receive, send)


class _TooLarge(Exception):
    pass
