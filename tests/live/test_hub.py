"""LiveHub: fan-out by audience, resume from a seq, resync when resuming is impossible."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headset.live import (
    RESYNC_EXPIRED,
    RESYNC_SLOW_CONSUMER,
    RESYNC_UNKNOWN_SEQ,
    LiveEvent,
    LiveHub,
    Message,
    Subscription,
    SubscriptionClosed,
)


def event(seq: int, *audiences: str, type: str = "routing.contact_queued") -> LiveEvent:
    return LiveEvent(seq=seq, type=type, payload={"n": seq}, audiences=frozenset(audiences))


def drain(subscription: Subscription) -> list[Message]:
    """Everything queued, including a final resync; stops at the end of the stream."""
    messages = []
    try:
        while (message := subscription.get_nowait()) is not None:
            messages.append(message)
    except SubscriptionClosed:
        pass
    return messages


def seqs(messages: list[Message]) -> list[int]:
    return [m["seq"] for m in messages if m["type"] == "event"]


def test_a_subscriber_receives_the_events_of_its_audiences_as_wire_messages() -> None:
    hub = LiveHub()
    subscription = hub.subscribe(frozenset({"agent:a1"}), after=None)
    hub.publish([event(1, "agent:a1", type="routing.offer_made")])
    assert drain(subscription) == [
        {"type": "event", "seq": 1, "event": "routing.offer_made", "data": {"n": 1}}
    ]


def test_events_for_other_audiences_are_not_delivered() -> None:
    hub = LiveHub()
    subscription = hub.subscribe(frozenset({"agent:a1", "tenant:t1"}), after=None)
    hub.publish([event(1, "agent:a2"), event(2, "tenant:t1"), event(3, "tenant:t2")])
    assert seqs(drain(subscription)) == [2]


def test_an_event_reaching_a_subscriber_through_two_audiences_is_delivered_once() -> None:
    hub = LiveHub()
    subscription = hub.subscribe(frozenset({"agent:a1", "team:t1:blue"}), after=None)
    hub.publish([event(1, "agent:a1", "team:t1:blue", "tenant:t1")])
    assert seqs(drain(subscription)) == [1]


def test_last_seq_starts_at_start_seq_and_follows_published_events() -> None:
    hub = LiveHub(start_seq=41)
    assert hub.last_seq == 41
    hub.publish([event(42), event(45)])
    assert hub.last_seq == 45


def test_a_batch_out_of_seq_order_is_refused_and_changes_nothing() -> None:
    hub = LiveHub()
    hub.publish([event(1, "agent:a1")])
    subscription = hub.subscribe(frozenset({"agent:a1"}), after=None)
    with pytest.raises(ValueError, match="increasing seq order"):
        hub.publish([event(2, "agent:a1"), event(2, "agent:a1")])
    assert hub.last_seq == 1
    assert drain(subscription) == []


def test_reconnecting_with_the_last_seq_replays_exactly_the_missed_visible_events() -> None:
    hub = LiveHub()
    hub.publish([event(1, "agent:a1"), event(2, "agent:a2")])
    hub.publish([event(3, "agent:a1"), event(4, "tenant:t1"), event(5, "agent:a1")])
    subscription = hub.subscribe(frozenset({"agent:a1"}), after=1)
    assert seqs(drain(subscription)) == [3, 5]
    hub.publish([event(6, "agent:a1")])
    assert seqs(drain(subscription)) == [6]


def test_reconnecting_when_nothing_was_missed_replays_nothing() -> None:
    hub = LiveHub()
    hub.publish([event(1, "agent:a1")])
    subscription = hub.subscribe(frozenset({"agent:a1"}), after=1)
    assert drain(subscription) == []
    assert not subscription.is_closed


def test_resuming_from_before_the_oldest_buffered_event_asks_for_a_resync() -> None:
    hub = LiveHub(buffer_size=3)
    hub.publish([event(seq, "agent:a1") for seq in range(1, 6)])  # 1 and 2 dropped
    assert seqs(drain(hub.subscribe(frozenset({"agent:a1"}), after=2))) == [3, 4, 5]
    too_old = hub.subscribe(frozenset({"agent:a1"}), after=1)
    assert drain(too_old) == [{"type": "resync", "reason": RESYNC_EXPIRED}]
    assert too_old.is_closed


def test_resuming_from_before_the_hub_started_asks_for_a_resync() -> None:
    hub = LiveHub(start_seq=100)
    assert drain(hub.subscribe(frozenset({"agent:a1"}), after=100)) == []
    assert drain(hub.subscribe(frozenset({"agent:a1"}), after=99)) == [
        {"type": "resync", "reason": RESYNC_EXPIRED}
    ]


def test_resuming_from_a_seq_this_hub_never_published_asks_for_a_resync() -> None:
    hub = LiveHub()
    hub.publish([event(1, "agent:a1")])
    future = hub.subscribe(frozenset({"agent:a1"}), after=7)
    assert drain(future) == [{"type": "resync", "reason": RESYNC_UNKNOWN_SEQ}]
    assert hub.subscriber_count == 0


def test_more_missed_events_than_the_outbox_holds_ask_for_a_resync() -> None:
    hub = LiveHub(outbox_limit=2)
    hub.publish([event(seq, "agent:a1") for seq in range(1, 5)])
    assert seqs(drain(hub.subscribe(frozenset({"agent:a1"}), after=2))) == [3, 4]
    behind = hub.subscribe(frozenset({"agent:a1"}), after=1)
    assert drain(behind) == [{"type": "resync", "reason": RESYNC_EXPIRED}]


def test_a_slow_consumer_is_closed_with_a_resync_instead_of_growing_its_outbox() -> None:
    hub = LiveHub(outbox_limit=3)
    slow = hub.subscribe(frozenset({"tenant:t1"}), after=None)
    fast = hub.subscribe(frozenset({"tenant:t1"}), after=None)
    for seq in range(1, 5):
        hub.publish([event(seq, "tenant:t1")])
        drain(fast)
    assert slow.is_closed
    assert drain(slow) == [{"type": "resync", "reason": RESYNC_SLOW_CONSUMER}]
    assert not fast.is_closed
    assert hub.subscriber_count == 1


def test_closing_a_subscription_removes_it_from_the_index() -> None:
    hub = LiveHub()
    first = hub.subscribe(frozenset({"agent:a1", "tenant:t1"}), after=None)
    second = hub.subscribe(frozenset({"tenant:t1"}), after=None)
    assert hub.subscriber_count == 2
    first.close()
    assert hub.indexed_audiences == {"tenant:t1"}
    second.close()
    second.close()  # closing twice is harmless
    assert hub.subscriber_count == 0
    assert hub.indexed_audiences == frozenset()
    hub.publish([event(1, "tenant:t1")])
    with pytest.raises(SubscriptionClosed):
        first.get_nowait()


def test_a_snapshot_built_right_after_subscribing_misses_and_doubles_nothing() -> None:
    hub = LiveHub()
    log: list[LiveEvent] = [event(1, "tenant:t1"), event(2, "tenant:t1")]
    hub.publish(log)
    subscription = hub.subscribe(frozenset({"tenant:t1"}), after=None)
    snapshot = [e.seq for e in log if e.seq <= hub.last_seq]  # what the service would read
    hub.publish([event(3, "tenant:t1")])
    assert snapshot + seqs(drain(subscription)) == [1, 2, 3]


class Client:
    """A browser that keeps the events it saw and resumes from the last seq it knows."""

    def __init__(self, hub: LiveHub, audiences: frozenset[str], log: list[LiveEvent]):
        self.hub, self.audiences, self.log = hub, audiences, log
        self.view: list[int] = []
        self.last_seen: int | None = None
        self.subscription: Subscription | None = None

    def visible_up_to(self, seq: int) -> list[int]:
        return [
            e.seq for e in self.log if e.seq <= seq and not self.audiences.isdisjoint(e.audiences)
        ]

    def connect(self) -> None:
        self.subscription = self.hub.subscribe(self.audiences, after=self.last_seen)
        if self.last_seen is None:
            self.last_seen = self.hub.last_seq
            self.view = self.visible_up_to(self.last_seen)  # the snapshot

    def read(self, count: int) -> None:
        assert self.subscription is not None
        for _ in range(count):
            try:
                message = self.subscription.get_nowait()
            except SubscriptionClosed:
                self.subscription = None
                return
            if message is None:
                return
            self.receive(message)

    def receive(self, message: Message) -> None:
        if message["type"] == "resync":
            self.last_seen = None
            return
        assert self.last_seen is not None
        assert message["seq"] > self.last_seen, "an event arrived twice or out of order"
        self.view.append(message["seq"])
        self.last_seen = message["seq"]
        assert self.view == self.visible_up_to(self.last_seen), "an event was skipped"

    def idle(self) -> None:
        """A heartbeat: sent when nothing is queued, it moves the resume point forward."""
        sub = self.subscription
        if sub is not None and sub.pending == 0 and not sub.is_closed:
            self.last_seen = self.hub.last_seq
            assert self.view == self.visible_up_to(self.last_seen)

    def disconnect(self) -> None:
        if self.subscription is not None:
            self.subscription.close()
            self.subscription = None


AUDIENCES = ["agent:a1", "agent:a2", "tenant:t1", "team:t1:blue"]
audience_sets = st.frozensets(st.sampled_from(AUDIENCES), max_size=3)
steps = st.one_of(
    st.tuples(st.just("publish"), st.lists(audience_sets, min_size=1, max_size=5)),
    st.tuples(st.just("read"), st.integers(min_value=1, max_value=8)),
    st.tuples(st.just("idle"), st.none()),
    st.tuples(st.just("reconnect"), st.none()),
)


@settings(max_examples=300, deadline=None)
@given(
    buffer_size=st.integers(min_value=1, max_value=12),
    outbox_limit=st.integers(min_value=1, max_value=12),
    audiences=audience_sets,
    plan=st.lists(steps, max_size=40),
)
def test_a_client_that_reconnects_from_its_last_seq_sees_every_visible_event_once(
    buffer_size: int, outbox_limit: int, audiences: frozenset[str], plan: list[tuple[str, Any]]
) -> None:
    hub = LiveHub(buffer_size=buffer_size, outbox_limit=outbox_limit)
    log: list[LiveEvent] = []
    client = Client(hub, audiences, log)
    client.connect()
    for action, argument in plan:
        if action == "publish":
            batch = [event(hub.last_seq + i + 1, *keys) for i, keys in enumerate(argument)]
            log.extend(batch)
            hub.publish(batch)
        elif action == "read" and client.subscription is not None:
            client.read(argument)
        elif action == "idle":
            client.idle()
        elif action == "reconnect":
            client.disconnect()
            client.connect()
    for _ in range(3):  # a resync costs one extra round trip
        if client.subscription is None:
            client.connect()
        client.read(outbox_limit + 2)
    assert client.view == client.visible_up_to(hub.last_seq)
    client.disconnect()
    assert hub.subscriber_count == 0
    assert hub.indexed_audiences == frozenset()
