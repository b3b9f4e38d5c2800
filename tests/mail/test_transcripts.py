"""A chat's transcript by e-mail, on real servers: asked for by the customer once the chat
has ended, sent once from the tenant's transcript mailbox, automatic, with a reference that
a person's answer threads back to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.mail.conftest import MailServers, mail_bodies_smtp, mail_center, wait_connected
from tests.mail.messages import answer_to
from tests.service.conftest import Center, live, next_event, ok

BASE = "/api/v1/tenants/alpha"


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory, servers: MailServers) -> Iterator[Center]:
    c = mail_center(Path(tmp_path_factory.mktemp("transcripts")), servers)
    try:
        support = {**mail_bodies_smtp(servers)["support"], "sends_transcripts": True}
        ok(c.admin.put(f"{BASE}/mailboxes/support", json=support))
        wait_connected(c)
        yield c
    finally:
        c.close()
        c.served.stop()


def _widget(center: Center) -> str:
    topic = {"topic_id": "t", "label": "Help", "queue_id": center.tenants["alpha"].queue_id}
    made = ok(center.admin.put(f"{BASE}/widgets/shop", json={"display_name": "Shop",
                                                             "topics": [topic]}))  # fmt: skip
    return f"{center.url}/api/v1/chat/{made['widget_key']}"


def _chat(center: Center, public: str, agent: httpx.Client, email: str | None) -> tuple[str, str]:
    """A chat answered by the agent and ended by the customer: its id and token."""
    form = {"name": "Tina Customer", "topic_id": "t", "message": "Is my parcel insured?"}
    if email:
        form["email"] = email
    with live(center.ws_url, agent) as ws:
        started = ok(httpx.post(f"{public}/chats", json=form), 201)
        offer = next_event(ws, "routing.contact_offered", 20)["data"]
        ok(agent.post(f"{BASE}/offers/{offer['offer_id']}/accept"))
    chat_id, token = started["chat_id"], started["token"]
    answer = {"client_message_id": "a1", "text": "Yes, up to 500 EUR."}
    ok(agent.post(f"{BASE}/chats/{chat_id}/messages", json=answer), 201)
    return chat_id, token


def test_the_customer_gets_the_transcript_once_and_an_answer_threads_back(
    center: Center, servers: MailServers
) -> None:
    public = _widget(center)
    agent = center.as_user("alpha", "agent")
    agent_id = center.tenants["alpha"].agents["agent"]
    ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "available"}))
    chat_id, token = _chat(center, public, agent, "tina@example.com")
    customer = {"Authorization": f"Bearer {token}"}
    url = f"{public}/chats/{chat_id}/transcript"

    early = httpx.post(url, headers=customer)
    assert early.status_code == 409
    assert early.json()["code"] == "chat_open"
    ok(httpx.post(f"{public}/chats/{chat_id}/end", headers=customer))
    assert httpx.post(url).status_code == 401  # the chat's token, as for every widget call

    sent = ok(httpx.post(url, headers=customer), 201)
    assert sent["status"] == "sent"
    assert sent["to"] == "tina@example.com"
    again = ok(httpx.post(url, headers=customer))
    assert again["mail_id"] == sent["mail_id"]

    arrived = servers.wait_for("tina", lambda m: "Your chat with" in str(m["Subject"]))
    assert arrived["Auto-Submitted"] == "auto-generated"
    assert str(arrived["From"]).endswith("<support@example.com>")
    text = arrived.get_content()
    assert "Tina Customer" in text
    assert "Is my parcel insured?" in text
    assert "Yes, up to 500 EUR." in text
    assert len([m for m in servers.inbox("tina") if "Your chat with" in str(m["Subject"])]) == 1

    # the agent wraps the chat up; the customer answers the transcript: a new e-mail
    # contact in a conversation of its own, threaded to the transcript
    ok(agent.post(f"{BASE}/contacts/{chat_id}/wrap-up", json={}))
    with live(center.ws_url, agent) as ws:
        servers.send(answer_to(arrived.as_bytes(), "And for 800 EUR?", "<tina2@example.com>"),
                     "support@example.com", "tina@example.com")  # fmt: skip
        offer = next_event(ws, "routing.contact_offered", 20)["data"]
    ok(agent.post(f"{BASE}/offers/{offer['offer_id']}/accept"))
    conversation = ok(agent.get(f"{BASE}/contacts/{offer['contact_id']}/mail"))
    assert f"[#{conversation['reference']}]" in str(arrived["Subject"])
    kinds = [(m["kind"], m["contact_id"]) for m in conversation["messages"]]
    assert kinds == [("transcript", chat_id), ("message", offer["contact_id"])]
    ok(agent.post(f"{BASE}/contacts/{offer['contact_id']}/end"))
    ok(agent.post(f"{BASE}/contacts/{offer['contact_id']}/wrap-up", json={}))


def test_no_transcript_without_an_address_or_a_transcript_mailbox(
    center: Center, servers: MailServers
) -> None:
    public = _widget(center)
    agent = center.as_user("alpha", "agent")
    agent_id = center.tenants["alpha"].agents["agent"]
    ok(agent.post(f"{BASE}/agents/{agent_id}/state", json={"state": "available"}))
    chat_id, token = _chat(center, public, agent, None)
    customer = {"Authorization": f"Bearer {token}"}
    ok(httpx.post(f"{public}/chats/{chat_id}/end", headers=customer))
    refused = httpx.post(f"{public}/chats/{chat_id}/transcript", headers=customer)
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_email"
    ok(agent.post(f"{BASE}/contacts/{chat_id}/wrap-up", json={}))
    first_chat = chat_id

    ok(center.admin.put(f"{BASE}/mailboxes/support", json=mail_bodies_smtp(servers)["support"]))
    chat_id, token = _chat(center, public, agent, "uma@example.com")
    customer = {"Authorization": f"Bearer {token}"}
    # a chat's token opens no other chat
    other = httpx.post(f"{public}/chats/{first_chat}/transcript", headers=customer)
    assert other.status_code == 404
    ok(httpx.post(f"{public}/chats/{chat_id}/end", headers=customer))
    refused = httpx.post(f"{public}/chats/{chat_id}/transcript", headers=customer)
    assert refused.status_code == 409
    assert refused.json()["code"] == "no_transcripts"
    ok(agent.post(f"{BASE}/contacts/{chat_id}/wrap-up", json={}))
