"""Place in line and expected wait: one query for chats and calls alike (the estimate's
arithmetic is tested in tests/chat/test_domain.py)."""

from __future__ import annotations

from datetime import timedelta

from headset.routing.commands import SetAgentState
from headset.routing.model import AgentState, Channel
from headset.routing.waiting import expected_wait_of, place_in_line
from tests.routing.conftest import Center


def test_the_place_counts_the_contacts_of_the_same_channel_ahead_in_the_queue(
    center: Center,
) -> None:
    center.queue("q")
    center.queue("other")
    center.agent("a1", available=False)
    center.do(SetAgentState("a1", AgentState.AWAY, "lunch"))  # signed in, takes nothing now
    for contact_id, channel, queue_id in (
        ("v1", Channel.VOICE, "q"),
        ("c1", Channel.CHAT, "q"),
        ("v2", Channel.VOICE, "other"),
        ("v3", Channel.VOICE, "q"),
    ):
        center.contact(contact_id, queue_id, channel=channel)
    state = center.engine.state

    assert place_in_line(state, state.contacts["v1"]) == (1, 1)  # a1's one voice slot
    assert place_in_line(state, state.contacts["v3"]) == (2, 1)
    assert place_in_line(state, state.contacts["c1"]) == (1, 3)  # a1's three chat slots
    assert expected_wait_of(state, state.contacts["v3"]) == (2, timedelta(minutes=6))


def test_nobody_signed_in_gives_a_place_but_no_wait(center: Center) -> None:
    center.queue("q")
    center.agent("a1", available=False)  # offline
    center.contact("c1", "q", channel=Channel.CHAT)
    state = center.engine.state

    assert expected_wait_of(state, state.contacts["c1"]) == (1, None)
