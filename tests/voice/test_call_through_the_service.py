"""A whole call through the service with real WebRTC: customer, agent and supervisor peers.

The customer calls the public route, hears the menu, presses 2 (RFC 4733) for sales, waits
with music and announcements; the agent with a registered softphone gets the offer, accepts
and joins; each hears the other's tone; the supervisor whispers (the agent hears them, the
customer does not), then barges; hold gives the customer music and the agent silence. The
call's events are then on the contact's timeline in order, with the right talk and hold.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.media.peers import AGENT_HZ, CUSTOMER_HZ, SUPERVISOR_HZ, hears, rms, share_at
from tests.service.conftest import Center
from tests.voice.conftest import board_of
from tests.voice.phones import dial, heard, is_silent, until

pytestmark = pytest.mark.asyncio


async def sign_in(center: Center, tenant: str, role: str) -> httpx.AsyncClient:
    username, password, _ = center.tenants[tenant].users[role]
    client = httpx.AsyncClient(base_url=center.url, timeout=15)
    response = await client.post(
        "/api/v1/auth/login", json={"username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
    )
    return response.json() if response.content else None


class Stream:
    """An agent's live stream, read in the background so the event loop stays free."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.events: list[dict[str, Any]] = []
        self.task = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        async for text in self.ws:
            frame = json.loads(text)
            for message in frame if isinstance(frame, list) else [frame]:
                if message.get("type") == "event":
                    self.events.append(message)

    def of(self, event: str) -> list[dict[str, Any]]:
        return [m["data"] for m in self.events if m["event"] == event]


@asynccontextmanager
async def stream(center: Center, client: httpx.AsyncClient) -> AsyncIterator[Stream]:
    cookie = "headset_session=" + client.cookies["headset_session"]
    async with connect(f"{center.ws_url}/api/v1/live", additional_headers={"Cookie": cookie}) as ws:
        s = Stream(ws)
        try:
            yield s
        finally:
            s.task.cancel()


async def call_in(
    center: Center, public: httpx.AsyncClient, **form: Any
) -> tuple[str, httpx.AsyncClient, Any]:
    """The customer's browser calls; returns the call id, a client with its token, the peer."""
    started: dict[str, Any] = {}

    async def signal(sdp: str) -> str:
        body = {"name": "Cy Caller", "email": "cy@example.com", **form, "sdp": sdp}
        started.update(ok(await public.post(f"/api/v1/voice/{_key(center)}/calls", json=body), 201))
        return str(started["sdp"])

    peer = await dial("customer", CUSTOMER_HZ, signal)
    customer = httpx.AsyncClient(
        base_url=center.url, timeout=15, headers={"Authorization": f"Bearer {started['token']}"}
    )
    assert started["token"].startswith("hs_call_")
    return str(started["call_id"]), customer, peer


def _key(center: Center) -> str:
    return str(center.widget_key)  # type: ignore[attr-defined]


async def status_of(customer: httpx.AsyncClient, center: Center, call_id: str) -> dict[str, Any]:
    body: dict[str, Any] = ok(await customer.get(f"/api/v1/voice/{_key(center)}/calls/{call_id}"))
    return body


async def test_a_call_from_menu_to_agent_with_whisper_barge_and_hold(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    agent_id = t.agents["agent"]
    agent = await sign_in(center, "alpha", "agent")
    supervisor = await sign_in(center, "alpha", "supervisor")
    public = httpx.AsyncClient(base_url=center.url, timeout=15)
    peers = []
    try:
        config = ok(await public.get(f"/api/v1/chat/{_key(center)}"))
        assert config["voice"] == {"enabled": True, "ice_servers": []}
        async with stream(center, agent) as live:
            ok(await agent.post(f"{base}/agents/{agent_id}/state", json={"state": "available"}))
            registered = await agent.put(
                f"{base}/agents/{agent_id}/softphone", json={"registered": True}
            )
            assert ok(registered) == {"agent_id": agent_id, "registered": True}
            assert ok(await agent.get(f"{base}/voice/config"))["registered"] is True

            call_id, customer, caller = await call_in(center, public)
            peers.append(caller)
            assert (await status_of(customer, center, call_id))["status"] == "ivr"
            # the menu prompt plays to the caller: speech, not anyone's tone
            await until(lambda: len(caller.heard) > 20)
            menu = await heard(caller, 1.5)
            assert rms(menu) > 300, "the caller hears the menu"
            assert share_at(menu, CUSTOMER_HZ) < 0.2
            assert share_at(menu, AGENT_HZ) < 0.2

            await caller.send_rfc4733("2")  # sales
            await until(lambda: board_of(center).calls[call_id].state.status.value != "ivr")
            status = await status_of(customer, center, call_id)
            assert status["status"] in ("queued", "ringing")
            row = ok(await supervisor.get(f"{base}/contacts/{call_id}"))
            assert row["queue_id"] == t.queue_id, "key 2 picked the sales queue"

            await until(lambda: live.of("routing.contact_offered"), 10)
            offer = live.of("routing.contact_offered")[0]
            assert offer["channel"] == "voice"
            assert offer["contact_id"] == call_id
            waiting = await heard(caller, 1.0)
            assert rms(waiting) > 100, "music (and announcements) while queued"
            ok(await agent.post(f"{base}/offers/{offer['offer_id']}/accept"))

            async def join(sdp: str) -> str:
                leg = ok(await agent.post(f"{base}/calls/{call_id}/legs", json={"sdp": sdp}), 201)
                return str(leg["sdp"])

            answered = time.monotonic()
            agent_peer = await dial("agent", AGENT_HZ, join)
            peers.append(agent_peer)
            await until(lambda: len(agent_peer.heard) > 20)
            await asyncio.sleep(0.5)
            to_customer, to_agent = await asyncio.gather(heard(caller), heard(agent_peer))
            assert hears(to_customer, AGENT_HZ)
            assert not hears(to_customer, CUSTOMER_HZ)
            assert hears(to_agent, CUSTOMER_HZ)
            view = await status_of(customer, center, call_id)
            assert view["status"] == "connected"
            assert view["agent_name"] == agent_id

            # the supervisor whispers: the agent hears them, the customer does not
            async def monitor(sdp: str) -> str:
                body = {"mode": "whisper", "sdp": sdp}
                leg = ok(await supervisor.post(f"{base}/calls/{call_id}/monitor", json=body), 201)
                monitor.leg_id = leg["leg_id"]  # type: ignore[attr-defined]
                return str(leg["sdp"])

            boss = await dial("supervisor", SUPERVISOR_HZ, monitor)
            peers.append(boss)
            leg_id = monitor.leg_id  # type: ignore[attr-defined]
            await until(lambda: len(boss.heard) > 20)
            await asyncio.sleep(0.5)
            c, a, s = await asyncio.gather(heard(caller), heard(agent_peer), heard(boss))
            assert hears(a, SUPERVISOR_HZ)
            assert hears(a, CUSTOMER_HZ)
            assert not hears(c, SUPERVISOR_HZ)
            assert hears(c, AGENT_HZ)
            assert hears(s, CUSTOMER_HZ)
            assert hears(s, AGENT_HZ)
            await until(lambda: live.of("voice.supervisor_joined"))
            assert live.of("voice.supervisor_joined")[0]["mode"] == "whisper"

            switched = {"mode": "barge"}
            ok(await supervisor.post(f"{base}/calls/{call_id}/monitor/{leg_id}", json=switched))
            await asyncio.sleep(0.4)
            c = await heard(caller)
            assert hears(c, SUPERVISOR_HZ), "barge: the customer hears the supervisor"
            assert hears(c, AGENT_HZ)
            ok(await supervisor.delete(f"{base}/calls/{call_id}/monitor/{leg_id}"))

            # hold: music for the customer, silence for the agent
            ok(await agent.post(f"{base}/calls/{call_id}/hold"))
            held = time.monotonic()
            await asyncio.sleep(0.4)
            c, a = await asyncio.gather(heard(caller), heard(agent_peer))
            assert not hears(c, AGENT_HZ)
            assert rms(c) > 100, "hold music"
            assert is_silent(a), "the agent hears nothing on hold"
            await asyncio.sleep(0.5)
            ok(await agent.post(f"{base}/calls/{call_id}/resume"))
            hold_s = time.monotonic() - held
            call = ok(await agent.get(f"{base}/calls/{call_id}"))
            assert call["status"] == "connected"
            assert call["mode"] == "connected"
            assert call["legs"][0]["party"] == "customer"
            await asyncio.sleep(0.5)
            ok(await agent.post(f"{base}/calls/{call_id}/hang-up"))
            total_s = time.monotonic() - answered
            await until(lambda: live.of("voice.call_ended"))
            assert live.of("voice.call_ended")[0]["hung_up_by"] == "agent"
            assert (await status_of(customer, center, call_id))["status"] == "ended"
            await customer.aclose()

        timeline = ok(await supervisor.get(f"{base}/contacts/{call_id}"))["timeline"]
        voice = [e["type"] for e in timeline if e["type"].startswith("voice.")]
        assert voice == [
            "voice.call_started",
            "voice.digits",
            "voice.call_queued",
            "voice.call_ringing",
            "voice.call_answered",
            "voice.supervisor_joined",
            "voice.supervisor_joined",
            "voice.supervisor_left",
            "voice.call_held",
            "voice.call_resumed",
            "voice.call_ended",
        ]
        kinds = [e["type"] for e in timeline]
        assert kinds.index("routing.offer_accepted") < kinds.index("voice.call_answered")
        # the hang-up and the engine's end are one operation: stored side by side
        assert abs(kinds.index("voice.call_ended") - kinds.index("routing.contact_ended")) == 1
        done = ok(await supervisor.get(f"{base}/calls/{call_id}"))
        assert done["status"] == "ended"
        assert abs(done["hold_s"] - hold_s) < 0.5
        assert abs(done["talk_s"] + done["hold_s"] - total_s) < 1.0
    finally:
        for peer in peers:
            await peer.close()
        for client in (agent, supervisor, public):
            await client.aclose()


async def test_an_agent_without_a_registered_softphone_gets_no_call(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    leader_id = t.agents["team_leader"]
    leader = await sign_in(center, "alpha", "team_leader")
    public = httpx.AsyncClient(base_url=center.url, timeout=15)
    caller = None
    try:
        async with stream(center, leader) as live:
            ok(await leader.post(f"{base}/agents/{leader_id}/state", json={"state": "available"}))
            call_id, customer, caller = await call_in(center, public, topic_id="sales")
            await until(lambda: board_of(center).calls[call_id].state.status.value == "queued")
            await asyncio.sleep(1.5)
            assert live.of("routing.contact_offered") == []
            snapshot_agent = center.app.state.runtime.host.engine.state.agents[leader_id]
            assert snapshot_agent.state.value == "available"
            ok(await leader.put(f"{base}/agents/{leader_id}/softphone", json={"registered": True}))
            await until(lambda: live.of("routing.contact_offered"), 10)
            offered = live.of("routing.contact_offered")[0]
            assert offered["contact_id"] == call_id
            board = board_of(center)
            await until(lambda: board.calls[call_id].state.status.value == "ringing")
            ok(await leader.post(f"{base}/offers/{offered['offer_id']}/reject"))
            # nobody took it: back in line, where the announcements go on
            await until(lambda: board.calls[call_id].state.status.value == "queued")
            assert (await status_of(customer, center, call_id))["place_in_line"] == 1
            ok(await customer.post(f"/api/v1/voice/{_key(center)}/calls/{call_id}/hang-up"))
            await until(lambda: call_id not in board_of(center).calls)
            supervisor = await sign_in(center, "alpha", "supervisor")
            row = ok(await supervisor.get(f"{base}/contacts/{call_id}"))
            await supervisor.aclose()
            assert row["status"] == "abandoned"
            ok(await leader.put(f"{base}/agents/{leader_id}/softphone", json={"registered": False}))
            ok(await leader.post(f"{base}/agents/{leader_id}/state", json={"state": "offline"}))
            await customer.aclose()
    finally:
        if caller is not None:
            await caller.close()
        await leader.aclose()
        await public.aclose()
