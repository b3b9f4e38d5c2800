"""What an anonymous visitor meets: rate limits per address, per widget and per chat, and
typed text without control characters (docs/chat.md, "Rate limits", "What a visitor types")."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from headset.access.rate_limits import Rate
from headset.config import VisitorRates, load_settings
from headset.core.errors import Invalid
from tests.chat.conftest import ChatCenter, shop_widget
from tests.service.conftest import ok, start_center

RATES = VisitorRates(
    chats_per_address=Rate(3, 1),
    chats_per_widget=Rate(5, 1),
    left_messages_per_address=Rate(2, 1),
    left_messages_per_widget=Rate(100, 100),
    calls_per_address=Rate(2, 1),
    calls_per_widget=Rate(100, 100),
    messages_per_chat=Rate(3, 1),
    uploads_per_chat=Rate(2, 1),
)
FORM = {"name": "Carla Customer", "email": "carla@example.com", "topic_id": "sales"}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatCenter]:
    center = start_center(tmp_path_factory.mktemp("guards"), visitor_rates=RATES)
    try:
        key = shop_widget(center)
        yield ChatCenter(center, key, center.admin, center.admin)
    finally:
        center.close()
        center.served.stop()


def _visitor(chat: ChatCenter, address: str) -> httpx.Client:
    """A browser at `address` (any 127.0.0.0/8 address reaches the loopback server)."""
    transport = httpx.HTTPTransport(local_address=address)
    client = httpx.Client(
        base_url=f"{chat.center.url}{chat.public}/", transport=transport, timeout=10
    )
    chat.center.clients.append(client)
    return client


def _refused(response: httpx.Response, limit: str) -> dict[str, Any]:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) >= 1
    body = dict(response.json())
    assert body["code"] == "rate_limited"
    assert body["params"] == {"limit": limit}
    assert limit in body["detail"]
    return body


def _later(chat: ChatCenter, seconds: float) -> None:
    chat.center.clock.offset += timedelta(seconds=seconds)


def test_chats_are_limited_per_address_and_per_widget(guarded: ChatCenter) -> None:
    first = _visitor(guarded, "127.0.0.11")
    for _ in range(3):
        ok(first.post("chats", json=FORM), 201)
    _refused(first.post("chats", json=FORM), "chats per address")

    # another address has its own bucket, until the widget's is empty too
    second = _visitor(guarded, "127.0.0.12")
    ok(second.post("chats", json=FORM), 201)
    ok(second.post("chats", json=FORM), 201)
    _refused(second.post("chats", json=FORM), "chats per widget")

    _later(guarded, 61)  # a token a minute comes back
    ok(first.post("chats", json=FORM), 201)


def test_left_messages_are_limited_per_address(guarded: ChatCenter) -> None:
    visitor = _visitor(guarded, "127.0.0.21")
    left = {**FORM, "message": "Call me back, please."}
    for _ in range(2):
        ok(visitor.post("left-messages", json=left), 201)
    _refused(visitor.post("left-messages", json=left), "left messages per address")
    ok(_visitor(guarded, "127.0.0.22").post("left-messages", json=left), 201)


def test_a_chats_messages_and_uploads_are_limited(guarded: ChatCenter) -> None:
    _later(guarded, 600)  # the widget's bucket is full again
    visitor = _visitor(guarded, "127.0.0.31")
    started = ok(visitor.post("chats", json=FORM), 201)
    visitor.headers["Authorization"] = f"Bearer {started['token']}"
    chat = f"chats/{started['chat_id']}"
    for n in range(3):
        body = {"client_message_id": uuid.uuid4().hex, "text": f"message {n}"}
        ok(visitor.post(f"{chat}/messages", json=body), 201)
    refused = visitor.post(f"{chat}/messages", json={"client_message_id": "x", "text": "four"})
    _refused(refused, "messages per chat")

    for _ in range(2):
        ok(visitor.post(f"{chat}/attachments", params={"name": "a.txt"}, content=b"hello"), 201)
    again = visitor.post(f"{chat}/attachments", params={"name": "a.txt"}, content=b"hello")
    _refused(again, "uploads per chat")


def test_call_starts_are_limited_per_address(guarded: ChatCenter) -> None:
    visitor = _visitor(guarded, "127.0.0.41")
    url = f"{guarded.center.url}/api/v1/voice/{guarded.widget_key}/calls"
    body = {"name": "Carla Customer", "sdp": "v=0 an offer"}
    for _ in range(2):  # voice is off in this service: refused, but counted
        assert visitor.post(url, json=body).status_code == 409
    _refused(visitor.post(url, json=body), "calls per address")


@pytest.mark.parametrize(
    ("path", "form", "field"),
    [
        ("chats", {**FORM, "name": "Carla\x00"}, "name"),
        ("chats", {**FORM, "name": "Carla\u202eslaC"}, "name"),
        ("chats", {**FORM, "email": "carla\x00@example.com"}, "email"),
        ("chats", {**FORM, "message": "hello\x1b[2J"}, "message"),
        ("left-messages", {**FORM, "message": "call me\x00"}, "message"),
        ("left-messages", {**FORM, "name": "\x07Carla", "message": "hi"}, "name"),
    ],
)
def test_control_characters_are_refused_naming_the_field(
    guarded: ChatCenter, path: str, form: dict[str, str], field: str
) -> None:
    response = _visitor(guarded, "127.0.0.51").post(path, json=form)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    assert errors[0]["type"] == "control_character"


def test_a_message_keeps_its_line_breaks_but_not_other_control_characters(
    guarded: ChatCenter,
) -> None:
    _later(guarded, 600)
    visitor = _visitor(guarded, "127.0.0.61")
    started = ok(visitor.post("chats", json={**FORM, "message": "line one\r\n\tline two"}), 201)
    visitor.headers["Authorization"] = f"Bearer {started['token']}"
    chat = f"chats/{started['chat_id']}"
    bad = visitor.post(f"{chat}/messages", json={"client_message_id": "n", "text": "a\x00b"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "text"
    messages = ok(visitor.get(chat))["messages"]
    assert [m["text"] for m in messages] == ["line one\r\n\tline two"]


def test_the_limits_are_settings() -> None:
    settings = load_settings({"HEADSET_RATE_CHATS_PER_ADDRESS": "3/1.5"})
    assert settings.visitor_rates.chats_per_address == Rate(3, 1.5)
    assert settings.visitor_rates.uploads_per_chat == VisitorRates().uploads_per_chat
    with pytest.raises(Invalid, match="HEADSET_RATE_UPLOADS_PER_CHAT must look like 10/6"):
        load_settings({"HEADSET_RATE_UPLOADS_PER_CHAT": "0/5"})
