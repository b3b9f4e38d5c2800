"""Random draws for one replication: independent streams per purpose, in numpy batches."""

from __future__ import annotations

import math
from enum import IntEnum

import numpy as np

from headset.sim.scenario import Distribution

MICROSECOND = 1_000_000


class Stream(IntEnum):
    """What a random stream is for; each gets its own generator so they never interfere."""

    ARRIVALS = 0
    HANDLE_TIME = 1
    PATIENCE = 2
    WRAP_UP = 3
    LANGUAGE = 4


def generator(seed: int, replication: int, stream: Stream, queue: int) -> np.random.Generator:
    """The generator of one stream of one queue in one replication, derived from `seed`."""
    sequence = np.random.SeedSequence(seed, spawn_key=(replication, int(stream), queue))
    return np.random.Generator(np.random.PCG64(sequence))


def arrival_offsets(
    rng: np.random.Generator, per_interval: tuple[float, ...], length_s: float
) -> np.ndarray:
    """Poisson arrival times (seconds from the start), constant rate within each interval."""
    counts = rng.poisson(np.asarray(per_interval, dtype=float))
    starts = np.repeat(np.arange(len(per_interval), dtype=float) * length_s, counts)
    return np.sort(starts + rng.uniform(0.0, length_s, size=int(counts.sum())))


def durations(rng: np.random.Generator, distribution: Distribution, size: int) -> np.ndarray:
    """`size` draws of `distribution`, in seconds."""
    if distribution.kind == "fixed":
        return np.full(size, distribution.mean)
    if distribution.kind == "exponential":
        return rng.exponential(distribution.mean, size)
    # lognormal with the given mean and standard deviation of the duration itself
    sigma2 = math.log1p((distribution.sd / distribution.mean) ** 2)
    mu = math.log(distribution.mean) - sigma2 / 2
    return rng.lognormal(mu, math.sqrt(sigma2), size)


def to_microseconds(seconds: np.ndarray) -> list[int]:
    """Whole microseconds as Python ints: exact virtual time, fast to compare in a heap."""
    values: list[int] = np.rint(seconds * MICROSECOND).astype(np.int64).tolist()
    return values
