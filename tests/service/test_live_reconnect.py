"""A live client that reconnects with `?after=` gets exactly what it missed, or a resync."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from websockets.sync.client import ClientConnection

from tests.service.conftest import Center, live, ok, recv_json

Event = dict[str, Any]


def _read_until(
    ws: ClientConnection, done: Callable[[Event], bool], timeout: float = 10
) -> list[Event]:
    """The events (not stats or heartbeats) up to and including the first one `done` accepts."""
    events: list[Event] = []
    deadline = time.monotonic() + timeout
    while True:
        message = recv_json(ws, max(0.05, deadline - time.monotonic()))
        assert message["type"] in {"event", "stats", "heartbeat"}, message
        if message["type"] != "event":
            continue
        events.append(message)
        if done(message):
            return events


def _state_became(agent_id: str, state: str) -> Callable[[Event], bool]:
    def done(event: Event) -> bool:
        data = event["data"]
        return bool(
            event["event"] == "routing.agent_state_changed"
            and data.get("agent_id") == agent_id
            and data.get("new") == state
        )

    return done


def _handle_everything(center: Center, agent: httpx.Client, agent_id: str) -> int:
    """Accepts, ends and wraps up every offer the agent holds; returns how many."""
    base = "/api/v1/tenants/beta"
    engine = center.app.state.runtime.host.engine
    handled = 0
    deadline = time.monotonic() + 10
    while handled < 2:
        assert time.monotonic() < deadline, "the offers did not arrive"
        offers = [o for o in list(engine.state.offers.values()) if o.agent_id == agent_id]
        if not offers:
            time.sleep(0.02)
            continue
        offer = offers[0]
        ok(agent.post(f"{base}/offers/{offer.offer_id}/accept"))
        ok(agent.post(f"{base}/contacts/{offer.contact_id}/end"))
        ok(agent.post(f"{base}/contacts/{offer.contact_id}/wrap-up", json={"notes": "done"}))
        handled += 1
    return handled


def _alpha_contact(api: httpx.Client) -> str:
    body = {"queue_id": "alpha-sales"}
    return str(ok(api.post("/api/v1/tenants/alpha/contacts", json=body), 201)["contact_id"])


@pytest.mark.parametrize("role", ["supervisor", "agent"])
def test_a_reconnecting_client_receives_exactly_the_events_it_missed(
    center: Center, role: str
) -> None:
    t = center.tenants["beta"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    agent_id = t.agents["agent"]
    agent = center.as_user("beta", "agent")
    watcher = center.as_user("beta", role)
    other_session = center.as_user("beta", role)
    api_beta, api_alpha = center.as_token("beta"), center.as_token("alpha")

    with live(center.ws_url, watcher) as steady:
        first = recv_json(steady)
        assert first["type"] == "snapshot"
        with live(center.ws_url, other_session) as roaming:
            assert recv_json(roaming)["type"] == "snapshot"
            ok(api_beta.post(f"{base}/contacts", json={"queue_id": t.queue_id}), 201)
            ok(
                agent.post(
                    f"{base}/agents/{agent_id}/state", json={"state": "away", "reason": "break"}
                )
            )
            seen_before = _read_until(roaming, _state_became(agent_id, "away"))
        last_seen = seen_before[-1]["seq"]

        # while it is away: work in both tenants, some of it invisible to this client
        alpha = [_alpha_contact(api_alpha)]
        ok(agent.post(f"{base}/agents/{agent_id}/state", json={"state": "available"}))
        ok(api_beta.post(f"{base}/contacts", json={"queue_id": t.queue_id}), 201)
        assert _handle_everything(center, agent, agent_id) == 2
        alpha.append(_alpha_contact(api_alpha))
        ok(agent.post(f"{base}/agents/{agent_id}/state", json={"state": "offline"}))

        everything = _read_until(steady, _state_became(agent_id, "away"))
        everything += _read_until(steady, _state_became(agent_id, "offline"))

    with live(center.ws_url, other_session, after=last_seen) as roaming:
        resumed = _read_until(roaming, _state_became(agent_id, "offline"))

    seqs = [e["seq"] for e in everything]
    assert seqs == sorted(set(seqs)), "the steady client saw events out of order or twice"
    assert [e["seq"] for e in seen_before] == [s for s in seqs if s <= last_seen][
        -len(seen_before) :
    ]
    missed = [e for e in everything if e["seq"] > last_seen]
    assert missed, "nothing happened while the client was away"
    assert [e["seq"] for e in resumed] == [e["seq"] for e in missed]
    assert resumed == missed
    assert not {e["data"].get("contact_id") for e in missed} & set(alpha), "alpha leaked"
    if role == "agent":
        assert all(e["data"].get("agent_id") in (None, agent_id) for e in missed)
        offered = [e for e in missed if e["event"] == "routing.contact_offered"]
        assert len(offered) == 2


def test_a_client_resuming_from_a_seq_this_server_never_had_is_told_to_resync(
    center: Center,
) -> None:
    supervisor = center.as_user("beta", "supervisor")
    last_seq = ok(supervisor.get("/health"))["last_seq"]
    with live(center.ws_url, supervisor, after=last_seq + 1000) as ws:
        message = recv_json(ws)
    assert message["type"] == "resync"
