"""The simulator's clock: the engine reads it, the run loop moves it by plain assignment."""

from __future__ import annotations

from datetime import datetime

from headset.core.clock import require_aware


class VirtualClock:
    """A `Clock` whose time is the attribute `now_at`, set directly by the simulator's loop.

    `FakeClock.set` checks that time never runs backwards, which costs a method call and a
    datetime comparison per engine command; the simulator's heap already guarantees it.
    """

    __slots__ = ("now_at",)

    def __init__(self, start_at: datetime) -> None:
        require_aware(start_at)
        self.now_at = start_at

    def now(self) -> datetime:
        return self.now_at
