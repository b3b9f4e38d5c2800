"""Erlang B blocking probability through the stable recursion, vectorised over arrays.

B(0) = 1, B(n) = A·B(n-1) / (n + A·B(n-1)). No factorials, so nothing overflows.

To keep large traffic fast, each value starts the recursion at
m = max(0, ⌊min(N, A)⌋ - ⌈10√A⌉ - 10) from B(m) = 1 instead of at n = 0. Below A the map
contracts an over-estimate by at least n/A per step and above A it never grows the relative
error, so the skipped start changes B(N) by less than e^-50 relative; the work per value is
about 10√A + (N - A) steps instead of N.
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
    float_result,
    is_scalar,
)

WARM_START_SIGMAS = 10.0


def recursion_start(traffic: FloatArray, agents: IntArray) -> IntArray:
    """The n from which the recursion starts with B = 1 (see module docstring)."""
    skipped = np.ceil(WARM_START_SIGMAS * np.sqrt(traffic)) + 10.0
    start = np.floor(np.minimum(agents, traffic)) - skipped
    return np.maximum(start, 0.0).astype(np.int64)


def blocking(traffic: FloatArray, agents: IntArray) -> FloatArray:
    """Erlang B for already-validated arrays; broadcasts traffic against agents."""
    traffic, agents = np.broadcast_arrays(traffic, agents)
    start = recursion_start(traffic, agents)
    steps = agents - start
    n = start.astype(np.float64)
    b = np.ones(traffic.shape, dtype=np.float64)
    for step in range(int(steps.max(initial=0))):
        n += 1.0
        a_b = traffic * b
        b = np.where(step < steps, a_b / (n + a_b), b)
    return b


def next_blocking(traffic: FloatArray, agents: IntArray, b: FloatArray) -> FloatArray:
    """One recursion step: B(N + 1) from B(N)."""
    a_b = traffic * b
    result: FloatArray = a_b / (agents + 1.0 + a_b)
    return result


@overload
def erlang_b(traffic: float, agents: int) -> float: ...
@overload
def erlang_b(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> FloatArray: ...
def erlang_b(traffic: npt.ArrayLike, agents: npt.ArrayLike) -> float | FloatArray:
    """Blocking probability of an M/M/N/N loss system with `traffic` erlangs and N agents."""
    result = blocking(as_floats(traffic, "traffic"), as_agents(agents))
    return float_result(result, is_scalar(traffic, agents))
