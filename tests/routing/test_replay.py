"""Replaying the events of a run rebuilds the same state, and the engine continues alike."""

from __future__ import annotations

from headset.routing import Engine
from headset.routing.commands import AcceptOffer, EndContact, QueueContact, RejectOffer
from headset.routing.model import Channel, Strategy

from .conftest import Center


def test_replay_rebuilds_the_live_state_and_the_next_decisions(center: Center) -> None:
    center.queue(strategy=Strategy.ROUND_ROBIN)
    for name in ("ann", "bob", "cas"):
        center.agent(name)
    center.contact("c1")
    center.contact("c2", channel=Channel.CHAT)
    center.do(RejectOffer(center.offer_id("c1")))
    center.do(AcceptOffer(center.offer_id("c2")))
    center.do(EndContact("c2"))
    center.contact("c3")
    center.tick(25)

    copy = Engine.replay(center.log, center.clock)
    assert copy.snapshot() == center.engine.snapshot()
    assert copy.pending_timers() == center.engine.pending_timers()
    # the rebuilt indexes decide exactly as the live ones do
    command = QueueContact("c4", "q", channel=Channel.CHAT)
    assert copy.handle(command).events == center.engine.handle(command).events
