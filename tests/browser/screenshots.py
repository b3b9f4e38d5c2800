"""Screenshots of every page, signed in as each role, into docs/screenshots/ (PNG).

Run `scripts/screenshots`. It serves a fresh demo center (the demo's seed: two tenants, one
user per role) on a free port, drives Debian's Chromium, and writes `<role>-<page>.png`.
Add a page by adding a line to PAGES.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

from headset.access.passwords import FAST_FOR_TESTS
from headset.api.app import create_app
from headset.config import Settings
from headset.demo import seed as seeding
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
    ("lakeside-supervisor", "wallboard", "/wallboard"),
    ("lakeside-team-leader", "wallboard", "/wallboard"),
    ("lakeside-agent", "desktop", "/desktop"),
    ("lakeside-agent", "settings", "/settings"),
]


def serve(directory: Path) -> Served:
    url = f"sqlite:///{directory / 'headset.db'}"
    upgrade(url)
    create_user(url, FAST_FOR_TESTS, "admin", "Center administrator", "admin", seeding.PASSWORD)
    served = Served(create_app(Settings(database_url=url), passwords=FAST_FOR_TESTS))

    async def seed() -> None:
        async with httpx.AsyncClient(base_url=served.url, timeout=30) as client:
            await seeding.seed(client, seeding.PASSWORD)

    asyncio.run(seed())
    return served


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
        served = serve(Path(directory))
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
                        role = who.removeprefix("lakeside-") or "visitor"
                        target = OUT / f"{role}-{name}.png"
                        page.screenshot(path=str(target), full_page=True)
                        print(target.relative_to(OUT.parents[1]))
                    context.close()
                browser.close()
        finally:
            served.stop()


if __name__ == "__main__":
    main()
