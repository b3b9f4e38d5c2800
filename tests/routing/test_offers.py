"""Offers: one agent at a time, reject and timeout, no-answer limit, capacity, wrap-up."""

from __future__ import annotations

import pytest

from headset.core.errors import Conflict, Invalid, NotFound
from headset.routing import events as ev
from headset.routing.commands import (
    AcceptOffer,
    EndContact,
    FinishWrapUp,
    QueueContact,
    RejectOffer,
    SetAgentState,
)
from headset.routing.model import NO_ANSWER_REASON, AgentState, Channel

from .conftest import Center


def test_contact_is_offered_to_one_available_agent(center: Center) -> None:
    center.queue()
    center.agent("ann")
    center.agent("bob")
    events = center.contact("c1")
    assert center.offers(events) == [("c1", "ann")]
    assert center.state_of("ann") is AgentState.RESERVED
    assert center.state_of("bob") is AgentState.AVAILABLE


def test_contact_waits_until_an_agent_becomes_available(center: Center) -> None:
    center.queue()
    center.agent("ann", available=False)
    assert center.offers(center.contact("c1")) == []
    events = center.do(SetAgentState("ann", AgentState.AVAILABLE)).events
    assert center.offers(events) == [("c1", "ann")]


def test_rejected_contact_goes_to_the_next_agent_and_keeps_its_place(center: Center) -> None:
    center.queue()
    center.agent("ann")
    center.contact("c1")
    center.agent("bob", available=False)
    center.contact("c2")  # waits behind c1: nobody else is free
    events = center.do(RejectOffer(center.offer_id("c1"))).events
    # ann rejected c1; c1 is still first in line, so bob gets it as soon as he is free
    assert [e.name for e in events][:1] == ["routing.offer_rejected"]
    assert center.offers(events) == [("c2", "ann")]
    events = center.do(SetAgentState("bob", AgentState.AVAILABLE)).events
    assert center.offers(events) == [("c1", "bob")]


def test_offer_expires_after_ring_timeout(center: Center) -> None:
    center.queue(ring_timeout=__import__("datetime").timedelta(seconds=15))
    center.agent("ann")
    center.agent("bob")
    center.contact("c1")
    assert center.tick(14) == []
    fired = center.tick(1)
    assert isinstance(fired[0], ev.OfferExpired)
    assert center.offers(fired) == [("c1", "bob")]


def test_agent_goes_away_after_max_consecutive_no_answers(center: Center) -> None:
    center.queue(max_no_answers=2)
    center.agent("ann")
    for n in range(2):
        center.contact(f"c{n}")
        center.tick(20)
    agent = center.engine.state.agents["ann"]
    assert agent.state is AgentState.AWAY
    assert agent.reason == NO_ANSWER_REASON
    assert set(center.engine.state.contacts) == {"c0", "c1"}  # both back in line, none lost


def test_accepting_resets_the_no_answer_count(center: Center) -> None:
    center.queue(max_no_answers=2)
    center.agent("ann")
    center.contact("c0")
    center.tick(20)  # one no-answer
    assert center.engine.state.agents["ann"].no_answers == 1
    center.tick(30)  # after the re-offer delay, c0 comes back to ann
    center.do(AcceptOffer(center.offer_id("c0")))
    assert center.engine.state.agents["ann"].no_answers == 0


def test_accepting_an_expired_offer_is_refused(center: Center) -> None:
    center.queue()
    center.agent("ann")
    center.contact("c1")
    offer_id = center.offer_id("c1")
    center.tick(20)
    with pytest.raises(Conflict, match="no longer pending"):
        center.do(AcceptOffer(offer_id))


def test_wrap_up_ends_after_the_queue_duration(center: Center) -> None:
    center.queue(wrap_up_duration=__import__("datetime").timedelta(seconds=30))
    center.agent("ann")
    center.contact("c1")
    center.do(AcceptOffer(center.offer_id("c1")))
    assert center.state_of("ann") is AgentState.BUSY
    center.tick(60)
    center.do(EndContact("c1"))
    assert center.state_of("ann") is AgentState.WRAP_UP
    center.contact("c2")
    assert center.offers()[-1] == ("c1", "ann")  # c2 waits during ann's wrap-up
    fired = center.tick(30)
    assert any(isinstance(e, ev.ContactCompleted) for e in fired)
    assert center.offers(fired) == [("c2", "ann")]


def test_wrap_up_ends_early_when_the_agent_finishes(center: Center) -> None:
    center.queue()
    center.agent("ann")
    center.contact("c1")
    center.do(AcceptOffer(center.offer_id("c1")))
    center.do(EndContact("c1"))
    events = center.do(FinishWrapUp("c1", disposition="resolved")).events
    completed = [e for e in events if isinstance(e, ev.ContactCompleted)]
    assert completed[0].disposition == "resolved"
    assert center.state_of("ann") is AgentState.AVAILABLE
    assert center.tick(60) == []  # the wrap-up timer no longer does anything


def test_chat_agent_takes_up_to_its_capacity(center: Center) -> None:
    center.queue()
    center.agent("ann")
    for n in range(4):
        center.contact(f"c{n}", channel=Channel.CHAT)
    assert center.offers() == [("c0", "ann"), ("c1", "ann"), ("c2", "ann")]
    center.do(AcceptOffer(center.offer_id("c0")))
    center.do(EndContact("c0"))
    events = center.do(FinishWrapUp("c0")).events
    assert center.offers(events) == [("c3", "ann")]


def test_a_call_blocks_the_other_channels(center: Center) -> None:
    center.queue()
    center.agent("ann")
    center.contact("call", channel=Channel.VOICE)
    assert center.offers(center.contact("chat", channel=Channel.CHAT)) == []
    center.do(RejectOffer(center.offer_id("call")))
    assert center.offers()[-1] == ("chat", "ann")
    # and while chatting, no call is offered
    assert center.engine.state.agents["ann"].can_take(Channel.VOICE) is False


def test_going_away_withdraws_pending_offers(center: Center) -> None:
    center.queue()
    center.agent("ann")
    center.contact("c1")
    events = center.do(SetAgentState("ann", AgentState.AWAY, reason="break")).events
    assert isinstance(events[0], ev.OfferRescinded)
    assert center.state_of("ann") is AgentState.AWAY
    assert center.engine.state.contacts["c1"].is_waiting


def test_logging_off_while_busy_waits_for_the_contact_to_finish(center: Center) -> None:
    center.queue(wrap_up_duration=__import__("datetime").timedelta(0))
    center.agent("ann")
    center.contact("c1")
    center.do(AcceptOffer(center.offer_id("c1")))
    center.do(SetAgentState("ann", AgentState.OFFLINE))
    assert center.state_of("ann") is AgentState.BUSY
    center.contact("c2")
    assert center.offers()[-1] == ("c1", "ann")
    center.do(EndContact("c1"))
    assert center.state_of("ann") is AgentState.OFFLINE


def test_unknown_queue_agent_and_contact_are_clear_errors(center: Center) -> None:
    center.queue()
    with pytest.raises(NotFound, match="configure the queue first"):
        center.do(QueueContact("c1", "nope"))
    with pytest.raises(NotFound, match="register the agent first"):
        center.do(SetAgentState("ghost", AgentState.AVAILABLE))
    with pytest.raises(NotFound, match="no live contact"):
        center.do(EndContact("ghost"))
    center.agent("ann", available=False)
    with pytest.raises(Invalid, match="follow from the agent's work"):
        center.do(SetAgentState("ann", AgentState.BUSY))


def test_a_contact_id_cannot_be_queued_twice(center: Center) -> None:
    center.queue()
    center.contact("c1")
    with pytest.raises(Conflict, match="already in a queue"):
        center.contact("c1")
    assert len(center.engine.state.contacts) == 1


def test_auto_answer_connects_an_offer_at_once(center: Center) -> None:
    center.queue()
    center.agent("ann", auto_answer=True)
    events = center.contact("c1")
    assert [e.name for e in events] == [
        "routing.contact_queued",
        "routing.contact_offered",
        "routing.offer_accepted",
        "routing.agent_state_changed",
    ]
    assert center.state_of("ann") is AgentState.BUSY
    assert center.timers == {}  # no ring timeout to wait for
