"""Validation of staffing targets and caps: service-level fractions, occupancy and wait caps."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from headset.staffing.arrays import FloatArray, as_floats, as_positive


def as_target(value: npt.ArrayLike) -> FloatArray:
    """A service-level target as a fraction in [0, 1): 0.8 means 80 %."""
    target = as_floats(value, "target")
    if (target >= 1.0).any():
        raise ValueError("target must be a fraction below 1 (0.8 for 80 %)")
    return target


def as_cap(value: npt.ArrayLike | None, name: str, *, fraction: bool) -> FloatArray:
    """An optional upper bound (> 0, and <= 1 for a fraction); None means no cap (inf)."""
    if value is None:
        return np.asarray(np.inf)
    cap = as_positive(value, name)
    if fraction and (cap > 1.0).any():
        raise ValueError(f"{name} must be a fraction in (0, 1]")
    return cap
