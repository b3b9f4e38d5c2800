"""Array inputs and outputs shared by the staffing calculators (scalars or broadcast arrays)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def as_floats(value: npt.ArrayLike, name: str, *, minimum: float = 0.0) -> FloatArray:
    """Convert to a float array, rejecting NaN and values below `minimum`."""
    array = np.asarray(value, dtype=np.float64)
    if np.isnan(array).any():
        raise ValueError(f"{name} must not be NaN")
    if (array < minimum).any():
        raise ValueError(f"{name} must be >= {minimum:g}")
    return array


def as_positive(value: npt.ArrayLike, name: str) -> FloatArray:
    """Convert to a float array of finite values > 0."""
    array = as_floats(value, name)
    if not (np.isfinite(array) & (array > 0)).all():
        raise ValueError(f"{name} must be finite and > 0")
    return array


def as_agents(value: npt.ArrayLike) -> IntArray:
    """Convert agent counts to an int array, rejecting negative or fractional values."""
    array = np.asarray(value)
    if array.dtype.kind not in "iu":
        floats = np.asarray(array, dtype=np.float64)
        if not (np.isfinite(floats) & (floats == np.round(floats))).all():
            raise ValueError("agents must be whole numbers")
        array = floats
    agents = np.asarray(array, dtype=np.int64)
    if (agents < 0).any():
        raise ValueError("agents must be >= 0")
    return agents


def is_scalar(*values: npt.ArrayLike | None) -> bool:
    """True when every input is a scalar, so the result is returned as a plain number."""
    return all(value is None or np.ndim(value) == 0 for value in values)


def float_result(result: FloatArray, scalar: bool) -> float | FloatArray:
    """Return a Python float for scalar inputs, else the array."""
    return float(result) if scalar else result


def int_result(result: IntArray, scalar: bool) -> int | IntArray:
    """Return a Python int for scalar inputs, else the array."""
    return int(result) if scalar else result
