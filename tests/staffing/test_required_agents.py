"""Erlang C required agents: minimal, vectorised, with shrinkage and caps."""

from __future__ import annotations

import time

import numpy as np
import pytest

from headset.staffing import average_speed_of_answer, required_agents, service_level


def test_ten_erlangs_at_80_20_need_14_agents() -> None:
    assert required_agents(10.0, 180.0, 0.8, 20.0) == 14
    assert service_level(10.0, 13, 180.0, 20.0) < 0.8 <= service_level(10.0, 14, 180.0, 20.0)


def test_required_agents_is_minimal_for_many_problems() -> None:
    rng = np.random.default_rng(3)
    traffic = rng.uniform(0.05, 300.0, 400)
    aht = rng.uniform(60.0, 900.0, 400)
    target = rng.uniform(0.5, 0.95, 400)
    required = required_agents(traffic, aht, target, 20.0)
    assert (service_level(traffic, required, aht, 20.0) >= target).all()
    assert (service_level(traffic, required - 1, aht, 20.0) < target).all()


def test_vectorised_required_agents_equal_scalar_calls() -> None:
    traffic = np.array([[0.3, 4.0, 55.5], [120.0, 9.99, 10.0]])
    grid = required_agents(traffic, 240.0, 0.9, np.array([10.0, 20.0, 60.0]))
    assert grid.shape == (2, 3)
    for (i, j), value in np.ndenumerate(grid):
        assert value == required_agents(float(traffic[i, j]), 240.0, 0.9, [10.0, 20.0, 60.0][j])


def test_shrinkage_returns_scheduled_heads() -> None:
    assert required_agents(10.0, 180.0, 0.8, 20.0, shrinkage=0.3) == 20  # 14 / 0.7


def test_max_occupancy_adds_agents() -> None:
    # 14 agents give 71 % occupancy; a 60 % cap needs ceil(10 / 0.6) = 17
    assert required_agents(10.0, 180.0, 0.8, 20.0, max_occupancy=0.6) == 17
    assert required_agents(10.0, 180.0, 0.8, 20.0, max_occupancy=0.8) == 14
    assert required_agents(8.5, 180.0, 0.1, 20.0, max_occupancy=0.85) == 10  # 8.5/10 = 0.85


def test_max_asa_adds_agents() -> None:
    n = required_agents(10.0, 180.0, 0.8, 20.0, max_asa=2.0)
    assert n == 16
    assert (
        average_speed_of_answer(10.0, n, 180.0) <= 2.0 < average_speed_of_answer(10.0, n - 1, 180.0)
    )


def test_no_traffic_needs_no_agents() -> None:
    assert required_agents(0.0, 180.0, 0.8, 20.0) == 0


def test_required_agents_at_100000_erlangs() -> None:
    n = required_agents(1e5, 180.0, 0.8, 20.0)
    assert 100_000 < n < 100_100
    assert service_level(1e5, n, 180.0, 20.0) >= 0.8 > service_level(1e5, n - 1, 180.0, 20.0)


def test_a_day_of_intervals_for_fifty_queues_takes_milliseconds() -> None:
    rng = np.random.default_rng(11)
    traffic = rng.uniform(0.5, 120.0, (96, 50))
    aht = rng.uniform(120.0, 600.0, (96, 50))
    required_agents(traffic, aht, 0.8, 20.0)  # warm up
    started = time.perf_counter()
    required_agents(traffic, aht, 0.8, 20.0)
    assert time.perf_counter() - started < 0.25  # about 5 ms here; generous for slow CI


def test_target_of_one_hundred_percent_is_rejected() -> None:
    with pytest.raises(ValueError, match="target"):
        required_agents(10.0, 180.0, 1.0, 20.0)
