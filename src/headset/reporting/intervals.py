"""Report intervals: a grid of equal blocks, and which block a moment or a span falls in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

import numpy as np

from headset.core.clock import require_aware

Record = TypeVar("Record")


@dataclass(frozen=True, slots=True)
class IntervalGrid:
    """`count` consecutive intervals of `length`, the first starting at `start_at`."""

    start_at: datetime
    length: timedelta = timedelta(minutes=15)
    count: int = 1

    def __post_init__(self) -> None:
        require_aware(self.start_at)
        if self.length <= timedelta(0):
            raise ValueError(f"interval length must be positive, not {self.length}")
        if self.count < 1:
            raise ValueError(f"an interval grid needs at least one interval, not {self.count}")

    @property
    def end_at(self) -> datetime:
        return self.start_at + self.length * self.count

    @property
    def length_seconds(self) -> float:
        return self.length.total_seconds()

    def starts(self) -> list[datetime]:
        """The start of every interval."""
        return [self.start_at + self.length * i for i in range(self.count)]

    def index_of(self, moment: datetime) -> int | None:
        """The interval holding `moment`, or None if it is outside the grid."""
        index = (moment - self.start_at) // self.length
        return index if 0 <= index < self.count else None

    def spread(self, start_s: float, end_s: float) -> Iterator[tuple[int, float]]:
        """Splits [start_s, end_s) (seconds from `start_at`) into (interval, seconds) parts."""
        length = self.length_seconds
        start_s = max(start_s, 0.0)
        end_s = min(end_s, length * self.count)
        index = int(start_s // length)
        while start_s < end_s:
            boundary = (index + 1) * length
            part_end = boundary if boundary < end_s else end_s
            yield index, part_end - start_s
            start_s = part_end
            index += 1

    def spread_all(
        self, start_s: np.ndarray, end_s: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`spread` of many spans at once: (span number, interval, seconds) per part, in order.

        Bit for bit the parts `spread` yields span after span: the same float operations
        (numpy's float `//` and `*` round as Python's do), so sums over them are unchanged.
        """
        length = self.length_seconds
        start = np.maximum(start_s, 0.0)
        end = np.minimum(end_s, length * self.count)
        first = (start // length).astype(np.int64)
        # Part k >= 1 exists while the boundary it starts at, (first + k) * length, is before
        # the end: find the first boundary at or after the end, exactly, from an estimate.
        stop = np.maximum(np.ceil(end / length).astype(np.int64), first + 1)
        while True:
            early = (stop - 1 > first) & ((stop - 1) * length >= end)
            late = stop * length < end
            if not (early.any() or late.any()):
                break
            stop = stop - early + late
        counts = np.where(start < end, stop - first, 0)
        span = np.repeat(np.arange(len(start)), counts)
        offsets = np.cumsum(counts) - counts
        k = np.arange(len(span)) - offsets[span]
        index = first[span] + k
        boundary = (index + 1) * length
        span_end = end[span]
        part_end = np.where(boundary < span_end, boundary, span_end)
        part_start = np.where(k == 0, start[span], index * length)
        return span, index, part_end - part_start


def group_by_interval(
    records: Iterable[Record], grid: IntervalGrid, moment: Callable[[Record], datetime]
) -> list[list[Record]]:
    """Groups records by the interval of `moment(record)`; records outside the grid drop out."""
    start_at, length, count = grid.start_at, grid.length, grid.count
    groups: list[list[Record]] = [[] for _ in range(count)]
    for record in records:
        index = (moment(record) - start_at) // length  # as `IntervalGrid.index_of`
        if 0 <= index < count:
            groups[index].append(record)
    return groups
