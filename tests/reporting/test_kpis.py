"""KPIs over hand-computed contact records (glossary definitions)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.reporting import kpis
from headset.reporting.intervals import IntervalGrid
from headset.reporting.kpis import ContactTally, tally_by_interval, tally_contacts
from headset.reporting.records import ContactRecord

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
SL_20 = timedelta(seconds=20)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def answered(n: int, queued: float, wait: float, talk: float, wrap: float) -> ContactRecord:
    answer = queued + wait
    return ContactRecord(
        f"c{n}", "q", at(queued), answered_at=at(answer), ended_at=at(answer + talk),
        wrapped_at=at(answer + talk + wrap),
    )  # fmt: skip


def abandoned(n: int, queued: float, wait: float) -> ContactRecord:
    return ContactRecord(f"c{n}", "q", at(queued), abandoned_at=at(queued + wait))


#: Six contacts: waits 0, 10, 20, 30 s answered; abandons after 3 s (short) and 40 s.
DAY = [
    answered(1, 0, 0, 100, 20),
    answered(2, 60, 10, 200, 10),
    answered(3, 120, 20, 300, 0),
    answered(4, 180, 30, 60, 30),
    abandoned(5, 240, 3),
    abandoned(6, 300, 40),
]


def test_counts_offered_handled_and_abandoned_without_short_abandons() -> None:
    tally = tally_contacts(DAY, SL_20)
    assert kpis.offered(tally) == 6
    assert kpis.handled(tally) == 4
    assert kpis.abandoned(tally) == 1
    assert tally.short_abandoned == 1


def test_service_level_counts_answered_within_over_answered_plus_late_abandons() -> None:
    # within 20 s (inclusive): waits 0, 10, 20 -> 3; answered 4 + abandoned after 20 s 1 -> 5
    assert kpis.service_level(tally_contacts(DAY, SL_20)) == pytest.approx(3 / 5)


def test_abandon_within_threshold_does_not_count_against_service_level() -> None:
    records = [answered(1, 0, 25, 60, 0), abandoned(2, 0, 15)]
    assert kpis.service_level(tally_contacts(records, SL_20)) == pytest.approx(0 / 1)
    assert kpis.abandoned(tally_contacts(records, SL_20)) == 1


def test_asa_is_total_wait_of_answered_over_answered() -> None:
    assert kpis.average_speed_of_answer(tally_contacts(DAY, SL_20)) == pytest.approx(60 / 4)


def test_aht_is_talk_plus_hold_plus_wrap_up_over_handled() -> None:
    # (100+20) + (200+10) + (300+0) + (60+30) = 720 over 4
    assert kpis.average_handle_time(tally_contacts(DAY, SL_20)) == pytest.approx(180)


def test_hold_is_part_of_handle_time() -> None:
    record = answered(1, 0, 0, 100, 20)._replace(hold_duration=timedelta(seconds=40))
    assert kpis.average_handle_time(tally_contacts([record], SL_20)) == pytest.approx(120)


def test_abandonment_rate_is_abandoned_over_handled_plus_abandoned() -> None:
    assert kpis.abandonment_rate(tally_contacts(DAY, SL_20)) == pytest.approx(1 / 5)


def test_short_abandon_threshold_is_configurable() -> None:
    tally = tally_contacts(DAY, SL_20, short_abandon=timedelta(0))
    assert kpis.abandoned(tally) == 2
    assert kpis.abandonment_rate(tally) == pytest.approx(2 / 6)
    # the 3 s abandon is within 20 s: still not in the service-level denominator
    assert kpis.service_level(tally) == pytest.approx(3 / 5)


def test_longest_wait_includes_abandons_and_ongoing_waits() -> None:
    assert kpis.longest_wait(tally_contacts(DAY, SL_20)) == pytest.approx(40)
    waiting = ContactRecord("c7", "q", at(400))
    assert kpis.longest_wait(tally_contacts([*DAY, waiting], SL_20)) == pytest.approx(40)
    assert kpis.longest_wait(tally_contacts([*DAY, waiting], SL_20, now=at(500))) == 100


def test_kpis_are_undefined_without_contacts() -> None:
    empty = tally_contacts([], SL_20)
    assert kpis.offered(empty) == 0
    assert kpis.service_level(empty) is None
    assert kpis.average_speed_of_answer(empty) is None
    assert kpis.average_handle_time(empty) is None
    assert kpis.abandonment_rate(empty) is None
    assert kpis.longest_wait(empty) is None


def test_contact_still_in_wrap_up_is_handled_but_not_in_aht() -> None:
    record = answered(1, 0, 5, 100, 0)._replace(wrapped_at=None)
    tally = tally_contacts([record, answered(2, 0, 5, 50, 10)], SL_20)
    assert kpis.handled(tally) == 2
    assert kpis.average_handle_time(tally) == pytest.approx(60)


def test_tallies_add_up_to_the_tally_of_the_union() -> None:
    first, second = tally_contacts(DAY[:3], SL_20), tally_contacts(DAY[3:], SL_20)
    assert first + second == tally_contacts(DAY, SL_20)
    assert ContactTally() + first == first


def test_contact_counts_in_the_interval_it_was_queued_in() -> None:
    grid = IntervalGrid(T0, timedelta(minutes=2), count=3)
    # queued at 0, 60 -> interval 0; 120, 180 -> 1; 240, 300 -> 2 (answered or not later)
    tallies = tally_by_interval(DAY, grid, SL_20)
    assert [t.offered for t in tallies] == [2, 2, 2]
    assert [t.handled for t in tallies] == [2, 2, 0]
    late = answered(9, 119, 600, 60, 0)  # queued in interval 0, answered 10 minutes later
    assert tally_by_interval([late], grid, SL_20)[0].handled == 1


def test_contacts_outside_the_grid_are_left_out() -> None:
    grid = IntervalGrid(T0 + timedelta(minutes=1), timedelta(minutes=2), count=1)
    assert tally_by_interval(DAY, grid, SL_20)[0].offered == 2  # queued at 60 and 120
