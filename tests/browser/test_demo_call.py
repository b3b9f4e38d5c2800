"""The demo, as a person tries it: `headset demo` in its own process, an agent signed in on
the desktop, and a call placed from the tenant's customer page in another browser, through
the phone menu and the queue's announcement, answered on the softphone, recorded."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from headset.demo.seed import PASSWORD
from tests.browser.conftest import launch_with_microphone, sign_in
from tests.browser.test_call import (
    AGENT_HZ,
    CUSTOMER_HZ,
    HEAR_TIMEOUT_MS,
    HEARD,
    SPEAKS,
    write_tone,
)
from tests.service.conftest import free_port, login, ok

TENANT = "lakeside-cu"
HEARS = """([name, hz]) => {
  const peer = window.headsetVoice && window.headsetVoice[name];
  if (!peer) return false;
  const { hz: loudest, db } = peer.listen().dominant();
  return Math.abs(loudest - hz) < 25 && db > -75;
}"""


class Demo:
    def __init__(self, url: str, chat_page: str) -> None:
        self.url, self.chat_page = url, chat_page


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    port = free_port()
    folder = tmp_path_factory.mktemp("demo")
    command = [
        sys.executable,
        "-c",
        "import sys; from headset.cli import main; sys.exit(main(sys.argv[1:]))",
        "demo",
        "--bind",
        f"127.0.0.1:{port}",
        "--dir",
        str(folder / "demo"),
        "--seconds",
        "600",
        "--contact-every",
        "20",
    ]
    env = {**os.environ, "COLUMNS": "250"}  # one printed line per URL
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
    )
    assert process.stdout is not None
    try:
        printed: list[str] = []
        deadline = time.monotonic() + 120
        chat_page = ""
        while not chat_page:
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                pytest.fail("the demo stopped:\n" + "".join(printed))
            if time.monotonic() > deadline:
                pytest.fail("the demo printed no customer page:\n" + "".join(printed))
            printed.append(line)
            found = re.search(rf"customer of {TENANT}: (\S+/chat/\S+)", line)
            if found:
                chat_page = found.group(1)
        yield Demo(f"http://127.0.0.1:{port}", chat_page)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


def _page(playwright: Playwright, demo: Demo, wav: Path) -> tuple[Browser, Page]:
    browser = launch_with_microphone(playwright, wav)
    context = browser.new_context(base_url=demo.url, locale="en-GB")
    context.set_default_timeout(15_000)
    return browser, context.new_page()


def test_a_call_from_the_demos_customer_page_reaches_the_signed_in_agent(
    playwright: Playwright, demo: Demo, tmp_path: Path
) -> None:
    browsers: list[Browser] = []
    try:
        b, desk = _page(playwright, demo, write_tone(tmp_path / "agent.wav", AGENT_HZ))
        browsers.append(b)
        b, customer = _page(playwright, demo, write_tone(tmp_path / "customer.wav", CUSTOMER_HZ))
        browsers.append(b)
        sign_in(desk, f"{TENANT.split('-')[0]}-agent", PASSWORD)
        expect(desk).to_have_url(re.compile("/desktop$"))
        expect(desk.locator("#live-status")).to_have_text("Live")

        # the customer calls while nobody is free: menu, then the queue's announcement
        customer.goto(demo.chat_page)
        customer.get_by_role("textbox", name="Your name").fill("Carla Caller")
        customer.get_by_role("button", name="Call us").click()
        status = customer.locator("#call-status")
        expect(status).to_contain_text("You are in our menu", timeout=20_000)
        customer.wait_for_function(SPEAKS, arg=["customer", HEARD], timeout=HEAR_TIMEOUT_MS)
        customer.get_by_role("group", name="Keypad").get_by_role("button", name="1").click()
        expect(status).to_contain_text("You are number 1 in line", timeout=20_000)
        customer.wait_for_function(SPEAKS, arg=["customer", HEARD], timeout=HEAR_TIMEOUT_MS)

        # the agent goes available: the softphone registers and the call rings
        desk.get_by_label("Set your state").select_option("available")
        expect(desk.locator("#softphone-status")).to_have_text("Ready for calls")
        offer = desk.get_by_role("alertdialog", name="Incoming call")
        expect(offer).to_be_visible(timeout=20_000)
        offer.get_by_role("button", name="Accept").click()
        panel = desk.get_by_role("tabpanel")
        expect(panel.locator("[data-call-state]")).to_have_text("Connected", timeout=20_000)
        expect(status).to_have_text("You are talking with Sanne de Wit.", timeout=10_000)
        desk.wait_for_function(HEARS, arg=["call", CUSTOMER_HZ], timeout=HEAR_TIMEOUT_MS)
        customer.wait_for_function(HEARS, arg=["customer", AGENT_HZ], timeout=HEAR_TIMEOUT_MS)
        expect(panel.locator("[data-call-recording]")).to_have_text("Recording")
        call_id = (panel.get_attribute("id") or "").removeprefix("panel-")
        panel.get_by_role("button", name="Hang up").click()
        expect(status).to_have_text("The call has ended.", timeout=10_000)
    finally:
        for browser in browsers:
            browser.close()

    # the first queue records every call: the recording is there, for the manager to hear
    manager: httpx.Client = login(demo.url, f"{TENANT.split('-')[0]}-manager", PASSWORD)
    try:
        recordings = ok(manager.get(f"/api/v1/tenants/{TENANT}/contacts/{call_id}/recordings"))
        assert len(recordings) == 1
        assert recordings[0]["duration_s"] > 1
        timeline = ok(manager.get(f"/api/v1/tenants/{TENANT}/contacts/{call_id}"))
        kinds = [e["type"] for e in timeline["timeline"]]
        assert "voice.call_answered" in kinds
        assert "voice.call_ended" in kinds
    finally:
        manager.close()
