"""The Erlang A queue sum and served-wait integral against their defining series."""

from __future__ import annotations

import math

import numpy as np
import pytest

from headset.staffing.patience_integral import log_queue_sum, tilted_integral


def _log_series(a: float, x: float) -> float:
    """log sum_j x^j/((a+1)...(a+j)), summed term by term until negligible."""
    log_terms, log_term, top, j = [0.0], 0.0, 0.0, 0
    while True:
        j += 1
        log_term += math.log(x / (a + j))
        log_terms.append(log_term)
        top = max(top, log_term)
        if j > x - a and log_term < top - 45:
            break
    return top + math.log(math.fsum(math.exp(t - top) for t in log_terms))


@pytest.mark.parametrize("a", [0.05, 0.5, 3.0, 40.0, 900.0, 20_000.0])
@pytest.mark.parametrize("ratio", [0.01, 0.5, 0.95, 1.0, 1.05, 2.0])
def test_log_queue_sum_matches_series(a: float, ratio: float) -> None:
    x = a * ratio
    expected = _log_series(a, x)
    assert log_queue_sum(np.array(a), np.array(x)) == pytest.approx(expected, rel=1e-12, abs=1e-13)


def test_queue_sum_without_agents_is_exponential() -> None:
    assert log_queue_sum(np.array(0.0), np.array(7.5)) == pytest.approx(7.5)


@pytest.mark.parametrize(("k", "x"), [(1.0, 30.0), (3.0, 0.1), (10.0, 200.0), (100.0, 200.0)])
def test_served_wait_mean_matches_served_chain(k: float, x: float) -> None:
    # a served contact that found j queued ahead waited sum_{i=0..j} 1/(k + i) (in units of
    # patience), and it was served with probability (k-1)/(k+j); j has weight x^j/(k)...(k-1+j)
    a = k - 1.0
    weights: list[float] = []
    waits: list[float] = []
    log_w, j = 0.0, 0
    while True:
        wait = sum(1.0 / (k + i) for i in range(j + 1))
        weights.append(log_w + math.log(k / (k + j)))
        waits.append(wait)
        j += 1
        log_w += math.log(x / (a + j))
        if j > x - a and log_w < max(weights) - 45:
            break
    top = max(weights)
    w = [math.exp(v - top) for v in weights]
    expected = math.fsum(wi * t for wi, t in zip(w, waits, strict=True)) / math.fsum(w)
    assert tilted_integral(np.array(k), np.array(x))[1] == pytest.approx(expected, rel=1e-11)
