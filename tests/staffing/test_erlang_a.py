"""Erlang A against an independent solution of the M/M/N+M birth-death chain."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import expm
from scipy.stats import poisson

from headset.staffing import erlang_a, erlang_c, service_level


def _hypoexponential_cdf(rates: list[float], t: float) -> float:
    """P(sum of Exp(rate_i) <= t), from the phase-type generator."""
    q = np.diag([-r for r in rates]) + np.diag(rates[:-1], k=1)
    return 1.0 - float(expm(q * t)[0].sum())


def _chain(rate: float, aht: float, patience: float, agents: int, t: float) -> dict[str, float]:
    """Truncated birth-death chain; each queued contact races its own patience phase by phase.

    A contact finding j queued ahead waits through phases with rates N/AHT + i/patience,
    i = j..0, each of which it survives with probability r / (r + 1/patience); a served
    contact's phases are then Exp(r + 1/patience). Independent of the module's closed forms.
    """
    mu, g = 1.0 / aht, 1.0 / patience
    log_p = [0.0]
    for k in range(1, agents + 250):
        death = k * mu if k <= agents else agents * mu + (k - agents) * g
        log_p.append(log_p[-1] + math.log(rate / death))
    top = max(log_p)
    weights = [math.exp(v - top) for v in log_p]
    p = [w / math.fsum(weights) for w in weights]
    served = within = math.fsum(p[:agents])
    wait_served = late_patient = 0.0
    for j, q in enumerate(p[agents:]):
        if q < 1e-18:
            continue
        rates = [agents * mu + i * g for i in range(j, -1, -1)]
        survive = math.prod(r / (r + g) for r in rates)
        served += q * survive
        wait_served += q * survive * sum(1 / (r + g) for r in rates)
        within += q * survive * _hypoexponential_cdf([r + g for r in rates], t)
        late_patient += q * (1.0 - _hypoexponential_cdf(rates, t)) * math.exp(-g * t)
    abandoned_late = late_patient - (served - within)
    return {
        "p_wait": math.fsum(p[agents:]),
        "p_abandon": 1.0 - served,
        "asa": wait_served / served,
        "service_level": within / (served + abandoned_late),
        "p_served_within": within,
        "p_wait_within": 1.0 - late_patient,
        "occupancy": rate * aht * served / agents,
    }


CASES = [
    (100 / 1800, 180.0, 300.0, 14, 20.0),
    (100 / 1800, 180.0, 60.0, 9, 20.0),
    (0.5, 30.0, 20.0, 12, 10.0),
    (2.0, 10.0, 5.0, 15, 3.0),
    (1 / 60, 240.0, 600.0, 3, 30.0),
]


@pytest.mark.parametrize("case", CASES)
def test_erlang_a_matches_birth_death_chain(case: tuple[float, float, float, int, float]) -> None:
    result = erlang_a(*case)
    expected = _chain(*case)
    for field, value in expected.items():
        assert getattr(result, field) == pytest.approx(value, rel=1e-9), field


@pytest.mark.parametrize(("traffic", "agents"), [(3.0, 2), (10.0, 12), (40.0, 38), (500.0, 520)])
def test_patience_equal_to_aht_gives_poisson_occupancy(traffic: float, agents: int) -> None:
    # With patience = AHT every contact in the system leaves at rate 1/AHT, waiting or not,
    # so the number present is Poisson(A) (an M/M/infinity queue): P(wait) = P(K >= N) and
    # P(abandon) = E[(K - N)+] / A.
    aht = 120.0
    result = erlang_a(traffic / aht, aht, aht, agents, 20.0)
    k = np.arange(agents, agents + 2000)
    excess = float(((k - agents) * poisson.pmf(k, traffic)).sum())
    assert result.p_wait == pytest.approx(float(poisson.sf(agents - 1, traffic)), rel=1e-10)
    assert result.p_abandon == pytest.approx(excess / traffic, rel=1e-9)


def test_very_patient_contacts_reduce_to_erlang_c() -> None:
    result = erlang_a(100 / 1800, 180.0, 1e9, 14, 20.0)
    assert result.p_wait == pytest.approx(erlang_c(10.0, 14), rel=1e-6)
    assert result.service_level == pytest.approx(service_level(10.0, 14, 180.0, 20.0), rel=1e-6)
    assert result.p_abandon < 1e-7


def test_service_level_counts_only_abandons_after_the_threshold() -> None:
    r = erlang_a(100 / 1800, 180.0, 60.0, 9, 20.0)
    p_served = 1.0 - r.p_abandon
    assert r.service_level > r.p_served_within / (p_served + r.p_abandon)
    assert r.service_level < r.p_served_within / p_served
    assert r.p_wait_within != pytest.approx(r.service_level, abs=1e-3)


@pytest.mark.parametrize(
    ("agents", "patience"), [(99_000, 300.0), (100_000, 30.0), (100_500, 300.0)]
)
def test_erlang_a_is_stable_at_100000_erlangs(agents: int, patience: float) -> None:
    rate, aht = 1e5 / 180.0, 180.0
    result = erlang_a(rate, aht, patience, agents, 20.0)
    for value in (result.p_wait, result.p_abandon, result.asa, result.service_level):
        assert math.isfinite(value)
    # the same chain in log space with numpy, truncated far out
    k = np.arange(1, agents + 300_000)
    death = np.where(k <= agents, k / aht, agents / aht + (k - agents) / patience)
    log_p = np.concatenate([[0.0], np.cumsum(np.log(rate / death))])
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    queued = np.clip(np.arange(p.size) - agents, 0, None)
    assert result.p_wait == pytest.approx(p[agents:].sum(), rel=1e-8)
    assert result.p_abandon == pytest.approx((queued * p).sum() / patience / rate, rel=1e-7)


def test_vectorised_erlang_a_equals_scalar_calls() -> None:
    agents = np.array([[8], [10], [13]])
    patience = np.array([30.0, 300.0])
    grid = erlang_a(100 / 1800, 180.0, patience, agents, 20.0)
    assert np.shape(grid.service_level) == (3, 2)
    for i, n in enumerate(agents[:, 0]):
        for j, theta in enumerate(patience):
            single = erlang_a(100 / 1800, 180.0, float(theta), int(n), 20.0)
            # the quadrature picks one panel count per batch, so allow rounding differences
            assert single.asa == pytest.approx(grid.asa[i, j], rel=1e-12)  # type: ignore[index]
            assert single.service_level == pytest.approx(
                grid.service_level[i, j],  # type: ignore[index]
                rel=1e-12,
            )


def test_no_agents_serve_nobody() -> None:
    result = erlang_a(0.1, 60.0, 30.0, 0, 20.0)
    assert result.p_wait == 1.0
    assert result.p_abandon == 1.0
    assert result.service_level == 0.0
    assert result.asa == math.inf
