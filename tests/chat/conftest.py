"""A served center with a chat widget for alpha: an open topic and one closed all day."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from headset.access.rate_limits import Rate
from headset.config import VisitorRates
from tests.service.conftest import Center, next_event, ok, recv_json, start_center

ORIGIN = "https://shop.example"
#: Small, so the size limit is easy to cross in a test.
ATTACHMENT_LIMIT = 20_000
#: Every test's customers come from 127.0.0.1: only tests/chat/test_visitor_guards.py meets
#: the visitor rate limits.
GENEROUS = VisitorRates(**{f.name: Rate(10_000, 10_000) for f in fields(VisitorRates)})


@dataclass
class ChatCenter:
    center: Center
    widget_key: str
    agent: httpx.Client
    supervisor: httpx.Client

    @property
    def public(self) -> str:
        return f"/api/v1/chat/{self.widget_key}"


def shop_widget(center: Center) -> str:
    """Tenant alpha's plain one-topic chat widget ("sales" to alpha-sales); its key."""
    widget = {
        "display_name": "Alpha Shop",
        "topics": [{"topic_id": "sales", "label": "Buying", "queue_id": "alpha-sales"}],
    }
    answer = ok(center.admin.put("/api/v1/tenants/alpha/widgets/shop", json=widget))
    return str(answer["widget_key"])


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatCenter]:
    center = start_center(
        tmp_path_factory.mktemp("chat"),
        max_body_bytes=100_000,
        chat_attachment_max_bytes=ATTACHMENT_LIMIT,
        visitor_rates=GENEROUS,
    )
    try:
        admin, base = center.admin, "/api/v1/tenants/alpha"
        today = datetime.now(UTC).date()
        closed = {
            "queue_id": "alpha-closed",
            "name": "After hours",
            "business_hours": {"mon": [["09:00", "17:00"]]},
            "holidays": [(today + timedelta(days=d)).isoformat() for d in (-1, 0, 1)],
        }
        ok(admin.put(f"{base}/queues/alpha-closed", json=closed))
        widget = {
            "display_name": "Alpha Shop",
            "greeting": "Hello! How can we help?",
            "topics": [
                {"topic_id": "sales", "label": "Buying", "queue_id": "alpha-sales"},
                {"topic_id": "late", "label": "After hours", "queue_id": "alpha-closed"},
            ],
            "languages": ["en", "nl"],
            "offline_message": "We are closed; we answer from 9:00.",
            "allowed_origins": [ORIGIN],
        }
        key = ok(admin.put(f"{base}/widgets/shop", json=widget))["widget_key"]
        agent = center.as_user("alpha", "agent")
        agent_id = center.tenants["alpha"].agents["agent"]
        ok(agent.post(f"{base}/agents/{agent_id}/state", json={"state": "available"}))
        yield ChatCenter(center, key, agent, center.as_user("alpha", "supervisor"))
    finally:
        center.close()
        center.served.stop()


@dataclass
class Customer:
    """A customer's browser: the chat id and its token."""

    chat_id: str
    token: str
    client: httpx.Client

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return self.client.post(f"chats/{self.chat_id}{path}", **kw)

    def say(self, text: str, client_id: str | None = None) -> httpx.Response:
        body = {"client_message_id": client_id or uuid.uuid4().hex, "text": text}
        return self.post("/messages", json=body)


def start_chat(chat: ChatCenter, **form: Any) -> Customer:
    body = {"name": "Carla Customer", "email": "carla@example.com", "topic_id": "sales", **form}
    started = ok(httpx.post(f"{chat.center.url}{chat.public}/chats", json=body), 201)
    client = httpx.Client(
        base_url=f"{chat.center.url}{chat.public}/",
        headers={"Authorization": f"Bearer {started['token']}"},
        timeout=10,
    )
    chat.center.clients.append(client)
    return Customer(started["chat_id"], started["token"], client)


@contextmanager
def customer_live(
    chat: ChatCenter, customer: Customer, after: int | None = None
) -> Iterator[ClientConnection]:
    """The customer's live stream, past its hello."""
    url = f"{chat.center.ws_url}{chat.public}/chats/{customer.chat_id}/live"
    with connect(url, open_timeout=10) as ws:
        hello: dict[str, Any] = {"type": "hello", "token": customer.token}
        if after is not None:
            hello["after"] = after
        ws.send(json.dumps(hello))
        yield ws


def recv(ws: ClientConnection, timeout: float = 5) -> dict[str, Any]:
    """The next customer-stream message (a frame may carry a list of them)."""
    return recv_json(ws, timeout)


def recv_type(ws: ClientConnection, kind: str, timeout: float = 5) -> dict[str, Any]:
    """Skips position updates and heartbeats, and fails on anything else unexpected."""
    deadline = time.monotonic() + timeout
    while True:
        message = recv(ws, max(0.05, deadline - time.monotonic()))
        if message["type"] == kind:
            return message
        assert message["type"] in {"position", "heartbeat", "typing"}, message


def offer_for(agent_ws: ClientConnection, chat_id: str) -> str:
    """Waits on the agent's live stream for the offer of `chat_id`; returns its offer id."""
    deadline = time.monotonic() + 5
    while True:
        event = next_event(
            agent_ws, "routing.contact_offered", max(0.1, deadline - time.monotonic())
        )
        if event["data"]["contact_id"] == chat_id:
            return str(event["data"]["offer_id"])


def connect_chat(chat: ChatCenter, agent_ws: ClientConnection, **form: Any) -> Customer:
    """A chat the alpha agent has accepted (its live stream read past the accept)."""
    customer = start_chat(chat, **form)
    offer_id = offer_for(agent_ws, customer.chat_id)
    ok(chat.agent.post(f"/api/v1/tenants/alpha/offers/{offer_id}/accept"))
    next_event(agent_ws, "routing.offer_accepted")
    return customer


def finish(chat: ChatCenter, customer: Customer) -> None:
    """The customer leaves and the agent wraps up: the agent's chat slot is free again."""
    ok(customer.post("/end"))
    base = "/api/v1/tenants/alpha"
    contact = chat.center.app.state.runtime.host.engine.state.contacts.get(customer.chat_id)
    if contact is not None and contact.status.value == "wrap_up":
        ok(chat.agent.post(f"{base}/contacts/{customer.chat_id}/wrap-up", json={}))
