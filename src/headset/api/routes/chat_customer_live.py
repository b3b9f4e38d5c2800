"""The customer's live stream of one chat (WebSocket), with resume by message seq.

`/api/v1/chat/{widget_key}/chats/{chat_id}/live`. The client's first frame authenticates:
`{"type": "hello", "token": "hs_chat_...", "after": 7}` (`after`: the last message seq it has;
leave it out the first time). The server answers with a `snapshot` (status, place in line,
who answers, and the messages after `after`), then `message`, `typing`, `joined`,
`transferred`, `position` and `ended` messages, and a `heartbeat` while idle.

No message is lost or doubled across a reconnect: the stream subscribes to the hub first,
then reads the transcript from the database, and drops every live message whose seq it has
already sent. Whispers never get here: their events do not carry the customer's audience
key (headset.chat.audience), and the transcript the snapshot reads leaves them out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from headset.api.routes.chat_cors import allowed_origins, is_same_site
from headset.api.routes.chat_customer import CustomerChat, customer_chat
from headset.api.routes.chat_store import (
    customer_view,
    display_name,
    live_chat,
    place_in_line,
    transcript,
)
from headset.api.runtime import Runtime
from headset.chat.audience import MESSAGE_SENT, customer_audience
from headset.chat.messages import AuthorKind, Viewer
from headset.chat.waiting import expected_wait
from headset.core.errors import HeadsetError, Invalid
from headset.live.subscription import Subscription, SubscriptionClosed
from headset.routing.records import ContactStatus

PREFIX = "/api/v1/chat/"
SUFFIX = "/live"
HELLO_SECONDS = 10.0
HEARTBEAT_SECONDS = 15.0
#: How often a waiting customer's place in line is looked at again.
POSITION_SECONDS = 1.0
_ENDED = {"chat.ended", "routing.contact_ended", "routing.contact_abandoned"}


def is_customer_live(path: str) -> bool:
    """Whether `path` is a customer live stream (served ahead of the middleware)."""
    parts = path[len(PREFIX) :].split("/") if path.startswith(PREFIX) else []
    return len(parts) == 4 and parts[1] == "chats" and "/" + parts[3] == SUFFIX


async def customer_live(websocket: WebSocket) -> None:
    rt: Runtime = websocket.app.state.runtime
    widget_key, _, chat_id, _ = websocket.scope["path"][len(PREFIX) :].split("/")
    origin = websocket.headers.get("origin")
    if (
        origin
        and not is_same_site(origin, websocket.headers.get("host", ""))
        and origin.lower() not in await run_in_threadpool(allowed_origins, rt, widget_key)
    ):
        await websocket.close(code=4403, reason="this site may not use the chat widget")
        return
    await websocket.accept()
    try:
        async with asyncio.timeout(HELLO_SECONDS):
            hello = json.loads(await websocket.receive_text())
        if not isinstance(hello, dict) or hello.get("type") != "hello":
            raise Invalid('start with {"type": "hello", "token": "..."}')
        after = hello.get("after") or 0
        if isinstance(after, bool) or not isinstance(after, int) or after < 0:
            raise Invalid("after is the seq of the last message you have (0 or more)")
        chat = await run_in_threadpool(
            customer_chat, rt, widget_key, chat_id, str(hello.get("token") or "")
        )
    except (HeadsetError, ValueError, TimeoutError) as error:
        with contextlib.suppress(Exception):
            await websocket.send_json({"type": "error", "detail": str(error)[:200]})
            await websocket.close(code=4401, reason="not a valid chat hello")
        return
    except (WebSocketDisconnect, RuntimeError):
        return
    await rt.host.quiet()
    subscription = rt.hub.subscribe(frozenset({customer_audience(chat_id)}))
    try:
        await _serve(websocket, rt, chat, subscription, after)
    except (WebSocketDisconnect, RuntimeError, SubscriptionClosed):
        pass
    finally:
        subscription.close()
        with contextlib.suppress(Exception):
            await websocket.close()


async def _serve(
    websocket: WebSocket, rt: Runtime, chat: CustomerChat, subscription: Subscription, after: int
) -> None:
    stream = _Stream(rt, chat, after)
    # read after subscribing: what commits meanwhile comes live, and `sent` drops doubles
    messages = await run_in_threadpool(
        transcript, rt, chat.tenant_id, chat.contact_id, Viewer.CUSTOMER, after
    )
    await websocket.send_json(await stream.snapshot(messages))
    receiver = asyncio.create_task(_drain_client(websocket))
    receiver.add_done_callback(lambda _: subscription.close())
    try:
        idle = 0.0
        while not receiver.done():
            waiting = stream.status == "waiting"
            timeout = POSITION_SECONDS if waiting else HEARTBEAT_SECONDS
            message = await subscription.next(timeout=timeout)
            out: list[dict[str, Any]] = []
            if message is None:
                idle += timeout
                position = stream.position_update()
                if position is not None:
                    out.append(position)
                elif idle >= HEARTBEAT_SECONDS:
                    out.append({"type": "heartbeat", "last_message_seq": stream.sent})
            else:
                for item in [message, *subscription.drain()]:
                    out.extend(await stream.translate(item))
            if out:
                idle = 0.0
                await websocket.send_text(json.dumps(out if len(out) > 1 else out[0]))
            if any(m["type"] == "resync" for m in out):
                return
    finally:
        receiver.cancel()


async def _drain_client(websocket: WebSocket) -> None:
    """The customer sends nothing after hello (actions are HTTP); this notices them leave."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            await websocket.receive_text()


class _Stream:
    """Turns hub messages into the customer's protocol and remembers what was sent."""

    def __init__(self, rt: Runtime, chat: CustomerChat, after: int) -> None:
        self.rt = rt
        self.chat = chat
        self.sent = after
        self.status = "ended" if chat.is_ended else "waiting"
        self.position: tuple[int | None, float | None] | None = None

    async def snapshot(self, messages: list[dict[str, Any]]) -> dict[str, Any]:
        contact = live_chat(self.rt, self.chat.tenant_id, self.chat.contact_id)
        answering = None
        if self.chat.is_ended or contact is None or contact.status is ContactStatus.WRAP_UP:
            self.status = "ended"
        elif contact.is_in_line:
            self.status = "waiting"
        else:
            self.status = "connected"
            if contact.agent_id is not None:
                name = await run_in_threadpool(display_name, self.rt, agent_id=contact.agent_id)
                answering = {"display_name": name}
        if messages:
            self.sent = max(self.sent, max(m["seq"] for m in messages))
        position, wait = self._place()
        self.position = (position, wait)
        return {
            "type": "snapshot",
            "data": {
                "chat_id": self.chat.contact_id,
                "status": self.status,
                "position": position,
                "expected_wait_seconds": wait,
                "answering": answering,
                "messages": messages,
                "last_message_seq": self.sent,
            },
        }

    def _place(self) -> tuple[int | None, float | None]:
        contact = live_chat(self.rt, self.chat.tenant_id, self.chat.contact_id)
        if self.status != "waiting" or contact is None or not contact.is_in_line:
            return None, None
        position, slots = place_in_line(self.rt, contact)
        wait = expected_wait(position, slots)
        return position, (wait.total_seconds() if wait is not None else None)

    def position_update(self) -> dict[str, Any] | None:
        """A `position` message when the place in line or the estimate changed."""
        place = self._place()
        if self.status != "waiting" or place == self.position:
            return None
        self.position = place
        return {"type": "position", "position": place[0], "expected_wait_seconds": place[1]}

    async def translate(self, item: dict[str, Any]) -> list[dict[str, Any]]:
        kind = item["type"]
        if kind == "resync":
            # the client reconnects with its last seq: nothing is lost
            return [{"type": "resync", "last_message_seq": self.sent}]
        event, data = item.get("event"), item.get("data") or {}
        if kind == "signal" and event == "chat.typing":
            if data.get("who") == AuthorKind.CUSTOMER.value:
                return []
            return [
                {
                    "type": "typing",
                    "display_name": data.get("display_name"),
                    "is_typing": bool(data.get("is_typing")),
                }
            ]
        if kind != "event":
            return []
        if event == MESSAGE_SENT:
            message = data["message"]
            if message["seq"] <= self.sent:
                return []  # already in the snapshot
            self.sent = message["seq"]
            return [{"type": "message", "message": customer_view(dict(message))}]
        if event == "routing.offer_accepted":
            self.status = "connected"
            name = await run_in_threadpool(display_name, self.rt, agent_id=data["agent_id"])
            return [{"type": "joined", "role": "agent", "display_name": name}]
        if event == "chat.barged":
            return [
                {"type": "joined", "role": "supervisor", "display_name": data.get("display_name")}
            ]
        if event == "routing.contact_transferred":
            self.status, self.position = "waiting", None
            return [{"type": "transferred"}]
        if event in _ENDED and self.status != "ended":
            self.status = "ended"
            return [{"type": "ended"}]
        return []
