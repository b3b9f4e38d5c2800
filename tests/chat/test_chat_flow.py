"""A customer chats with an agent through the served service: real HTTP, real WebSockets."""

from __future__ import annotations

import time
from typing import Any

from websockets.sync.client import ClientConnection

from tests.chat.conftest import (
    ChatCenter,
    connect_chat,
    customer_live,
    finish,
    offer_for,
    recv,
    recv_type,
    start_chat,
)
from tests.service.conftest import live, next_event, ok, recv_json

BASE = "/api/v1/tenants/alpha"


def _signal(ws: ClientConnection, event: str, timeout: float = 5) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        message = recv_json(ws, max(0.05, deadline - time.monotonic()))
        if message["type"] == "signal" and message["event"] == event:
            return message


def test_a_customer_and_an_agent_chat_both_ways_with_typing(chat: ChatCenter) -> None:
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        customer = start_chat(chat, message="Do you ship to Riga?")
        offer_id = offer_for(agent_ws, customer.chat_id)
        with customer_live(chat, customer) as ws:
            snapshot = recv(ws)
            assert snapshot["type"] == "snapshot"
            assert [m["text"] for m in snapshot["data"]["messages"]] == ["Do you ship to Riga?"]
            assert snapshot["data"]["status"] == "waiting"
            assert snapshot["data"]["position"] == 1

            ok(chat.agent.post(f"{BASE}/offers/{offer_id}/accept"))
            joined = recv_type(ws, "joined")
            assert joined["role"] == "agent"
            assert joined["display_name"] == "alpha-agent"

            # customer -> agent, on the agent's live stream
            ok(customer.say("Hello?"), 201)
            event = next_event(agent_ws, "chat.message_sent")
            assert event["data"]["message"]["text"] == "Hello?"
            assert event["data"]["message"]["author_kind"] == "customer"

            # agent -> customer, on the customer's stream
            reply = {"client_message_id": "a1", "text": "Yes, we do!"}
            url = f"{BASE}/chats/{customer.chat_id}/messages"
            sent = ok(chat.agent.post(url, json=reply), 201)
            # the customer's own message comes back first (other tabs of theirs show it too)
            assert recv_type(ws, "message")["message"]["text"] == "Hello?"
            message = recv_type(ws, "message")["message"]
            assert message["text"] == "Yes, we do!"
            assert message["seq"] == sent["seq"] == 3
            assert message["author_kind"] == "agent"
            assert "visibility" not in message

            # typing reaches the other side, and is not stored
            ok(customer.post("/typing", json={"is_typing": True}))
            assert _signal(agent_ws, "chat.typing")["data"] == {
                "contact_id": customer.chat_id,
                "who": "customer",
                "display_name": "Carla Customer",
                "is_typing": True,
            }
            typing = {"is_typing": True}
            ok(chat.agent.post(f"{BASE}/chats/{customer.chat_id}/typing", json=typing))
            assert recv_type(ws, "typing") == {
                "type": "typing",
                "display_name": "alpha-agent",
                "is_typing": True,
            }
            transcript = ok(chat.agent.get(f"{BASE}/chats/{customer.chat_id}"))
            assert [m["seq"] for m in transcript["messages"]] == [1, 2, 3]
            assert transcript["answering"]["agent_id"] == "alpha-agent"

            finish(chat, customer)
            assert recv_type(ws, "ended") == {"type": "ended"}


def test_a_whisper_reaches_the_agent_but_never_the_customer(chat: ChatCenter) -> None:
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        customer = connect_chat(chat, agent_ws)
        url = f"{BASE}/chats/{customer.chat_id}"
        with customer_live(chat, customer) as ws:
            assert recv(ws)["type"] == "snapshot"
            whisper = {"client_message_id": "w1", "text": "Offer the 10% voucher"}
            ok(chat.supervisor.post(f"{url}/whisper", json=whisper), 201)
            event = next_event(agent_ws, "chat.message_sent")
            assert event["data"]["message"]["text"] == "Offer the 10% voucher"
            assert event["data"]["visibility"] == "staff"

            reply = {"client_message_id": "a2", "text": "Here is a voucher"}
            ok(chat.agent.post(f"{url}/messages", json=reply), 201)
            # the next message the customer gets is the agent's, not the whisper before it
            assert recv_type(ws, "message")["message"]["text"] == "Here is a voucher"
        read = ok(customer.client.get(f"chats/{customer.chat_id}"))
        assert [m["text"] for m in read["messages"]] == ["Here is a voucher"]
        with customer_live(chat, customer) as again:
            snapshot = recv(again)["data"]
            assert [m["text"] for m in snapshot["messages"]] == ["Here is a voucher"]
        with customer_live(chat, customer, after=0) as resumed:
            snapshot = recv(resumed)["data"]
            assert [m["text"] for m in snapshot["messages"]] == ["Here is a voucher"]
            assert "10%" not in str(snapshot)
        staff = ok(chat.supervisor.get(url))
        assert [m["visibility"] for m in staff["messages"]] == ["staff", "everyone"]
        finish(chat, customer)


def test_only_the_answering_agent_writes_until_a_supervisor_barges_in(chat: ChatCenter) -> None:
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        customer = connect_chat(chat, agent_ws)
        url = f"{BASE}/chats/{customer.chat_id}"
        with customer_live(chat, customer) as ws:
            assert recv(ws)["type"] == "snapshot"
            say = {"client_message_id": "s1", "text": "Let me help"}
            refused = chat.supervisor.post(f"{url}/messages", json=say)
            assert refused.status_code == 409
            assert "alpha-agent is answering" in refused.json()["detail"]

            ok(chat.supervisor.post(f"{url}/barge"))
            assert recv_type(ws, "joined") == {
                "type": "joined",
                "role": "supervisor",
                "display_name": "alpha-supervisor",
            }
            assert next_event(agent_ws, "chat.barged")["data"]["display_name"] == "alpha-supervisor"
            ok(chat.supervisor.post(f"{url}/messages", json=say), 201)
            message = recv_type(ws, "message")["message"]
            assert message["author_kind"] == "supervisor"
            assert message["text"] == "Let me help"
            finish(chat, customer)


def test_monitoring_is_silent_for_the_customer_and_recorded(chat: ChatCenter) -> None:
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        customer = connect_chat(chat, agent_ws)
        with customer_live(chat, customer) as ws:
            assert recv(ws)["type"] == "snapshot"
            url = f"{BASE}/chats/{customer.chat_id}/monitor"
            assert ok(chat.supervisor.post(url))["is_monitoring"] is True
            timeline = ok(chat.supervisor.get(f"{BASE}/contacts/{customer.chat_id}"))["timeline"]
            monitored = [e for e in timeline if e["type"] == "chat.monitor_started"]
            assert len(monitored) == 1
            assert monitored[0]["actor"].startswith("user:")
            finish(chat, customer)
            # what the customer hears next is the end, not a trace of the monitor
            assert recv_type(ws, "ended") == {"type": "ended"}


def test_a_team_leader_takes_over_and_the_agent_is_released(chat: ChatCenter) -> None:
    leader = chat.center.as_user("alpha", "team_leader")
    leader_agent = chat.center.tenants["alpha"].agents["team_leader"]
    with live(chat.center.ws_url, chat.agent) as agent_ws:
        customer = connect_chat(chat, agent_ws)
        url = f"{BASE}/chats/{customer.chat_id}"
        with customer_live(chat, customer) as ws:
            assert recv(ws)["type"] == "snapshot"
            busy = leader.post(f"{url}/take-over")
            assert busy.status_code == 409
            assert "available" in busy.json()["detail"]

            state = {"state": "available"}
            ok(leader.post(f"{BASE}/agents/{leader_agent}/state", json=state))
            assert ok(leader.post(f"{url}/take-over")) == {
                "chat_id": customer.chat_id,
                "agent_id": leader_agent,
                "released_agent_id": "alpha-agent",
            }
            told = next_event(agent_ws, "chat.taken_over")
            assert told["data"]["from_agent_id"] == "alpha-agent"
            engine = chat.center.app.state.runtime.host.engine.state
            assert customer.chat_id not in engine.agents["alpha-agent"].connected
            assert customer.chat_id in engine.agents[leader_agent].connected
            assert recv_type(ws, "transferred") == {"type": "transferred"}
            assert recv_type(ws, "joined")["display_name"] == leader_agent

            late = {"client_message_id": "late", "text": "me again"}
            refused = chat.agent.post(f"{url}/messages", json=late)
            assert refused.status_code == 409
            assert leader_agent in refused.json()["detail"]
            ok(leader.post(f"{url}/messages", json=late), 201)
            assert recv_type(ws, "message")["message"]["author_name"] == leader_agent

            ok(customer.post("/end"))
            ok(leader.post(f"{BASE}/contacts/{customer.chat_id}/wrap-up", json={}))
            ok(leader.post(f"{BASE}/agents/{leader_agent}/state", json={"state": "offline"}))
