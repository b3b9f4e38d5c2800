"""The behaviour every Bus adapter shares, proven over MemoryBus and over a real Redis.

Each case gets a publishing bus and a receiving bus: for memory they are one object (it
serves one process), for Redis two RedisBus instances on one server, as two processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import pytest_asyncio

from headset.bus import Bus, MemoryBus
from headset.bus.redis import RedisBus
from tests.redis_server import RedisServer


@dataclass
class Received:
    """A handler that remembers every batch and lets a test wait for a number of them."""

    batches: list[list[dict[str, Any]]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def __call__(self, batch: list[dict[str, Any]]) -> None:
        self.batches.append(batch)
        self.arrived.set()

    async def wait_for(self, count: int, timeout: float = 5.0) -> list[list[dict[str, Any]]]:
        async with asyncio.timeout(timeout):
            while len(self.batches) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.batches


@dataclass
class Pair:
    sender: Bus
    receiver: Bus

    async def settle(self) -> None:
        """Lets anything in flight arrive, so a test can tell that nothing more will."""
        await self.sender.publish([{"seq": -1, "type": "marker"}])
        probe = Received()
        unsubscribe = self.receiver.subscribe(probe)
        await self.sender.publish([{"seq": -2, "type": "marker"}])
        await probe.wait_for(1)
        unsubscribe()


@pytest_asyncio.fixture(params=["memory", "redis"])
async def pair(request: pytest.FixtureRequest, redis_server: RedisServer) -> AsyncIterator[Pair]:
    if request.param == "memory":
        bus = MemoryBus()
        await bus.start()
        yield Pair(bus, bus)
        await bus.stop()
        return
    sender, receiver = RedisBus(redis_server.url), RedisBus(redis_server.url)
    await sender.start()
    await receiver.start()
    yield Pair(sender, receiver)
    await sender.stop()
    await receiver.stop()


def without_markers(batches: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    return [batch for batch in batches if batch[0]["seq"] >= 0]


@pytest.mark.asyncio
async def test_batches_arrive_intact_and_in_publish_order(pair: Pair) -> None:
    received = Received()
    pair.receiver.subscribe(received)
    sent = [
        [{"seq": seq, "type": "routing.contact_queued", "data": {"n": seq, "tags": ["a"]}}]
        for seq in range(1, 51)
    ]
    sent.append([{"seq": 51, "type": "a"}, {"seq": 52, "type": "b"}, {"seq": 53, "type": "c"}])
    for batch in sent:
        await pair.sender.publish(batch)
    assert await received.wait_for(len(sent)) == sent


@pytest.mark.asyncio
async def test_every_subscribed_handler_receives_every_batch(pair: Pair) -> None:
    first, second = Received(), Received()
    pair.receiver.subscribe(first)
    pair.receiver.subscribe(second)
    await pair.sender.publish([{"seq": 1}])
    assert await first.wait_for(1) == [[{"seq": 1}]]
    assert await second.wait_for(1) == [[{"seq": 1}]]


@pytest.mark.asyncio
async def test_an_unsubscribed_handler_receives_nothing_more(pair: Pair) -> None:
    received = Received()
    unsubscribe = pair.receiver.subscribe(received)
    await pair.sender.publish([{"seq": 1}])
    await received.wait_for(1)
    unsubscribe()
    unsubscribe()  # a second call is harmless
    await pair.sender.publish([{"seq": 2}])
    await pair.settle()
    assert without_markers(received.batches) == [[{"seq": 1}]]


@pytest.mark.asyncio
async def test_a_failing_handler_does_not_stop_the_others(pair: Pair) -> None:
    def broken(batch: list[dict[str, Any]]) -> None:
        raise RuntimeError("a bug in one consumer")

    received = Received()
    pair.receiver.subscribe(broken)
    pair.receiver.subscribe(received)
    await pair.sender.publish([{"seq": 1}])
    await pair.sender.publish([{"seq": 2}])
    assert await received.wait_for(2) == [[{"seq": 1}], [{"seq": 2}]]


@pytest.mark.asyncio
async def test_a_message_without_an_int_seq_is_refused_before_sending(pair: Pair) -> None:
    with pytest.raises(ValueError, match="int 'seq'"):
        await pair.sender.publish([{"seq": 1}, {"type": "no seq"}])
    with pytest.raises(ValueError, match="int 'seq'"):
        await pair.sender.publish([{"seq": "7"}])


@pytest.mark.asyncio
async def test_an_empty_batch_sends_nothing(pair: Pair) -> None:
    received = Received()
    pair.receiver.subscribe(received)
    await pair.sender.publish([])
    await pair.settle()
    assert without_markers(received.batches) == []


@pytest.mark.asyncio
async def test_stop_can_be_called_twice(pair: Pair) -> None:
    await pair.receiver.stop()
    await pair.receiver.stop()
