"""RedisBus beyond the shared contract: connecting, losing Redis and coming back."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from headset.bus import BusUnavailable
from headset.bus.redis import RedisBus
from tests.redis_server import RedisServer, free_port


def quick_bus(url: str, start_timeout: timedelta = timedelta(seconds=10)) -> RedisBus:
    """A bus that retries every few milliseconds, so the tests need not wait for it."""
    return RedisBus(
        url,
        start_timeout=start_timeout,
        min_backoff=timedelta(milliseconds=20),
        max_backoff=timedelta(milliseconds=200),
    )


async def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_a_batch_published_right_after_start_is_received(redis_server: RedisServer) -> None:
    received: list[list[dict[str, Any]]] = []
    bus = RedisBus(redis_server.url)
    bus.subscribe(received.append)
    await bus.start()
    assert bus.is_subscribed
    await bus.publish([{"seq": 1}])
    await wait_until(lambda: received == [[{"seq": 1}]])
    await bus.stop()


@pytest.mark.asyncio
async def test_batches_go_only_to_buses_on_the_same_channel(redis_server: RedisServer) -> None:
    ours, theirs = RedisBus(redis_server.url), RedisBus(redis_server.url, channel="other")
    received: list[list[dict[str, Any]]] = []
    theirs.subscribe(received.append)
    await ours.start()
    await theirs.start()
    await ours.publish([{"seq": 1}])
    await theirs.publish([{"seq": 2}])
    await wait_until(lambda: received == [[{"seq": 2}]])
    await ours.stop()
    await theirs.stop()


@pytest.mark.asyncio
async def test_start_fails_clearly_when_redis_cannot_be_reached() -> None:
    bus = quick_bus(f"redis://127.0.0.1:{free_port()}/0", timedelta(milliseconds=300))
    with pytest.raises(BusUnavailable, match="is the server running"):
        await bus.start()
    assert not bus.is_subscribed


@pytest.mark.asyncio
async def test_the_bus_reconnects_after_a_redis_restart(
    own_redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    sender, receiver = quick_bus(own_redis_server.url), quick_bus(own_redis_server.url)
    received: list[list[dict[str, Any]]] = []
    receiver.subscribe(received.append)
    await sender.start()
    await receiver.start()
    await sender.publish([{"seq": 1}])
    await wait_until(lambda: len(received) == 1)

    with caplog.at_level(logging.WARNING, logger="headset.bus.redis"):
        own_redis_server.stop()
        await wait_until(lambda: not receiver.is_subscribed)
        with pytest.raises(BusUnavailable):
            await sender.publish([{"seq": 2}])
        own_redis_server.start()
        await wait_until(lambda: receiver.is_subscribed)
    assert any("retrying" in record.getMessage() for record in caplog.records)

    await sender.publish([{"seq": 3}])
    await sender.publish([{"seq": 4}])
    await wait_until(lambda: len(received) == 3)
    assert received == [[{"seq": 1}], [{"seq": 3}], [{"seq": 4}]]
    await sender.stop()
    await receiver.stop()


@pytest.mark.asyncio
async def test_publishing_before_start_is_a_programming_error(redis_server: RedisServer) -> None:
    with pytest.raises(RuntimeError, match="before start"):
        await RedisBus(redis_server.url).publish([{"seq": 1}])
