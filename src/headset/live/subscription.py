"""One live stream: a bounded outbox of messages that the connection reads at its own pace."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable

from headset.live.protocol import RESYNC_SLOW_CONSUMER, Message, resync_message


class SubscriptionClosed(Exception):
    """The stream has ended: closed by its reader, or after its final `resync` message."""


class Subscription:
    """The messages waiting for one connected client, in order; made by `LiveHub.subscribe`."""

    __slots__ = (
        "_is_closed",
        "_limit",
        "_on_close",
        "_outbox",
        "_ready",
        "_skip_through",
        "audiences",
    )

    def __init__(
        self,
        audiences: frozenset[str],
        outbox_limit: int,
        on_close: Callable[[Subscription], None],
    ) -> None:
        self.audiences = audiences
        self._limit = outbox_limit
        self._on_close = on_close
        self._outbox: deque[Message] = deque()
        # An Event rather than a future per read: pushes happen far more often than reads wait.
        self._ready = asyncio.Event()
        self._is_closed = False
        self._skip_through = -1

    @property
    def is_closed(self) -> bool:
        """True once no new messages will be queued (queued ones may still be read)."""
        return self._is_closed

    @property
    def pending(self) -> int:
        """How many messages wait to be read."""
        return len(self._outbox)

    def get_nowait(self) -> Message | None:
        """The next message if one is waiting, else None; raises SubscriptionClosed at the end."""
        if self._outbox:
            return self._outbox.popleft()
        if self._is_closed:
            raise SubscriptionClosed("the live stream has ended")
        return None

    async def next(self, timeout: float | None = None) -> Message | None:
        """Waits for the next message; None when `timeout` seconds pass without one.

        When the outbox is empty the client has seen every event for it up to `hub.last_seq`,
        so a timeout is the moment to send `heartbeat_message(hub.last_seq)`.
        """
        while True:
            message = self.get_nowait()
            if message is not None:
                return message
            self._ready.clear()
            try:
                # asyncio.timeout rather than wait_for: no task per wait, and a thousand
                # streams wait at once
                async with asyncio.timeout(timeout):
                    await self._ready.wait()
            except TimeoutError:
                return self.get_nowait()

    def drain(self) -> list[Message]:
        """Every message waiting now, in order (none if the outbox is empty)."""
        messages = list(self._outbox)
        self._outbox.clear()
        return messages

    def skip_through(self, seq: int) -> None:
        """Drops events up to `seq`, queued or still to come: a snapshot tagged `seq` has them.

        For a snapshot built from state that may be ahead of the hub (events applied and
        committed but not yet published), tagged with that state's own seq.
        """
        self._skip_through = max(self._skip_through, seq)
        self._outbox = deque(
            m for m in self._outbox if m["type"] != "event" or m["seq"] > self._skip_through
        )

    def close(self) -> None:
        """Ends the stream from the reader's side; queued messages are discarded."""
        self._outbox.clear()
        self._finish()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> Message:
        try:
            message = await self.next()
        except SubscriptionClosed:
            raise StopAsyncIteration from None
        assert message is not None  # next() without a timeout returns only a message
        return message

    # Called by the hub only.

    def _push(self, message: Message) -> bool:
        """Queues an event message; False when it overflowed the outbox and ended the stream."""
        if self._is_closed or message["seq"] <= self._skip_through:
            return True
        if len(self._outbox) >= self._limit:
            # Growing without bound would let one stalled browser eat the process's memory;
            # the client can always rebuild from a snapshot. The hub unindexes this
            # subscription after its publish loop, which is iterating the index right now.
            self._outbox.clear()
            self._outbox.append(resync_message(RESYNC_SLOW_CONSUMER))
            self._is_closed = True
            self._ready.set()
            return False
        self._outbox.append(message)
        self._ready.set()
        return True

    def _end(self, message: Message) -> None:
        """Replaces whatever is queued by one final message and ends the stream."""
        self._outbox.clear()
        self._outbox.append(message)
        self._finish()

    def _finish(self) -> None:
        if not self._is_closed:
            self._is_closed = True
            self._on_close(self)
        self._ready.set()
