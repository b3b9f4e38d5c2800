"""Required agents under Erlang A: the smallest N meeting the target, found by bisection.

With abandonment N may be below the offered traffic, so there is no useful lower bound to
step up from; instead every problem bisects at once between a failing N (starting at 0) and
a passing one (doubled until it passes). The figures improve with N, so the result is the
smallest passing N, and N - 1 always fails.
"""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt

from headset.staffing.arrays import (
    FloatArray,
    IntArray,
    as_floats,
    as_positive,
    int_result,
    is_scalar,
)
from headset.staffing.erlang_a import erlang_a_arrays
from headset.staffing.shrinkage import as_shrinkage, schedule
from headset.staffing.targets import as_cap, as_target


def _meets(problem: list[FloatArray], index: IntArray, agents: IntArray) -> npt.NDArray[np.bool_]:
    """Whether `agents` meet every criterion for the problems at `index`."""
    lam, aht, patience, target, threshold, max_occupancy, max_asa, max_abandon = (
        column[index] for column in problem
    )
    p_wait, p_abandon, asa, sl, *_, occupancy = erlang_a_arrays(
        lam, aht, patience, agents, threshold
    )
    del p_wait
    result: npt.NDArray[np.bool_] = (
        (agents > 0)
        & (sl >= target)
        & (occupancy <= max_occupancy)
        & (asa <= max_asa)
        & (p_abandon <= max_abandon)
    )
    return result


def _bisect(problem: list[FloatArray]) -> IntArray:
    """Smallest passing N per problem (flat arrays); 0 where nothing arrives."""
    lam, aht = problem[0], problem[1]
    size = lam.size
    low = np.zeros(size, dtype=np.int64)  # N = 0 never passes with arrivals
    high = np.floor(lam * aht).astype(np.int64) + 1
    todo = np.flatnonzero(lam > 0)
    while todo.size:
        passes = _meets(problem, todo, high[todo])
        low[todo[~passes]] = high[todo[~passes]]
        high[todo[~passes]] *= 2
        todo = todo[~passes]
    todo = np.flatnonzero((lam > 0) & (high - low > 1))
    while todo.size:
        middle = (low[todo] + high[todo]) // 2
        passes = _meets(problem, todo, middle)
        high[todo[passes]] = middle[passes]
        low[todo[~passes]] = middle[~passes]
        todo = todo[high[todo] - low[todo] > 1]
    result: IntArray = np.where(lam > 0, high, 0)
    return result


@overload
def required_agents_erlang_a(
    arrival_rate: float,
    aht: float,
    patience: float,
    target: float,
    threshold: float,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    max_asa: float | None = None,
    max_abandon: float | None = None,
) -> int: ...
@overload
def required_agents_erlang_a(
    arrival_rate: npt.ArrayLike,
    aht: npt.ArrayLike,
    patience: npt.ArrayLike,
    target: npt.ArrayLike,
    threshold: npt.ArrayLike,
    max_occupancy: npt.ArrayLike | None = None,
    shrinkage: npt.ArrayLike = 0.0,
    max_asa: npt.ArrayLike | None = None,
    max_abandon: npt.ArrayLike | None = None,
) -> IntArray: ...
def required_agents_erlang_a(
    arrival_rate: npt.ArrayLike,
    aht: npt.ArrayLike,
    patience: npt.ArrayLike,
    target: npt.ArrayLike,
    threshold: npt.ArrayLike,
    max_occupancy: npt.ArrayLike | None = None,
    shrinkage: npt.ArrayLike = 0.0,
    max_asa: npt.ArrayLike | None = None,
    max_abandon: npt.ArrayLike | None = None,
) -> int | IntArray:
    """Smallest N (Erlang A) with Headset SL >= target and occupancy, ASA, abandon caps.

    Arrivals per second; AHT, mean patience and threshold in seconds; target and caps are
    fractions. No arrivals need 0 agents. With `shrinkage` > 0 the result is the scheduled
    headcount, scheduled_agents(N, shrinkage).
    """
    arrays = np.broadcast_arrays(
        as_floats(arrival_rate, "arrival_rate"),
        as_positive(aht, "aht"),
        as_positive(patience, "patience"),
        as_target(target),
        as_floats(threshold, "threshold"),
        as_cap(max_occupancy, "max_occupancy", fraction=True),
        as_cap(max_asa, "max_asa", fraction=False),
        as_cap(max_abandon, "max_abandon", fraction=True),
        as_shrinkage(shrinkage),
    )
    if not np.isfinite(arrays[0]).all():
        raise ValueError("arrival_rate must be finite")
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(array, dtype=np.float64).ravel() for array in arrays]
    required = _bisect(flat[:8])
    result = schedule(required, flat[8]).reshape(shape)
    scalar = is_scalar(
        arrival_rate,
        aht,
        patience,
        target,
        threshold,
        max_occupancy,
        shrinkage,
        max_asa,
        max_abandon,
    )
    return int_result(result, scalar)
