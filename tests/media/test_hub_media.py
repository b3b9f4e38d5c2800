"""Real media through the hub: aiortc peers, real Opus, judged by FFT on what each hears.

Customer sends 440 Hz, agent 880 Hz, supervisor 1250 Hz. Each case lets the plan settle,
then looks at the last stretch each party received.
"""

from __future__ import annotations

import asyncio
import time
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
import pytest_asyncio

from headset.media import plan
from headset.media.hub import MediaHub
from headset.media.plan import MixPlan
from headset.media.protocol import (
    AddParty,
    Answer,
    CreateCall,
    DigitReceived,
    Done,
    Failed,
    HangUp,
    MediaEvent,
    PauseRecording,
    PlayPrompt,
    PromptFinished,
    RecordingStopped,
    ResumeRecording,
    SetMixPlan,
    StartRecording,
    StopRecording,
)
from headset.media.settings import MediaSettings
from tests.media.peers import AGENT_HZ, CUSTOMER_HZ, SUPERVISOR_HZ, Peer, connect, hears, rms

pytestmark = pytest.mark.asyncio

SETTLE_S = 0.5
WINDOW_S = 0.6


class Recorded:
    def __init__(self) -> None:
        self.events: list[MediaEvent] = []


@pytest_asyncio.fixture
async def hub(tmp_path: Path) -> AsyncIterator[tuple[MediaHub, Recorded]]:
    seen = Recorded()
    hub = MediaHub(
        MediaSettings(is_loopback=True, prompt_cache=str(tmp_path / "prompts")), seen.events.append
    )
    yield hub, seen
    await hub.close()


async def _call(hub: MediaHub, *parties: tuple[str, str, float]) -> list[Peer]:
    assert await hub.handle(CreateCall("c1")) == Done()
    peers = [await connect(hub, "c1", pid, role, hz) for pid, role, hz in parties]
    await _until(lambda: all(len(p.heard) > 5 for p in peers))
    return peers


async def _until(condition: object, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def _listen(*peers: Peer) -> list[np.ndarray]:
    await asyncio.sleep(SETTLE_S)
    start = time.monotonic()
    await asyncio.sleep(WINDOW_S)
    return [p.since(start) for p in peers]


async def _set(hub: MediaHub, mix: MixPlan) -> None:
    assert await hub.handle(SetMixPlan("c1", mix)) == Done()


TWO = (("cust", "customer", CUSTOMER_HZ), ("agent", "agent", AGENT_HZ))
THREE = (*TWO, ("sup", "supervisor", SUPERVISOR_HZ))


async def test_connected_customer_and_agent_hear_each_other_not_themselves(hub) -> None:
    h, _ = hub
    customer, agent = await _call(h, *TWO)
    await _set(h, plan.connected("cust", "agent"))
    to_customer, to_agent = await _listen(customer, agent)
    assert hears(to_customer, AGENT_HZ)
    assert not hears(to_customer, CUSTOMER_HZ)
    assert hears(to_agent, CUSTOMER_HZ)
    assert not hears(to_agent, AGENT_HZ)
    for p in (customer, agent):
        await p.close()


async def test_hold_gives_the_customer_music_and_the_agent_silence(hub) -> None:
    h, _ = hub
    customer, agent = await _call(h, *TWO)
    await _set(h, plan.hold("cust", "agent"))
    to_customer, to_agent = await _listen(customer, agent)
    assert not hears(to_customer, AGENT_HZ)
    assert hears(to_customer, 523.25) or hears(to_customer, 659.25) or hears(to_customer, 783.99)
    assert rms(to_agent) < 50
    for p in (customer, agent):
        await p.close()


async def test_listen_lets_the_supervisor_hear_both_and_nobody_hear_the_supervisor(hub) -> None:
    h, _ = hub
    customer, agent, sup = await _call(h, *THREE)
    await _set(h, plan.listen("cust", "agent", "sup"))
    to_customer, to_agent, to_sup = await _listen(customer, agent, sup)
    assert hears(to_sup, CUSTOMER_HZ)
    assert hears(to_sup, AGENT_HZ)
    assert not hears(to_customer, SUPERVISOR_HZ)
    assert not hears(to_agent, SUPERVISOR_HZ)
    assert hears(to_customer, AGENT_HZ)
    assert hears(to_agent, CUSTOMER_HZ)
    for p in (customer, agent, sup):
        await p.close()


async def test_whisper_reaches_the_agent_and_never_the_customer(hub) -> None:
    h, _ = hub
    customer, agent, sup = await _call(h, *THREE)
    await _set(h, plan.whisper("cust", "agent", "sup"))
    to_customer, to_agent, _ = await _listen(customer, agent, sup)
    assert hears(to_agent, SUPERVISOR_HZ)
    assert hears(to_agent, CUSTOMER_HZ)
    assert not hears(to_customer, SUPERVISOR_HZ)
    assert hears(to_customer, AGENT_HZ)
    for p in (customer, agent, sup):
        await p.close()


async def test_barge_lets_everyone_hear_everyone_but_themselves(hub) -> None:
    h, _ = hub
    peers = await _call(h, *THREE)
    await _set(h, plan.barge("cust", "agent", "sup"))
    heard = await _listen(*peers)
    tones = (CUSTOMER_HZ, AGENT_HZ, SUPERVISOR_HZ)
    for own, samples in zip(tones, heard, strict=True):
        assert not hears(samples, own)
        assert all(hears(samples, other) for other in tones if other != own)
    for p in peers:
        await p.close()


async def test_digits_sent_as_rfc4733_events_are_reported_once_each(hub) -> None:
    h, seen = hub
    customer, agent = await _call(h, *TWO)
    await customer.send_rfc4733("12#")

    def digits() -> list[tuple[str, str]]:
        return [(e.digit, e.method) for e in seen.events if isinstance(e, DigitReceived)]

    await _until(lambda: len(digits()) >= 3)
    await asyncio.sleep(0.2)
    assert digits() == [("1", "rfc4733"), ("2", "rfc4733"), ("#", "rfc4733")]
    for p in (customer, agent):
        await p.close()


async def test_keypad_tones_in_the_audio_are_detected_through_opus(hub) -> None:
    h, seen = hub
    customer, agent = await _call(h, *TWO)
    for digit in "905*":
        customer.tone.press(digit)

    def digits() -> list[str]:
        return [e.digit for e in seen.events if isinstance(e, DigitReceived)]

    await _until(lambda: len(digits()) >= 4)
    await asyncio.sleep(0.3)
    assert digits() == list("905*")
    assert {e.method for e in seen.events if isinstance(e, DigitReceived)} == {"inband"}
    for p in (customer, agent):
        await p.close()


async def test_the_stereo_recording_keeps_each_party_on_its_channel_and_a_pause_silent(
    hub, tmp_path: Path
) -> None:
    h, _ = hub
    customer, agent = await _call(h, *TWO)
    await _set(h, plan.connected("cust", "agent"))
    path = tmp_path / "rec" / "c1.wav"
    assert await h.handle(StartRecording("c1", str(path))) == Done()
    await asyncio.sleep(1.0)
    assert await h.handle(PauseRecording("c1")) == Done()
    await asyncio.sleep(0.6)
    assert await h.handle(ResumeRecording("c1")) == Done()
    await asyncio.sleep(0.6)
    stopped = await h.handle(StopRecording("c1"))
    assert isinstance(stopped, RecordingStopped)
    assert len(stopped.pauses) == 1
    pause = stopped.pauses[0]
    assert pause.end_s is not None
    assert 0.5 < pause.end_s - pause.start_s < 0.8
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getframerate(), w.getsampwidth()) == (2, 48000, 2)
        data = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).reshape(-1, 2)
    assert abs(len(data) / 48000 - stopped.duration_s) < 0.05

    def part(start_s: float, end_s: float) -> np.ndarray:
        return data[int(start_s * 48000) : int(end_s * 48000)]

    talk = part(0.4, pause.start_s - 0.05)
    assert hears(talk[:, 0], CUSTOMER_HZ)
    assert not hears(talk[:, 0], AGENT_HZ)
    assert hears(talk[:, 1], AGENT_HZ)
    assert not hears(talk[:, 1], CUSTOMER_HZ)
    assert np.abs(part(pause.start_s, pause.end_s)).max() == 0
    after = part(pause.end_s + 0.1, stopped.duration_s)
    assert hears(after[:, 0], CUSTOMER_HZ)
    assert hears(after[:, 1], AGENT_HZ)
    for p in (customer, agent):
        await p.close()


async def test_a_prompt_plays_to_one_party_only_and_reports_when_done(hub) -> None:
    h, seen = hub
    customer, agent = await _call(h, *TWO)
    await _set(h, MixPlan({"cust": frozenset(), "agent": frozenset()}))
    await asyncio.sleep(0.3)
    start = time.monotonic()
    reply = await h.handle(PlayPrompt("c1", "cust", "welcome", text="Welcome to Headset"))
    assert reply == Done()
    await _until(lambda: any(isinstance(e, PromptFinished) for e in seen.events), 10)
    to_customer, to_agent = customer.since(start), agent.since(start)
    assert rms(to_customer) > 300  # speech
    assert rms(to_agent) < 50
    assert [e for e in seen.events if isinstance(e, PromptFinished)] == [
        PromptFinished("c1", "cust", "welcome")
    ]
    for p in (customer, agent):
        await p.close()


async def test_bad_commands_are_refused_with_the_reason(hub) -> None:
    h, _ = hub
    assert await h.handle(HangUp("nope")) == Failed("NotFound", "no call 'nope' on this worker")
    await h.handle(CreateCall("c1"))
    refused = await h.handle(SetMixPlan("c1", plan.connected("a", "b")))
    assert isinstance(refused, Failed)
    assert refused.kind == "NotFound"
    bad_sdp = await h.handle(AddParty("c1", "x", "customer", "not sdp"))
    assert isinstance(bad_sdp, Failed)
    assert bad_sdp.kind == "Invalid"
    assert "x" not in h.calls["c1"].parties


async def test_the_answer_accepts_telephone_events_at_the_payload_type_offered(hub) -> None:
    h, _ = hub
    from aiortc import RTCPeerConnection

    from headset.media import webrtc

    pc = RTCPeerConnection(webrtc.configuration())
    pc.addTransceiver("audio")
    await pc.setLocalDescription(await pc.createOffer())
    offer = pc.localDescription.sdp
    assert "telephone-event/48000" in offer
    pt = next(
        line.split()[0].split(":")[1]
        for line in offer.splitlines()
        if "telephone-event/48000" in line
    )
    browser_offer = offer.replace(f":{pt} ", ":126 ").replace(f" {pt}", " 126")  # as Chromium
    await h.handle(CreateCall("c1"))
    answer = await h.handle(AddParty("c1", "cust", "customer", browser_offer))
    assert isinstance(answer, Answer)
    assert "a=rtpmap:126 telephone-event/48000" in answer.sdp
    assert "opus/48000/2" in answer.sdp
    await pc.close()


async def test_a_g711_leg_is_resampled_and_mixed_with_an_opus_leg(hub) -> None:
    h, _ = hub
    assert await h.handle(CreateCall("c1")) == Done()
    gateway = await connect(h, "c1", "cust", "customer", CUSTOMER_HZ, codec="PCMU")
    agent = await connect(h, "c1", "agent", "agent", AGENT_HZ)
    assert "PCMU/8000" in gateway.pc.remoteDescription.sdp
    await _until(lambda: len(gateway.heard) > 5 and len(agent.heard) > 5)
    await _set(h, plan.connected("cust", "agent"))
    to_gateway, to_agent = await _listen(gateway, agent)
    assert hears(to_gateway, AGENT_HZ)
    assert hears(to_agent, CUSTOMER_HZ)
    assert not hears(to_agent, AGENT_HZ)
    for p in (gateway, agent):
        await p.close()


async def test_aiortcs_threaded_codecs_carry_the_same_media(tmp_path: Path) -> None:
    settings = MediaSettings(is_loopback=True, is_inline_codecs=False, prompt_cache=str(tmp_path))
    h = MediaHub(settings, lambda event: None)
    try:
        customer, agent = await _call(h, *TWO)
        await _set(h, plan.connected("cust", "agent"))
        to_customer, to_agent = await _listen(customer, agent)
        assert hears(to_customer, AGENT_HZ)
        assert hears(to_agent, CUSTOMER_HZ)
        for p in (customer, agent):
            await p.close()
    finally:
        await h.close()
