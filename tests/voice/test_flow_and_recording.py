"""A call through a tenant's IVR flow into a queue that records every call.

The flow is saved over the API (a bad one is refused with its field path), the widget runs
it, key 1 picks the queue; the agent answers, pauses the recording for a card number and
resumes; afterwards the recording is listed with its pause (who, why) and waveform, and its
WAV holds the customer on the left and the agent on the right. Playing it is audited; an
agent may not.
"""

from __future__ import annotations

import asyncio
import io
import wave

import httpx
import numpy as np
import pytest

from tests.media.peers import AGENT_HZ, CUSTOMER_HZ, hears
from tests.service.conftest import Center
from tests.voice.conftest import board_of
from tests.voice.phones import dial, until
from tests.voice.test_call_through_the_service import ok, sign_in, stream

pytestmark = pytest.mark.asyncio


def ok_bytes(response: httpx.Response) -> bytes:
    assert response.status_code == 200, response.text
    return response.content


FLOW = {
    "name": "Main",
    "steps": [
        {"id": "hello", "type": "play", "text": "Hello.", "next": "menu"},
        {
            "id": "menu",
            "type": "menu",
            "text": "For sales, press 1.",
            "options": {"1": "sales"},
            "on_timeout": "bye",
        },
        {"id": "sales", "type": "queue", "queue_id": "alpha-rec"},
        {"id": "bye", "type": "hangup", "text": "Goodbye."},
    ],
}


async def test_a_flow_routes_the_call_and_the_queue_records_it(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    admin = center.admin
    # the queue follows the tenant's default ("tenant"), which says: record every call
    queue = {"queue_id": "alpha-rec", "name": "Recorded"}
    assert ok(admin.put(f"{base}/queues/alpha-rec", json=queue))["recording"] == "tenant"
    assert ok(admin.get(f"{base}/voice/settings"))["recording_default"] == "none"
    ok(admin.put(f"{base}/voice/settings", json={"recording_default": "all"}))
    steps = list(FLOW["steps"])
    bad = {**FLOW, "steps": [steps[0], {**steps[1], "options": {"1": "x"}}, *steps[2:]]}
    refused = admin.put(f"{base}/ivr-flows/main", json=bad)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "steps[1].options.1"
    saved = ok(admin.put(f"{base}/ivr-flows/main", json=FLOW))
    assert saved["flow_id"] == "main"
    assert ok(admin.get(f"{base}/ivr-flows"))[0]["name"] == "Main"
    topics = [{"topic_id": "any", "label": "any", "queue_id": "alpha-rec"}]
    widget = ok(admin.put(f"{base}/widgets/flowed", json={
        "display_name": "Alpha", "topics": topics, "ivr_flow_id": "main"}))  # fmt: skip
    agent_id = t.agents["agent"]
    body = {**ok(admin.get(f"{base}/agents/{agent_id}")), "queues": [{"queue_id": "alpha-rec"}]}
    for key in ("state", "reason"):
        body.pop(key)
    ok(admin.put(f"{base}/agents/{agent_id}", json=body))

    agent = await sign_in(center, "alpha", "agent")
    qa = await sign_in(center, "alpha", "qa")
    peers = []
    try:
        async with stream(center, agent) as live:
            ok(await agent.post(f"{base}/agents/{agent_id}/state", json={"state": "available"}))
            ok(await agent.put(f"{base}/agents/{agent_id}/softphone", json={"registered": True}))
            started: dict[str, str] = {}

            async def signal(sdp: str) -> str:
                async with httpx.AsyncClient(base_url=center.url, timeout=15) as public:
                    call = {"name": "Flo", "sdp": sdp}
                    url = f"/api/v1/voice/{widget['widget_key']}/calls"
                    started.update(ok(await public.post(url, json=call), 201))
                return started["sdp"]

            caller = await dial("customer", CUSTOMER_HZ, signal)
            peers.append(caller)
            call_id = started["call_id"]
            board = board_of(center)
            await until(lambda: board.calls[call_id].prompt_count >= 2, 15)  # the menu plays
            await until(lambda: len(caller.heard) > 10, 15)  # connected both ways
            await caller.send_rfc4733("1")
            await until(lambda: live.of("routing.contact_offered"), 15)
            offer = live.of("routing.contact_offered")[-1]
            ok(await agent.post(f"{base}/offers/{offer['offer_id']}/accept"))

            async def join(sdp: str) -> str:
                leg = ok(await agent.post(f"{base}/calls/{call_id}/legs", json={"sdp": sdp}), 201)
                return str(leg["sdp"])

            agent_peer = await dial("agent", AGENT_HZ, join)
            peers.append(agent_peer)
            await until(lambda: len(agent_peer.heard) > 20)
            view = ok(await agent.get(f"{base}/calls/{call_id}"))
            assert view["recording"] == {"state": "on"}
            await asyncio.sleep(1.0)
            reason = {"reason": "card number"}
            paused = ok(await agent.post(f"{base}/calls/{call_id}/recording/pause", json=reason))
            assert paused["recording"] == {"state": "paused"}
            await asyncio.sleep(0.6)
            ok(await agent.post(f"{base}/calls/{call_id}/recording/resume"))
            await asyncio.sleep(1.0)
            ok(await agent.post(f"{base}/calls/{call_id}/hang-up"))

        listed = ok(await qa.get(f"{base}/contacts/{call_id}/recordings"))
        assert len(listed) == 1
        rec = listed[0]
        assert rec["channels"] == ["customer", "agent"]
        assert rec["kind"] == "call"
        assert 150 <= len(rec["peaks"]) <= 200
        [pause] = rec["pauses"]
        assert pause["reason"] == "card number"
        assert pause["by"].startswith("user:")
        assert pause["by_name"] == "alpha-agent"  # the agent's display name, for the timeline
        assert 0.4 < pause["end_s"] - pause["start_s"] < 1.0
        assert (await agent.get(f"{base}/contacts/{call_id}/recordings")).status_code == 403

        played = await qa.get(f"{base}/recordings/{rec['recording_id']}/audio")
        assert played.status_code == 200
        assert played.headers["content-type"] == "audio/wav"
        with wave.open(io.BytesIO(played.content)) as reader:
            assert reader.getnchannels() == 2
            samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16)
        stereo = samples.reshape(-1, 2)
        talk = stereo[-int(0.8 * 48000) :]  # the last stretch, after the resume
        assert hears(talk[:, 0], CUSTOMER_HZ)
        assert not hears(talk[:, 0], AGENT_HZ)
        assert hears(talk[:, 1], AGENT_HZ)
        assert not hears(talk[:, 1], CUSTOMER_HZ)
        # a card number said aloud: the stretch is silenced in the file for good
        masked = await qa.post(
            f"{base}/recordings/{rec['recording_id']}/mask",
            json={"start_s": 0.0, "end_s": 0.5, "reason": "card number read out"},
        )
        assert ok(masked)["pauses"][-1]["reason"] == "card number read out"
        again = ok_bytes(await qa.get(f"{base}/recordings/{rec['recording_id']}/audio"))
        with wave.open(io.BytesIO(again)) as reader:
            head = np.frombuffer(reader.readframes(int(0.5 * 48000)), dtype=np.int16)
        assert not head.any(), "the masked stretch is silence"
        timeline = ok(admin.get(f"{base}/contacts/{call_id}"))["timeline"]
        kinds = [e["type"] for e in timeline]
        assert kinds.count("voice.recording_played") == 2
        assert "voice.recording_masked" in kinds
        assert "voice.recording_paused" in kinds
        assert "voice.recording_resumed" in kinds
        digits = [e["data"]["digits"] for e in timeline if e["type"] == "voice.digits"]
        assert digits == ["1"]
    finally:
        for peer in peers:
            await peer.close()
        await agent.aclose()
        await qa.aclose()


async def test_a_voicemail_is_recorded_and_kept_in_line_as_a_callback(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    admin = center.admin
    flow = {"name": "After hours", "steps": [
        {"id": "vm", "type": "voicemail", "queue_id": t.queue_id, "text": "Leave a message.",
         "max_s": 20},
    ]}  # fmt: skip
    ok(admin.put(f"{base}/ivr-flows/after-hours", json=flow))
    topics = [{"topic_id": "any", "label": "any", "queue_id": t.queue_id}]
    widget = ok(admin.put(f"{base}/widgets/night", json={
        "display_name": "Alpha", "topics": topics, "ivr_flow_id": "after-hours"}))  # fmt: skip
    started: dict[str, str] = {}

    async def signal(sdp: str) -> str:
        async with httpx.AsyncClient(base_url=center.url, timeout=15) as public:
            url = f"/api/v1/voice/{widget['widget_key']}/calls"
            started.update(ok(await public.post(url, json={"name": "Nia", "sdp": sdp}), 201))
        return started["sdp"]

    caller = await dial("customer", CUSTOMER_HZ, signal)
    try:
        call_id = started["call_id"]
        board = board_of(center)
        await until(lambda: board.calls[call_id].recording_path is not None, 15)
        await until(lambda: len(caller.heard) > 10, 15)  # connected both ways
        await asyncio.sleep(1.5)  # the caller speaks (440 Hz) into the voicemail
        await caller.send_rfc4733("#")
        await until(lambda: call_id not in board.calls, 15)
    finally:
        await caller.close()
    contact = center.app.state.runtime.host.engine.state.contacts[call_id]
    assert contact.is_callback
    assert contact.status.value in ("waiting", "offered")
    [voicemail] = ok(admin.get(f"{base}/contacts/{call_id}/recordings"))
    assert voicemail["kind"] == "voicemail"
    assert voicemail["duration_s"] > 1.0
    audio = admin.get(f"{base}/recordings/{voicemail['recording_id']}/audio")
    with wave.open(io.BytesIO(audio.content)) as reader:
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16)
    assert hears(samples.reshape(-1, 2)[:, 0], CUSTOMER_HZ), "the message is the caller's voice"
    timeline = ok(admin.get(f"{base}/contacts/{call_id}"))["timeline"]
    ended = [e["data"]["hung_up_by"] for e in timeline if e["type"] == "voice.call_ended"]
    assert ended == ["system"]
    assert "routing.callback_requested" in [e["type"] for e in timeline]


async def test_a_callback_step_keeps_the_place_in_line_and_ends_the_call(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    admin = center.admin
    flow = {
        "name": "Busy",
        "steps": [{"id": "cb", "type": "callback", "queue_id": t.queue_id, "text": "Bye."}],
    }
    ok(admin.put(f"{base}/ivr-flows/busy", json=flow))
    topics = [{"topic_id": "any", "label": "any", "queue_id": t.queue_id}]
    body = {"display_name": "Alpha", "topics": topics, "ivr_flow_id": "busy"}
    widget = ok(admin.put(f"{base}/widgets/busy", json=body))
    assert widget["ivr_flow_id"] == "busy"
    assert widget["voice_enabled"] is True
    refused = admin.delete(f"{base}/ivr-flows/busy")
    assert refused.status_code == 409, "a widget runs it"
    started: dict[str, str] = {}

    async def signal(sdp: str) -> str:
        async with httpx.AsyncClient(base_url=center.url, timeout=15) as public:
            url = f"/api/v1/voice/{widget['widget_key']}/calls"
            started.update(ok(await public.post(url, json={"name": "Cal", "sdp": sdp}), 201))
        return started["sdp"]

    caller = await dial("customer", CUSTOMER_HZ, signal)
    try:
        await until(lambda: started["call_id"] not in board_of(center).calls, 15)
    finally:
        await caller.close()
    contact = center.app.state.runtime.host.engine.state.contacts[started["call_id"]]
    assert contact.is_callback
    row = ok(admin.get(f"{base}/contacts/{started['call_id']}"))
    assert row["is_callback"] is True
    assert row["queue_id"] == t.queue_id


async def test_a_waiting_caller_presses_star_to_be_called_back(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    admin = center.admin
    ok(admin.put(f"{base}/queues/alpha-empty", json={"queue_id": "alpha-empty", "name": "E"}))
    step = {"id": "q", "type": "queue", "queue_id": "alpha-empty", "callback_key": "*"}
    ok(admin.put(f"{base}/ivr-flows/starred", json={"name": "Starred", "steps": [step]}))
    topics = [{"topic_id": "any", "label": "any", "queue_id": "alpha-empty"}]
    body = {"display_name": "Alpha", "topics": topics, "ivr_flow_id": "starred"}
    widget = ok(admin.put(f"{base}/widgets/starred", json=body))
    started: dict[str, str] = {}

    async def signal(sdp: str) -> str:
        async with httpx.AsyncClient(base_url=center.url, timeout=15) as public:
            url = f"/api/v1/voice/{widget['widget_key']}/calls"
            started.update(ok(await public.post(url, json={"name": "Sam", "sdp": sdp}), 201))
        return started["sdp"]

    caller = await dial("customer", CUSTOMER_HZ, signal)
    try:
        board = board_of(center)
        call_id = started["call_id"]
        await until(lambda: board.calls[call_id].state.status.value == "queued", 15)
        await until(lambda: len(caller.heard) > 10, 15)  # connected: media flows both ways
        queued_at = center.app.state.runtime.host.engine.state.contacts[call_id].queued_at
        await caller.send_rfc4733("*")
        await until(lambda: call_id not in board.calls, 15)
    finally:
        await caller.close()
    contact = center.app.state.runtime.host.engine.state.contacts[call_id]
    assert contact.is_callback
    assert contact.queued_at == queued_at, "the place in line is kept"
    timeline = ok(admin.get(f"{base}/contacts/{call_id}"))["timeline"]
    assert [e["data"]["digits"] for e in timeline if e["type"] == "voice.digits"] == ["*"]
