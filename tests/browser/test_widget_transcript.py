"""The customer asks for the chat's transcript by e-mail at the end of the chat, in Chromium,
on real mail servers (Exim and Dovecot from tests/mail)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.mail.conftest import MailServers, servers
from tests.mail.test_transcripts import center  # Exim, Dovecot and a transcript mailbox
from tests.service.conftest import Center, live, next_event, ok

__all__ = ["center", "servers"]  # the module's fixtures, shared with tests/mail

BASE = "/api/v1/tenants/alpha"


def _widget_key(center: Center) -> str:
    topic = {"topic_id": "t", "label": "Help", "queue_id": center.tenants["alpha"].queue_id}
    body = {"display_name": "Shop", "topics": [topic]}
    return str(ok(center.admin.put(f"{BASE}/widgets/shop", json=body))["widget_key"])


def _answered_chat(page: Page, center: Center, email: str) -> str:
    agent = center.as_user("alpha", "agent")
    agent_id = center.tenants["alpha"].agents["agent"]
    ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "available"}))
    page.goto(f"/chat/{_widget_key(center)}")
    page.locator("#prechat-name").fill("Tina Customer")
    if email:
        page.locator("#prechat-email").fill(email)
    page.locator("#prechat-message").fill("Is my parcel insured?")
    with live(center.ws_url, agent) as ws:
        page.get_by_role("button", name="Start chat").click()
        offer = next_event(ws, "routing.contact_offered", 20)["data"]
    ok(agent.post(f"{BASE}/offers/{offer['offer_id']}/accept"))
    answer = {"client_message_id": "a1", "text": "Yes, up to 500 EUR."}
    ok(agent.post(f"{BASE}/chats/{offer['contact_id']}/messages", json=answer), 201)
    expect(page.locator("#log")).to_contain_text("Yes, up to 500 EUR.")
    page.get_by_role("button", name="End chat").click()
    expect(page.get_by_text("The chat has ended.", exact=True)).to_be_visible()
    return str(offer["contact_id"])


def test_the_customer_gets_the_transcript_from_the_end_of_the_chat(
    page: Page, center: Center, servers: MailServers
) -> None:
    _answered_chat(page, center, "tina@example.com")
    button = page.get_by_role("button", name="E-mail me the transcript")
    button.click()
    expect(page.locator("#transcript-status")).to_have_text(
        "The transcript is on its way to tina@example.com."
    )
    expect(button).to_be_hidden()  # once per chat
    arrived = servers.wait_for("tina", lambda m: "Your chat with" in str(m["Subject"]))
    assert "Yes, up to 500 EUR." in arrived.get_content()
    page.reload()  # the survey view comes back after a reload, and so does the offer
    expect(page.get_by_role("button", name="Send answer")).to_be_visible()


def test_no_transcript_is_offered_without_an_address(page: Page, center: Center) -> None:
    _answered_chat(page, center, "")
    expect(page.get_by_role("button", name="Send answer")).to_be_visible()
    expect(page.get_by_role("button", name="E-mail me the transcript")).to_be_hidden()
