"""Headset's pages in Firefox: the desktop, the wallboard, a form's errors, the customer's chat.

The same real service as the Chromium tests, driven through WebDriver BiDi by our own client;
clicks and key presses are real input events, checks read the page's DOM.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from tests.firefox.bidi import ENTER, Tab
from tests.firefox.conftest import Firefox, sign_in
from tests.service.conftest import Center, live, next_event, ok

BASE = "/api/v1/tenants/alpha"


def signed_in(tab: Tab, center: Center, role: str, lands_on: str) -> None:
    username, password, _ = center.tenants["alpha"].users[role]
    sign_in(tab, center, username, password)
    tab.wait_until(lambda: tab.url == center.url + lands_on, f"the {role} to land on {lands_on}")


def test_an_agent_signs_in_and_the_desktop_goes_live(tab: Tab, center: Center) -> None:
    signed_in(tab, center, "agent", "/desktop")
    # "Live" is written by the desktop's own modules once its WebSocket is open
    tab.wait_for_text("#live-status", "Live")
    tab.wait_for_text("#state-now", "Offline")
    tab.wait_until(
        lambda: tab.evaluate("!document.getElementById('state-select').disabled"),
        "the state control to be enabled",
    )
    # a change made elsewhere (over the API) reaches the page over its live stream
    agent_id = center.tenants["alpha"].agents["agent"]
    agent = center.as_user("alpha", "agent")
    ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "available"}))
    tab.wait_for_text("#state-now", "Available")
    ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "offline"}))
    tab.wait_for_text("#state-now", "Offline")
    assert tab.js_errors() == []


def test_the_wallboard_shows_a_new_waiting_contact_live(tab: Tab, center: Center) -> None:
    signed_in(tab, center, "supervisor", "/wallboard")
    tab.wait_for_text("#live-status", "Live")
    sales = '[data-queues] tr[data-queue="alpha-sales"]'
    tab.wait_for_text(f"{sales} th", "Sales")
    tab.wait_for_text(f"{sales} td", "0")

    body = {"queue_id": "alpha-sales", "subject": "Where is my parcel"}
    contact_id = ok(center.admin.post(f"{BASE}/contacts", json=body), 201)["contact_id"]
    try:
        # the figures reach the wallboard every second, over its live stream
        tab.wait_for_text(f"{sales} td", "1", timeout=3)
        tab.wait_for_text(
            f'[data-waiting] tr[data-contact="{contact_id}"]', "Where is my parcel", contains=True
        )
    finally:
        ok(center.admin.post(f"{BASE}/contacts/{contact_id}/abandon"))
    tab.wait_for_text(f"{sales} td", "0", timeout=3)
    assert tab.js_errors() == []


def test_the_queue_form_explains_bad_input_next_to_each_field_and_keeps_it(
    tab: Tab, center: Center
) -> None:
    signed_in(tab, center, "manager", "/admin/t/alpha/queues")
    tab.goto(center.url + "/admin/t/alpha/queues/new")
    # the form's module wires it after the page has loaded; a click before would post the page
    tab.wait_until(lambda: tab.attribute("form[data-api-form]", "data-wired") is not None,
                   "the form's script")  # fmt: skip
    tab.type_into("#f-queue_id", "Not valid!")
    tab.type_into("#f-name", "Returns")
    tab.type_into("#f-service_level_percent", "150")
    tab.press("\ue007")  # Enter in the field submits the form, wherever the button is laid out

    try:
        tab.wait_for_text("#f-service_level_percent-error", "Must be 100 or less.")
    except Exception:
        status = tab.evaluate("document.querySelector('[data-form-status]')?.textContent")
        values = tab.evaluate(
            "[...document.querySelectorAll('form[data-api-form] input')]"
            ".map(i => i.id + '=' + i.value).join(' ')"
        )
        raise AssertionError(f"status={status!r} url={tab.url!r} values={values}") from None
    tab.wait_for_text("#f-queue_id-error", "does not match the expected pattern", contains=True)
    assert tab.attribute("#f-service_level_percent", "aria-invalid") == "true"
    described = tab.attribute("#f-service_level_percent", "aria-describedby") or ""
    assert "f-service_level_percent-error" in described.split()
    assert tab.evaluate("document.activeElement.id") == "f-queue_id"
    assert tab.value("#f-queue_id") == "Not valid!"
    assert tab.value("#f-name") == "Returns"
    assert tab.value("#f-service_level_percent") == "150"
    assert tab.url == center.url + "/admin/t/alpha/queues/new"
    found = ok(center.admin.get(f"{BASE}/queues"))
    queues = found["items"] if isinstance(found, dict) else found
    assert "Returns" not in [q["name"] for q in queues]  # nothing was saved
    assert tab.js_errors() == []


@dataclass
class Chat:
    widget_key: str
    agent: httpx.Client
    agent_id: str


@pytest.fixture
def chat(center: Center) -> Iterator[Chat]:
    """A widget whose one topic goes to the sales queue, and its agent available."""
    topic = {"topic_id": "sales", "label": "Buying", "queue_id": center.tenants["alpha"].queue_id}
    widget = {
        "display_name": "Alpha Shop",
        "greeting": "Hello! How can we help?",
        "topics": [topic],
    }
    key = ok(center.admin.put(f"{BASE}/widgets/shop", json=widget))["widget_key"]
    agent = center.as_user("alpha", "agent")
    agent_id = center.tenants["alpha"].agents["agent"]
    ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "available"}))
    try:
        yield Chat(str(key), agent, agent_id)
    finally:
        ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "offline"}))


def test_a_customer_chats_on_the_hosted_page_and_reads_the_agents_answer(
    tab: Tab, center: Center, chat: Chat
) -> None:
    with live(center.ws_url, chat.agent) as agent_ws:
        tab.goto(f"{center.url}/chat/{chat.widget_key}")
        tab.wait_for_text(".greeting", "Hello! How can we help?")

        # a bad address is explained next to the field, and what was typed stays
        tab.type_into("#prechat-name", "Carla Customer")
        tab.type_into("#prechat-email", "carla@")
        tab.type_into("#prechat-message", "Do you ship to Riga?")
        tab.click("#prechat button[type=submit]")
        tab.wait_for_text(
            "#prechat-email-error", "Enter a valid e-mail address, like name@example.com."
        )
        assert tab.attribute("#prechat-email", "aria-invalid") == "true"
        assert tab.value("#prechat-email") == "carla@"
        assert tab.value("#prechat-message") == "Do you ship to Riga?"

        tab.type_into("#prechat-email", "carla@example.com")
        tab.click("#prechat button[type=submit]")
        tab.wait_for_text("#chat-status", "You are number 1 in line.", contains=True)
        tab.wait_for_text("#log", "Do you ship to Riga?", contains=True)

        offer = next_event(agent_ws, "routing.contact_offered", timeout=10)["data"]
        chat_id = offer["contact_id"]
        ok(chat.agent.post(f"{BASE}/offers/{offer['offer_id']}/accept"))
        tab.wait_for_text("#chat-status", "You are chatting with alpha-agent.")

        said = {"client_message_id": "ff1", "text": "Yes, we ship to Riga."}
        ok(chat.agent.post(f"{BASE}/chats/{chat_id}/messages", json=said), 201)
        tab.wait_for_text("#log", "Yes, we ship to Riga.", contains=True)

        # the customer answers with real key presses; Enter sends
        tab.type_into("#composer-text", "How long does it take?")
        tab.press(ENTER)
        sent = next_event(agent_ws, "chat.message_sent")["data"]["message"]
        while sent["author_kind"] != "customer":  # the agent's own message came first
            sent = next_event(agent_ws, "chat.message_sent")["data"]["message"]
        assert sent["text"] == "How long does it take?"
        tab.wait_until(
            lambda: (
                tab.evaluate("document.querySelectorAll('#log .message.is-pending').length") == 0
            ),
            "the message to be confirmed",
        )
        shown = tab.evaluate(
            "[...document.querySelectorAll('#log .message .text')].map((e) => e.innerText.trim())"
        )
        assert shown == ["Do you ship to Riga?", "Yes, we ship to Riga.", "How long does it take?"]
        assert tab.value("#composer-text") == ""

        # the customer ends the chat; the survey follows
        tab.click("#end-chat")
        tab.wait_for_text("#survey-title", "The chat has ended")
        next_event(agent_ws, "chat.ended")
        ok(chat.agent.post(f"{BASE}/contacts/{chat_id}/wrap-up", json={}))

    stored = ok(center.admin.get(f"{BASE}/chats/{chat_id}"))["messages"]
    assert [m["text"] for m in stored] == shown
    assert tab.js_errors() == []


def test_firefox_asked_no_other_machine_for_anything(
    tab: Tab, center: Center, firefox: Firefox
) -> None:
    """The profile keeps Firefox off the network: the refusing proxy saw no request at all."""
    tab.goto(center.url + "/sign-in")
    tab.wait_for_text("h1", "Sign in to Headset")
    assert firefox.refused == []
