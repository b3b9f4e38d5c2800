"""Erlang A required agents."""

from __future__ import annotations

import numpy as np

from headset.staffing import erlang_a, required_agents, required_agents_erlang_a


def test_abandonment_lowers_the_requirement_below_erlang_c() -> None:
    n = required_agents_erlang_a(100 / 1800, 180.0, 300.0, 0.8, 20.0)
    assert n == 13
    assert n < required_agents(10.0, 180.0, 0.8, 20.0)


def test_required_agents_erlang_a_is_minimal() -> None:
    rng = np.random.default_rng(5)
    rate = rng.uniform(0.001, 0.5, 60)
    aht = rng.uniform(60.0, 600.0, 60)
    patience = rng.uniform(20.0, 600.0, 60)
    n = required_agents_erlang_a(rate, aht, patience, 0.8, 20.0)
    assert (erlang_a(rate, aht, patience, n, 20.0).service_level >= 0.8).all()
    assert (erlang_a(rate, aht, patience, n - 1, 20.0).service_level < 0.8).all()
    for i in range(0, 60, 15):
        single = required_agents_erlang_a(
            float(rate[i]), float(aht[i]), float(patience[i]), 0.8, 20.0
        )
        assert single == n[i]


def test_abandon_cap_and_shrinkage() -> None:
    rate = 100 / 1800
    n = required_agents_erlang_a(rate, 180.0, 300.0, 0.8, 20.0, max_abandon=0.005)
    assert erlang_a(rate, 180.0, 300.0, n, 20.0).p_abandon <= 0.005
    assert erlang_a(rate, 180.0, 300.0, n - 1, 20.0).p_abandon > 0.005
    assert required_agents_erlang_a(rate, 180.0, 300.0, 0.8, 20.0, shrinkage=0.3) == 19  # 13/0.7


def test_no_arrivals_need_no_agents() -> None:
    assert required_agents_erlang_a(0.0, 180.0, 300.0, 0.8, 20.0) == 0
