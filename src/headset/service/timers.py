"""Runs the engine's timers on the asyncio loop: one handle per key, replaced by key."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from headset.core.clock import Clock
from headset.routing.timers import Result, Timer


class TimerScheduler:
    """Calls `fire(key)` when a timer is due; a newer timer of a key replaces the older one."""

    def __init__(self, clock: Clock, fire: Callable[[str], None]) -> None:
        self._clock = clock
        self._fire = fire
        self._handles: dict[str, asyncio.TimerHandle] = {}

    def apply(self, result: Result) -> None:
        for key in result.cancelled:
            self.cancel(key)
        for timer in result.timers:
            self.start(timer)

    def start(self, timer: Timer) -> None:
        self.cancel(timer.key)
        loop = asyncio.get_running_loop()
        delay = max((timer.due_at - self._clock.now()).total_seconds(), 0.0)
        self._handles[timer.key] = loop.call_later(delay, self._run, timer.key)

    def cancel(self, key: str) -> None:
        handle = self._handles.pop(key, None)
        if handle is not None:
            handle.cancel()

    def cancel_all(self) -> None:
        for key in list(self._handles):
            self.cancel(key)

    def _run(self, key: str) -> None:
        self._handles.pop(key, None)
        self._fire(key)
