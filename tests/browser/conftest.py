"""Browser tests: the real service (seeded like tests/service), driven by Debian's Chromium.

Playwright for Python drives /usr/bin/chromium; no browser is ever downloaded (never run
`playwright install`). Without Chromium the tests fail and say how to install it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from headset.access import totp
from tests.service.conftest import Center, login, ok, start_center

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: A fake microphone (and camera) that needs no prompt: the call tests give each browser a WAV
#: file of its own with --use-file-for-fake-audio-capture (launch_with_microphone).
MEDIA_FLAGS = [
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-quic",
]
#: Roles whose users must set up two-factor sign-in in the browser center.
TOTP_REQUIRED = frozenset({"qa"})
PHONE = {"width": 360, "height": 740}


def launch(playwright: Playwright, extra_args: tuple[str, ...] = ()) -> Browser:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-servers (installs Chromium)")
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=[*CHROMIUM_FLAGS, *extra_args]
    )


def launch_with_microphone(playwright: Playwright, wav: Path) -> Browser:
    """A Chromium process of its own whose microphone plays `wav` (48 kHz 16-bit mono)."""
    return launch(playwright, (*MEDIA_FLAGS, f"--use-file-for-fake-audio-capture={wav}"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Per module, not per session: while Playwright's sync API is running, its event loop is
    # the main thread's running loop, and the asyncio tests of later folders could not start
    # their own.
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Center]:
    c = start_center(tmp_path_factory.mktemp("browser"), require_totp_roles=TOTP_REQUIRED)
    try:
        yield c
    finally:
        c.close()
        c.served.stop()


@pytest.fixture
def context(browser: Browser, center: Center) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies) per test, in English unless a test says."""
    ctx = browser.new_context(base_url=center.url, locale="en-GB")
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    errors: list[str] = []
    new = context.new_page()
    new.on("pageerror", lambda error: errors.append(str(error)))
    new.js_errors = errors  # type: ignore[attr-defined]
    return new


def sign_in(page: Page, username: str, password: str, next_path: str = "") -> None:
    page.goto("/sign-in" + (f"?next={next_path}" if next_path else ""))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def new_user(center: Center, tenant_id: str, username: str, role: str, **extra: Any) -> str:
    """A user of their own for a test that changes them (language, TOTP, lockout)."""
    password = f"pw-{username[::-1]}-2026-long"
    body = {"username": username, "display_name": username.title(), "role": role}
    ok(
        center.admin.post(
            f"/api/v1/tenants/{tenant_id}/users", json={**body, "password": password, **extra}
        ),
        201,
    )
    return password


def turn_on_totp(center: Center, username: str, password: str) -> str:
    """Sets up two-factor sign-in over the API; returns the secret."""
    client = login(center.url, username, password)
    secret = ok(client.post("/api/v1/auth/totp/setup"))["secret"]
    code = totp.code_at(secret, center.clock.now())
    ok(client.post("/api/v1/auth/totp/confirm", json={"code": code}))
    client.close()
    # the code just used may not sign in again: the next sign-in is a later 30-second step
    center.clock.offset += timedelta(seconds=61)
    return str(secret)
