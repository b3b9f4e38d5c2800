"""The customer card of a visitor who typed a known customer's address: unverified, a masked
possible match, and the agent's Confirm button (docs/desktop.md, "Customer card")."""

from __future__ import annotations

import os
import re

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.service.conftest import Center, ok

BASE = "/api/v1/tenants/alpha"


@pytest.fixture(scope="module")
def widget_key(center: Center) -> str:
    topic = {"topic_id": "sales", "label": "Buying", "queue_id": center.tenants["alpha"].queue_id}
    widget = {"display_name": "Alpha Shop", "topics": [topic]}
    return str(ok(center.admin.put(f"{BASE}/widgets/shop", json=widget))["widget_key"])


@pytest.fixture(scope="module")
def vera(center: Center) -> str:
    body = {"name": "Vera Victim", "email": "vera@example.com", "external_id": "crm-vera"}
    return str(ok(center.admin.post(f"{BASE}/customers", json=body), 201)["customer_id"])


def _claimed_chat(page: Page, center: Center, widget_key: str, language: str) -> str:
    """The agent, speaking `language`, accepts a chat from someone typing Vera's address."""
    username, password, user_id = center.tenants["alpha"].users["agent"]
    ok(center.admin.patch(f"{BASE}/users/{user_id}", json={"language": language}))
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/desktop$"))
    page.locator("#state-select").select_option("available")
    form = {"name": "Mallory", "email": "vera@example.com", "topic_id": "sales"}
    chat = ok(httpx.post(f"{center.url}/api/v1/chat/{widget_key}/chats", json=form), 201)
    page.locator("#offer-accept").click()
    return str(chat["chat_id"])


def test_the_card_says_unverified_and_the_agent_confirms(
    page: Page, center: Center, widget_key: str, vera: str
) -> None:
    chat_id = _claimed_chat(page, center, widget_key, "en")
    panel = page.get_by_role("tabpanel")
    match = panel.locator("[data-customer-match]")
    expect(match).to_contain_text("Unverified — possibly V*** V***, v***@e***.com?")
    expect(panel.locator("[data-customer-name]")).to_have_text("Mallory")
    if os.environ.get("HEADSET_SCREENSHOTS"):
        page.screenshot(path=os.environ["HEADSET_SCREENSHOTS"] + "/customer-match-en.png")

    match.get_by_role("button", name="Confirm match").click()
    expect(panel.locator("[data-customer-name]")).to_have_text("Vera Victim")
    expect(match).to_be_hidden()
    assert ok(center.admin.get(f"{BASE}/contacts/{chat_id}"))["customer_id"] == vera
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_the_card_speaks_the_agents_language(
    page: Page, center: Center, widget_key: str, vera: str
) -> None:
    _claimed_chat(page, center, widget_key, "lv")
    panel = page.get_by_role("tabpanel")
    match = panel.locator("[data-customer-match]")
    expect(match).to_contain_text("Nav pārbaudīts — iespējams, V*** V***, v***@e***.com?")
    expect(match.get_by_role("button", name="Apstiprināt atbilstību")).to_be_visible()
    if os.environ.get("HEADSET_SCREENSHOTS"):
        page.screenshot(path=os.environ["HEADSET_SCREENSHOTS"] + "/customer-match-lv.png")
    assert page.js_errors == []  # type: ignore[attr-defined]
