"""Occupancy and agents staffed from agent state spans, split at interval boundaries."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from headset.reporting.agent_time import (
    AgentTally,
    AgentTimeBuckets,
    agent_time_by_interval,
    agents_staffed,
    occupancy,
    utilization,
)
from headset.reporting.intervals import IntervalGrid
from headset.reporting.records import AgentStateSpan
from headset.routing.model import AgentState

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
GRID = IntervalGrid(T0, timedelta(minutes=15), count=2)


def span(state: AgentState, start_min: float, end_min: float, agent: str = "a1") -> AgentStateSpan:
    return AgentStateSpan(
        agent, state, T0 + timedelta(minutes=start_min), T0 + timedelta(minutes=end_min)
    )


def test_occupancy_is_handle_time_over_handle_plus_available_time() -> None:
    spans = [
        span(AgentState.AVAILABLE, 0, 3),
        span(AgentState.RESERVED, 3, 4),  # ringing: neither handling nor idle
        span(AgentState.BUSY, 4, 10),
        span(AgentState.WRAP_UP, 10, 12),
        span(AgentState.AWAY, 12, 15),  # a break: logged in, not idle
    ]
    tally = agent_time_by_interval(spans, GRID)[0]
    assert tally == AgentTally(handle_seconds=480, available_seconds=180, logged_in_seconds=900)
    assert occupancy(tally) == pytest.approx(8 / 11)
    assert utilization(tally) == pytest.approx(8 / 15)


def test_agent_time_is_split_across_interval_boundaries() -> None:
    spans = [span(AgentState.BUSY, 10, 20), span(AgentState.AVAILABLE, 20, 40)]
    first, second = agent_time_by_interval(spans, GRID)
    assert first == AgentTally(300, 0, 300)
    # 20-30 available inside the grid; 30-40 is after it and drops out
    assert second == AgentTally(300, 600, 900)


def test_offline_time_is_not_logged_in() -> None:
    tally = agent_time_by_interval([span(AgentState.OFFLINE, 0, 15)], GRID)[0]
    assert tally == AgentTally()
    assert occupancy(tally) is None
    assert agents_staffed(tally, 900) == 0


def test_agents_staffed_is_logged_in_time_over_period_length() -> None:
    spans = [
        span(AgentState.AVAILABLE, 0, 15, "a1"),
        span(AgentState.BUSY, 0, 15, "a2"),
        span(AgentState.AVAILABLE, 5, 10, "a3"),
    ]
    tally = agent_time_by_interval(spans, GRID)[0]
    assert agents_staffed(tally, GRID.length_seconds) == pytest.approx(2 + 1 / 3)


def test_agent_tallies_add_up() -> None:
    assert AgentTally(1, 2, 3) + AgentTally(10, 20, 30) == AgentTally(11, 22, 33)


def test_adding_spans_in_microseconds_gives_the_same_sums_bit_for_bit_as_one_by_one() -> None:
    rng = random.Random(5)
    grid = IntervalGrid(T0, timedelta(minutes=5), count=40)
    length_us = 300_000_000
    spans: list[tuple[AgentState, int, int]] = []
    for _ in range(5000):
        start = rng.choice([rng.randrange(45 * length_us), rng.randrange(42) * length_us])
        end = start + rng.choice([0, 1, rng.randrange(4 * length_us), length_us])
        spans.append((rng.choice(list(AgentState)), start, end))
    one_by_one, at_once = AgentTimeBuckets(grid), AgentTimeBuckets(grid)
    for state, start, end in spans:
        if start < end:
            one_by_one.add(state, start * 1e-6, end * 1e-6)
    at_once.add_spans(spans)
    assert at_once.tallies() == one_by_one.tallies()  # exact floats, not approx
