"""The Redis bus: batches travel as JSON over one pub/sub channel shared by every process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

from headset.bus.base import DEFAULT_CHANNEL, BusUnavailable, Handler, Handlers, plain_batch

logger = logging.getLogger(__name__)


class RedisBus:
    """Publishes batches to a Redis channel and dispatches what arrives there to handlers.

    A reader task holds the subscription; when Redis goes away it logs, waits (doubling the
    wait up to `max_backoff`) and subscribes again. Pub/sub keeps nothing: batches published
    while a process is disconnected never reach it, and the `seq` gap tells it so.
    """

    def __init__(
        self,
        url: str,
        channel: str = DEFAULT_CHANNEL,
        *,
        start_timeout: timedelta = timedelta(seconds=10),
        min_backoff: timedelta = timedelta(milliseconds=100),
        max_backoff: timedelta = timedelta(seconds=5),
    ) -> None:
        self._url = url
        self._channel = channel
        self._start_timeout = start_timeout
        self._min_backoff = min_backoff
        self._max_backoff = max_backoff
        self._handlers = Handlers()
        self._subscribed = asyncio.Event()
        self._publisher: Redis | None = None
        self._reader: asyncio.Task[None] | None = None

    @property
    def is_subscribed(self) -> bool:
        """True while the reader holds a live subscription to the channel."""
        return self._subscribed.is_set()

    async def start(self) -> None:
        """Connects and waits until subscribed; raises BusUnavailable after `start_timeout`."""
        if self._reader is not None:
            return
        self._publisher = Redis.from_url(self._url)
        self._reader = asyncio.create_task(self._read(), name=f"redis-bus:{self._channel}")
        try:
            await asyncio.wait_for(self._subscribed.wait(), self._start_timeout.total_seconds())
        except TimeoutError:
            await self.stop()
            raise BusUnavailable(
                f"could not subscribe to Redis channel {self._channel!r} within "
                f"{self._start_timeout.total_seconds():g} s; is the server running?"
            ) from None

    async def stop(self) -> None:
        """Stops the reader and closes both connections; safe to call twice."""
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader
        publisher, self._publisher = self._publisher, None
        if publisher is not None:
            await publisher.aclose()
        self._subscribed.clear()

    async def publish(self, messages: Sequence[Mapping[str, Any]]) -> None:
        """Sends one batch as a single pub/sub message; raises BusUnavailable if Redis is down."""
        if self._publisher is None:
            raise RuntimeError("RedisBus.publish before start()")
        batch = plain_batch(messages)
        if not batch:
            return
        data = json.dumps(batch, separators=(",", ":"))
        try:
            await self._publisher.publish(self._channel, data)
        except (RedisError, OSError) as exc:
            raise BusUnavailable(f"could not publish to Redis: {exc}") from exc

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Calls `handler` with every batch received; returns the function that unsubscribes."""
        return self._handlers.add(handler)

    async def _read(self) -> None:
        backoff = self._min_backoff
        while True:
            try:
                await self._listen()
            except (RedisError, OSError) as exc:
                was_subscribed = self.is_subscribed
                self._subscribed.clear()
                if was_subscribed:
                    backoff = self._min_backoff
                logger.warning(
                    "Redis bus lost channel %r (%s); retrying in %.1f s",
                    self._channel,
                    exc,
                    backoff.total_seconds(),
                )
            await asyncio.sleep(backoff.total_seconds())
            backoff = min(backoff * 2, self._max_backoff)

    async def _listen(self) -> None:
        # No retries inside redis-py: this loop owns reconnecting, so it can log and back off.
        client = Redis.from_url(self._url, retry=Retry(NoBackoff(), 0))
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe(self._channel)
            async for message in pubsub.listen():
                kind = message.get("type")
                if kind == "subscribe":
                    if not self._subscribed.is_set():
                        logger.info("Redis bus subscribed to channel %r", self._channel)
                    self._subscribed.set()
                elif kind == "message":
                    self._deliver(message["data"])
        finally:
            await pubsub.aclose()
            await client.aclose()

    def _deliver(self, data: bytes) -> None:
        try:
            batch = json.loads(data)
        except ValueError:
            logger.error("Redis bus dropped a message that is not JSON: %.80r", data)
            return
        if not isinstance(batch, list):
            logger.error("Redis bus dropped a message that is not a batch: %.80r", data)
            return
        self._handlers.dispatch(batch)
