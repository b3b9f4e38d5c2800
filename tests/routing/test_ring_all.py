"""Ring-all: every free agent rings at once; the first to accept wins."""

from __future__ import annotations

import pytest

from headset.core.errors import Conflict
from headset.routing import events as ev
from headset.routing.commands import AcceptOffer, RejectOffer
from headset.routing.model import AgentState, Channel, Strategy

from .conftest import Center


def _ring(center: Center) -> dict[str, str]:
    center.queue(strategy=Strategy.RING_ALL)
    for name in ("ann", "bob", "cas"):
        center.agent(name)
    center.contact("c1")
    return {o.agent_id: o.offer_id for o in center.engine.state.offers.values()}


def test_ring_all_offers_a_call_to_every_free_agent(center: Center) -> None:
    assert set(_ring(center)) == {"ann", "bob", "cas"}


def test_first_accept_wins_and_the_other_offers_are_rescinded(center: Center) -> None:
    offers = _ring(center)
    events = center.do(AcceptOffer(offers["bob"])).events
    rescinded = {e.agent_id for e in events if isinstance(e, ev.OfferRescinded)}
    assert rescinded == {"ann", "cas"}
    assert center.state_of("bob") is AgentState.BUSY
    assert center.state_of("ann") is AgentState.AVAILABLE
    with pytest.raises(Conflict):
        center.do(AcceptOffer(offers["ann"]))


def test_a_contact_keeps_ringing_while_one_offer_is_left(center: Center) -> None:
    offers = _ring(center)
    center.do(RejectOffer(offers["ann"]))
    center.do(RejectOffer(offers["bob"]))
    assert not center.engine.state.contacts["c1"].is_waiting
    center.do(RejectOffer(offers["cas"]))
    assert center.engine.state.contacts["c1"].is_waiting


def test_ring_all_is_for_calls_only(center: Center) -> None:
    center.queue(strategy=Strategy.RING_ALL)
    center.agent("ann")
    center.agent("bob")
    assert len(center.offers(center.contact("chat", channel=Channel.CHAT))) == 1
