"""The customer's chat widget in a real browser: a client's page embeds the one script tag.

The shop page is served by a second HTTP server (another origin, as a client's site is); the
widget's frame holds Headset's hosted page. The agent answers over the API and its live
stream, as the agent desktop would.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    FilePayload,
    Frame,
    FrameLocator,
    Locator,
    Page,
    ViewportSize,
    expect,
)
from websockets.sync.client import ClientConnection

from tests.browser.conftest import PHONE
from tests.service.conftest import Center, free_port, live, next_event, ok, recv_json

BASE = "/api/v1/tenants/alpha"
FRAME = "iframe[data-headset-chat]"


class Shop:
    """A client company's web site on an origin of its own, embedding the widget."""

    def __init__(self, headset_url: str) -> None:
        self.headset_url = headset_url
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                key = self.path.strip("/").split("?")[0]
                html = (
                    "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
                    "<meta name='viewport' content='width=device-width, initial-scale=1'>"
                    "<title>Alpha Shop</title><style>iframe, button { all: unset; }</style>"
                    "</head><body><h1>Alpha Shop</h1><p>Our products.</p>"
                    f"<script src='{shop.headset_url}/widget.js' data-widget='{key}' async>"
                    "</script></body></html>"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(html)))
                self.end_headers()
                self.wfile.write(html)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def page_of(self, widget_key: str) -> str:
        return f"{self.origin}/{widget_key}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Widgets:
    shop: Shop
    open_key: str
    closed_key: str
    agent: httpx.Client
    supervisor: httpx.Client


@pytest.fixture(scope="module")
def widgets(center: Center) -> Iterator[Widgets]:
    shop = Shop(center.url)
    admin = center.admin
    today = datetime.now(UTC).date()
    closed = {
        "queue_id": "alpha-closed",
        "name": "After hours",
        "business_hours": {"mon": [["09:00", "17:00"]]},
        "holidays": [(today + timedelta(days=d)).isoformat() for d in (-1, 0, 1)],
    }
    ok(admin.put(f"{BASE}/queues/alpha-closed", json=closed))
    common = {"languages": ["en", "nl"], "allowed_origins": [shop.origin]}
    open_widget = {
        "display_name": "Alpha Shop",
        "greeting": "Hello! How can we help?",
        "topics": [
            {"topic_id": "sales", "label": "Buying", "queue_id": center.tenants["alpha"].queue_id}
        ],
        **common,
    }
    closed_widget = {
        "display_name": "Alpha Nights",
        "topics": [{"topic_id": "late", "label": "After hours", "queue_id": "alpha-closed"}],
        "offline_message": "We are closed; we answer from 9:00.",
        **common,
    }
    open_key = ok(admin.put(f"{BASE}/widgets/shop", json=open_widget))["widget_key"]
    closed_key = ok(admin.put(f"{BASE}/widgets/nights", json=closed_widget))["widget_key"]
    agent = center.as_user("alpha", "agent")
    agent_id = center.tenants["alpha"].agents["agent"]
    # the widget routes by the customer's language: the agent speaks the widget's
    profile = ok(admin.get(f"{BASE}/agents/{agent_id}"))
    keep = ("agent_id", "display_name", "user_id", "team_id", "is_team_leader", "skills", "queues")
    body = {k: profile[k] for k in keep if k in profile}
    ok(admin.put(f"{BASE}/agents/{agent_id}", json={**body, "languages": ["en", "nl"]}))
    ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "available"}))
    try:
        yield Widgets(shop, open_key, closed_key, agent, center.as_user("alpha", "supervisor"))
    finally:
        shop.stop()


def open_widget(page: Page, widgets: Widgets, key: str) -> FrameLocator:
    page.goto(widgets.shop.page_of(key))
    frame = page.frame_locator(FRAME)
    frame.get_by_role("button", name="Chat with us").click()
    return frame


def field(frame: FrameLocator, label: str) -> Locator:
    """The visible control labelled `label` (the page's other views have their own)."""
    return frame.get_by_label(label).filter(visible=True)


def chat_frame(page: Page) -> Frame:
    found = page.frame(url=re.compile(r"/chat/"))
    assert found is not None
    return found


def offered(agent_ws: ClientConnection) -> tuple[str, str]:
    """The next offer on the agent's stream: (offer id, chat id)."""
    event = next_event(agent_ws, "routing.contact_offered", timeout=10)
    return str(event["data"]["offer_id"]), str(event["data"]["contact_id"])


def customer_typing(ws: ClientConnection) -> dict[str, Any]:
    """The next typing signal of the customer on the agent's stream."""
    while True:
        message = recv_json(ws, 5)
        if message["type"] == "signal" and message["data"].get("who") == "customer":
            return dict(message["data"])


def start(frame: FrameLocator, name: str, email: str, question: str = "") -> None:
    field(frame, "Your name").fill(name)
    field(frame, "E-mail address").fill(email)
    if question:
        field(frame, "Your question").fill(question)
    frame.get_by_role("button", name="Start chat").click()


def agent_says(widgets: Widgets, chat_id: str, text: str, client_id: str) -> dict[str, Any]:
    body = {"client_message_id": client_id, "text": text}
    return dict(ok(widgets.agent.post(f"{BASE}/chats/{chat_id}/messages", json=body), 201))


def wrap_up(widgets: Widgets, chat_id: str) -> None:
    ok(widgets.agent.post(f"{BASE}/contacts/{chat_id}/wrap-up", json={}))


def log_texts(frame: FrameLocator) -> list[str]:
    return [t.strip() for t in frame.locator("#log .message .text").all_inner_texts()]


def test_a_customer_chats_through_the_embedded_widget_and_answers_the_survey(
    page: Page, widgets: Widgets, center: Center
) -> None:
    with live(center.ws_url, widgets.agent) as agent_ws:
        frame = open_widget(page, widgets, widgets.open_key)
        expect(frame.get_by_text("Hello! How can we help?")).to_be_visible()

        # a bad e-mail address is explained next to the field, and what was typed stays
        start(frame, "Carla Customer", "carla@", "Do you ship to Riga?")
        email = field(frame, "E-mail address")
        expect(frame.locator("#prechat-email-error")).to_have_text(
            "Enter a valid e-mail address, like name@example.com."
        )
        expect(email).to_have_attribute("aria-invalid", "true")
        expect(email).to_be_focused()
        expect(email).to_have_value("carla@")
        expect(field(frame, "Your name")).to_have_value("Carla Customer")
        expect(field(frame, "Your question")).to_have_value("Do you ship to Riga?")

        email.fill("carla@example.com")
        frame.get_by_role("button", name="Start chat").click()
        expect(frame.locator("#chat-status")).to_contain_text("You are number 1 in line.")
        expect(frame.locator("#chat-status")).to_contain_text("Expected wait: about 3 minutes.")
        expect(frame.locator("#log")).to_contain_text("Do you ship to Riga?")

        offer_id, chat_id = offered(agent_ws)
        ok(widgets.agent.post(f"{BASE}/offers/{offer_id}/accept"))
        expect(frame.get_by_text("alpha-agent has joined the chat.")).to_be_visible()
        expect(frame.locator("#chat-status")).to_have_text("You are chatting with alpha-agent.")

        # agent -> customer, with typing first
        typing = {"is_typing": True}
        ok(widgets.agent.post(f"{BASE}/chats/{chat_id}/typing", json=typing))
        expect(frame.locator("#typing")).to_have_text("alpha-agent is typing…")
        agent_says(widgets, chat_id, "Yes, we ship to Riga.", "a1")
        expect(frame.locator("#log")).to_contain_text("Yes, we ship to Riga.")
        expect(frame.locator("#typing")).to_have_text("")

        # customer -> agent: typing reaches the agent, Enter sends
        text = field(frame, "Your message")
        text.press_sequentially("How long")
        assert customer_typing(agent_ws)["is_typing"] is True
        text.press_sequentially(" does it take?")
        text.press("Enter")
        sent = next_event(agent_ws, "chat.message_sent")
        assert sent["data"]["message"]["text"] == "How long does it take?"
        expect(frame.locator("#log .message.is-pending")).to_have_count(0)
        assert log_texts(frame) == [
            "Do you ship to Riga?",
            "Yes, we ship to Riga.",
            "How long does it take?",
        ]

        # the customer ends the chat and answers the survey, once
        frame.get_by_role("button", name="End chat").click()
        expect(frame.get_by_text("The chat has ended.", exact=True)).to_be_visible()
        frame.get_by_role("button", name="Send answer").click()
        expect(frame.locator("#survey-rating-error")).to_have_text("Choose a rating from 1 to 5.")
        field(frame, "4 \N{EN DASH} Satisfied").check()
        field(frame, "Comment").fill("Quick and friendly")
        frame.get_by_role("button", name="Send answer").click()
        expect(frame.get_by_text("Thank you for your answer!")).to_be_visible()
        wrap_up(widgets, chat_id)

    read = ok(widgets.supervisor.get(f"{BASE}/chats/{chat_id}"))
    assert [m["text"] for m in read["messages"]] == [
        "Do you ship to Riga?",
        "Yes, we ship to Riga.",
        "How long does it take?",
    ]
    csat = ok(widgets.supervisor.get(f"{BASE}/stats/csat"))
    mine = [row for row in csat if row["queue_id"] == center.tenants["alpha"].queue_id]
    assert len(mine) == 1
    assert (mine[0]["answers"], mine[0]["satisfied"]) == (1, 1)
    # a reload keeps the panel open and shows the thanks again, not a second survey
    page.reload()
    frame = page.frame_locator(FRAME)
    expect(frame.get_by_text("Thank you for your answer!")).to_be_visible()
    expect(frame.get_by_role("button", name="Send answer")).to_be_hidden()
    assert page.js_errors == []  # type: ignore[attr-defined]


def test_outside_business_hours_the_customer_leaves_a_message_that_becomes_a_contact(
    page: Page, widgets: Widgets
) -> None:
    frame = open_widget(page, widgets, widgets.closed_key)
    expect(frame.get_by_text("We are closed; we answer from 9:00.")).to_be_visible()
    field(frame, "Your name").fill("Nina Night")
    field(frame, "E-mail address").fill("nina@example")
    field(frame, "Your message").fill("Please call me about my order.")
    frame.get_by_role("button", name="Send message").click()
    expect(frame.locator("#leave-email-error")).to_have_text(
        "Enter a valid e-mail address, like name@example.com."
    )
    expect(field(frame, "Your message")).to_have_value("Please call me about my order.")
    field(frame, "E-mail address").fill("nina@example.com")
    frame.get_by_role("button", name="Send message").click()
    expect(frame.get_by_role("heading", name="Thank you!")).to_be_visible()

    found = ok(widgets.supervisor.get(f"{BASE}/contacts", params={"queue_id": "alpha-closed"}))
    contacts = found["items"] if isinstance(found, dict) else found
    assert len(contacts) == 1
    chat = ok(widgets.supervisor.get(f"{BASE}/chats/{contacts[0]['contact_id']}"))
    assert chat["is_callback"] is True
    assert [m["text"] for m in chat["messages"]] == ["Please call me about my order."]


def test_a_dropped_connection_loses_and_doubles_no_message(
    page: Page, context: BrowserContext, widgets: Widgets, center: Center
) -> None:
    with live(center.ws_url, widgets.agent) as agent_ws:
        frame = open_widget(page, widgets, widgets.open_key)
        start(frame, "Rita Reconnect", "rita@example.com", "First question")
        offer_id, chat_id = offered(agent_ws)
        ok(widgets.agent.post(f"{BASE}/offers/{offer_id}/accept"))
        expect(frame.get_by_text("alpha-agent has joined the chat.")).to_be_visible()
        agent_says(widgets, chat_id, "Before the drop", "r1")
        expect(frame.locator("#log")).to_contain_text("Before the drop")

        # the network goes away and the socket with it
        context.set_offline(True)
        chat_frame(page).evaluate("window.headsetChat.drop()")
        expect(frame.locator("#connection")).to_contain_text("Reconnecting")
        agent_says(widgets, chat_id, "While you were away", "r2")
        text = field(frame, "Your message")
        text.fill("Typed while offline")
        text.press("Enter")
        expect(frame.locator("#log .message.is-pending")).to_contain_text("Typed while offline")
        agent_says(widgets, chat_id, "Still here", "r3")

        context.set_offline(False)
        expect(frame.locator("#connection")).to_be_hidden()
        expect(frame.locator("#log .message.is-pending")).to_have_count(0)
        expect(frame.locator("#log")).to_contain_text("Still here")
        expected = [
            "First question",
            "Before the drop",
            "While you were away",
            "Typed while offline",
            "Still here",
        ]
        stored = ok(widgets.supervisor.get(f"{BASE}/chats/{chat_id}"))["messages"]
        assert sorted(m["text"] for m in stored) == sorted(expected)
        by_seq = [m["text"] for m in sorted(stored, key=lambda m: m["seq"])]
        assert log_texts(frame) == by_seq

        # a second drop, online this time: the stream resumes and nothing comes twice
        chat_frame(page).evaluate("window.headsetChat.drop()")
        agent_says(widgets, chat_id, "After the second drop", "r4")
        expect(frame.locator("#log")).to_contain_text("After the second drop")
        assert log_texts(frame) == [*by_seq, "After the second drop"]
        frame.get_by_role("button", name="End chat").click()
        expect(frame.get_by_role("button", name="Send answer")).to_be_visible()
        wrap_up(widgets, chat_id)
    assert page.js_errors == []  # type: ignore[attr-defined]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_files_are_sent_with_the_limit_shown_and_a_refused_type_explained(
    page: Page, widgets: Widgets, center: Center
) -> None:
    with live(center.ws_url, widgets.agent) as agent_ws:
        frame = open_widget(page, widgets, widgets.open_key)
        start(frame, "Fay File", "fay@example.com")
        offer_id, chat_id = offered(agent_ws)
        ok(widgets.agent.post(f"{BASE}/offers/{offer_id}/accept"))
        expect(frame.locator("#composer-file-help")).to_have_text(
            "Images, PDF or text, up to 1 MB."
        )
        upload = frame.locator("#composer-file")
        photo: FilePayload = {"name": "photo.png", "mimeType": "image/png", "buffer": PNG}
        upload.set_input_files(files=[photo])
        expect(frame.locator("#log .message.is-mine .file")).to_have_text(
            "File: photo.png (72 byte)"
        )
        sent = next_event(agent_ws, "chat.message_sent")["data"]["message"]
        assert sent["attachment"]["media_type"] == "image/png"

        # a program called invoice.png is refused by its bytes, and the customer is told why
        program: FilePayload = {
            "name": "invoice.png",
            "mimeType": "image/png",
            "buffer": b"MZ\x90\x00\x03",
        }
        upload.set_input_files(files=[program])
        expect(frame.locator("#composer-error")).to_have_text(
            "This kind of file is not accepted. Send a PNG, JPEG, GIF or WebP image, a PDF or "
            "a plain text file."
        )
        big: FilePayload = {
            "name": "notes.txt",
            "mimeType": "text/plain",
            "buffer": b"a" * 1_000_001,
        }
        upload.set_input_files(files=[big])
        expect(frame.locator("#composer-error")).to_have_text(
            "This file is too large: files may be at most 1 MB."
        )
        stored = ok(widgets.supervisor.get(f"{BASE}/chats/{chat_id}"))["messages"]
        assert [m["attachment"]["name"] for m in stored] == ["photo.png"]

        # a supervisor's barge-in is shown; a whisper never is
        whisper = {"client_message_id": "w1", "text": "Psst: offer the voucher"}
        ok(widgets.supervisor.post(f"{BASE}/chats/{chat_id}/whisper", json=whisper), 201)
        ok(widgets.supervisor.post(f"{BASE}/chats/{chat_id}/barge"))
        expect(frame.locator("#log")).to_contain_text("a supervisor, has joined the chat.")
        agent_says(widgets, chat_id, "After the barge", "b1")
        expect(frame.locator("#log")).to_contain_text("After the barge")
        expect(frame.locator("body")).not_to_contain_text("voucher")
        frame.get_by_role("button", name="End chat").click()
        expect(frame.get_by_role("button", name="Send answer")).to_be_visible()
        wrap_up(widgets, chat_id)


def test_the_widget_speaks_the_browser_language_fills_a_phone_and_works_by_keyboard(
    browser: Browser, widgets: Widgets, center: Center
) -> None:
    phone: ViewportSize = {"width": PHONE["width"], "height": PHONE["height"]}
    context = browser.new_context(locale="nl-NL", viewport=phone)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(widgets.shop.page_of(widgets.open_key))
        frame = page.frame_locator(FRAME)
        launcher = frame.get_by_role("button", name="Chat met ons")
        expect(launcher).to_be_visible()
        page.keyboard.press("Tab")
        expect(launcher).to_be_focused()
        page.keyboard.press("Enter")
        expect(frame.locator("#launcher")).to_have_attribute("aria-expanded", "true")
        expect(field(frame, "Uw naam")).to_be_focused()
        box = page.locator(FRAME).bounding_box()
        assert box is not None
        assert (box["width"], box["height"]) == (PHONE["width"], PHONE["height"])
        width = chat_frame(page).evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"]

        # the language chosen in the form switches the page, keeping what was typed
        field(frame, "Uw naam").fill("Kees")
        field(frame, "Taal").select_option("en")
        expect(field(frame, "Your name")).to_have_value("Kees")
        page.keyboard.press("Escape")
        expect(frame.get_by_role("button", name="Chat with us")).to_be_focused()
    finally:
        context.close()


def test_only_the_listed_sites_may_frame_the_hosted_page(widgets: Widgets, center: Center) -> None:
    page = httpx.get(f"{center.url}/chat/{widgets.open_key}?embed=1", timeout=10)
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert f"frame-ancestors 'self' {widgets.shop.origin}" in policy
    assert "x-frame-options" not in page.headers
    staff = httpx.get(f"{center.url}/sign-in", timeout=10)
    assert staff.headers["x-frame-options"] == "DENY"
    script = httpx.get(f"{center.url}/widget.js", timeout=10)
    assert script.headers["content-type"].startswith("text/javascript")
    assert "data-widget" in script.text
    assert httpx.get(f"{center.url}/chat/wk_nothing", timeout=10).status_code == 404
