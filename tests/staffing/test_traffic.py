"""Traffic intensity and occupancy."""

from __future__ import annotations

import numpy as np
import pytest

from headset.staffing import occupancy, traffic_intensity


def test_hundred_calls_in_half_an_hour_at_three_minutes_is_ten_erlangs() -> None:
    assert traffic_intensity(100, 1800, 180) == pytest.approx(10.0)
    assert traffic_intensity(np.array([50, 100]), 1800.0, 180.0) == pytest.approx([5.0, 10.0])


def test_occupancy_is_traffic_over_agents_capped_at_one() -> None:
    assert occupancy(10.0, 14) == pytest.approx(10 / 14)
    assert occupancy(np.array([5.0, 20.0]), 10).tolist() == [0.5, 1.0]
    assert occupancy(3.0, 0) == 1.0
    assert occupancy(0.0, 0) == 0.0


def test_traffic_intensity_rejects_zero_interval() -> None:
    with pytest.raises(ValueError, match="interval"):
        traffic_intensity(10, 0, 180)
