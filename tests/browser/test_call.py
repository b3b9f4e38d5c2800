"""One call through the whole center, every person in a Chromium process of their own.

Each browser's microphone is a fake device playing a WAV tone made at test time: the
customer 440 Hz, the agent 880 Hz, the supervisor 1250 Hz. A customer calls from the hosted
page and picks a queue in the IVR menu with the keypad (RFC 4733 from insertDTMF); the agent
answers on the desktop softphone; what each party hears is measured in its own page with an
AnalyserNode on the remote stream (static/js/voice/peer.js, exposed as window.headsetVoice).
The supervisor listens, then whispers from the wallboard: the agent hears 1250 Hz and sees
the whisper badge, the customer does not hear it.
"""

from __future__ import annotations

import math
import re
import struct
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, expect, sync_playwright

from headset.media.settings import MediaSettings
from tests.browser.conftest import PHONE, TOTP_REQUIRED, launch, launch_with_microphone, sign_in
from tests.browser.test_layout import overflow
from tests.service.conftest import Center, ok, start_center

BASE = "/api/v1/tenants/alpha"
CUSTOMER_HZ, AGENT_HZ, SUPERVISOR_HZ = 440, 880, 1250
#: WebRTC connects in about a second here; Opus, the hub's jitter buffer and the analyser's
#: window take a little longer to settle.
HEAR_TIMEOUT_MS = 20_000

HEARS = """([name, hz]) => {
  const peer = window.headsetVoice && window.headsetVoice[name];
  if (!peer) return false;
  const { hz: loudest, db } = peer.listen().dominant();
  return Math.abs(loudest - hz) < 25 && db > -75;
}"""
LEVEL = """([name, hz]) => window.headsetVoice[name].listen().level(hz)"""
HEARS_AT = """([name, hz, floor]) => {
  const peer = window.headsetVoice && window.headsetVoice[name];
  return Boolean(peer) && peer.listen().level(hz) > floor;
}"""
#: Resolves once `hz` has stayed below `ceiling` for `ms` on end (or fails after `limit` ms).
QUIET_FOR = """async ([name, hz, ceiling, ms, limit]) => {
  const meter = window.headsetVoice[name].listen();
  const started = performance.now();
  let quietSince = null;
  while (performance.now() - started < limit) {
    const now = performance.now();
    if (meter.level(hz) < ceiling) quietSince = quietSince ?? now;
    else quietSince = null;
    if (quietSince !== null && now - quietSince >= ms) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}"""
SPEAKS = """([name, floor]) => {
  const peer = window.headsetVoice && window.headsetVoice[name];
  return Boolean(peer) && peer.listen().dominant().db > floor;
}"""
#: dBFS: a tone through Opus and the hub arrives at about -45, a prompt's speech about as
#: loud; silence measures -90 to -120
HEARD, SILENT = -70, -80


def write_tone(path: Path, hz: int, seconds: float = 10.0, rate: int = 48_000) -> Path:
    """A 48 kHz 16-bit mono sine (Chromium loops the file while the call lasts)."""
    frames = bytearray()
    for i in range(int(seconds * rate)):
        frames += struct.pack("<h", int(12_000 * math.sin(2 * math.pi * hz * i / rate)))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    # one Playwright per module (see conftest.browser); each party launches its own process
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Center]:
    """The browser center with calls on: the media hub in this process, on 127.0.0.1."""
    tmp = tmp_path_factory.mktemp("call")
    media = MediaSettings(is_in_process=True, is_loopback=True, prompt_cache=str(tmp / "prompts"))
    c = start_center(tmp, require_totp_roles=TOTP_REQUIRED, is_voice_enabled=True, media=media)
    try:
        yield c
    finally:
        c.close()
        c.served.stop()


@pytest.fixture(scope="module")
def voice_widget(center: Center) -> str:
    """A widget whose calls run an IVR flow: "For sales, press 1" (the agent's queue); no key
    sends the call to another queue, where nobody answers."""
    sales = center.tenants["alpha"].queue_id
    care = {"queue_id": "alpha-care", "name": "Care"}
    ok(center.admin.put(f"{BASE}/queues/alpha-care", json=care))
    flow = {
        "name": "Main menu",
        "steps": [
            {
                "id": "menu",
                "type": "menu",
                "text": "For sales, press 1.",
                "options": {"1": "sales"},
                "on_timeout": "care",
            },
            {"id": "sales", "type": "queue", "queue_id": sales},
            {"id": "care", "type": "queue", "queue_id": "alpha-care"},
        ],
    }
    ok(center.admin.put(f"{BASE}/ivr-flows/main", json=flow))
    widget = {
        "display_name": "Alpha Phone",
        "topics": [{"topic_id": "sales", "label": "sales", "queue_id": sales}],
        "ivr_flow_id": "main",
    }
    key = ok(center.admin.put(f"{BASE}/widgets/phone", json=widget))["widget_key"]
    return str(key)


def _party(
    playwright: Playwright, center: Center, wav: Path, viewport: ViewportSize | None = None
) -> tuple[Browser, Page]:
    browser = launch_with_microphone(playwright, wav)
    context = browser.new_context(base_url=center.url, locale="en-GB", viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors  # type: ignore[attr-defined]
    return browser, page


def _signed_in(page: Page, center: Center, role: str, home: str) -> None:
    username, password, _ = center.tenants["alpha"].users[role]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile(f"/{home}$"))
    expect(page.locator("#live-status")).to_have_text("Live")


def _hears(page: Page, name: str, hz: int) -> None:
    page.wait_for_function(HEARS, arg=[name, hz], timeout=HEAR_TIMEOUT_MS)


def test_a_browser_call_through_the_ivr_answered_on_the_softphone_with_a_whisper(
    playwright: Playwright, center: Center, voice_widget: str, tmp_path: Path
) -> None:
    browsers: list[Browser] = []
    try:
        b, desk = _party(playwright, center, write_tone(tmp_path / "agent.wav", AGENT_HZ))
        browsers.append(b)
        b, board = _party(playwright, center, write_tone(tmp_path / "super.wav", SUPERVISOR_HZ))
        browsers.append(b)
        b, customer = _party(
            playwright, center, write_tone(tmp_path / "cust.wav", CUSTOMER_HZ), PHONE
        )
        browsers.append(b)

        # the agent goes available: the softphone opens the microphone and registers
        _signed_in(desk, center, "agent", "desktop")
        _signed_in(board, center, "supervisor", "wallboard")
        desk.get_by_label("Set your state").select_option("available")
        expect(desk.locator("#softphone-status")).to_have_text("Ready for calls")
        agent_client = center.as_user("alpha", "agent")
        assert ok(agent_client.get(f"{BASE}/voice/config"))["registered"] is True

        # the customer calls from the hosted page and chooses sales in the menu
        customer.goto(f"/chat/{voice_widget}")
        customer.get_by_role("textbox", name="Your name").fill("Carla Caller")
        customer.get_by_role("button", name="Call us").click()
        status = customer.locator("#call-status")
        expect(status).to_contain_text("You are in our menu", timeout=15_000)
        # the menu is spoken to the caller; a key pressed before it starts would not count
        customer.wait_for_function(SPEAKS, arg=["customer", HEARD], timeout=HEAR_TIMEOUT_MS)
        customer.get_by_role("group", name="Keypad").get_by_role("button", name="1").click()
        expect(customer.locator("#call-digits")).to_have_text("Sent: 1")

        # the offer rings on the desktop; the agent answers and joins the call's media
        offer = desk.get_by_role("alertdialog", name="Incoming call")
        expect(offer).to_be_visible(timeout=15_000)
        expect(offer).to_contain_text("A call from queue")
        offer.get_by_role("button", name="Accept").click()
        panel = desk.get_by_role("tabpanel")
        expect(panel.locator("[data-call-state]")).to_have_text("Connected", timeout=15_000)
        expect(status).to_have_text("You are talking with alpha-agent.", timeout=10_000)

        # each hears the other's tone
        _hears(desk, "call", CUSTOMER_HZ)
        _hears(customer, "customer", AGENT_HZ)
        expect(panel.locator("[data-call-timer]")).not_to_have_text("0:00", timeout=5_000)
        quality = panel.locator("[data-call-quality]")
        expect(quality.locator("[data-quality-text]")).to_have_text("Network: good")
        expect(quality.locator("[data-quality-detail]")).to_contain_text("Packet loss 0 %")
        assert overflow(customer) == 0  # the call fits a 360 px phone

        # another microphone: the call goes on with it (replaceTrack, no renegotiation)
        microphones = desk.get_by_label("Microphone", exact=True)
        devices = microphones.locator("option").evaluate_all("(all) => all.map((o) => o.value)")
        assert len(devices) >= 2, devices  # "Default" and Chromium's fake devices
        microphones.select_option(devices[-1])
        expect(desk.locator("#announcer")).to_have_text("The microphone is changed.")
        _hears(customer, "customer", AGENT_HZ)

        # the agent's keypad sends RFC 4733 digits on the same connection
        panel.get_by_role("button", name="Keypad").click()
        keypad = panel.get_by_role("group", name="Keypad")
        keypad.get_by_role("button", name="5").click()
        keypad.get_by_role("button", name="#").click()
        expect(panel.locator("[data-call-digits]")).to_have_text("Sent: 5#")
        panel.get_by_role("button", name="Keypad").click()
        expect(keypad).to_be_hidden()

        # mute: the customer stops hearing the agent, and hears them again after unmute
        mute = panel.locator("[data-call-mute]")
        mute.click()
        expect(mute).to_have_attribute("aria-pressed", "true")
        expect(mute).to_have_text("Unmute")
        assert customer.evaluate(QUIET_FOR, ["customer", AGENT_HZ, SILENT, 1000, HEAR_TIMEOUT_MS])
        mute.click()
        expect(mute).to_have_attribute("aria-pressed", "false")
        _hears(customer, "customer", AGENT_HZ)

        # hold: the agent hears nothing of the customer until resumed
        hold = panel.locator("[data-call-hold]")
        hold.click()
        expect(panel.locator("[data-call-state]")).to_have_text("On hold: the caller hears music.")
        expect(hold).to_have_attribute("aria-pressed", "true")
        assert desk.evaluate(QUIET_FOR, ["call", CUSTOMER_HZ, SILENT, 1000, HEAR_TIMEOUT_MS])
        hold.click()
        expect(panel.locator("[data-call-state]")).to_have_text("Connected")
        _hears(desk, "call", CUSTOMER_HZ)
        _hears(customer, "customer", AGENT_HZ)
        call = ok(agent_client.get(f"{BASE}/calls/" + _call_id(center)))
        assert call["status"] == "connected"
        assert {leg["party"] for leg in call["legs"]} >= {"customer", "agent"}

        # the supervisor listens from the wallboard (hears both), then whispers
        call_id = _call_id(center)
        board.get_by_role("button", name=f"Watch {call_id}").click()
        monitor = board.locator(f'[data-monitor="{call_id}"]')
        expect(monitor.locator("[data-monitor-mode]")).to_contain_text("You are listening")
        board.wait_for_function(
            HEARS_AT, arg=["monitor", CUSTOMER_HZ, HEARD], timeout=HEAR_TIMEOUT_MS
        )
        board.wait_for_function(HEARS_AT, arg=["monitor", AGENT_HZ, HEARD], timeout=HEAR_TIMEOUT_MS)
        monitor.get_by_role("button", name="Whisper to the agent").click()
        expect(monitor.locator("[data-monitor-mode]")).to_contain_text("only the agent hears you")
        badge = panel.locator("[data-call-supervisor]")
        expect(badge).to_have_text(
            "A supervisor is whispering to you: the caller does not hear them."
        )
        desk.wait_for_function(
            HEARS_AT, arg=["call", SUPERVISOR_HZ, HEARD], timeout=HEAR_TIMEOUT_MS
        )
        # the agent still hears the customer; the customer hears the agent, not the supervisor
        assert desk.evaluate(LEVEL, ["call", CUSTOMER_HZ]) > HEARD
        # the supervisor's tone is continuous, so a whole second without it proves the customer
        # does not hear it (a prompt still fading out of the queue is speech: it has gaps)
        assert customer.evaluate(
            QUIET_FOR, ["customer", SUPERVISOR_HZ, SILENT, 1000, HEAR_TIMEOUT_MS]
        )
        assert desk.evaluate(LEVEL, ["call", SUPERVISOR_HZ]) > HEARD
        assert customer.evaluate(LEVEL, ["customer", AGENT_HZ]) > HEARD

        # barge in: now the customer hears the supervisor too, and the agent is told
        monitor.get_by_role("button", name="Barge in").click()
        expect(monitor.locator("[data-monitor-mode]")).to_contain_text("You have barged in")
        expect(badge).to_have_text("A supervisor joined the call: the caller hears them too.")
        customer.wait_for_function(
            HEARS_AT, arg=["customer", SUPERVISOR_HZ, HEARD], timeout=HEAR_TIMEOUT_MS
        )

        # the supervisor leaves; the agent hangs up and wraps up; the customer sees the end
        monitor.get_by_role("button", name="Leave the call").click()
        expect(badge).to_be_hidden()
        panel.get_by_role("button", name="Hang up").click()
        expect(status).to_have_text("The call has ended.", timeout=10_000)
        panel.get_by_role("button", name="Finish the wrap-up").click()
        expect(desk.get_by_role("tab")).to_have_count(0)
        contact = ok(center.admin.get(f"{BASE}/contacts/{call_id}"))
        assert (contact["channel"], contact["status"]) == ("voice", "completed")
        for page in (desk, board, customer):
            assert page.js_errors == []  # type: ignore[attr-defined]
    finally:
        for browser in browsers:
            browser.close()


def _call_id(center: Center) -> str:
    (call,) = ok(center.admin.get(f"{BASE}/contacts", params={"status": "connected"}))["items"]
    return str(call["contact_id"])


LEADER_HZ = 660


@pytest.fixture(scope="module")
def direct_widget(center: Center) -> str:
    """A widget with one topic: its calls are queued at once (no menu)."""
    sales = center.tenants["alpha"].queue_id
    widget = {
        "display_name": "Alpha Direct",
        "topics": [{"topic_id": "sales", "label": "sales", "queue_id": sales}],
    }
    return str(ok(center.admin.put(f"{BASE}/widgets/direct", json=widget))["widget_key"])


def test_a_warm_transfer_consults_the_team_leader_confers_and_hands_the_caller_over(
    playwright: Playwright, center: Center, direct_widget: str, tmp_path: Path
) -> None:
    browsers: list[Browser] = []
    try:
        b, desk = _party(playwright, center, write_tone(tmp_path / "agent.wav", AGENT_HZ))
        browsers.append(b)
        b, leader = _party(playwright, center, write_tone(tmp_path / "leader.wav", LEADER_HZ))
        browsers.append(b)
        b, customer = _party(playwright, center, write_tone(tmp_path / "cust.wav", CUSTOMER_HZ))
        browsers.append(b)
        # this queue records every call
        sales = center.tenants["alpha"].queue_id
        queue = {"queue_id": sales, "name": "Sales", "recording": "all"}
        ok(center.admin.put(f"{BASE}/queues/{sales}", json=queue))
        _signed_in(desk, center, "agent", "desktop")
        _signed_in(leader, center, "team_leader", "wallboard")
        leader.goto("/desktop")
        expect(leader.locator("#live-status")).to_have_text("Live")
        desk.get_by_label("Set your state").select_option("available")
        expect(desk.locator("#softphone-status")).to_have_text("Ready for calls")

        # a call with no menu goes straight to the queue and rings the agent
        customer.goto(f"/chat/{direct_widget}")
        customer.get_by_role("textbox", name="Your name").fill("Dana Direct")
        customer.get_by_role("button", name="Call us").click()
        offer = desk.get_by_role("alertdialog", name="Incoming call")
        expect(offer).to_be_visible(timeout=15_000)
        offer.get_by_role("button", name="Accept").click()
        panel = desk.get_by_role("tabpanel")
        expect(panel.locator("[data-call-state]")).to_have_text("Connected", timeout=15_000)
        _hears(customer, "customer", AGENT_HZ)

        # the call is recorded; the agent pauses the recording for a moment (a card number)
        badge = panel.locator("[data-call-recording]")
        expect(badge).to_have_text("Recording", timeout=10_000)
        panel.get_by_role("button", name="Pause the recording").click()
        expect(badge).to_have_text("Recording paused")
        desk.wait_for_timeout(1200)
        panel.get_by_role("button", name="Resume the recording").click()
        expect(badge).to_have_text("Recording")

        # the team leader becomes available; the agent consults them: the caller holds
        leader.get_by_label("Set your state").select_option("available")
        expect(leader.locator("#softphone-status")).to_have_text("Ready for calls")
        target = panel.get_by_label("To", exact=True)
        target.focus()  # reads the transfer targets
        leader_agent = center.tenants["alpha"].agents["team_leader"]
        expect(target.locator(f'option[value="agent_id:{leader_agent}"]')).to_have_count(1)
        target.select_option(f"agent_id:{leader_agent}")
        panel.get_by_role("button", name="Consult first").click()
        consultation = panel.locator("[data-call-consultation]")
        expect(consultation).to_be_visible()
        expect(consultation).to_contain_text("the caller is on hold")
        expect(customer.locator("#call-status")).to_have_text(
            "You are on hold. Please stay on the line.", timeout=10_000
        )

        # the team leader's desktop rings with the consultation; they answer and they talk
        ring = leader.get_by_role("alertdialog", name="Incoming call")
        expect(ring).to_contain_text("A colleague asks you to join a call", timeout=15_000)
        ring.get_by_role("button", name="Accept").click()
        leader_panel = leader.get_by_role("tabpanel")
        expect(leader_panel.locator("[data-call-state]")).to_have_text("Connected", timeout=15_000)
        _hears(leader, "call", AGENT_HZ)
        _hears(desk, "call", LEADER_HZ)

        # a three-way conference: everyone hears the two others
        consultation.get_by_role("button", name="Three-way conference").click()
        expect(panel.locator("[data-call-state]")).to_have_text("Three-way conference")
        expect(consultation).to_contain_text("Three-way conference with")
        for page, name, tones in (
            (customer, "customer", (AGENT_HZ, LEADER_HZ)),
            (desk, "call", (CUSTOMER_HZ, LEADER_HZ)),
            (leader, "call", (CUSTOMER_HZ, AGENT_HZ)),
        ):
            for hz in tones:
                page.wait_for_function(HEARS_AT, arg=[name, hz, HEARD], timeout=HEAR_TIMEOUT_MS)

        # the agent leaves them talking: the team leader has the caller, the agent's tab
        # closes (no wrap-up: a transfer)
        consultation.get_by_role("button", name="Leave them talking").click()
        expect(desk.get_by_role("tab")).to_have_count(0, timeout=10_000)
        _hears(customer, "customer", LEADER_HZ)
        _hears(leader, "call", CUSTOMER_HZ)
        assert customer.evaluate(QUIET_FOR, ["customer", AGENT_HZ, SILENT, 1000, HEAR_TIMEOUT_MS])
        expect(customer.locator("#call-status")).to_contain_text("You are talking with")

        # the team leader hangs up; the caller sees the end
        leader_call = leader.locator("[data-call]")
        leader_call.get_by_role("button", name="Hang up").click()
        expect(customer.locator("#call-status")).to_have_text("The call has ended.", timeout=10_000)

        # the team leader (recording.listen for the team) plays the recording back: the
        # waveform of both channels with the pause marked on it, the audio a WAV
        leader_call.get_by_role("button", name="Show the recordings").click()
        recording = leader_call.locator(".recording")
        expect(recording).to_have_count(1)
        expect(recording.locator("svg.waveform rect.peak-left")).not_to_have_count(0)
        expect(recording.locator("svg.waveform rect.pause")).to_have_count(1)
        expect(recording.locator(".recording-pauses li")).to_have_text(
            re.compile(r"^Paused 0:\d\d\u20130:\d\d by ")
        )
        src = recording.locator("audio").get_attribute("src") or ""
        assert src.endswith("/audio"), src
        fetched = leader.evaluate(
            "async (src) => { const r = await fetch(src); return [r.status, "
            "r.headers.get('content-type'), (await r.arrayBuffer()).byteLength]; }",
            src,
        )
        assert fetched[0] == 200, fetched
        assert fetched[1].startswith("audio/"), fetched
        assert fetched[2] > 48_000 * 2 * 2, fetched  # over a second of 48 kHz 16-bit stereo

        # a stretch said aloud is silenced for good: it joins the marks, with the reason
        recording.get_by_text("Silence a stretch").click()
        recording.get_by_label("From (seconds)").fill("0,2")
        recording.get_by_label("To (seconds)").fill("0.1")
        recording.get_by_role("button", name="Silence it").click()
        alert = recording.get_by_role("alert")
        expect(alert).to_have_text("Why: Please fill this in.")
        expect(recording.get_by_label("Why")).to_have_attribute("aria-invalid", "true")
        recording.get_by_label("Why").fill("card number")
        recording.get_by_role("button", name="Silence it").click()
        expect(alert).to_contain_text("end after start")
        expect(recording.get_by_label("To (seconds)")).to_have_attribute("aria-invalid", "true")
        recording.get_by_label("To (seconds)").fill("0.6")
        recording.get_by_role("button", name="Silence it").click()
        recording = leader_call.locator(".recording")
        expect(recording.locator("svg.waveform rect.pause")).to_have_count(2)
        expect(recording.locator(".recording-pauses li").last).to_contain_text(": card number")

        # the team leader wraps the call up
        leader.get_by_role("tabpanel").get_by_role("button", name="Finish the wrap-up").click()
        expect(leader.get_by_role("tab")).to_have_count(0)
        for page in (desk, leader, customer):
            assert page.js_errors == []  # type: ignore[attr-defined]
    finally:
        for browser in browsers:
            browser.close()


def test_a_blind_transfer_hands_the_call_to_another_agent_who_answers_it(
    playwright: Playwright, center: Center, direct_widget: str, tmp_path: Path
) -> None:
    browsers: list[Browser] = []
    try:
        b, desk = _party(playwright, center, write_tone(tmp_path / "agent.wav", AGENT_HZ))
        browsers.append(b)
        b, leader = _party(playwright, center, write_tone(tmp_path / "leader.wav", LEADER_HZ))
        browsers.append(b)
        b, customer = _party(playwright, center, write_tone(tmp_path / "cust.wav", CUSTOMER_HZ))
        browsers.append(b)
        _signed_in(desk, center, "agent", "desktop")
        _signed_in(leader, center, "team_leader", "wallboard")
        leader.goto("/desktop")
        expect(leader.locator("#live-status")).to_have_text("Live")
        desk.get_by_label("Set your state").select_option("available")
        expect(desk.locator("#softphone-status")).to_have_text("Ready for calls")

        # a recorded queue: the recording goes on across the transfer (the second agent's
        # joining once failed with "being recorded already")
        sales = center.tenants["alpha"].queue_id
        queue = {"queue_id": sales, "name": "Sales", "recording": "all"}
        ok(center.admin.put(f"{BASE}/queues/{sales}", json=queue))
        customer.goto(f"/chat/{direct_widget}")
        customer.get_by_role("textbox", name="Your name").fill("Bo Blind")
        customer.get_by_role("button", name="Call us").click()
        offer = desk.get_by_role("alertdialog", name="Incoming call")
        expect(offer).to_be_visible(timeout=15_000)
        offer.get_by_role("button", name="Accept").click()
        panel = desk.get_by_role("tabpanel")
        expect(panel.locator("[data-call-state]")).to_have_text("Connected", timeout=15_000)
        _hears(customer, "customer", AGENT_HZ)

        # the team leader is free now; the agent hands the call over at once
        leader.get_by_label("Set your state").select_option("available")
        expect(leader.locator("#softphone-status")).to_have_text("Ready for calls")
        target = panel.get_by_label("To", exact=True)
        target.focus()
        leader_agent = center.tenants["alpha"].agents["team_leader"]
        expect(target.locator(f'option[value="agent_id:{leader_agent}"]')).to_have_count(1)
        target.select_option(f"agent_id:{leader_agent}")
        panel.get_by_role("button", name="Transfer now").click()
        ring = leader.get_by_role("alertdialog", name="Incoming call")
        expect(ring).to_contain_text("A call from queue", timeout=15_000)
        ring.get_by_role("button", name="Accept").click()
        leader_panel = leader.get_by_role("tabpanel")
        expect(leader_panel.locator("[data-call-state]")).to_have_text("Connected", timeout=15_000)
        _hears(customer, "customer", LEADER_HZ)
        _hears(leader, "call", CUSTOMER_HZ)
        expect(desk.get_by_role("tab")).to_have_count(0, timeout=10_000)

        call_id = (leader_panel.get_attribute("id") or "").removeprefix("panel-")
        leader_panel.get_by_role("button", name="Hang up").click()
        expect(customer.locator("#call-status")).to_have_text("The call has ended.", timeout=10_000)
        recorded = ok(center.admin.get(f"{BASE}/contacts/{call_id}/recordings"))
        assert len(recorded) == 1  # one recording of the whole call, both agents' parts
        for page in (desk, leader, customer):
            assert page.js_errors == []  # type: ignore[attr-defined]
    finally:
        for browser in browsers:
            browser.close()


def test_the_embedded_launcher_offers_a_call_when_calls_are_on(
    playwright: Playwright, center: Center, voice_widget: str
) -> None:
    browser = launch(playwright)
    try:
        page = browser.new_context(base_url=center.url, locale="en-GB").new_page()
        page.goto(f"/chat/{voice_widget}?embed=1")
        expect(page.get_by_role("button", name="Chat or call us")).to_be_visible()
        ok(center.admin.put(f"{BASE}/widgets/phone", json={
            "display_name": "Alpha Phone", "ivr_flow_id": "main", "voice_enabled": False,
            "topics": [{"topic_id": "sales", "label": "sales",
                        "queue_id": center.tenants["alpha"].queue_id}],
        }))  # fmt: skip
        page.reload()
        expect(page.get_by_role("button", name="Chat with us")).to_be_visible()
    finally:
        ok(center.admin.put(f"{BASE}/widgets/phone", json={
            "display_name": "Alpha Phone", "ivr_flow_id": "main",
            "topics": [{"topic_id": "sales", "label": "sales",
                        "queue_id": center.tenants["alpha"].queue_id}],
        }))  # fmt: skip
        browser.close()
