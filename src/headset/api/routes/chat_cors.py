"""Cross-origin access to the public chat routes: only for the sites a widget lists.

The widget runs on the client company's web site, so its browser calls are cross-origin.
A browser reads an answer only when it carries `Access-Control-Allow-Origin` for the page's
origin; this middleware adds it for the origins in the widget's `allowed_origins` and refuses
other origins outright (403), so a foreign page cannot start chats in a tenant's name.
Requests without an Origin (server-to-server, tests) and from this site itself pass.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from headset.api import problems
from headset.api.runtime import Runtime
from headset.chatroom.origins import allowed_origins, is_same_site

PREFIX = "/api/v1/chat/"
_ALLOW_HEADERS = "authorization, content-type, x-file-name"
_ALLOW_METHODS = "GET, POST, OPTIONS"


class WidgetCors:
    """CORS for `/api/v1/chat/{widget_key}/...`, per widget."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw = headers.get(b"origin")
        host = headers.get(b"host", b"").decode("latin-1")
        if raw is None or is_same_site(raw.decode("latin-1"), host):
            await self.app(scope, receive, send)
            return
        origin = raw.decode("latin-1").lower()
        widget_key = scope["path"][len(PREFIX) :].split("/", 1)[0]
        rt: Runtime = scope["app"].state.runtime
        if origin not in await run_in_threadpool(allowed_origins, rt.chat, widget_key):
            response = problems.problem(
                403, "Not allowed", f"the chat widget may not be used from {origin[:100]}"
            )
            await response(scope, receive, send)
            return
        cors = [
            (b"access-control-allow-origin", origin.encode("latin-1")),
            (b"vary", b"Origin"),
        ]
        if scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            await send(
                {
                    "type": "http.response.start",
                    "status": 204,
                    "headers": [
                        *cors,
                        (b"access-control-allow-methods", _ALLOW_METHODS.encode()),
                        (b"access-control-allow-headers", _ALLOW_HEADERS.encode()),
                        (b"access-control-max-age", b"600"),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        async def with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *cors]}
            await send(message)

        await self.app(scope, receive, with_cors)
