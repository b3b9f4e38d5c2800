"""Exact steady-state figures of M/M/N (Erlang C) and M/M/N+M (Erlang A) queues, for tests.

Written independently of headset.staffing: Erlang C by the glossary's formulas, Erlang A
from the birth-death chain of the number in system and the absorbing chain of one waiting
customer (customers ahead either leave or enter service; the customer itself may give up).
Service level uses Headset's definition: answered within T ÷ (answered + abandoned after T).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.linalg import expm


@dataclass(frozen=True)
class QueueFigures:
    service_level: float
    asa: float
    abandonment_rate: float
    occupancy: float


def erlang_c(arrival_rate: float, aht: float, agents: int, threshold: float) -> QueueFigures:
    """M/M/N: SL(T) = 1 - C·exp(-(N - A)·T/AHT), ASA = C·AHT/(N - A)."""
    traffic = arrival_rate * aht
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = traffic * blocking / (n + traffic * blocking)
    wait = agents * blocking / (agents - traffic * (1 - blocking))
    return QueueFigures(
        service_level=1 - wait * math.exp(-(agents - traffic) * threshold / aht),
        asa=wait * aht / (agents - traffic),
        abandonment_rate=0.0,
        occupancy=traffic / agents,
    )


def erlang_a(
    arrival_rate: float,
    aht: float,
    patience: float,
    agents: int,
    threshold: float,
    depth: int = 300,
) -> QueueFigures:
    """M/M/N+M with exponential patience (mean `patience`), queue truncated at `depth`."""
    mu, theta = 1 / aht, 1 / patience
    weights = [1.0]
    for k in range(1, agents + depth + 1):
        weights.append(
            weights[-1] * arrival_rate / (min(k, agents) * mu + max(k - agents, 0) * theta)
        )
    seen = np.array(weights) / sum(weights)  # what an arrival finds (PASTA)
    start = seen[agents:]  # j = k - N customers ahead in line
    moves = agents * mu + theta * np.arange(depth + 1)  # line shortens: service or abandon
    generator = np.diag(-(moves + theta)) + np.diag(moves[1:], k=-1)
    served_from = np.cumprod(moves / (moves + theta))  # P(eventually answered | j ahead)
    waiting_at_t = start @ expm(generator * threshold)
    served_late = float(waiting_at_t @ served_from)
    served_waiting = float(start @ served_from)
    abandoned = float(start.sum()) - served_waiting
    abandoned_late = float(waiting_at_t.sum()) - served_late
    answered = 1 - abandoned
    answered_within = answered - served_late
    time_in = start @ np.linalg.inv(-generator)  # expected time in each j
    return QueueFigures(
        service_level=answered_within / (answered + abandoned_late),
        asa=float(time_in @ served_from) / answered,
        abandonment_rate=abandoned,
        occupancy=arrival_rate * answered * aht / agents,
    )
