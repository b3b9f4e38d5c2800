"""Agent time KPIs: occupancy and agents staffed, from agent state time split by interval."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from headset.reporting.intervals import IntervalGrid
from headset.reporting.records import AgentStateSpan
from headset.routing.model import AgentState

#: States whose time is handle time (talk, hold and wrap-up).
HANDLING_STATES = frozenset({AgentState.BUSY, AgentState.WRAP_UP})

# What a span's state counts as, in `AgentTimeBuckets.add_spans`.
_OFFLINE, _HANDLING, _AVAILABLE, _OTHER = range(4)
_KIND = {
    AgentState.OFFLINE: _OFFLINE,
    **dict.fromkeys(HANDLING_STATES, _HANDLING),
    AgentState.AVAILABLE: _AVAILABLE,
}


@dataclass(frozen=True, slots=True)
class AgentTally:
    """Seconds of agent time in a period: handling, available idle, and logged in at all."""

    handle_seconds: float = 0.0
    available_seconds: float = 0.0
    logged_in_seconds: float = 0.0

    def __add__(self, other: AgentTally) -> AgentTally:
        return AgentTally(
            self.handle_seconds + other.handle_seconds,
            self.available_seconds + other.available_seconds,
            self.logged_in_seconds + other.logged_in_seconds,
        )


class AgentTimeBuckets:
    """Adds agent state time into the intervals of a grid, splitting at their boundaries."""

    __slots__ = ("_count", "_length", "available", "grid", "handle", "logged_in")

    def __init__(self, grid: IntervalGrid) -> None:
        self.grid = grid
        self._length = grid.length_seconds
        self._count = grid.count
        self.handle = [0.0] * grid.count
        self.available = [0.0] * grid.count
        self.logged_in = [0.0] * grid.count

    def add(self, state: AgentState, start_s: float, end_s: float) -> None:
        """Counts [start_s, end_s) seconds from the grid start spent in `state`."""
        if state is AgentState.OFFLINE:
            return
        if state in HANDLING_STATES:
            bucket = self.handle
        elif state is AgentState.AVAILABLE:
            bucket = self.available
        else:  # reserved (an offer ringing) and away: logged in, neither handling nor idle
            bucket = None
        index = int(start_s // self._length)
        if 0 <= index < self._count and end_s <= (index + 1) * self._length:
            # the common case, within one interval: no splitting needed
            self.logged_in[index] += end_s - start_s
            if bucket is not None:
                bucket[index] += end_s - start_s
            return
        for index, seconds in self.grid.spread(start_s, end_s):
            self.logged_in[index] += seconds
            if bucket is not None:
                bucket[index] += seconds

    def add_spans(self, spans: Sequence[tuple[AgentState, int, int]]) -> None:
        """Counts (state, start, end) spans in whole microseconds from the grid start, in order.

        Bit for bit the sums of calling `add(state, start * 1e-6, end * 1e-6)` for each span
        with start < end in turn (`np.add.at` adds in order), but in numpy: the simulator
        collects its spans during the run and hands them over at the end.
        """
        if not spans:
            return
        states, starts, ends = zip(*spans, strict=True)
        start_us = np.array(starts, dtype=np.int64)
        end_us = np.array(ends, dtype=np.int64)
        kind = np.array([_KIND.get(state, _OTHER) for state in states], dtype=np.int8)
        counted = (start_us < end_us) & (kind != _OFFLINE)
        span, index, seconds = self.grid.spread_all(
            start_us[counted] * 1e-6, end_us[counted] * 1e-6
        )
        kind = kind[counted][span]
        for bucket, which in (
            ("logged_in", None),
            ("handle", _HANDLING),
            ("available", _AVAILABLE),
        ):
            totals = np.array(getattr(self, bucket), dtype=float)
            mask = slice(None) if which is None else kind == which
            np.add.at(totals, index[mask], seconds[mask])
            setattr(self, bucket, totals.tolist())

    def tallies(self) -> list[AgentTally]:
        """One tally per interval."""
        return [
            AgentTally(*parts)
            for parts in zip(self.handle, self.available, self.logged_in, strict=True)
        ]


def agent_time_by_interval(spans: Iterable[AgentStateSpan], grid: IntervalGrid) -> list[AgentTally]:
    """Splits agent state spans over the intervals of `grid`; time outside it drops out."""
    buckets = AgentTimeBuckets(grid)
    origin = grid.start_at
    for span in spans:
        start_s = (span.start_at - origin).total_seconds()
        end_s = (span.end_at - origin).total_seconds()
        buckets.add(span.state, start_s, end_s)
    return buckets.tallies()


def occupancy(tally: AgentTally) -> float | None:
    """Handle time ÷ (handle time + available idle time) of logged-in agents, 0-1."""
    denominator = tally.handle_seconds + tally.available_seconds
    return tally.handle_seconds / denominator if denominator else None


def utilization(tally: AgentTally) -> float | None:
    """Handle time ÷ logged-in time, 0-1."""
    return tally.handle_seconds / tally.logged_in_seconds if tally.logged_in_seconds else None


def agents_staffed(tally: AgentTally, period_seconds: float) -> float:
    """Mean number of logged-in agents over a period: logged-in time ÷ period length."""
    return tally.logged_in_seconds / period_seconds
