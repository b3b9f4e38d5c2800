"""The sampled traffic of one replication: every contact's arrival, talk, patience, wrap-up."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from headset.sim.sampling import Stream, arrival_offsets, durations, generator, to_microseconds
from headset.sim.scenario import Scenario


@dataclass(frozen=True, slots=True)
class Traffic:
    """Per contact, in arrival order; times in whole microseconds (-1: none, or unlimited)."""

    arrival_us: list[int]
    queue_of: list[int]
    talk_us: list[int]
    patience_us: list[int]
    wrap_us: list[int]
    language: list[str | None]


def sample_traffic(scenario: Scenario, seed: int, replication: int) -> Traffic:
    """Draws the day's contacts for all queues, each queue and purpose from its own stream."""
    length_s = scenario.grid.length_seconds
    parts: list[tuple[np.ndarray, ...]] = []
    languages: list[str | None] = []
    for q, queue in enumerate(scenario.queues):
        arrivals = arrival_offsets(
            generator(seed, replication, Stream.ARRIVALS, q), queue.arrivals, length_s
        )
        size = len(arrivals)
        talk = durations(
            generator(seed, replication, Stream.HANDLE_TIME, q), queue.handle_time, size
        )
        patience = (
            np.full(size, -1.0)
            if queue.patience is None
            else durations(generator(seed, replication, Stream.PATIENCE, q), queue.patience, size)
        )
        wrap = (
            np.full(size, -1.0)
            if queue.wrap_up_time is None
            else durations(
                generator(seed, replication, Stream.WRAP_UP, q), queue.wrap_up_time, size
            )
        )
        parts.append((arrivals, np.full(size, q), talk, patience, wrap))
        if queue.languages:
            names = [name for name, _ in queue.languages]
            shares = np.array([share for _, share in queue.languages])
            picks = generator(seed, replication, Stream.LANGUAGE, q).choice(
                len(names), size=size, p=shares / shares.sum()
            )
            languages.extend(names[i] for i in picks.tolist())
        else:
            languages.extend([None] * size)
    arrivals, queue_of, talk, patience, wrap = (
        np.concatenate(column) for column in zip(*parts, strict=True)
    )
    order = np.argsort(arrivals, kind="stable")
    negative = patience < 0
    patience_us = np.where(negative, -1, np.rint(patience * 1e6)).astype(np.int64)
    wrap_us = np.where(wrap < 0, -1, np.rint(wrap * 1e6)).astype(np.int64)
    return Traffic(
        arrival_us=to_microseconds(arrivals[order]),
        queue_of=queue_of[order].tolist(),
        talk_us=to_microseconds(talk[order]),
        patience_us=patience_us[order].tolist(),
        wrap_us=wrap_us[order].tolist(),
        language=[languages[i] for i in order.tolist()],
    )
