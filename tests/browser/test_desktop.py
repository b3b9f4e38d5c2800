"""The agent desktop in a real browser: state, the offer pop-up, a contact's tab, wrap-up."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, sign_in
from tests.service.conftest import Center, ok

BASE = "/api/v1/tenants/alpha"


@pytest.fixture(scope="module", autouse=True)
def codes(center: Center) -> None:
    """The tenant's dispositions and away reasons, which the desktop offers."""
    ok(
        center.admin.put(
            f"{BASE}/dispositions/resolved", json={"code": "resolved", "label": "Resolved"}
        )
    )
    ok(center.admin.put(f"{BASE}/away-reasons/lunch", json={"code": "lunch", "label": "Lunch"}))


@pytest.fixture(scope="module")
def widget_key(center: Center) -> str:
    """A chat widget whose one topic goes to the sales queue, and a canned response."""
    topic = {"topic_id": "sales", "label": "Buying", "queue_id": center.tenants["alpha"].queue_id}
    widget = {"display_name": "Alpha Shop", "topics": [topic]}
    key = ok(center.admin.put(f"{BASE}/widgets/shop", json=widget))["widget_key"]
    canned = {"shortcut": "wait", "title": "Thanks for waiting", "body": "Thank you for waiting."}
    ok(center.admin.post(f"{BASE}/canned-responses", json=canned), 201)
    return str(key)


def open_desktop(page: Page, center: Center) -> None:
    username, password, _ = center.tenants["alpha"].users["agent"]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile("/desktop$"))
    expect(page.locator("#live-status")).to_have_text("Live")


def new_contact(center: Center, name: str) -> str:
    body = {
        "queue_id": center.tenants["alpha"].queue_id,
        "subject": "Refund for order 1234",
        "customer": {"name": name, "email": "ann@example.com", "language": "nl"},
    }
    created = ok(center.admin.post(f"{BASE}/contacts", json=body), 201)
    return str(created["contact_id"])


def test_agent_accepts_an_offer_notes_and_wraps_up(page: Page, center: Center) -> None:
    open_desktop(page, center)
    page.get_by_label("Set your state").select_option("available")
    expect(page.locator("#state-now")).to_have_text("Available")

    contact_id = new_contact(center, "Ann Example")
    offer = page.get_by_role("alertdialog", name="New contact")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Sales")
    expect(page.locator("#offer-seconds")).to_have_text(re.compile(r"^(1\d|20|[1-9]) s left$"))
    accept = offer.get_by_role("button", name="Accept")
    expect(accept).to_be_focused()  # reachable at once from the keyboard
    page.keyboard.press("Enter")
    expect(offer).to_be_hidden()

    tab = page.get_by_role("tab", name="Ann Example")
    expect(tab).to_have_attribute("aria-selected", "true")
    expect(page.locator("#state-now")).to_have_text("On a contact")
    panel = page.get_by_role("tabpanel")
    expect(panel.locator("[data-customer-email]")).to_have_text("ann@example.com")
    expect(panel.locator("[data-contact-subject]")).to_have_text("Refund for order 1234")

    panel.get_by_label("New note").fill("Wants the refund on the card")
    panel.get_by_role("button", name="Add the note").click()
    expect(panel.locator("[data-notes]")).to_contain_text("Wants the refund on the card")

    panel.get_by_role("button", name="End the conversation").click()
    disposition = panel.get_by_label("Disposition")
    expect(disposition).to_be_focused()
    disposition.select_option("resolved")
    panel.get_by_label("Wrap-up notes").fill("Refund booked")
    panel.get_by_role("button", name="Finish the wrap-up").click()
    expect(page.get_by_role("tab")).to_have_count(0)
    expect(page.locator("#figure-handled")).to_have_text("1")

    contact = ok(center.admin.get(f"{BASE}/contacts/{contact_id}"))
    assert contact["status"] == "completed"
    assert contact["disposition"] == "resolved"
    assert [n["text"] for n in contact["notes"]] == [
        "Wants the refund on the card",
        "Refund booked",
    ]
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_agent_goes_away_with_a_reason_and_the_time_in_state_runs(
    page: Page, center: Center
) -> None:
    open_desktop(page, center)
    page.get_by_label("Set your state").select_option(label="Away: Lunch")
    expect(page.locator("#state-now")).to_have_text("Away (Lunch)")
    expect(page.locator("#state-time")).to_have_text("0:02", timeout=5000)
    agent_id = center.tenants["alpha"].agents["agent"]
    assert ok(center.admin.get(f"{BASE}/agents/{agent_id}"))["reason"] == "lunch"
    page.get_by_label("Set your state").select_option("offline")
    expect(page.locator("#state-now")).to_have_text("Offline")


def test_agent_chats_with_a_customer_and_gets_a_supervisors_whisper(
    page: Page, center: Center, browser: Browser, widget_key: str
) -> None:
    open_desktop(page, center)
    page.get_by_label("Set your state").select_option("available")
    expect(page.locator("#state-now")).to_have_text("Available")
    public = f"{center.url}/api/v1/chat/{widget_key}"
    form = {"name": "Carla Customer", "topic_id": "sales", "message": "My parcel is late"}
    started = ok(httpx.post(f"{public}/chats", json=form), 201)
    chat_id = started["chat_id"]
    customer = httpx.Client(
        base_url=f"{public}/",
        headers={"Authorization": f"Bearer {started['token']}"},
        timeout=10,
    )
    center.clients.append(customer)

    page.get_by_role("alertdialog").get_by_role("button", name="Accept").click()
    panel = page.get_by_role("tabpanel")
    transcript = panel.locator("[data-transcript]")
    expect(transcript).to_contain_text("My parcel is late")
    box = panel.get_by_label("Message to the customer")
    box.type("/wa")  # the canned response by its shortcut
    expect(panel.locator("[data-canned-list]")).to_contain_text("/wait")
    box.press("Enter")
    expect(box).to_have_value("Thank you for waiting.")
    box.press("Enter")
    expect(transcript).to_contain_text("Thank you for waiting.")
    expect(box).to_have_value("")
    seen = [m["text"] for m in ok(customer.get(f"chats/{chat_id}"))["messages"]]
    assert seen == ["My parcel is late", "Thank you for waiting."]

    ok(customer.post(f"chats/{chat_id}/typing", json={"is_typing": True}))
    expect(panel.locator("[data-typing]")).to_have_text("Carla Customer is typing…")
    ok(
        customer.post(
            f"chats/{chat_id}/messages", json={"client_message_id": "2", "text": "Any news?"}
        ),
        201,
    )
    expect(transcript).to_contain_text("Any news?")
    expect(panel.locator("[data-typing]")).to_have_text("")

    supervisor = browser.new_context(base_url=center.url, locale="en-GB")
    board = supervisor.new_page()
    username, password, _ = center.tenants["alpha"].users["supervisor"]
    sign_in(board, username, password)
    board.get_by_role("button", name=f"Watch {chat_id}").click()
    monitor = board.locator(f'[data-monitor="{chat_id}"]')
    expect(monitor.locator("[data-transcript]")).to_contain_text("Any news?")
    monitor.get_by_label("Whisper to the agent").fill("Offer a voucher")
    monitor.get_by_role("button", name="Whisper", exact=True).click()
    whisper = transcript.locator(".whisper")
    expect(whisper).to_contain_text("Offer a voucher")
    expect(whisper).to_contain_text("only you see this, not the customer")
    supervisor.close()
    assert "Offer a voucher" not in [
        m["text"] for m in ok(customer.get(f"chats/{chat_id}"))["messages"]
    ]
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_desktop_fits_a_phone(browser: Browser, center: Center) -> None:
    phone = browser.new_context(
        base_url=center.url,
        viewport={"width": PHONE["width"], "height": PHONE["height"]},
        locale="en-GB",
    ).new_page()
    open_desktop(phone, center)
    expect(phone.get_by_label("Set your state")).to_be_enabled()
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    phone.context.close()
