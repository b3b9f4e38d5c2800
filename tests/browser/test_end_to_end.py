"""One chat through the whole center, every person in a browser of their own.

A customer chats through the widget on a client's site; an agent receives the offer on the
desktop, accepts, exchanges messages and wraps up with a disposition; a supervisor sees the
wallboard change and whispers to the agent; the customer's survey answer is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.conftest import sign_in
from tests.browser.test_widget import FRAME, Shop, field, log_texts
from tests.service.conftest import Center, ok

BASE = "/api/v1/tenants/alpha"


@pytest.fixture(scope="module")
def shop(center: Center) -> Iterator[tuple[Shop, str]]:
    """The client's site embedding the widget of the sales queue; a disposition to choose."""
    shop = Shop(center.url)
    sales = center.tenants["alpha"].queue_id
    widget = {
        "display_name": "Alpha Shop",
        "topics": [{"topic_id": "sales", "label": "Buying", "queue_id": sales}],
        "allowed_origins": [shop.origin],
    }
    key = ok(center.admin.put(f"{BASE}/widgets/shop", json=widget))["widget_key"]
    ok(center.admin.put(f"{BASE}/dispositions/sold", json={"code": "sold", "label": "Sold"}))
    try:
        yield shop, key
    finally:
        shop.stop()


def _person(browser: Browser, center: Center) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=center.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors  # type: ignore[attr-defined]
    return context, page


def _signed_in(browser: Browser, center: Center, role: str, home: str) -> Page:
    _, page = _person(browser, center)
    username, password, _ = center.tenants["alpha"].users[role]
    sign_in(page, username, password)
    expect(page).to_have_url(re.compile(f"/{home}$"))
    expect(page.locator("#live-status")).to_have_text("Live")
    return page


def test_a_chat_from_the_widget_to_wrap_up_with_a_whisper_and_a_survey(
    browser: Browser, center: Center, shop: tuple[Shop, str]
) -> None:
    site, widget_key = shop
    sales = center.tenants["alpha"].queue_id
    board = _signed_in(browser, center, "supervisor", "wallboard")
    waiting = board.locator(f'[data-queues] tr[data-queue="{sales}"] td').first
    expect(waiting).to_have_text("0")
    desk = _signed_in(browser, center, "agent", "desktop")

    # the customer starts a chat on the client's site while no agent is available
    _, customer = _person(browser, center)
    customer.goto(site.page_of(widget_key))
    widget = customer.frame_locator(FRAME)
    widget.get_by_role("button", name="Chat with us").click()
    field(widget, "Your name").fill("Carla Customer")
    field(widget, "E-mail address").fill("carla@example.com")
    field(widget, "Your question").fill("Can I pay in three parts?")
    widget.get_by_role("button", name="Start chat").click()
    expect(widget.locator("#chat-status")).to_contain_text("You are number 1 in line.")
    # the wallboard shows the waiting chat within a second or so
    expect(waiting).to_have_text("1", timeout=2500)

    # the agent becomes available, gets the offer and accepts it
    desk.get_by_label("Set your state").select_option("available")
    offer = desk.get_by_role("alertdialog", name="New contact")
    expect(offer).to_be_visible()
    offer.get_by_role("button", name="Accept").click()
    panel = desk.get_by_role("tabpanel")
    transcript = panel.locator("[data-transcript]")
    expect(transcript).to_contain_text("Can I pay in three parts?")
    expect(waiting).to_have_text("0", timeout=2500)
    expect(widget.locator("#chat-status")).to_have_text("You are chatting with alpha-agent.")

    # messages both ways
    box = panel.get_by_label("Message to the customer")
    box.fill("Yes, you can spread the payment over three months.")
    box.press("Enter")
    expect(widget.locator("#log")).to_contain_text("spread the payment over three months")
    text = field(widget, "Your message")
    text.fill("Great, how do I start?")
    text.press("Enter")
    expect(transcript).to_contain_text("Great, how do I start?")

    # the supervisor watches the chat from the wallboard and whispers to the agent
    (chat,) = ok(center.admin.get(f"{BASE}/contacts", params={"status": "connected"}))["items"]
    chat_id = chat["contact_id"]
    board.get_by_role("button", name=f"Watch {chat_id}").click()
    monitor = board.locator(f'[data-monitor="{chat_id}"]')
    expect(monitor.locator("[data-transcript]")).to_contain_text("Great, how do I start?")
    monitor.get_by_label("Whisper to the agent").fill("Mention the instalment form")
    monitor.get_by_role("button", name="Whisper", exact=True).click()
    expect(transcript.locator(".whisper")).to_contain_text("Mention the instalment form")

    # the agent ends the chat and wraps up with a disposition; the customer rates it
    panel.get_by_role("button", name="End the conversation").click()
    panel.get_by_label("Disposition").select_option("sold")
    panel.get_by_label("Wrap-up notes").fill("Instalments explained")
    panel.get_by_role("button", name="Finish the wrap-up").click()
    expect(desk.get_by_role("tab")).to_have_count(0)
    expect(widget.get_by_text("The chat has ended.", exact=True)).to_be_visible()
    field(widget, "5 \N{EN DASH} Very satisfied").check()
    field(widget, "Comment").fill("Clear answer")
    widget.get_by_role("button", name="Send answer").click()
    expect(widget.get_by_text("Thank you for your answer!")).to_be_visible()

    # what the customer saw never held the whisper; everything is stored
    assert "Mention the instalment form" not in " ".join(log_texts(widget))
    contact = ok(center.admin.get(f"{BASE}/contacts/{chat_id}"))
    assert (contact["status"], contact["disposition"]) == ("completed", "sold")
    csat = ok(center.admin.get(f"{BASE}/stats/csat"))
    (row,) = [r for r in csat if r["queue_id"] == sales]
    assert (row["answers"], row["satisfied"]) == (1, 1)
    for page in (board, desk, customer):
        assert page.js_errors == []  # type: ignore[attr-defined]
        page.context.close()
