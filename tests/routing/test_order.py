"""Order in line: higher priority first, then longest waiting; callbacks keep their place."""

from __future__ import annotations

from datetime import timedelta

from headset.routing.commands import QueueContact, RequestCallback, SetAgentState
from headset.routing.model import AgentState

from .conftest import START, Center


def _drain(center: Center, agents: int) -> list[str]:
    for n in range(agents):
        center.agent(f"agent{n}", available=False)
    served = []
    for n in range(agents):
        events = center.do(SetAgentState(f"agent{n}", AgentState.AVAILABLE)).events
        served += [c for c, _ in center.offers(events)]
    return served


def test_longest_waiting_is_offered_first(center: Center) -> None:
    center.queue()
    for n in range(3):
        center.contact(f"c{n}")
        center.tick(5)
    assert _drain(center, 3) == ["c0", "c1", "c2"]


def test_higher_priority_goes_first_then_longest_waiting(center: Center) -> None:
    center.queue()
    center.contact("low-old", priority=0)
    center.tick(5)
    center.contact("high-new", priority=5)
    center.tick(5)
    center.contact("high-newer", priority=5)
    assert _drain(center, 3) == ["high-new", "high-newer", "low-old"]


def test_queue_priority_orders_contacts_across_queues(center: Center) -> None:
    center.queue("normal", priority=0)
    center.queue("vip", priority=10)
    center.contact("n1", "normal")
    center.tick(5)
    center.contact("v1", "vip")
    center.agent("ann", ["normal", "vip"], available=False)
    events = center.do(SetAgentState("ann", AgentState.AVAILABLE)).events
    assert center.offers(events) == [("v1", "ann")]


def test_callback_keeps_the_customers_place_in_line(center: Center) -> None:
    center.queue()
    center.contact("c0")
    center.tick(5)
    center.contact("caller")
    center.tick(5)
    center.contact("c2")
    center.do(RequestCallback("caller"))
    center.tick(60)
    center.contact("c3")
    assert center.engine.state.contacts["caller"].is_callback
    assert _drain(center, 4) == ["c0", "caller", "c2", "c3"]


def test_callback_queued_later_with_its_original_time_neither_jumps_nor_falls_back(
    center: Center,
) -> None:
    center.queue()
    center.contact("early")
    center.tick(30)
    center.contact("late")
    # a callback scheduled from a call that had queued between "early" and "late"
    center.do(QueueContact("callback", "q", queued_at=START + timedelta(seconds=10)))
    assert _drain(center, 3) == ["early", "callback", "late"]
