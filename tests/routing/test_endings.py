"""How a contact ends when its customer leaves: the same for a chat and a call."""

from __future__ import annotations

from headset.routing.commands import AbandonContact, AcceptOffer, EndContact
from headset.routing.endings import Ending, customer_left, ending_of
from headset.routing.model import Channel
from tests.routing.conftest import Center


def test_a_contact_in_line_is_abandoned_whether_waiting_or_ringing(center: Center) -> None:
    center.queue("q")
    center.contact("rings", "q", channel=Channel.CHAT)
    center.agent("a1", capacity={Channel.CHAT: 1})  # offered "rings", so full
    center.contact("waits", "q", channel=Channel.CHAT)
    state = center.engine.state

    assert state.contacts["rings"].offers
    assert not state.contacts["waits"].offers
    for contact_id in ("waits", "rings"):
        assert ending_of(state.contacts[contact_id]) is Ending.ABANDONED
        assert customer_left(state.contacts[contact_id]) == [AbandonContact(contact_id)]


def test_an_answered_contact_ends_and_one_in_wrap_up_or_over_needs_nothing(
    center: Center,
) -> None:
    center.queue("q")
    center.agent("a1")
    center.contact("c1", "q", channel=Channel.CHAT)
    center.do(AcceptOffer(center.offer_id("c1")))
    state = center.engine.state

    assert customer_left(state.contacts["c1"]) == [EndContact("c1")]
    center.do(EndContact("c1"))
    assert ending_of(state.contacts["c1"]) is Ending.NOTHING
    assert customer_left(state.contacts["c1"]) == []
    assert customer_left(None) == []  # the engine let it go
