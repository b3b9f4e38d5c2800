"""Screenshots of every page, signed in as each role, into docs/screenshots/ (PNG).

Run `scripts/screenshots`. It serves a fresh demo center (the demo's seed: two tenants, one
user per role, chat widgets) on a free port with the demo's simulated customers and agents at
work, drives Debian's Chromium, and writes `<role>-<page>.png`. Add a page by adding a line
to PAGES; the agent desktop with an offer and a chat, the customer's chat, and a call (the
softphone ringing and in the call, the customer's call-us form and call) are scenes of their
own (`desktop_scenes`, `customer_scenes`, `call_scenes`).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, Playwright, sync_playwright

from headset.access.passwords import FAST_FOR_TESTS
from headset.accounts.set_up import create_user
from headset.api.app import create_app
from headset.config import Settings
from headset.demo import seed as seeding
from headset.demo import traffic
from headset.media.settings import MediaSettings
from headset.storage.migrate import upgrade
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, launch_with_microphone
from tests.browser.test_call import write_tone
from tests.service.conftest import Served

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
T = "lakeside-cu"
#: (who signs in, page name, path); "" signs in nobody.
PAGES = [
    ("", "sign-in", "/sign-in"),
    ("admin", "tenants", "/admin/tenants"),
    ("admin", "tenant-form", "/admin/tenants/new"),
    ("lakeside-manager", "queues", f"/admin/t/{T}/queues"),
    ("lakeside-manager", "queue-form", f"/admin/t/{T}/queues/lakeside-members/edit"),
    ("lakeside-manager", "users", f"/admin/t/{T}/users"),
    ("lakeside-manager", "user-form", f"/admin/t/{T}/users/new"),
    ("lakeside-manager", "agents", f"/admin/t/{T}/agents"),
    ("lakeside-manager", "teams", f"/admin/t/{T}/teams"),
    ("lakeside-manager", "skills", f"/admin/t/{T}/skills"),
    ("lakeside-manager", "dispositions", f"/admin/t/{T}/dispositions"),
    ("lakeside-manager", "away-reasons", f"/admin/t/{T}/away-reasons"),
    ("lakeside-manager", "canned-responses", f"/admin/t/{T}/canned-responses"),
    ("lakeside-manager", "widgets", f"/admin/t/{T}/widgets"),
    ("lakeside-manager", "widget-form", f"/admin/t/{T}/widgets/{T}-web/edit"),
    ("lakeside-supervisor", "wallboard", "/wallboard"),
    ("lakeside-team-leader", "wallboard", "/wallboard"),
    ("lakeside-agent", "desktop", "/desktop"),
    ("lakeside-agent", "settings", "/settings"),
]


#: How long the simulated center works before the first screenshot (figures to show).
WARM_UP_SECONDS = 25.0


def serve(directory: Path) -> tuple[Served, seeding.Seeded]:
    url = f"sqlite:///{directory / 'headset.db'}"
    upgrade(url)
    create_user(url, FAST_FOR_TESTS, "admin", "Center administrator", "admin", seeding.PASSWORD)
    # calls on, the media hub in this process (as the demo runs it), on 127.0.0.1 only
    media = MediaSettings(
        is_in_process=True, is_loopback=True, prompt_cache=str(directory / "prompts")
    )
    settings = Settings(database_url=url, is_voice_enabled=True, media=media)
    served = Served(create_app(settings, passwords=FAST_FOR_TESTS))

    async def seed() -> seeding.Seeded:
        async with httpx.AsyncClient(base_url=served.url, timeout=30) as client:
            return await seeding.seed(client, seeding.PASSWORD)

    return served, asyncio.run(seed())


def simulate(base_url: str, seeded: seeding.Seeded) -> Any:
    """The demo's customers and agents, in a thread of their own; returns how to stop them."""

    async def work() -> None:
        rng = random.Random(7)
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            tasks: list[asyncio.Task[Any]] = [
                asyncio.create_task(traffic.customers(client, seeded, rng, 1.5))
            ]
            for username, tenant_id, agent_id in seeded.bots:
                codes = [
                    c
                    for spec in seeding.TENANTS
                    if spec["tenant_id"] == tenant_id
                    for c, _ in spec["dispositions"]
                ]
                agent = traffic.agent(
                    base_url, username, tenant_id, agent_id, random.Random(rng.random()), codes
                )
                tasks.append(asyncio.create_task(agent))
            await asyncio.gather(*tasks, return_exceptions=True)

    loop = asyncio.new_event_loop()
    main = loop.create_task(work())

    def run() -> None:
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(main)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def stop() -> None:
        loop.call_soon_threadsafe(main.cancel)
        thread.join(10)

    return stop


def desktop_scenes(page: Page) -> None:
    """The agent available, an offer popping up, then a chat answered in its tab."""
    page.goto("/desktop")
    page.get_by_label("Set your state").select_option("available")
    offer = page.get_by_role("alertdialog", name="New contact")
    offer.wait_for(timeout=60_000)
    shoot(page, "agent-desktop-offer")
    for _ in range(12):  # calls and e-mails come too: pass them on until a chat comes
        offer.get_by_role("button", name="Accept").click()
        panel = page.get_by_role("tabpanel")
        panel.wait_for()
        box = panel.get_by_label("Message to the customer")
        page.wait_for_timeout(500)
        if box.is_visible():
            box.fill("Hello, I am looking at your question now.")
            box.press("Enter")
            page.wait_for_timeout(1500)
            shoot(page, "agent-desktop-chat")
            return
        panel.get_by_label("To a queue").select_option(index=1)
        panel.get_by_role("button", name="Transfer").click()
        offer.wait_for(timeout=60_000)


def customer_scenes(page: Page, widget_key: str) -> None:
    """The hosted chat page: the pre-chat form, then the conversation while waiting."""
    page.goto(f"/chat/{widget_key}")
    page.wait_for_load_state("networkidle")
    shoot(page, "customer-chat-form")
    page.get_by_label("Your name").filter(visible=True).fill("Anna Berzina")
    page.get_by_label("E-mail address").filter(visible=True).fill("anna@example.com")
    page.get_by_label("Your question").filter(visible=True).fill("Can I raise my card limit?")
    page.get_by_role("button", name="Start chat").click()
    page.locator("#chat-status").wait_for()
    page.wait_for_timeout(3000)
    shoot(page, "customer-chat")


#: The agent profile fields a PUT takes back (the GET adds state and reason).
AGENT_FIELDS = ("agent_id", "display_name", "user_id", "team_id", "is_team_leader", "skills",
                "languages", "capacity", "queues", "auto_answer")  # fmt: skip


def speak_the_widget_languages(base_url: str, agent_id: str) -> None:
    """The page sends the customer's language; the agent must speak it to be offered the call."""
    with httpx.Client(base_url=base_url, timeout=30) as admin:
        login = admin.post(
            "/api/v1/auth/login", json={"username": "admin", "password": seeding.PASSWORD}
        )
        admin.headers["X-CSRF-Token"] = login.json()["csrf_token"]
        url = f"/api/v1/tenants/{T}/agents/{agent_id}"
        agent = admin.get(url).json()
        if agent.get("languages"):
            return
        body = {key: agent[key] for key in AGENT_FIELDS if key in agent}
        spoken = next(s["widget"]["languages"] for s in seeding.TENANTS if s["tenant_id"] == T)
        admin.put(url, json={**body, "languages": spoken}).raise_for_status()


def call_scenes(playwright: Playwright, base_url: str, widget_key: str, tmp: Path) -> None:
    """A call from the hosted page to the agent's softphone; each browser has a fake microphone."""
    speak_the_widget_languages(base_url, f"{T}-agent")
    agent_browser = launch_with_microphone(playwright, write_tone(tmp / "agent.wav", 880))
    customer_browser = launch_with_microphone(playwright, write_tone(tmp / "customer.wav", 440))
    try:
        desk = agent_browser.new_context(
            base_url=base_url, viewport={"width": 1280, "height": 800}, locale="en-GB"
        ).new_page()
        sign_in(desk, "lakeside-agent")
        desk.goto("/desktop")
        desk.get_by_label("Set your state").select_option("available")
        desk.locator("#softphone-status", has_text="Ready for calls").wait_for(timeout=30_000)
        customer = customer_browser.new_context(
            base_url=base_url, viewport={"width": 420, "height": 760}, locale="en-GB"
        ).new_page()
        customer.goto(f"/chat/{widget_key}")
        customer.get_by_role("textbox", name="Your name").fill("Anna Berzina")
        shoot(customer, "customer-call-form")
        customer.get_by_role("button", name="Call us").click()
        status = customer.locator("#call-status")
        status.filter(has_text="menu").wait_for(timeout=30_000)
        customer.wait_for_timeout(1500)
        shoot(customer, "customer-call-menu")
        for _ in range(15):  # a key pressed during the welcome counts for nothing: again
            customer.locator("#call-keypad").get_by_role("button", name="1").click()
            customer.wait_for_timeout(2000)
            if "menu" not in status.inner_text():
                break
        offer = desk.locator("#offer")
        for _ in range(12):  # chats come too: pass them on until the call rings
            offer.wait_for(timeout=60_000)
            if "is ringing" in offer.inner_text():
                break
            offer.get_by_role("button", name="Reject").click()
            desk.wait_for_timeout(500)
        shoot(desk, "agent-desktop-call-ringing")
        offer.get_by_role("button", name="Accept").click()
        desk.locator("[data-call-state]", has_text="Connected").wait_for(timeout=30_000)
        desk.wait_for_timeout(4000)  # the timer runs, the network figures arrive
        shoot(desk, "agent-desktop-call")
        customer.locator("#call-status").filter(has_text="talking").wait_for(timeout=30_000)
        shoot(customer, "customer-call")
        desk.locator("[data-call]").get_by_role("button", name="Hang up").click()
        desk.wait_for_timeout(1000)
    finally:
        customer_browser.close()
        agent_browser.close()


def shoot(page: Page, name: str) -> None:
    target = OUT / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    print(target.relative_to(OUT.parents[1]))


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(seeding.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)


def main() -> None:
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: run scripts/install-servers")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as directory:
        served, seeded = serve(Path(directory))
        stop_simulation = simulate(served.url, seeded)
        time.sleep(WARM_UP_SECONDS)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
                )
                for who in dict.fromkeys(w for w, _, _ in PAGES):
                    context = browser.new_context(
                        base_url=served.url, viewport={"width": 1280, "height": 800}, locale="en-GB"
                    )
                    page = context.new_page()
                    if who:
                        sign_in(page, who)
                    for _, name, path in (p for p in PAGES if p[0] == who):
                        page.goto(path)
                        page.wait_for_load_state("networkidle")
                        page.wait_for_timeout(1200)  # a live stats message or two
                        role = who.removeprefix("lakeside-") or "visitor"
                        shoot(page, f"{role}-{name}")
                    if who == "lakeside-agent":
                        desktop_scenes(page)
                    context.close()
                context = browser.new_context(
                    base_url=served.url, viewport={"width": 420, "height": 760}, locale="en-GB"
                )
                customer_scenes(context.new_page(), seeded.widgets[T][0])
                context.close()
                browser.close()
                # the simulated traffic's voice contacts have no media: a real call only
                stop_simulation()
                call_scenes(playwright, served.url, seeded.widgets[T][0], Path(directory))
        finally:
            stop_simulation()
            served.stop()


if __name__ == "__main__":
    main()
