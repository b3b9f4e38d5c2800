"""Subscription: reading a live stream at the connection's pace, with timeouts and an end."""

from __future__ import annotations

import asyncio

import pytest

from headset.live import LiveEvent, LiveHub, Message, SubscriptionClosed


def event(seq: int) -> LiveEvent:
    return LiveEvent(seq=seq, type="routing.contact_queued", payload={}, audiences=frozenset({"t"}))


@pytest.mark.asyncio
async def test_next_waits_for_the_next_published_event() -> None:
    hub = LiveHub()
    subscription = hub.subscribe(frozenset({"t"}), after=None)
    reader = asyncio.create_task(subscription.next(timeout=5))
    await asyncio.sleep(0)
    hub.publish([event(1)])
    message = await reader
    assert message is not None
    assert message["seq"] == 1


@pytest.mark.asyncio
async def test_next_returns_none_when_the_timeout_passes_so_the_caller_can_heartbeat() -> None:
    hub = LiveHub()
    subscription = hub.subscribe(frozenset({"t"}), after=None)
    assert await subscription.next(timeout=0.01) is None
    assert await subscription.next(timeout=0) is None
    assert subscription.pending == 0


@pytest.mark.asyncio
async def test_closing_wakes_a_waiting_reader_with_subscription_closed() -> None:
    hub = LiveHub()
    subscription = hub.subscribe(frozenset({"t"}), after=None)
    reader = asyncio.create_task(subscription.next())
    await asyncio.sleep(0)
    subscription.close()
    with pytest.raises(SubscriptionClosed):
        await reader
    assert subscription.is_closed


@pytest.mark.asyncio
async def test_closing_discards_what_was_queued() -> None:
    hub = LiveHub()
    subscription = hub.subscribe(frozenset({"t"}), after=None)
    hub.publish([event(1)])
    subscription.close()
    with pytest.raises(SubscriptionClosed):
        await subscription.next(timeout=0)


@pytest.mark.asyncio
async def test_iterating_yields_messages_and_ends_after_the_final_resync() -> None:
    hub = LiveHub(outbox_limit=2)
    subscription = hub.subscribe(frozenset({"t"}), after=None)
    hub.publish([event(1), event(2), event(3)])  # the third overflows the outbox
    received: list[Message] = [message async for message in subscription]
    assert received == [{"type": "resync", "reason": "slow_consumer"}]


@pytest.mark.asyncio
async def test_iterating_a_resumed_stream_yields_the_missed_events_first() -> None:
    hub = LiveHub()
    hub.publish([event(1), event(2)])
    subscription = hub.subscribe(frozenset({"t"}), after=0)
    hub.publish([event(3)])
    received = []
    async for message in subscription:
        received.append(message["seq"])
        if len(received) == 3:
            subscription.close()
    assert received == [1, 2, 3]


@pytest.mark.asyncio
async def test_events_already_in_a_snapshot_from_ahead_of_the_hub_are_skipped() -> None:
    hub = LiveHub()
    subscription = hub.subscribe(frozenset({"t"}), after=None)
    hub.publish([event(1)])  # published while the snapshot was being tagged
    subscription.skip_through(2)  # the snapshot already holds events 1 and 2
    hub.publish([event(2), event(3)])
    assert await subscription.next(timeout=0) == {
        "type": "event",
        "seq": 3,
        "event": "routing.contact_queued",
        "data": {},
    }
    assert await subscription.next(timeout=0) is None


def test_drain_hands_over_every_waiting_message_in_order() -> None:
    hub = LiveHub()
    subscription = hub.subscribe(frozenset({"agent:a1"}), after=None)
    hub.publish([LiveEvent(seq, "routing.x", {}, frozenset({"agent:a1"})) for seq in (1, 2, 3)])
    assert [m["seq"] for m in subscription.drain()] == [1, 2, 3]
    assert subscription.drain() == []
