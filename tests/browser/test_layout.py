"""Responsive layout: at a phone's width no page scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.conftest import PHONE, sign_in
from tests.service.conftest import Center

PAGES = [
    "/admin/t/alpha/queues",
    "/admin/t/alpha/queues/new",
    "/admin/t/alpha/users",
    "/admin/t/alpha/users/new",
    "/admin/t/alpha/agents/new",
    "/wallboard",
    "/settings",
]


def overflow(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.fixture
def phone(browser: Browser, center: Center) -> Page:
    context = browser.new_context(base_url=center.url, viewport=PHONE, locale="en-GB")
    return context.new_page()


def test_no_page_scrolls_sideways_at_phone_width(phone: Page, center: Center) -> None:
    phone.goto("/sign-in")
    assert overflow(phone) <= 0, "/sign-in scrolls sideways"
    username, password, _ = center.tenants["alpha"].users["manager"]
    sign_in(phone, username, password)
    phone.wait_for_url("**/admin/**")
    for path in PAGES:
        phone.goto(path)
        assert overflow(phone) <= 0, f"{path} scrolls sideways at {PHONE['width']} px"
    phone.context.close()
