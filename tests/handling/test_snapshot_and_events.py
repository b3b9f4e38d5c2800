"""The live protocol's promise: a snapshot, with the events streamed after it applied by the
client's rule, equals a fresh snapshot (docs/live.md, "Applying events to the snapshot")."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from headset.handling.agent_state import set_agent_state
from headset.handling.contacts import abandon, end_contact, transfer, wrap_up
from headset.handling.offers import accept_offer, reject_offer
from headset.live.offers import OFFER_KEYS, OFFERED
from headset.live.subscription import Subscription
from headset.routing.model import AgentState
from headset.service.live_snapshot import audiences_of, snapshot
from tests.handling.conftest import AGENT, MANAGER, QUEUE, SUPERVISOR, TENANT, Desk

#: The events that end a pending offer, whoever it was made to.
OFFER_ENDED = frozenset(
    {
        "routing.offer_accepted",
        "routing.offer_rejected",
        "routing.offer_expired",
        "routing.offer_rescinded",
    }
)


def apply(agent: dict[str, Any], message: dict[str, Any]) -> None:
    """The agent desktop's rule (web/static/js/desktop/*.js) for the snapshot's `agent`."""
    if message["type"] != "event":
        return
    kind, data, me = message["event"], message["data"], agent["agent_id"]
    if kind == OFFERED and data["agent_id"] == me:
        agent["offers"].append({k: data[k] for k in OFFER_KEYS if k in data})
    elif kind in OFFER_ENDED:
        agent["offers"] = [o for o in agent["offers"] if o["offer_id"] != data["offer_id"]]
        if kind == "routing.offer_accepted" and data["agent_id"] == me:
            agent["contacts"] = sorted({*agent["contacts"], data["contact_id"]})
    elif kind == "routing.contact_ended" and data["agent_id"] == me:
        agent["contacts"] = [c for c in agent["contacts"] if c != data["contact_id"]]
        agent["wrapping"] = sorted({*agent["wrapping"], data["contact_id"]})
    elif kind == "routing.contact_completed" or (
        kind == "routing.contact_transferred" and data["from_agent_id"] == me
    ):
        agent["contacts"] = [c for c in agent["contacts"] if c != data["contact_id"]]
        agent["wrapping"] = [c for c in agent["wrapping"] if c != data["contact_id"]]
    elif kind == "routing.agent_state_changed" and data["agent_id"] == me:
        agent["state"], agent["reason"] = data["new"], data["reason"]


def _instants(agent: dict[str, Any]) -> dict[str, Any]:
    """The offers' expiry as instants: the event and the snapshot may spell them apart."""
    agent = copy.deepcopy(agent)
    for offer in agent["offers"]:
        offer["expires_at"] = datetime.fromisoformat(offer["expires_at"])
    return agent


def _agent_now(desk: Desk) -> dict[str, Any]:
    data = snapshot(desk.host, desk.services.reader, {}, None, AGENT)  # voice is off
    agent: dict[str, Any] = data["agent"]
    return agent


def _drain(subscription: Subscription) -> list[dict[str, Any]]:
    return [dict(m) for m in subscription.drain()]


async def _reject_own_offer(desk: Desk) -> None:
    [offer_id] = desk.offers_of("a1")
    await reject_offer(desk.host, AGENT, TENANT, offer_id)


async def _accept_own_offer(desk: Desk) -> None:
    [offer_id] = desk.offers_of("a1")
    await accept_offer(desk.host, AGENT, TENANT, offer_id)


async def _ring_out(desk: Desk) -> None:
    desk.clock.advance(timedelta(seconds=31))  # past the ring time-out and re-offer delay
    await desk.fire_due_timers()


async def _state(desk: Desk, state: AgentState, reason: str | None = None) -> None:
    await set_agent_state(desk.host, AGENT, TENANT, "a1", state, reason)


STEPS: list[tuple[str, Callable[[Desk], Awaitable[Any]]]] = [
    ("available", lambda d: _state(d, AgentState.AVAILABLE)),
    ("offered", lambda d: d.start("c1")),
    ("accepted", _accept_own_offer),
    ("offered again", lambda d: d.start("c2")),
    ("rejected", _reject_own_offer),
    ("rings out and is offered again", _ring_out),
    ("expired", _ring_out),
    ("ended", lambda d: end_contact(d.host, AGENT, TENANT, "c1")),
    ("away while wrapping", lambda d: _state(d, AgentState.AWAY, "lunch")),
    ("wrapped up", lambda d: wrap_up(d.host, AGENT, TENANT, "c1", "resolved", None)),
    ("back", lambda d: _state(d, AgentState.AVAILABLE)),
    ("a third", lambda d: d.start("c3")),
    ("accepted the next", _accept_own_offer),
    (
        "moved away by a supervisor",
        lambda d: transfer(d.host, SUPERVISOR, TENANT, "c3", QUEUE, None),
    ),
    ("one more", lambda d: d.start("c4")),
    ("its customer left while it rang", lambda d: abandon(d.host, MANAGER, TENANT, "c4")),
]


@pytest.mark.asyncio
async def test_a_snapshot_plus_its_events_is_a_fresh_snapshot_after_every_step(
    desk: Desk,
) -> None:
    subscription = desk.services.hub.subscribe(audiences_of(desk.host, AGENT), None)
    held = _agent_now(desk)
    kinds: set[str] = set()

    for step, act in STEPS:
        await act(desk)
        for message in _drain(subscription):
            kinds.add(message.get("event", ""))
            apply(held, message)
        assert _instants(held) == _instants(_agent_now(desk)), step

    # the walk met every kind of event the rule knows
    assert kinds >= OFFER_ENDED | {OFFERED, "routing.contact_ended", "routing.contact_completed"}
    assert {"routing.agent_state_changed", "routing.contact_transferred"} <= kinds
