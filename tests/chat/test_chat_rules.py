"""The chat's rules end to end: files, retries, resume, hours, surveys, isolation, errors."""

from __future__ import annotations

import httpx

from tests.chat.conftest import (
    ATTACHMENT_LIMIT,
    ORIGIN,
    ChatCenter,
    connect_chat,
    customer_live,
    finish,
    recv,
    recv_type,
    start_chat,
)
from tests.chat.test_domain import EXE, PNG
from tests.service.conftest import live, ok

BASE = "/api/v1/tenants/alpha"


def test_a_png_is_accepted_and_a_disguised_program_is_refused(chat: ChatCenter) -> None:
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        customer = connect_chat(chat, agent_ws)
        upload = f"chats/{customer.chat_id}/attachments"
        stored = ok(customer.client.post(upload, params={"name": "photo.png"}, content=PNG), 201)
        assert stored["media_type"] == "image/png"
        assert stored["size"] == len(PNG)
        refused = customer.client.post(upload, params={"name": "photo.png"}, content=EXE)
        assert refused.status_code == 422
        assert "not accepted" in refused.json()["detail"]
        assert refused.json()["code"] == "file_type_refused"  # what the widget words
        big = PNG + b"\x00" * ATTACHMENT_LIMIT
        too_big = customer.client.post(upload, params={"name": "big.png"}, content=big)
        assert too_big.status_code == 422
        assert "at most" in too_big.json()["detail"]

        body = {"client_message_id": "p1", "text": "", "attachment_id": stored["attachment_id"]}
        message = ok(customer.post("/messages", json=body), 201)
        assert message["attachment"]["name"] == "photo.png"
        path = f"{BASE}/chats/{customer.chat_id}/attachments/{stored['attachment_id']}"
        download = chat.agent.get(path)
        assert download.status_code == 200
        assert download.content == PNG
        assert download.headers["content-type"] == "image/png"
        assert download.headers["x-content-type-options"] == "nosniff"
        unknown = {"client_message_id": "p2", "text": "x", "attachment_id": "at_nope"}
        assert customer.post("/messages", json=unknown).status_code == 404
        finish(chat, customer)


def test_a_retried_message_is_stored_once(chat: ChatCenter) -> None:
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        customer = connect_chat(chat, agent_ws)
        first = ok(customer.say("only once", "same-id"), 201)
        again = ok(customer.say("only once", "same-id"), 200)
        assert again == first
        # the same client id from the agent is another message: ids are per author
        url = f"{BASE}/chats/{customer.chat_id}/messages"
        ok(chat.agent.post(url, json={"client_message_id": "same-id", "text": "hi"}), 201)
        messages = ok(customer.client.get(f"chats/{customer.chat_id}"))["messages"]
        assert [m["text"] for m in messages] == ["only once", "hi"]
        assert [m["seq"] for m in messages] == [1, 2]
        finish(chat, customer)


def test_reconnecting_with_the_last_seq_loses_and_doubles_nothing(chat: ChatCenter) -> None:
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        customer = connect_chat(chat, agent_ws)
        url = f"{BASE}/chats/{customer.chat_id}/messages"
        with customer_live(chat, customer) as ws:
            assert recv(ws)["data"]["status"] == "connected"
            ok(chat.agent.post(url, json={"client_message_id": "r1", "text": "one"}), 201)
            last = recv_type(ws, "message")["message"]["seq"]
        # while the customer is away
        for n in ("two", "three"):
            ok(chat.agent.post(url, json={"client_message_id": n, "text": n}), 201)
        with customer_live(chat, customer, after=last) as ws:
            snapshot = recv(ws)["data"]
            assert [m["text"] for m in snapshot["messages"]] == ["two", "three"]
            assert snapshot["last_message_seq"] == 3
            assert snapshot["answering"] == {"display_name": "alpha-agent"}
            ok(chat.agent.post(url, json={"client_message_id": "r4", "text": "four"}), 201)
            assert recv_type(ws, "message")["message"]["text"] == "four"
        finish(chat, customer)


def test_a_bad_hello_or_another_chats_token_closes_the_stream(chat: ChatCenter) -> None:
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        mine = connect_chat(chat, agent_ws)
        other = connect_chat(chat, agent_ws)
        mine.token, real = other.token, mine.token
        with customer_live(chat, mine) as ws:
            assert recv(ws)["type"] == "error"
        mine.token = real
        finish(chat, mine)
        finish(chat, other)


def test_outside_business_hours_the_chat_is_closed_and_a_message_can_be_left(
    chat: ChatCenter,
) -> None:
    config = ok(httpx.get(f"{chat.center.url}{chat.public}"))
    topics = {t["topic_id"]: t for t in config["topics"]}
    assert topics["sales"]["is_open"]
    assert not topics["late"]["is_open"]
    assert config["offline_message"] == "We are closed; we answer from 9:00."
    body = {"name": "Nora", "email": "nora@example.com", "topic_id": "late"}
    closed = httpx.post(f"{chat.center.url}{chat.public}/chats", json=body)
    assert closed.status_code == 409
    problem = closed.json()
    assert problem["code"] == "closed"
    assert problem["offline_message"] == "We are closed; we answer from 9:00."
    assert closed.headers["content-type"].startswith("application/problem+json")

    left = {**body, "message": "Please call me about my order 1234"}
    answer = ok(httpx.post(f"{chat.center.url}{chat.public}/left-messages", json=left), 201)
    contact = ok(chat.supervisor.get(f"{BASE}/contacts/{answer['contact_id']}"))
    assert contact["channel"] == "chat"
    assert contact["is_callback"] is True
    assert contact["queue_id"] == "alpha-closed"
    assert contact["status"] == "waiting"
    transcript = ok(chat.supervisor.get(f"{BASE}/chats/{answer['contact_id']}"))
    assert [m["text"] for m in transcript["messages"]] == ["Please call me about my order 1234"]


def test_a_survey_after_the_chat_feeds_csat_once(chat: ChatCenter) -> None:
    before = {r["queue_id"]: r for r in ok(chat.supervisor.get(f"{BASE}/stats/csat"))}
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        happy = connect_chat(chat, agent_ws)
        early = happy.post("/survey", json={"rating": 5})
        assert early.status_code == 409
        assert "ended" in early.json()["detail"]
        finish(chat, happy)
        ok(happy.post("/survey", json={"rating": 5, "comment": "quick and kind"}), 201)
        twice = happy.post("/survey", json={"rating": 4})
        assert twice.status_code == 409
        assert "already" in twice.json()["detail"]
        assert twice.json()["code"] == "survey_answered"
        unhappy = connect_chat(chat, agent_ws)
        finish(chat, unhappy)
        bad = unhappy.post("/survey", json={"rating": 6})
        assert bad.status_code == 422
        assert "1 to 5" in bad.json()["detail"]
        ok(unhappy.post("/survey", json={"rating": 2}), 201)
    after = {r["queue_id"]: r for r in ok(chat.supervisor.get(f"{BASE}/stats/csat"))}
    sales, was = after["alpha-sales"], before.get("alpha-sales", {"answers": 0, "satisfied": 0})
    assert sales["answers"] == was["answers"] + 2
    assert sales["satisfied"] == was["satisfied"] + 1
    assert sales["csat"] == round(100 * sales["satisfied"] / sales["answers"], 2)
    refused = chat.agent.get(f"{BASE}/stats/csat")
    assert refused.status_code == 403


def test_tenants_and_chats_are_isolated(chat: ChatCenter) -> None:
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        first = connect_chat(chat, agent_ws)
        second = connect_chat(chat, agent_ws)
        beta = chat.center.as_user("beta", "supervisor")
        assert beta.get(f"{BASE}/chats/{first.chat_id}").status_code == 404
        assert beta.post(f"{BASE}/chats/{first.chat_id}/monitor").status_code == 404
        stolen = first.client.get(f"chats/{second.chat_id}")
        assert stolen.status_code == 404
        assert (
            first.client.post(
                f"chats/{second.chat_id}/messages", json={"client_message_id": "x", "text": "hi"}
            ).status_code
            == 404
        )
        anonymous = httpx.get(f"{chat.center.url}{chat.public}/chats/{first.chat_id}")
        assert anonymous.status_code == 401
        qa = chat.center.as_user("alpha", "qa")
        assert (
            qa.post(
                f"{BASE}/chats/{first.chat_id}/whisper",
                json={"client_message_id": "q", "text": "psst"},
            ).status_code
            == 403
        )
        finish(chat, first)
        finish(chat, second)


def test_bad_input_gets_a_clear_problem(chat: ChatCenter) -> None:
    url = f"{chat.center.url}{chat.public}/chats"
    unknown = httpx.post(url, json={"name": "A", "topic_id": "nope"})
    assert unknown.status_code == 422
    assert "unknown topic" in unknown.json()["detail"]
    language = httpx.post(url, json={"name": "A", "topic_id": "sales", "language": "de"})
    assert language.status_code == 422
    assert "not offered" in language.json()["detail"]
    extra = httpx.post(url, json={"name": "A", "topic_id": "sales", "queue_id": "x"})
    assert extra.status_code == 422
    assert extra.json()["errors"][0]["field"] == "queue_id"
    nowidget = httpx.get(f"{chat.center.url}/api/v1/chat/wk_missing")
    assert nowidget.status_code == 404
    assert "widget" in nowidget.json()["detail"]
    customer = start_chat(chat)
    empty = customer.say("   ")
    assert empty.status_code == 422
    assert "needs text" in empty.json()["detail"]
    ok(customer.post("/end"))
    assert customer.say("after the end").status_code == 409


def test_only_listed_sites_may_call_the_widget(chat: ChatCenter) -> None:
    url = f"{chat.center.url}{chat.public}/chats"
    preflight = httpx.options(
        url,
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    config = httpx.get(f"{chat.center.url}{chat.public}", headers={"Origin": ORIGIN})
    assert config.headers["access-control-allow-origin"] == ORIGIN
    foreign = httpx.get(
        f"{chat.center.url}{chat.public}", headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert "access-control-allow-origin" not in foreign.headers


def test_canned_responses_have_unique_shortcuts(chat: ChatCenter) -> None:
    manager = chat.center.as_user("alpha", "manager")
    url = f"{BASE}/canned-responses"
    body = {"shortcut": "thanks", "title": "Thanks", "body": "Thank you for waiting!"}
    made = ok(manager.post(url, json=body), 201)
    taken = manager.post(url, json={**body, "title": "Again"})
    assert taken.status_code == 409
    assert "taken" in taken.json()["detail"]
    assert chat.agent.post(url, json={**body, "shortcut": "x"}).status_code == 403
    found = ok(chat.agent.get(url, params={"prefix": "tha"}))
    assert [c["shortcut"] for c in found] == ["thanks"]
    changed = ok(manager.put(f"{url}/{made['canned_id']}", json={**body, "body": "Cheers!"}))
    assert changed["body"] == "Cheers!"
    bad = manager.post(url, json={**body, "shortcut": "Has Space"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "shortcut"
    assert manager.delete(f"{url}/{made['canned_id']}").status_code == 204
    assert manager.get(f"{url}/{made['canned_id']}").status_code == 404
    beta = chat.center.as_user("beta", "manager")
    assert beta.get(url).status_code == 404


def test_widget_settings_are_validated(chat: ChatCenter) -> None:
    manager = chat.center.as_user("alpha", "manager")
    topic = {"topic_id": "t", "label": "T", "queue_id": "alpha-sales"}
    good = {"display_name": "W", "topics": [topic], "allowed_origins": ["https://A.example/"]}
    made = ok(manager.put(f"{BASE}/widgets/w2", json=good))
    assert made["allowed_origins"] == ["https://a.example"]
    assert made["widget_key"].startswith("wk_")
    again = ok(manager.put(f"{BASE}/widgets/w2", json={**good, "greeting": "Hi"}))
    assert again["widget_key"] == made["widget_key"]
    path = manager.put(f"{BASE}/widgets/w2", json={**good, "allowed_origins": ["https://a/x"]})
    assert path.status_code == 422
    assert "origin" in path.text
    foreign = {**topic, "queue_id": "beta-sales"}
    other = manager.put(f"{BASE}/widgets/w2", json={**good, "topics": [foreign]})
    assert other.status_code == 404
    assert "not a queue of tenant" in other.json()["detail"]
    skills = {**topic, "skills": {"no-such-skill": 3}}
    unknown = manager.put(f"{BASE}/widgets/w2", json={**good, "topics": [skills]})
    assert unknown.status_code == 422
    assert "unknown skills" in unknown.json()["detail"]
    twice = manager.put(f"{BASE}/widgets/w2", json={**good, "topics": [topic, topic]})
    assert twice.status_code == 422
    assert chat.supervisor.put(f"{BASE}/widgets/w2", json=good).status_code == 403


def test_when_the_agent_ends_the_chat_the_customer_is_told_and_can_no_longer_write(
    chat: ChatCenter,
) -> None:
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        customer = connect_chat(chat, agent_ws)
        with customer_live(chat, customer) as ws:
            assert recv(ws)["type"] == "snapshot"
            ok(chat.agent.post(f"{BASE}/contacts/{customer.chat_id}/end"))
            assert recv_type(ws, "ended") == {"type": "ended"}
        late = customer.say("one more thing")
        assert late.status_code == 409
        assert "ended" in late.json()["detail"]
        ok(customer.post("/survey", json={"rating": 4}), 201)
        ok(chat.agent.post(f"{BASE}/contacts/{customer.chat_id}/wrap-up", json={}))
