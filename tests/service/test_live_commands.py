"""Commands on the live stream answer like the HTTP routes: the same actions, the same data,
the same refusals (docs/live.md, "Commands on the stream")."""

from __future__ import annotations

import json
import time
from typing import Any

from websockets.sync.client import ClientConnection

from tests.service.conftest import Center, live, next_event, ok, recv_json


def _command(ws: ClientConnection, number: int, command: str, **fields: Any) -> dict[str, Any]:
    """Sends one command and returns its reply (events meanwhile are skipped)."""
    ws.send(json.dumps({"type": "command", "id": str(number), "command": command, **fields}))
    deadline = time.monotonic() + 10
    while True:
        message = recv_json(ws, max(0.05, deadline - time.monotonic()))
        if message["type"] == "reply":
            assert message["id"] == str(number)
            return message


def test_an_agent_works_a_contact_through_the_stream(center: Center) -> None:
    tenant = center.tenants["alpha"]
    agent = center.as_user("alpha", "agent")
    agent_id = tenant.agents["agent"]
    with live(center.ws_url, agent) as ws:
        assert recv_json(ws)["type"] == "snapshot"
        state = _command(ws, 1, "set_state", state="available")
        assert state["ok"]
        assert state["data"] == {
            "agent_id": agent_id,
            "state": "available",
            "reason": None,
        }
        crm = center.as_token("alpha")
        body = {"queue_id": tenant.queue_id, "channel": "chat"}
        contact_id = ok(crm.post("/api/v1/tenants/alpha/contacts", json=body), 201)["contact_id"]
        offer = next_event(ws, "routing.contact_offered")["data"]
        assert (offer["contact_id"], offer["channel"]) == (contact_id, "chat")

        accepted = _command(ws, 2, "accept", offer_id=offer["offer_id"])
        again = _command(ws, 3, "accept", offer_id=offer["offer_id"])
        ended = _command(ws, 4, "end", contact_id=contact_id)
        refused = _command(ws, 5, "wrap_up", contact_id=contact_id, disposition="made-up")
        wrapped = _command(ws, 6, "wrap_up", contact_id=contact_id, notes="all good")

    assert accepted["data"] == {
        "offer_id": offer["offer_id"],
        "contact_id": contact_id,
        "status": "connected",
    }
    assert (again["ok"], again["status"]) == (False, 409)
    assert ended["data"] == {"contact_id": contact_id, "status": "wrap_up"}
    assert (refused["ok"], refused["status"]) == (False, 422)
    assert "unknown disposition" in refused["detail"]
    assert wrapped["data"] == {
        "contact_id": contact_id,
        "status": "completed",
        "disposition": None,
    }


def test_bad_commands_are_refused_as_the_api_would(center: Center) -> None:
    manager = center.as_user("alpha", "manager")  # no agent: no state of their own
    with live(center.ws_url, manager) as ws:
        assert recv_json(ws)["type"] == "snapshot"
        unknown = _command(ws, 1, "dance")
        no_agent = _command(ws, 2, "set_state", state="available")
        no_offer = _command(ws, 3, "accept")
        gone = _command(ws, 4, "end", contact_id="c_none")

    assert (unknown["status"], no_agent["status"]) == (422, 409)
    assert "use one of accept, reject, end, wrap_up, set_state" in unknown["detail"]
    assert no_agent["detail"] == "only an agent has a state; this user is no agent"
    assert (no_offer["status"], no_offer["detail"]) == (422, "the command needs 'offer_id'")
    assert gone["status"] == 404
