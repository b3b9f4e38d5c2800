"""The live stream of a signed-in user: snapshot, then events with sequence numbers.

`GET /api/v1/live?after=SEQ` as a WebSocket. Browsers authenticate with the session cookie
(and the Origin must be this site), integrations with `Authorization: Bearer`. A client that
reconnects with the last seq it saw receives exactly what it missed, or a resync.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from headset.access.roles import Role
from headset.api.principal import Principal
from headset.api.routes.live_commands import run_command
from headset.api.runtime import Runtime
from headset.core.errors import Forbidden, HeadsetError
from headset.live.protocol import heartbeat_message, parse_after, snapshot_message
from headset.live.subscription import SubscriptionClosed
from headset.service.live_snapshot import audiences_of, figures_of, snapshot

router = APIRouter(tags=["live events"])

PATH = "/api/v1/live"
HEARTBEAT_SECONDS = 15.0
STATS_SECONDS = 1.0


@router.websocket(PATH)
async def live(websocket: WebSocket) -> None:
    rt: Runtime = websocket.app.state.runtime
    try:
        after = parse_after(websocket.query_params.get("after"))
        who = await run_in_threadpool(_authenticate, rt, websocket)
    except HeadsetError as error:
        await websocket.close(code=4401 if "sign" in str(error) else 4403, reason=str(error)[:120])
        return
    await websocket.accept()
    board = rt.switchboard  # the last stream of an agent unregisters its softphone
    if board is not None and who.agent_id:
        board.softphones.stream_opened(who.agent_id)
    await rt.host.quiet()
    subscription = rt.hub.subscribe(audiences_of(rt.host, who), after)
    if after is None:
        now = snapshot(rt.host, rt.reader, rt.team_targets, rt.switchboard, who)
        await websocket.send_json(snapshot_message(rt.hub.last_seq, now))
    wants_stats = who.role is not Role.AGENT and bool(_figures(rt, who))
    sending = asyncio.Lock()  # replies and stream messages never interleave mid-frame
    receiver = asyncio.create_task(_receive(websocket, rt, who, sending))
    # a client that goes away closes its subscription at once, which ends the loop below
    receiver.add_done_callback(lambda _: subscription.close())
    try:
        while not receiver.done():
            timeout = STATS_SECONDS if wants_stats else HEARTBEAT_SECONDS
            message = await subscription.next(timeout=timeout)
            if message is None:
                if wants_stats:
                    data = _figures(rt, who)
                    message = {"type": "stats", "seq": rt.hub.last_seq, "data": data}
                else:
                    message = heartbeat_message(rt.hub.last_seq)
            # what queued up meanwhile travels in the same frame, as a JSON array in order
            more = subscription.drain()
            frame: Any = [message, *more] if more else message
            async with sending:
                await websocket.send_text(json.dumps(frame, separators=(",", ":")))
            if any(m["type"] == "resync" for m in (message, *more)):
                break
    except (WebSocketDisconnect, RuntimeError, SubscriptionClosed):
        pass  # the client left, or its stream was closed
    finally:
        subscription.close()
        receiver.cancel()
        if board is not None and who.agent_id:
            board.softphones.stream_closed(who.agent_id)
        with contextlib.suppress(Exception):
            await websocket.close()


def _figures(rt: Runtime, who: Principal) -> dict[str, Any]:
    return figures_of(rt.host, rt.reader, rt.team_targets, who)


def _authenticate(rt: Runtime, websocket: WebSocket) -> Principal:
    origin = websocket.headers.get("origin")
    if origin and "authorization" not in websocket.headers:
        host = websocket.headers.get("host", "")
        if origin.split("://", 1)[-1] != host:
            raise Forbidden("live streams are only for pages of this site")
    # the Origin check stands in for the CSRF token on this one GET-like request
    return rt.principal(websocket, "GET")


async def _receive(
    websocket: WebSocket, rt: Runtime, who: Principal, sending: asyncio.Lock
) -> None:
    """Runs the commands the client sends, in order; returns when the client goes away."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            text = await websocket.receive_text()
            try:
                message = json.loads(text)
            except ValueError:
                message = None
            if not isinstance(message, dict) or message.get("type") != "command":
                reply: dict[str, Any] = {
                    "type": "reply",
                    "ok": False,
                    "status": 422,
                    "title": "Invalid request",
                    "detail": 'send {"type": "command", "command": ...}',
                }
            else:
                reply = await run_command(rt, who, message)
            async with sending:
                await websocket.send_json(reply)
