"""The customer's live stream of one chat (WebSocket), with resume by message seq.

`/api/v1/chat/{widget_key}/chats/{chat_id}/live`. The client's first frame authenticates:
`{"type": "hello", "token": "hs_chat_...", "after": 7}` (`after`: the last message seq it has;
leave it out the first time). The server answers with a `snapshot` (status, place in line,
who answers, and the messages after `after`), then `message`, `typing`, `joined`,
`transferred`, `position` and `ended` messages, and a `heartbeat` while idle. What each
message says is the chat room's (headset.chatroom.live); this module is the socket.

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

from headset.api.runtime import Runtime
from headset.chat.audience import customer_audience
from headset.chatroom.live import CustomerStream
from headset.chatroom.origins import allowed_origins, is_same_site
from headset.chatroom.sessions import customer_chat
from headset.core.errors import HeadsetError, Invalid
from headset.live.subscription import Subscription, SubscriptionClosed

PREFIX = "/api/v1/chat/"
SUFFIX = "/live"
HELLO_SECONDS = 10.0
HEARTBEAT_SECONDS = 15.0
#: How often a waiting customer's place in line is looked at again.
POSITION_SECONDS = 1.0


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
        and origin.lower() not in await run_in_threadpool(allowed_origins, rt.chat, widget_key)
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
        await _serve(websocket, CustomerStream(rt.chat, chat, after), subscription)
    except (WebSocketDisconnect, RuntimeError, SubscriptionClosed):
        pass
    finally:
        subscription.close()
        with contextlib.suppress(Exception):
            await websocket.close()


async def _serve(websocket: WebSocket, stream: CustomerStream, subscription: Subscription) -> None:
    # read after subscribing: what commits meanwhile comes live, and `sent` drops doubles
    await websocket.send_json(await stream.snapshot())
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
                    out.append(stream.heartbeat())
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
