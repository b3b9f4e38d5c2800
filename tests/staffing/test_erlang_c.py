"""Erlang C, service level and ASA against worked examples and an exact oracle."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from headset.staffing import average_speed_of_answer, erlang_c, service_level

from .oracles import erlang_c_exact, service_level_exact


def test_ten_erlang_worked_example() -> None:
    # The widely used example (e.g. Call Centre Helper, "Erlang C formula - made simple"):
    # 100 calls per 30 min, AHT 180 s = 10 E, 14 agents, 80/20 target: P(wait) 17.4 %,
    # service level 88.8 %, ASA 7.8 s (1 - 0.17413 * exp(-4 * 20 / 180) = 0.88835).
    assert erlang_c(10.0, 14) == pytest.approx(0.17413, abs=5e-6)
    assert service_level(10.0, 14, 180.0, 20.0) == pytest.approx(0.88835, abs=5e-6)
    assert average_speed_of_answer(10.0, 14, 180.0) == pytest.approx(7.8359, abs=5e-5)


def test_westbay_worked_example() -> None:
    # Westbay Engineers, "The Erlang-C formula": 360 calls per 30 min, 240 s calls = 48 E,
    # 55 agents, 15 s: P(wait) 23.9 %, ASA 8.2 s, service level 84.6 %.
    assert erlang_c(48.0, 55) == pytest.approx(0.2387, abs=5e-5)
    assert average_speed_of_answer(48.0, 55, 240.0) == pytest.approx(8.18, abs=5e-3)
    assert service_level(48.0, 55, 240.0, 15.0) == pytest.approx(0.8459, abs=5e-5)


@pytest.mark.parametrize("traffic", ["0.25", "2", "9.5", "30"])
@pytest.mark.parametrize("extra", [1, 2, 5, 12])
def test_erlang_c_equals_exact_factorial_formula(traffic: str, extra: int) -> None:
    a = Fraction(traffic)
    agents = int(a) + extra
    assert erlang_c(float(a), agents) == pytest.approx(float(erlang_c_exact(a, agents)), rel=1e-12)
    sl = service_level(float(a), agents, 240.0, 30.0)
    assert sl == pytest.approx(service_level_exact(a, agents, 240.0, 30.0), rel=1e-12)


def test_overloaded_queue_always_waits_and_never_meets_service() -> None:
    assert erlang_c(10.0, 10) == 1.0
    assert erlang_c(10.5, 10) == 1.0
    assert service_level(10.0, 9, 180.0, 20.0) == 0.0
    assert average_speed_of_answer(10.0, 10, 180.0) == np.inf


def test_erlang_c_is_stable_at_100000_erlangs() -> None:
    agents = np.array([100_001, 100_200, 100_500, 101_000])
    c = erlang_c(1e5, agents)
    sl = service_level(1e5, agents, 180.0, 20.0)
    asa = average_speed_of_answer(1e5, agents, 180.0)
    assert np.isfinite(c).all()
    assert np.isfinite(asa).all()
    assert (np.diff(c) < 0).all()
    assert (np.diff(sl) >= 0).all()
    assert sl[0] == pytest.approx(1.0 - c[0] * np.exp(-20 / 180), rel=1e-12)
    assert 0.9 < c[0] < 1.0  # one agent over the load: nearly everyone waits
    assert c[2] == pytest.approx(0.0715, abs=5e-4)  # 500 = 1.58 sqrt(A) spare agents
    assert sl[2] == pytest.approx(1.0 - c[2] * np.exp(-500 * 20 / 180), rel=1e-12)


def test_vectorised_results_equal_scalar_results() -> None:
    traffic = np.linspace(0.5, 60.0, 12).reshape(3, 4)
    agents = np.ceil(traffic).astype(int) + 3
    aht = np.array([120.0, 180.0, 240.0, 300.0])
    sl = service_level(traffic, agents, aht, 20.0)
    asa = average_speed_of_answer(traffic, agents, aht)
    for index in np.ndindex(traffic.shape):
        a, n, h = float(traffic[index]), int(agents[index]), float(aht[index[1]])
        assert sl[index] == service_level(a, n, h, 20.0)
        assert asa[index] == average_speed_of_answer(a, n, h)
        assert isinstance(service_level(a, n, h, 20.0), float)
