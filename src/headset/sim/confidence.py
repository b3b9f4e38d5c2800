"""Means and Student-t confidence intervals across independent replications."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import t as student_t


@dataclass(frozen=True, slots=True)
class Estimate:
    """A mean over replications, with its confidence interval (None with fewer than 2)."""

    mean: float | None
    low: float | None = None
    high: float | None = None
    replications: int = 0


def estimate(values: Sequence[float | None], level: float = 0.95) -> Estimate:
    """Mean and two-sided `level` interval of the defined values (None values are skipped)."""
    known = [v for v in values if v is not None]
    n = len(known)
    if n == 0:
        return Estimate(None)
    mean = math.fsum(known) / n
    if n < 2:
        return Estimate(mean, replications=1)
    variance = math.fsum((v - mean) ** 2 for v in known) / (n - 1)
    half = float(student_t.ppf(0.5 + level / 2, n - 1)) * math.sqrt(variance / n)
    return Estimate(mean, mean - half, mean + half, n)
