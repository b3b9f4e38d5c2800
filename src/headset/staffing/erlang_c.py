"""Erlang C (M/M/N, no abandonment): probability of waiting, service level and ASA.

Every function takes seconds and either scalars or numpy arrays that broadcast together;
scalar inputs give a float, array inputs an array. The traffic A is in erlangs.
"""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt

from headset.staffing.arrays import (
    FloatArray,
    IntArray,
    as_agents,
    as_floats,
    as_positive,
    float_result,
    is_scalar,
)
from headset.staffing.erlang_b import blocking


def wait_probability(traffic: FloatArray, agents: IntArray, b: FloatArray) -> FloatArray:
    """C = N·B / (N - A·(1 - B)) from B = Erlang B, and 1 where N <= A (validated arrays)."""
    stable = agents > traffic
    with np.errstate(divide="ignore", invalid="ignore"):
        c = agents * b / (agents - traffic * (1.0 - b))
    result: FloatArray = np.where(stable, np.clip(c, 0.0, 1.0), 1.0)
    return result


def answered_within(
    traffic: FloatArray, agents: IntArray, c: FloatArray, aht: FloatArray, threshold: FloatArray
) -> FloatArray:
    """SL(T) = 1 - C·exp(-(N - A)·T/AHT), and 0 where N <= A (validated arrays)."""
    stable = agents > traffic
    sl = 1.0 - c * np.exp(-(agents - traffic) * threshold / aht)
    result: FloatArray = np.where(stable, sl, 0.0)
    return result


def mean_wait(traffic: FloatArray, agents: IntArray, c: FloatArray, aht: FloatArray) -> FloatArray:
    """ASA = C·AHT / (N - A), and inf where N <= A (validated arrays)."""
    stable = agents > traffic
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = c * aht / (agents - traffic)
    result: FloatArray = np.where(stable, asa, np.inf)
    return result


@overload
def erlang_c(traffic: float, agents: int) -> float: ...
@overload
def erlang_c(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> FloatArray: ...
def erlang_c(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> float | FloatArray:
    """Probability that a contact waits: C = N·B / (N - A·(1 - B)); 1.0 when N <= A."""
    a, n = np.broadcast_arrays(as_floats(traffic, "traffic"), as_agents(agents))
    result = wait_probability(a, n, blocking(a, n))
    return float_result(result, is_scalar(traffic, agents))


@overload
def service_level(traffic: float, agents: int, aht: float, threshold: float) -> float: ...
@overload
def service_level(
    traffic: npt.ArrayLike, agents: npt.ArrayLike, aht: npt.ArrayLike, threshold: npt.ArrayLike
) -> FloatArray: ...
def service_level(
    traffic: npt.ArrayLike, agents: npt.ArrayLike, aht: npt.ArrayLike, threshold: npt.ArrayLike
) -> float | FloatArray:
    """Share answered within `threshold` s: 1 - C·exp(-(N - A)·T/AHT); 0 when N <= A."""
    a, n, h, t = np.broadcast_arrays(
        as_floats(traffic, "traffic"),
        as_agents(agents),
        as_positive(aht, "aht"),
        as_floats(threshold, "threshold"),
    )
    c = wait_probability(a, n, blocking(a, n))
    return float_result(answered_within(a, n, c, h, t), is_scalar(traffic, agents, aht, threshold))


@overload
def average_speed_of_answer(traffic: float, agents: int, aht: float) -> float: ...
@overload
def average_speed_of_answer(
    traffic: npt.ArrayLike, agents: npt.ArrayLike, aht: npt.ArrayLike
) -> FloatArray: ...
def average_speed_of_answer(
    traffic: npt.ArrayLike, agents: npt.ArrayLike, aht: npt.ArrayLike
) -> float | FloatArray:
    """Mean wait in seconds over all contacts: ASA = C·AHT / (N - A); inf when N <= A."""
    a, n, h = np.broadcast_arrays(
        as_floats(traffic, "traffic"), as_agents(agents), as_positive(aht, "aht")
    )
    c = wait_probability(a, n, blocking(a, n))
    return float_result(mean_wait(a, n, c, h), is_scalar(traffic, agents, aht))
