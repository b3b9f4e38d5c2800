"""The ASGI application: routes, error handling, limits; services from bootstrap.py."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, WebSocket
from starlette.types import ASGIApp, Receive, Scope, Send

from headset.access.passwords import Passwords
from headset.api import openapi_problems, problems
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
    customers,
    handling,
    ivr_flows,
    live,
    mail_conversations,
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
from headset.bootstrap import start_services, stop_services
from headset.config import Settings
from headset.core.clock import Clock, SystemClock
from headset.directory.events import decode as directory_changes
from headset.storage.event_log import StoredEvent
from headset.web import site


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
        runtime = await start_services(
            settings,
            clock=clock or SystemClock(),
            passwords=passwords or Passwords(),
            migrate=migrate,
            kind=Runtime,
        )
        runtime.host.listeners.append(_forgetting_credentials(runtime))
        app.state.runtime = runtime
        try:
            yield
        finally:
            await stop_services(runtime)

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


def _forgetting_credentials(runtime: Runtime) -> Callable[[list[StoredEvent]], None]:
    """A listener that forgets cached credentials and team targets when the directory changes."""

    def forget(stored: list[StoredEvent]) -> None:
        if any(True for _change in directory_changes(stored)):
            runtime.credentials.clear()
            runtime.team_targets.clear()

    return forget


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
