"""Contact-center KPIs exactly as docs/glossary.md defines them, over additive tallies.

A `ContactTally` counts what the KPIs need over any set of contact records; tallies of
disjoint sets add up, so a day is the sum of its intervals and a group the sum of its queues
(each contact judged against its own queue's service-level threshold). The KPI functions
then turn one tally into one figure; they return None when the figure is undefined (no
contacts to divide by). Times are in seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from headset.reporting.intervals import IntervalGrid, group_by_interval
from headset.reporting.records import ContactRecord

#: Abandons after a shorter wait are not counted as abandoned (glossary: abandoned).
DEFAULT_SHORT_ABANDON = timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class ContactTally:
    """Counts and sums over a set of contacts, from which every contact KPI follows."""

    offered: int = 0
    handled: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    answered_within: int = 0
    abandoned_after: int = 0
    wait_seconds: float = 0.0
    handle_seconds: float = 0.0
    wrapped: int = 0
    longest_wait_seconds: float | None = None
    #: Of the handle time of wrapped contacts: talk (ended - answered - hold) and hold.
    talk_seconds: float = 0.0
    hold_seconds: float = 0.0

    def __add__(self, other: ContactTally) -> ContactTally:
        mine, theirs = self.longest_wait_seconds, other.longest_wait_seconds
        longest = mine if theirs is None else theirs if mine is None else max(mine, theirs)
        return ContactTally(
            self.offered + other.offered,
            self.handled + other.handled,
            self.abandoned + other.abandoned,
            self.short_abandoned + other.short_abandoned,
            self.answered_within + other.answered_within,
            self.abandoned_after + other.abandoned_after,
            self.wait_seconds + other.wait_seconds,
            self.handle_seconds + other.handle_seconds,
            self.wrapped + other.wrapped,
            longest,
            self.talk_seconds + other.talk_seconds,
            self.hold_seconds + other.hold_seconds,
        )


def tally_contacts(
    records: Iterable[ContactRecord],
    threshold: timedelta,
    short_abandon: timedelta = DEFAULT_SHORT_ABANDON,
    now: datetime | None = None,
) -> ContactTally:
    """Tallies `records` against service-level `threshold`; `now` counts ongoing waits."""
    limit = threshold.total_seconds()
    short = short_abandon.total_seconds()
    offered = handled = abandoned = short_abandoned = within = after = wrapped = 0
    wait_total = handle_total = talk_total = hold_total = 0.0
    longest: float | None = None
    for record in records:
        offered += 1
        if record.answered_at is not None:
            wait = (record.answered_at - record.queued_at).total_seconds()
            handled += 1
            wait_total += wait
            if is_answered_within(wait, limit):
                within += 1
            if record.wrapped_at is not None:
                wrapped += 1
                handle_total += (record.wrapped_at - record.answered_at).total_seconds()
                # handle = talk + hold + wrap-up: a call's hold moves time from talk to hold
                hold = record.hold_duration.total_seconds()
                ended = record.ended_at or record.wrapped_at
                talk_total += max(0.0, (ended - record.answered_at).total_seconds() - hold)
                hold_total += hold
        elif record.abandoned_at is not None:
            wait = (record.abandoned_at - record.queued_at).total_seconds()
            if is_short_abandon(wait, short):
                short_abandoned += 1
            else:
                abandoned += 1
                if is_abandoned_after(wait, limit):
                    after += 1
        elif now is not None:
            wait = (now - record.queued_at).total_seconds()
        else:
            continue
        if longest is None or wait > longest:
            longest = wait
    return ContactTally(
        offered,
        handled,
        abandoned,
        short_abandoned,
        within,
        after,
        wait_total,
        handle_total,
        wrapped,
        longest,
        talk_total,
        hold_total,
    )


def is_answered_within(wait_seconds: float, threshold_seconds: float) -> bool:
    """Answered within T: a wait of T itself still counts (glossary: service level)."""
    return wait_seconds <= threshold_seconds


def is_abandoned_after(wait_seconds: float, threshold_seconds: float) -> bool:
    """Abandoned after T: only a longer wait than T counts against the service level."""
    return wait_seconds > threshold_seconds


def is_short_abandon(wait_seconds: float, short_abandon_seconds: float) -> bool:
    """Left sooner than the short-abandon limit: offered, but neither handled nor abandoned."""
    return wait_seconds < short_abandon_seconds


#: One contact entering a queue, as live tallies count it the moment it is queued.
QUEUED = ContactTally(offered=1)


def answered_contact(wait: timedelta, threshold: timedelta) -> ContactTally:
    """What answering a contact after `wait` adds to a tally (its offer counted already)."""
    seconds = wait.total_seconds()
    within = is_answered_within(seconds, threshold.total_seconds())
    return ContactTally(
        handled=1, answered_within=int(within), wait_seconds=seconds, longest_wait_seconds=seconds
    )


def abandoned_contact(
    wait: timedelta, threshold: timedelta, short_abandon: timedelta = DEFAULT_SHORT_ABANDON
) -> ContactTally:
    """What a contact leaving unanswered after `wait` adds to a tally (its offer counted)."""
    seconds = wait.total_seconds()
    if is_short_abandon(seconds, short_abandon.total_seconds()):
        return ContactTally(short_abandoned=1, longest_wait_seconds=seconds)
    after = is_abandoned_after(seconds, threshold.total_seconds())
    return ContactTally(abandoned=1, abandoned_after=int(after), longest_wait_seconds=seconds)


def average_talk_time(tally: ContactTally) -> float | None:
    """Mean talk of handled contacts whose wrap-up is done (the talk part of AHT)."""
    return tally.talk_seconds / tally.wrapped if tally.wrapped else None


def average_hold_time(tally: ContactTally) -> float | None:
    """Mean hold of handled contacts whose wrap-up is done (the hold part of AHT)."""
    return tally.hold_seconds / tally.wrapped if tally.wrapped else None


def offered(tally: ContactTally) -> int:
    """Contacts that entered the queue in the period."""
    return tally.offered


def handled(tally: ContactTally) -> int:
    """Offered contacts answered by an agent."""
    return tally.handled


def abandoned(tally: ContactTally) -> int:
    """Contacts that left before answer, excluding short abandons."""
    return tally.abandoned


def service_level(tally: ContactTally) -> float | None:
    """Answered within T ÷ (answered + abandoned after T), as a fraction 0-1."""
    denominator = service_level_base(tally)
    return tally.answered_within / denominator if denominator else None


def service_level_base(tally: ContactTally) -> int:
    """The contacts service level is a share of: answered + abandoned after T."""
    return tally.handled + tally.abandoned_after


def average_speed_of_answer(tally: ContactTally) -> float | None:
    """ASA: total wait of answered contacts ÷ answered contacts, in seconds."""
    return tally.wait_seconds / tally.handled if tally.handled else None


def average_handle_time(tally: ContactTally) -> float | None:
    """AHT: total handle time (talk + hold + wrap-up) ÷ handled contacts whose wrap-up is done."""
    return tally.handle_seconds / tally.wrapped if tally.wrapped else None


def abandonment_rate(tally: ContactTally) -> float | None:
    """Abandoned ÷ (handled + abandoned), as a fraction 0-1."""
    denominator = tally.handled + tally.abandoned
    return tally.abandoned / denominator if denominator else None


def longest_wait(tally: ContactTally) -> float | None:
    """The longest wait (answered, abandoned, or still waiting at `now`), in seconds."""
    return tally.longest_wait_seconds


def tally_by_interval(
    records: Iterable[ContactRecord],
    grid: IntervalGrid,
    threshold: timedelta,
    short_abandon: timedelta = DEFAULT_SHORT_ABANDON,
) -> list[ContactTally]:
    """One tally per interval of `grid`; a contact counts in the interval of its queued_at."""
    groups = group_by_interval(records, grid, _queued_at)
    return [tally_contacts(group, threshold, short_abandon) for group in groups]


def _queued_at(record: ContactRecord) -> datetime:
    return record.queued_at
