"""Erlang A (M/M/N+M, Palm's queue with exponential patience; Garnett, Mandelbaum, Reiman 2002).

Contacts arrive at rate λ, handle times are exponential with mean AHT, and each waiting
contact abandons after an exponential patience with mean θ (g = 1/θ). With A = λ·AHT,
a = N·θ/AHT and x = λ·θ, the birth-death chain gives (Mandelbaum & Zeltyn, "The Palm/Erlang-A
queue, with applications to call centers"):

    P(wait)               = S / (1/B + S - 1)        B = Erlang B(A, N), S = S(a, x)
    P(V > t | wait)       = P(a, x·e^-gt) / P(a, x)  V = offered wait, P = regularised g
    P(served | wait)      = a/(a+1) · S(a+1, x) / S(a, x)

and the rest follows from V and the patience being independent: a contact is served iff
V < patience, so P(served, V <= T) = E[e^-gV; V <= T] and P(abandon after T) =
P(V > T)·e^-gT - P(served, V > T). Everything is computed from log S; patience_integral
explains how that stays accurate and overflow-free to 100,000 erlangs and beyond.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import expit

from headset.staffing.arrays import (
    FloatArray,
    as_agents,
    as_floats,
    as_positive,
    is_scalar,
)
from headset.staffing.erlang_b import blocking
from headset.staffing.patience_integral import log_queue_sum, tilted_integral


@dataclass(frozen=True, slots=True)
class ErlangAResult:
    """Steady-state figures of one M/M/N+M system (floats, or arrays for array inputs).

    - p_wait: P(W > 0), the share of contacts that find every agent busy.
    - p_abandon: share of contacts that abandon (all abandons, however short).
    - asa: mean wait in seconds of SERVED contacts (Headset's ASA), inf if none is served.
    - service_level: Headset's SL = served within T ÷ (served + abandoned after T).
    - p_served_within: P(served and wait <= T), over all contacts.
    - p_wait_within: textbook P(W <= T) over all contacts, W = wait until answer or abandon.
    - occupancy: served traffic ÷ N (0 with no agents).
    """

    p_wait: float | FloatArray
    p_abandon: float | FloatArray
    asa: float | FloatArray
    service_level: float | FloatArray
    p_served_within: float | FloatArray
    p_wait_within: float | FloatArray
    occupancy: float | FloatArray


def erlang_a(
    arrival_rate: npt.ArrayLike,
    aht: npt.ArrayLike,
    patience: npt.ArrayLike,
    agents: npt.ArrayLike,
    threshold: npt.ArrayLike,
) -> ErlangAResult:
    """Erlang A figures for arrivals per second, AHT and mean patience in seconds, N agents."""
    lam, h, theta, n, t = np.broadcast_arrays(
        as_floats(arrival_rate, "arrival_rate"),
        as_positive(aht, "aht"),
        as_positive(patience, "patience"),
        as_agents(agents),
        as_floats(threshold, "threshold"),
    )
    figures = erlang_a_arrays(lam, h, theta, n.astype(np.int64), t)
    if is_scalar(arrival_rate, aht, patience, agents, threshold):
        return ErlangAResult(*(float(value) for value in figures))
    return ErlangAResult(*figures)


def erlang_a_arrays(
    lam: FloatArray,
    aht: FloatArray,
    patience: FloatArray,
    agents: npt.NDArray[np.int64],
    threshold: FloatArray,
) -> tuple[FloatArray, ...]:
    """The ErlangAResult fields, in order, for validated broadcast arrays."""
    traffic = lam * aht
    a = agents * patience / aht
    x = lam * patience
    decay = threshold / patience  # g·T
    y = x * np.exp(-decay)
    b = blocking(traffic, agents)
    log_s_a_x = log_queue_sum(a, x)
    log_x_z, served_v = tilted_integral(a + 1.0, x)  # Z(a+1, x) and mean g·V of served
    log_s_a1_x = np.log(a + 1.0) + log_x_z
    with np.errstate(divide="ignore"):
        log_odds_b = np.log1p(-b) - np.log(b)  # log((1 - B)/B), ±inf at the ends
    p_wait = expit(log_s_a_x - log_odds_b)
    served_queued = p_wait * a / (a + 1.0) * np.exp(log_s_a1_x - log_s_a_x)
    p_abandon = np.clip(p_wait - served_queued, 0.0, 1.0)
    p_served = 1.0 - p_abandon
    # log((y/x)^(a+1)·e^(x-y)), shared by the two ratios of incomplete gammas below
    log_shift = -(a + 1.0) * decay - x * np.expm1(-decay)
    served_late = served_queued * np.exp(log_shift + log_queue_sum(a + 1.0, y) - log_s_a1_x)
    late_and_patient = p_wait * np.exp(log_shift + log_queue_sum(a, y) - log_s_a_x)
    p_served_within = np.clip(1.0 - p_wait + served_queued - served_late, 0.0, 1.0)
    abandoned_late = np.maximum(late_and_patient - served_late, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        service_level = np.where(p_served > 0, p_served_within / (p_served + abandoned_late), 0.0)
        asa = np.where(p_served > 0, served_queued * served_v * patience / p_served, np.inf)
        occupancy = np.where(agents > 0, traffic * p_served / np.maximum(agents, 1), 0.0)
    p_wait_within = 1.0 - late_and_patient
    return (p_wait, p_abandon, asa, service_level, p_served_within, p_wait_within, occupancy)
