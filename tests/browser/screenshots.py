"""Screenshots of every page, signed in as each role, into docs/screenshots/ (PNG).

Run `scripts/screenshots`. It serves a fresh demo center (the demo's seed: two tenants, one
user per role, chat widgets) on a free port with the demo's simulated customers and agents at
work, drives Debian's Chromium, and writes `<role>-<page>.png`. Add a page by adding a line
to PAGES; the agent desktop with an offer and a chat, and the customer's chat, are scenes of
their own (`desktop_scenes`, `customer_scenes`).
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
from playwright.sync_api import Page, sync_playwright

from headset.access.passwords import FAST_FOR_TESTS
from headset.api.app import create_app
from headset.config import Settings
from headset.demo import seed as seeding
from headset.demo import traffic
from headset.service.accounts import create_user
from headset.storage.migrate import upgrade
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
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
    served = Served(create_app(Settings(database_url=url), passwords=FAST_FOR_TESTS))

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
        finally:
            stop_simulation()
            served.stop()


if __name__ == "__main__":
    main()
