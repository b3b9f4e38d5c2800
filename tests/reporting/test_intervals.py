"""The interval grid: which interval a moment falls in, and splitting spans at boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
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


def test_spread_all_gives_the_parts_of_spread_span_after_span() -> None:
    starts = [800.0, -100.0, 3500.0, 5000.0, 0.0, 899.999999, 100.0, 1.5]
    ends = [1000.0, 50.0, 4000.0, 6000.0, 3600.0, 900.0, 100.0, 0.5]
    expected = [
        (n, index, seconds)
        for n, (start, end) in enumerate(zip(starts, ends, strict=True))
        for index, seconds in GRID.spread(start, end)
    ]
    span, index, seconds = GRID.spread_all(np.array(starts), np.array(ends))
    assert list(zip(span.tolist(), index.tolist(), seconds.tolist(), strict=True)) == expected
