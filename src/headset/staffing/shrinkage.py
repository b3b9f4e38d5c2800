"""Shrinkage: from agents required on the phones to heads on the schedule."""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt

from headset.staffing.arrays import FloatArray, IntArray, as_floats, int_result, is_scalar

#: Relative rounding error forgiven before rounding up a head (7 / (1 - 0.3) is 10, not 11).
ROUNDING_TOLERANCE = 1e-9


def as_shrinkage(value: npt.ArrayLike) -> FloatArray:
    """Shrinkage as a fraction in [0, 1)."""
    shrinkage = as_floats(value, "shrinkage")
    if (shrinkage >= 1.0).any():
        raise ValueError("shrinkage must be a fraction below 1")
    return shrinkage


def schedule(required: IntArray, shrinkage: FloatArray) -> IntArray:
    """⌈required / (1 - shrinkage)⌉ for validated arrays."""
    heads = required / (1.0 - shrinkage)
    result: IntArray = np.ceil(heads * (1.0 - ROUNDING_TOLERANCE)).astype(np.int64)
    return result


@overload
def scheduled_agents(required: int, shrinkage: float) -> int: ...
@overload
def scheduled_agents(required: npt.ArrayLike, shrinkage: npt.ArrayLike) -> IntArray: ...
def scheduled_agents(required: npt.ArrayLike, shrinkage: npt.ArrayLike) -> int | IntArray:
    """Heads to schedule so that `required` remain after shrinkage: ⌈required / (1 - s)⌉."""
    heads = np.asarray(required, dtype=np.int64)
    if (heads < 0).any():
        raise ValueError("required must be >= 0")
    return int_result(schedule(heads, as_shrinkage(shrinkage)), is_scalar(required, shrinkage))
