"""Offered traffic in erlangs and the occupancy it gives N agents."""

from __future__ import annotations

from typing import overload

import numpy as np
import numpy.typing as npt

from headset.staffing.arrays import (
    FloatArray,
    as_agents,
    as_floats,
    as_positive,
    float_result,
    is_scalar,
)


@overload
def traffic_intensity(arrivals: float, interval: float, aht: float) -> float: ...
@overload
def traffic_intensity(
    arrivals: npt.ArrayLike, interval: npt.ArrayLike, aht: npt.ArrayLike
) -> FloatArray: ...
def traffic_intensity(
    arrivals: npt.ArrayLike, interval: npt.ArrayLike, aht: npt.ArrayLike
) -> float | FloatArray:
    """Erlangs offered: arrivals per `interval` seconds x AHT seconds / interval."""
    result = (
        as_floats(arrivals, "arrivals") / as_positive(interval, "interval") * as_floats(aht, "aht")
    )
    return float_result(np.asarray(result, dtype=np.float64), is_scalar(arrivals, interval, aht))


@overload
def occupancy(traffic: float, agents: int) -> float: ...
@overload
def occupancy(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> FloatArray: ...
def occupancy(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> float | FloatArray:
    """Erlang C occupancy A/N capped at 1 (1 with no agents and some traffic, 0 with none)."""
    a, n = np.broadcast_arrays(as_floats(traffic, "traffic"), as_agents(agents))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(n > 0, a / np.maximum(n, 1), np.where(a > 0, 1.0, 0.0))
    return float_result(np.minimum(ratio, 1.0), is_scalar(traffic, agents))
