"""Report intervals: a grid of equal blocks, and which block a moment or a span falls in."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

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


def group_by_interval(
    records: Iterable[Record], grid: IntervalGrid, moment: Callable[[Record], datetime]
) -> list[list[Record]]:
    """Groups records by the interval of `moment(record)`; records outside the grid drop out."""
    groups: list[list[Record]] = [[] for _ in range(grid.count)]
    for record in records:
        index = grid.index_of(moment(record))
        if index is not None:
            groups[index].append(record)
    return groups
