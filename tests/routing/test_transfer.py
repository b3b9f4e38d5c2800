"""Transfers to a queue or an agent, reassigning waiting contacts, escalation to team leaders."""

from __future__ import annotations

import pytest

from headset.core.errors import Conflict, Invalid, NotFound
from headset.routing import Engine
from headset.routing import events as ev
from headset.routing.commands import (
    AcceptOffer,
    EndContact,
    EscalateContact,
    SetAgentState,
    TransferContact,
)
from headset.routing.model import AgentState

from .conftest import Center


def _connect(center: Center, contact_id: str) -> None:
    center.do(AcceptOffer(center.offer_id(contact_id)))


def test_transfer_to_a_queue_frees_the_agent_and_offers_the_contact_there(center: Center) -> None:
    center.queue("sales")
    center.queue("billing")
    center.agent("ann", ["sales"])
    center.agent("bob", ["billing"])
    center.contact("c1", "sales")
    _connect(center, "c1")
    events = center.do(TransferContact("c1", queue_id="billing")).events
    moved = [e for e in events if isinstance(e, ev.ContactTransferred)]
    assert len(moved) == 1
    assert (moved[0].from_agent_id, moved[0].queue_id) == ("ann", "billing")
    assert center.offers(events) == [("c1", "bob")]
    assert center.state_of("ann") is AgentState.AVAILABLE
    assert center.engine.state.contacts["c1"].queue_id == "billing"


def test_transferred_contact_waits_as_a_new_arrival_of_its_new_queue(center: Center) -> None:
    center.queue("sales")
    center.queue("billing")
    center.agent("ann", ["sales"])
    center.agent("bob", ["billing"], available=False)
    center.contact("c1", "sales")
    _connect(center, "c1")
    center.contact("c2", "billing")
    center.tick(5)
    center.do(TransferContact("c1", queue_id="billing"))
    events = center.do(SetAgentState("bob", AgentState.AVAILABLE)).events
    assert center.offers(events) == [("c2", "bob")]  # c2 was in billing's line first


def test_transfer_to_an_agent_offers_only_that_agent(center: Center) -> None:
    center.queue()
    center.agent("ann")
    center.agent("bob")
    center.agent("cid", [])  # in no queue, but may be sent a contact by name
    center.contact("c1")
    _connect(center, "c1")
    events = center.do(TransferContact("c1", agent_id="cid")).events
    assert center.offers(events) == [("c1", "cid")]


def test_transfer_to_a_busy_agent_waits_for_that_agent(center: Center) -> None:
    center.queue()
    center.agent("ann")
    center.agent("bob")
    center.contact("c1")
    center.contact("c2")
    _connect(center, "c1")
    _connect(center, "c2")
    events = center.do(TransferContact("c1", agent_id="bob")).events
    assert center.offers(events) == []  # bob is on a call; ann is free but was not chosen
    events = center.do(EndContact("c2")).events + center.tick(60)
    assert ("c1", "bob") in center.offers(events)


def test_reassigning_a_ringing_contact_withdraws_its_offer(center: Center) -> None:
    center.queue("sales")
    center.queue("billing")
    center.agent("ann", ["sales"])
    center.agent("bob", ["billing"])
    center.contact("c1", "sales")
    events = center.do(TransferContact("c1", queue_id="billing")).events
    assert [e.reason for e in events if isinstance(e, ev.OfferRescinded)] == ["moved"]
    assert center.offers(events) == [("c1", "bob")]
    assert center.state_of("ann") is AgentState.AVAILABLE


def test_escalation_goes_to_the_team_leader_of_the_agents_team(center: Center) -> None:
    center.queue()
    center.agent("ann", team_id="blue")
    center.agent("lea", [], team_id="blue", is_team_leader=True)
    center.agent("leo", [], team_id="red", is_team_leader=True)
    center.contact("c1")
    _connect(center, "c1")
    events = center.do(EscalateContact("c1")).events
    assert center.offers(events) == [("c1", "lea")]
    moved = next(e for e in events if isinstance(e, ev.ContactTransferred))
    assert (moved.target_kind, moved.target_id, moved.queue_id) == ("leaders", "blue", "q")


def test_transfer_needs_exactly_one_known_target(center: Center) -> None:
    center.queue()
    center.agent("ann")
    center.contact("c1")
    _connect(center, "c1")
    with pytest.raises(Invalid):
        center.do(TransferContact("c1"))
    with pytest.raises(Invalid):
        center.do(TransferContact("c1", queue_id="q", agent_id="ann"))
    with pytest.raises(NotFound):
        center.do(TransferContact("c1", queue_id="nowhere"))
    with pytest.raises(NotFound):
        center.do(TransferContact("c1", agent_id="nobody"))
    with pytest.raises(Conflict):
        center.do(TransferContact("c1", agent_id="ann"))


def test_a_contact_in_wrap_up_cannot_be_transferred(center: Center) -> None:
    center.queue()
    center.agent("ann")
    center.contact("c1")
    _connect(center, "c1")
    center.do(EndContact("c1"))
    with pytest.raises(Conflict):
        center.do(TransferContact("c1", queue_id="q"))


def test_replay_after_transfers_rebuilds_the_same_state(center: Center) -> None:
    center.queue("sales")
    center.queue("billing", tier_delays=())
    center.agent("ann", ["sales"], team_id="blue")
    center.agent("bob", ["billing"])
    center.agent("lea", [], team_id="blue", is_team_leader=True)
    center.contact("c1", "sales")
    _connect(center, "c1")
    center.do(TransferContact("c1", queue_id="billing"))
    center.contact("c2", "sales")
    _connect(center, "c2")
    center.do(EscalateContact("c2"))
    center.tick(3)
    replayed = Engine.replay(center.log, center.clock)
    assert replayed.snapshot() == center.engine.snapshot()
    assert replayed.pending_timers() == center.engine.pending_timers()
