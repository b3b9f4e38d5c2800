"""Required agents: the smallest N that meets a service-level target and optional caps.

Erlang C: the search starts at ⌊A⌋ + 1 (N must exceed A) and steps every unfinished problem
up at once, advancing Erlang B by one recursion step per agent, so a whole day of intervals
x queues costs a few dozen numpy passes.
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
from headset.staffing.erlang_b import blocking, next_blocking
from headset.staffing.erlang_c import answered_within, mean_wait, wait_probability
from headset.staffing.shrinkage import as_shrinkage, schedule
from headset.staffing.targets import as_cap, as_target


def _erlang_c_search(
    traffic: FloatArray,
    aht: FloatArray,
    target: FloatArray,
    threshold: FloatArray,
    max_occupancy: FloatArray,
    max_asa: FloatArray,
) -> IntArray:
    """Smallest N per problem (flat arrays), stepping all unfinished problems up together."""
    agents = np.floor(traffic).astype(np.int64) + 1
    floor_occupancy = np.floor(traffic / max_occupancy) - 1.0
    agents = np.maximum(agents, floor_occupancy.astype(np.int64))
    b = blocking(traffic, agents)
    result = np.where(traffic == 0, 0, -1).astype(np.int64)
    todo = np.flatnonzero(result < 0)
    while todo.size:
        a, n, bt = traffic[todo], agents[todo], b[todo]
        c = wait_probability(a, n, bt)
        meets = (
            (answered_within(a, n, c, aht[todo], threshold[todo]) >= target[todo])
            & (a / n <= max_occupancy[todo])
            & (mean_wait(a, n, c, aht[todo]) <= max_asa[todo])
        )
        result[todo[meets]] = n[meets]
        todo = todo[~meets]
        b[todo] = next_blocking(traffic[todo], agents[todo], b[todo])
        agents[todo] += 1
    return result


@overload
def required_agents(
    traffic: float,
    aht: float,
    target: float,
    threshold: float,
    max_occupancy: float | None = None,
    shrinkage: float = 0.0,
    max_asa: float | None = None,
) -> int: ...
@overload
def required_agents(
    traffic: npt.ArrayLike,
    aht: npt.ArrayLike,
    target: npt.ArrayLike,
    threshold: npt.ArrayLike,
    max_occupancy: npt.ArrayLike | None = None,
    shrinkage: npt.ArrayLike = 0.0,
    max_asa: npt.ArrayLike | None = None,
) -> IntArray: ...
def required_agents(
    traffic: npt.ArrayLike,
    aht: npt.ArrayLike,
    target: npt.ArrayLike,
    threshold: npt.ArrayLike,
    max_occupancy: npt.ArrayLike | None = None,
    shrinkage: npt.ArrayLike = 0.0,
    max_asa: npt.ArrayLike | None = None,
) -> int | IntArray:
    """Smallest N (Erlang C) with SL(threshold) >= target, A/N <= max_occupancy, ASA <= max_asa.

    `target` and `max_occupancy` are fractions, times in seconds; zero traffic needs 0
    agents. With `shrinkage` > 0 the result is the scheduled headcount, scheduled_agents(N).
    """
    arrays = np.broadcast_arrays(
        as_floats(traffic, "traffic"),
        as_positive(aht, "aht"),
        as_target(target),
        as_floats(threshold, "threshold"),
        as_cap(max_occupancy, "max_occupancy", fraction=True),
        as_cap(max_asa, "max_asa", fraction=False),
        as_shrinkage(shrinkage),
    )
    if not np.isfinite(arrays[0]).all():
        raise ValueError("traffic must be finite")
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(array).ravel() for array in arrays]
    required = _erlang_c_search(*flat[:6])
    result = schedule(required, flat[6]).reshape(shape)
    scalar = is_scalar(traffic, aht, target, threshold, max_occupancy, shrinkage, max_asa)
    return int_result(result, scalar)
