"""A warm transfer with real media: consult a colleague, talk three-way, hand the call over.

The agent (880 Hz) consults the team leader (1250 Hz) while the customer (440 Hz) holds with
music; the leader's offer names the call it is about; then all three talk; then the leader
takes the customer and the agent is released.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from tests.media.peers import AGENT_HZ, CUSTOMER_HZ, SUPERVISOR_HZ, hears, rms
from tests.service.conftest import Center
from tests.voice.conftest import board_of
from tests.voice.phones import dial, heard, until
from tests.voice.test_call_through_the_service import call_in, ok, sign_in, stream

pytestmark = pytest.mark.asyncio
LEADER_HZ = SUPERVISOR_HZ


async def _answer(
    client: httpx.AsyncClient, base: str, live: Any, contact_id: str, hz: float, name: str
) -> Any:
    await until(lambda: [o for o in live.of("routing.contact_offered")
                         if o["contact_id"] == contact_id], 15)  # fmt: skip
    # the last: a consultation queued and moved to one agent in one operation may first
    # have been offered to a queue member, and rescinded in the same breath
    offer = [o for o in live.of("routing.contact_offered") if o["contact_id"] == contact_id][-1]
    ok(await client.post(f"{base}/offers/{offer['offer_id']}/accept"))

    async def join(sdp: str) -> str:
        leg = ok(await client.post(f"{base}/calls/{contact_id}/legs", json={"sdp": sdp}), 201)
        return str(leg["sdp"])

    peer = await dial(name, hz, join)
    await until(lambda: len(peer.heard) > 20)
    return offer, peer


async def test_consult_conference_and_hand_over(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    agent_id, leader_id = t.agents["agent"], t.agents["team_leader"]
    agent = await sign_in(center, "alpha", "agent")
    leader = await sign_in(center, "alpha", "team_leader")
    public = httpx.AsyncClient(base_url=center.url, timeout=15)
    peers = []
    try:
        async with stream(center, agent) as agent_live, stream(center, leader) as leader_live:
            for client, who in ((agent, agent_id), (leader, leader_id)):
                away = {"state": "away", "reason": "break"}
                ok(await client.post(f"{base}/agents/{who}/state", json=away))
                ok(await client.put(f"{base}/agents/{who}/softphone", json={"registered": True}))
            ok(await agent.post(f"{base}/agents/{agent_id}/state", json={"state": "available"}))
            call_id, customer, caller = await call_in(center, public, topic_id="sales")
            peers.append(caller)
            _, agent_peer = await _answer(agent, base, agent_live, call_id, AGENT_HZ, "agent")
            peers.append(agent_peer)
            ok(await leader.post(f"{base}/agents/{leader_id}/state", json={"state": "available"}))

            made = await agent.post(f"{base}/calls/{call_id}/consultations",
                                    json={"agent_id": leader_id})  # fmt: skip
            consultation_id = ok(made, 201)["consultation_id"]
            offer, leader_peer = await _answer(
                leader, base, leader_live, consultation_id, LEADER_HZ, "leader"
            )
            peers.append(leader_peer)
            assert offer["consultation_of"] == call_id
            assert offer["channel"] == "voice"
            await asyncio.sleep(0.4)
            c, a, lead = await asyncio.gather(heard(caller), heard(agent_peer), heard(leader_peer))
            assert rms(c) > 100
            assert not hears(c, AGENT_HZ)
            assert not hears(c, LEADER_HZ)
            assert hears(a, LEADER_HZ)
            assert not hears(a, CUSTOMER_HZ)
            assert hears(lead, AGENT_HZ)
            assert not hears(lead, CUSTOMER_HZ)

            url = f"{base}/calls/{call_id}/consultations/{consultation_id}"
            ok(await agent.post(f"{url}/conference"))
            assert ok(await agent.get(f"{base}/calls/{call_id}"))["mode"] == "conference"
            await asyncio.sleep(0.4)
            c, lead = await asyncio.gather(heard(caller), heard(leader_peer))
            assert hears(c, AGENT_HZ)
            assert hears(c, LEADER_HZ)
            assert hears(lead, AGENT_HZ)
            assert hears(lead, CUSTOMER_HZ)

            handed = ok(await agent.post(f"{url}/complete"))
            assert handed["agent_id"] == leader_id
            await asyncio.sleep(0.4)
            c, lead = await asyncio.gather(heard(caller), heard(leader_peer))
            assert hears(c, LEADER_HZ)
            assert not hears(c, AGENT_HZ)
            assert hears(lead, CUSTOMER_HZ)
            state = center.app.state.runtime.host.engine.state
            assert state.contacts[call_id].agent_id == leader_id
            # a transfer releases the agent at once (the engine's rule, as for chat take-over)
            assert state.agents[agent_id].state.value == "available"
            view = ok(await leader.get(f"{base}/calls/{call_id}"))
            assert view["status"] == "connected"
            assert view["agent_id"] == leader_id
            ok(await leader.post(f"{base}/calls/{call_id}/hang-up"))
            await until(lambda: call_id not in board_of(center).calls)
            ok(await leader.post(f"{base}/contacts/{call_id}/wrap-up", json={}))
            supervisor = await sign_in(center, "alpha", "supervisor")
            timeline = ok(await supervisor.get(f"{base}/contacts/{call_id}"))["timeline"]
            await supervisor.aclose()
            voice = [e["type"] for e in timeline if e["type"].startswith("voice.")]
            steps = [
                "voice.call_held",
                "voice.consultation_started",
                "voice.call_resumed",
                "voice.call_conferenced",
                "voice.consultation_ended",
                "voice.call_transferred",
                "voice.call_answered",
                "voice.call_ended",
            ]
            tail = voice[voice.index("voice.call_held") :]
            assert tail == steps, tail
            for client, who in ((agent, agent_id), (leader, leader_id)):
                ok(await client.put(f"{base}/agents/{who}/softphone", json={"registered": False}))
            await customer.aclose()
    finally:
        for peer in peers:
            await peer.close()
        for client in (agent, leader, public):
            await client.aclose()


async def test_a_team_leader_listens_then_takes_the_call_over(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    agent_id, leader_id = t.agents["agent"], t.agents["team_leader"]
    agent = await sign_in(center, "alpha", "agent")
    leader = await sign_in(center, "alpha", "team_leader")
    public = httpx.AsyncClient(base_url=center.url, timeout=15)
    peers = []
    try:
        async with stream(center, agent) as agent_live, stream(center, leader):
            ok(await leader.post(f"{base}/agents/{leader_id}/state", json={"state": "offline"}))
            ok(await agent.post(f"{base}/agents/{agent_id}/state", json={"state": "available"}))
            ok(await agent.put(f"{base}/agents/{agent_id}/softphone", json={"registered": True}))
            call_id, customer, caller = await call_in(center, public, topic_id="sales")
            peers.append(caller)
            _, agent_peer = await _answer(agent, base, agent_live, call_id, AGENT_HZ, "agent")
            peers.append(agent_peer)

            async def monitor(sdp: str) -> str:
                body = {"mode": "listen", "sdp": sdp}
                leg = ok(await leader.post(f"{base}/calls/{call_id}/monitor", json=body), 201)
                return str(leg["sdp"])

            leader_peer = await dial("leader", LEADER_HZ, monitor)
            peers.append(leader_peer)
            await until(lambda: len(leader_peer.heard) > 20)
            await asyncio.sleep(0.4)
            c, lead = await asyncio.gather(heard(caller), heard(leader_peer))
            assert not hears(c, LEADER_HZ), "listening is silent"
            assert hears(lead, CUSTOMER_HZ)
            assert hears(lead, AGENT_HZ)
            refused = await leader.post(f"{base}/calls/{call_id}/take-over")
            assert refused.status_code == 409, "the leader's own agent is offline"
            ok(await leader.post(f"{base}/agents/{leader_id}/state", json={"state": "available"}))
            ok(await leader.put(f"{base}/agents/{leader_id}/softphone", json={"registered": True}))
            taken = ok(await leader.post(f"{base}/calls/{call_id}/take-over"))
            assert taken["agent_id"] == leader_id
            assert taken["released_agent_id"] == agent_id
            await asyncio.sleep(0.4)
            c, lead = await asyncio.gather(heard(caller), heard(leader_peer))
            assert hears(c, LEADER_HZ)
            assert not hears(c, AGENT_HZ)
            assert hears(lead, CUSTOMER_HZ)
            view = ok(await leader.get(f"{base}/calls/{call_id}"))
            assert view["agent_id"] == leader_id
            assert view["supervisor"] is None
            ok(await leader.post(f"{base}/calls/{call_id}/hang-up"))
            for client, who in ((agent, agent_id), (leader, leader_id)):
                ok(await client.put(f"{base}/agents/{who}/softphone", json={"registered": False}))
                ok(await client.post(f"{base}/agents/{who}/state", json={"state": "offline"}))
            await customer.aclose()
    finally:
        for peer in peers:
            await peer.close()
        for client in (agent, leader, public):
            await client.aclose()
