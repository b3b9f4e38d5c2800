"""The interval grid: which interval a moment falls in, and splitting spans at boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.reporting.intervals import IntervalGrid

T0 = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
GRID = IntervalGrid(T0, timedelta(minutes=15), count=4)


def test_moment_falls_in_the_interval_that_contains_it() -> None:
    assert GRID.index_of(T0) == 0
    assert GRID.index_of(T0 + timedelta(minutes=14, seconds=59)) == 0
    assert GRID.index_of(T0 + timedelta(minutes=15)) == 1
    assert GRID.index_of(T0 - timedelta(seconds=1)) is None
    assert GRID.index_of(GRID.end_at) is None


def test_spread_splits_a_span_at_boundaries_and_clips_to_the_grid() -> None:
    assert list(GRID.spread(800, 1000)) == [(0, 100), (1, 100)]
    assert list(GRID.spread(-100, 50)) == [(0, 50)]
    assert list(GRID.spread(3500, 4000)) == [(3, 100)]
    assert list(GRID.spread(5000, 6000)) == []


def test_grid_rejects_naive_start_and_empty_grids() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        IntervalGrid(datetime(2025, 3, 10, 8, 0))
    with pytest.raises(ValueError, match="at least one"):
        IntervalGrid(T0, count=0)
