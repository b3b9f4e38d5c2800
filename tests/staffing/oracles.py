"""Independent exact oracles for the staffing tests: fractions and factorials, small N only."""

from __future__ import annotations

import math
from fractions import Fraction


def erlang_b_exact(traffic: Fraction, agents: int) -> Fraction:
    """Erlang B from its defining sum, (A^N/N!) / sum_k A^k/k!, in exact arithmetic."""
    terms = [traffic**k / math.factorial(k) for k in range(agents + 1)]
    return terms[-1] / sum(terms)


def erlang_c_exact(traffic: Fraction, agents: int) -> Fraction:
    """Erlang C from its textbook closed form with factorials, in exact arithmetic."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    rest = sum(traffic**k / math.factorial(k) for k in range(agents))
    return top / (rest + top)


def service_level_exact(traffic: Fraction, agents: int, aht: float, threshold: float) -> float:
    """1 - C * exp(-(N - A) T / AHT) with C exact."""
    c = erlang_c_exact(traffic, agents)
    return 1.0 - float(c) * math.exp(-float(agents - traffic) * threshold / aht)
