"""Fan-out of committed events to live subscriptions, indexed by audience, with resume."""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from headset.live.event import LiveEvent
from headset.live.protocol import (
    RESYNC_EXPIRED,
    RESYNC_UNKNOWN_SEQ,
    event_message,
    resync_message,
    signal_message,
)
from headset.live.subscription import Subscription


class LiveHub:
    """Keeps the last `buffer_size` events and delivers new ones to matching subscriptions.

    Subscriptions are indexed by audience key, so publishing costs one dict look-up per
    audience of the event plus one push per subscriber reached, however many are connected.
    Everything is synchronous and runs on the event loop, so `subscribe` followed by building
    a snapshot, with no `await` in between, can neither miss nor double an event.
    """

    def __init__(self, buffer_size: int = 10_000, outbox_limit: int = 1_000, start_seq: int = 0):
        """`start_seq` is the last seq committed before this hub existed (from the event log)."""
        if buffer_size < 1 or outbox_limit < 1:
            raise ValueError("buffer_size and outbox_limit must be at least 1")
        self._buffer: deque[LiveEvent] = deque(maxlen=buffer_size)
        self._outbox_limit = outbox_limit
        self._last_seq = start_seq
        # Every event with a seq above the floor is still in the buffer; a client can resume
        # from `after` exactly when after >= floor. Seqs need not be contiguous here.
        self._floor = start_seq
        self._index: dict[str, set[Subscription]] = {}
        self._subscriptions: set[Subscription] = set()

    @property
    def last_seq(self) -> int:
        """The seq of the newest event published (or `start_seq`); tag snapshots with it."""
        return self._last_seq

    @property
    def subscriber_count(self) -> int:
        """How many subscriptions are open."""
        return len(self._subscriptions)

    @property
    def indexed_audiences(self) -> frozenset[str]:
        """The audience keys with at least one open subscription (for metrics, leak checks)."""
        return frozenset(self._index)

    def publish(self, events: Sequence[LiveEvent]) -> None:
        """Delivers committed events, in order, once to each subscription that may see them."""
        previous = self._last_seq
        for event in events:
            if event.seq <= previous:
                # Checked for the whole batch first, so a bad batch changes nothing.
                raise ValueError(
                    f"live events must arrive in increasing seq order: {event.seq} after "
                    f"{previous}; reorder or fill gaps from the event log before publishing"
                )
            previous = event.seq
        overflowed: list[Subscription] = []
        for event in events:
            if len(self._buffer) == self._buffer.maxlen:
                self._floor = self._buffer[0].seq
            self._buffer.append(event)
            self._last_seq = event.seq
            targets = self._targets(event)
            if not targets:
                continue
            message = event_message(event)
            for subscription in targets:
                if not subscription._push(message):
                    overflowed.append(subscription)
        # Unindexing waits until the loop is done: it changes the sets being iterated.
        for subscription in overflowed:
            self._remove(subscription)

    def signal(self, audiences: frozenset[str], kind: str, payload: Mapping[str, Any]) -> int:
        """Delivers an ephemeral message (typing) now; returns how many subscriptions got it.

        Signals are not stored, buffered or replayed on resume: a client that was away has
        nothing to catch up on. They carry `last_seq`, which is a valid resume point, since
        every event up to it is already ahead of the signal in each outbox.
        """
        message = signal_message(self._last_seq, kind, payload)
        targets = self._targets(LiveEvent(self._last_seq, kind, payload, audiences))
        overflowed = [s for s in list(targets) if not s._push(message)]
        for subscription in overflowed:
            self._remove(subscription)
        return len(targets) - len(overflowed)

    def subscribe(self, audiences: frozenset[str], after: int | None = None) -> Subscription:
        """Opens a stream for `audiences`; with `after`, first replays what the client missed.

        With `after=None` the caller sends `snapshot_message(hub.last_seq, ...)` next. If the
        client cannot resume from `after`, the stream holds a single `resync` and is closed.
        """
        subscription = Subscription(audiences, self._outbox_limit, self._remove)
        if after is not None:
            if after > self._last_seq:
                subscription._end(resync_message(RESYNC_UNKNOWN_SEQ))
                return subscription
            missed = self._missed(audiences, after)
            if missed is None:
                subscription._end(resync_message(RESYNC_EXPIRED))
                return subscription
            for event in missed:
                subscription._push(event_message(event))
        self._subscriptions.add(subscription)
        for key in audiences:
            self._index.setdefault(key, set()).add(subscription)
        return subscription

    def _targets(self, event: LiveEvent) -> Collection[Subscription]:
        """The subscriptions reached by `event`, each once."""
        index = self._index
        matched = [index[key] for key in event.audiences if key in index]
        if not matched:
            return ()
        if len(matched) == 1:
            # The common case needs no union; the publish loop never changes the index.
            return matched[0]
        return set().union(*matched)

    def _missed(self, audiences: frozenset[str], after: int) -> list[LiveEvent] | None:
        """Events after `after` visible to `audiences`, oldest first; None if not all are held."""
        if after < self._floor:
            return None
        missed: list[LiveEvent] = []
        # Newest first: a reconnecting client usually missed only the last few events.
        for event in reversed(self._buffer):
            if event.seq <= after:
                break
            if not audiences.isdisjoint(event.audiences):
                missed.append(event)
                if len(missed) > self._outbox_limit:
                    return None
        missed.reverse()
        return missed

    def _remove(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)
        for key in subscription.audiences:
            members = self._index.get(key)
            if members is None:
                continue
            members.discard(subscription)
            if not members:
                # Drop empty keys, or every agent who ever signed in would stay in the index.
                del self._index[key]
