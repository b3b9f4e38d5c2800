"""Erlang B against published tables, an exact oracle, and at 100,000 erlangs."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from headset.staffing import erlang_b
from headset.staffing.erlang_b import recursion_start

from .oracles import erlang_b_exact


# Classic Erlang B table (traffic in erlangs for a given N and grade of service), as printed
# in e.g. the ITU-T "Teletraffic Engineering" handbook tables and every Erlang B table:
# N=5 @ 2 %: 1.657 E; N=10 @ 1 %: 4.461 E; N=20 @ 1 %: 12.031 E; N=50 @ 1 %: 37.901 E;
# N=100 @ 1 %: 84.064 E. Table traffic is rounded to 3 decimals, hence the tolerance.
@pytest.mark.parametrize(
    ("traffic", "agents", "blocking"),
    [
        (1.657, 5, 0.02),
        (4.461, 10, 0.01),
        (12.031, 20, 0.01),
        (37.901, 50, 0.01),
        (84.064, 100, 0.01),
    ],
)
def test_erlang_b_matches_published_table(traffic: float, agents: int, blocking: float) -> None:
    assert erlang_b(traffic, agents) == pytest.approx(blocking, rel=1e-3)


@pytest.mark.parametrize("traffic", ["0.5", "3", "7.25", "19.9", "40"])
@pytest.mark.parametrize("agents", [0, 1, 2, 7, 20, 45])
def test_erlang_b_equals_exact_factorial_sum(traffic: str, agents: int) -> None:
    exact = erlang_b_exact(Fraction(traffic), agents)
    assert erlang_b(float(traffic), agents) == pytest.approx(float(exact), rel=1e-12)


def test_two_erlangs_on_three_trunks_is_four_nineteenths() -> None:
    # B(3, 2) = (8/6) / (1 + 2 + 2 + 8/6) = 4/19, worked by hand
    assert erlang_b(2.0, 3) == pytest.approx(4 / 19, rel=1e-15)


def test_warm_start_matches_full_recursion_from_zero() -> None:
    rng = np.random.default_rng(7)
    traffic = rng.uniform(0.0, 2500.0, 80)
    agents = rng.integers(0, 3000, 80)
    assert (recursion_start(traffic, agents) > 0).any()
    for a, n in zip(traffic, agents, strict=True):
        b = 1.0
        for k in range(1, int(n) + 1):
            b = a * b / (k + a * b)
        assert erlang_b(float(a), int(n)) == pytest.approx(b, rel=1e-12, abs=1e-300)


def test_erlang_b_is_stable_at_100000_erlangs() -> None:
    values = erlang_b(1e5, np.array([90_000, 100_000, 100_500, 102_000]))
    assert np.isfinite(values).all()
    assert (np.diff(values) < 0).all()
    # near N = A, B ~ sqrt(2 / (pi A)) / (1 + ...) ~ 2.5e-3; far below A, B ~ 1 - N/A
    assert 1e-3 < values[1] < 3e-3
    assert values[0] == pytest.approx(0.1, rel=0.02)


def test_vectorised_erlang_b_equals_scalar_calls() -> None:
    traffic = np.array([[0.5], [10.0], [250.0]])
    agents = np.array([1, 12, 260])
    grid = erlang_b(traffic, agents)
    assert grid.shape == (3, 3)
    for i in range(3):
        for j in range(3):
            assert grid[i, j] == erlang_b(float(traffic[i, 0]), int(agents[j]))


def test_erlang_b_rejects_fractional_or_negative_agents() -> None:
    with pytest.raises(ValueError, match="whole"):
        erlang_b(3.0, 2.5)
    with pytest.raises(ValueError, match=">= 0"):
        erlang_b(3.0, -1)
    with pytest.raises(ValueError, match="traffic"):
        erlang_b(-1.0, 3)
