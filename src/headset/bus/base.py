"""The `Bus` port, and the handler registry its adapters share."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

logger = logging.getLogger(__name__)

#: The pub/sub channel committed events travel on.
DEFAULT_CHANNEL = "headset:events"

#: Receives one published batch, in publish order, on the event loop. Treat it as read-only:
#: every handler of a bus gets the same list.
Handler = Callable[[list[dict[str, Any]]], None]


class Bus(Protocol):
    """Carries batches of committed events to every subscribed handler, in every process."""

    async def start(self) -> None:
        """Connects; returns once handlers will receive what is published from now on."""
        ...

    async def stop(self) -> None:
        """Disconnects; safe to call twice."""
        ...

    async def publish(self, messages: Sequence[Mapping[str, Any]]) -> None:
        """Sends one batch of JSON-serialisable messages, each with an int `seq`."""
        ...

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Calls `handler` with every batch received; returns the function that unsubscribes."""
        ...


class BusUnavailable(ConnectionError):
    """The bus's server cannot be reached; the message was not sent."""


def plain_batch(messages: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Copies a batch into plain dicts, refusing messages without an int `seq`."""
    batch = [dict(message) for message in messages]
    for message in batch:
        seq = message.get("seq")
        # bool is an int subclass; a True seq is a bug, not event number one.
        if not isinstance(seq, int) or isinstance(seq, bool):
            raise ValueError(f"every bus message needs an int 'seq', got {seq!r}")
    return batch


class Handlers:
    """The handlers subscribed to one bus; a failing handler does not stop the others."""

    __slots__ = ("_handlers",)

    def __init__(self) -> None:
        # Keyed by a token, not by the handler, so one function may subscribe twice.
        self._handlers: dict[object, Handler] = {}

    def __len__(self) -> int:
        return len(self._handlers)

    def add(self, handler: Handler) -> Callable[[], None]:
        """Registers `handler`; returns the function that removes it again (idempotent)."""
        token = object()
        self._handlers[token] = handler

        def unsubscribe() -> None:
            self._handlers.pop(token, None)

        return unsubscribe

    def dispatch(self, batch: list[dict[str, Any]]) -> None:
        """Calls every handler with `batch`; errors are logged, since the sender cannot act."""
        # A copy: a handler may unsubscribe itself or others while we iterate.
        for handler in tuple(self._handlers.values()):
            try:
                handler(batch)
            except Exception:
                logger.exception("bus handler %r failed on a batch of %d", handler, len(batch))
