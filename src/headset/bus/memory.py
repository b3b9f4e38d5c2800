"""The in-process bus: the embedded default when one process serves everything."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from headset.bus.base import Handler, Handlers, plain_batch


class MemoryBus:
    """Delivers each published batch straight to this process's handlers, before returning."""

    def __init__(self) -> None:
        self._handlers = Handlers()

    async def start(self) -> None:
        """Nothing to connect to."""

    async def stop(self) -> None:
        """Nothing to disconnect from; handlers stay subscribed."""

    async def publish(self, messages: Sequence[Mapping[str, Any]]) -> None:
        """Calls every handler with a plain-dict copy of the batch, as Redis would deliver it."""
        batch = plain_batch(messages)
        if batch:
            self._handlers.dispatch(batch)

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Calls `handler` with every later batch; returns the function that unsubscribes."""
        return self._handlers.add(handler)
