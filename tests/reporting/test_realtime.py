"""The wallboard's tallies of today: service level as glossary.md defines it, per day and hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.core.clock import FakeClock
from headset.reporting.realtime import RealtimeStats
from headset.routing import Engine
from headset.routing import events as ev
from headset.routing.commands import ConfigureQueue
from headset.routing.model import Channel, Direction, QueueConfig

DAY = datetime(2026, 12, 1, tzinfo=UTC)


def _queued(contact_id: str, at: datetime) -> ev.ContactQueued:
    return ev.ContactQueued(
        contact_id, "q", Channel.CHAT, Direction.INBOUND, 0, (), None, "t", at, at
    )


@pytest.fixture
def engine() -> Engine:
    engine = Engine(FakeClock(DAY))
    engine.handle(ConfigureQueue(QueueConfig("q")))  # 80/20
    return engine


def _day(engine: Engine) -> RealtimeStats:
    """Two hours of one queue: 9:00 has two in time, one late and one abandoned late;
    10:00 has one answered late and one short abandon, which does not count."""
    stats = RealtimeStats()
    configs = engine.state.queues
    nine, ten = DAY.replace(hour=9), DAY.replace(hour=10)
    for event in [
        _queued("a", nine),
        ev.OfferAccepted("a~1", "a", "ann", nine + timedelta(seconds=5)),
        _queued("b", nine + timedelta(minutes=10)),
        ev.OfferAccepted("b~1", "b", "ann", nine + timedelta(minutes=10, seconds=20)),
        _queued("c", nine + timedelta(minutes=20)),
        ev.OfferAccepted("c~1", "c", "ann", nine + timedelta(minutes=21)),
        _queued("d", nine + timedelta(minutes=30)),
        ev.ContactAbandoned("d", nine + timedelta(minutes=31)),
        _queued("e", ten),
        ev.OfferAccepted("e~1", "e", "ann", ten + timedelta(seconds=45)),
        _queued("f", ten + timedelta(minutes=5)),
        ev.ContactAbandoned("f", ten + timedelta(minutes=5, seconds=2)),
    ]:
        stats.apply(event, configs)
    return stats


def test_service_level_counts_answered_in_time_over_answered_and_late_abandons(
    engine: Engine,
) -> None:
    figures = _day(engine).queue_stats(engine.state, "q", DAY.replace(hour=11))
    assert (figures["offered_today"], figures["answered_today"]) == (6, 4)
    assert figures["abandoned_today"] == 1  # the 2-second abandon is not an abandon
    # in time: a (5 s), b (20 s, at the threshold); answered: a, b, c, e; late abandon: d
    assert figures["service_level_today"] == pytest.approx(100 * 2 / 5)


def test_each_hour_of_today_has_its_own_volume_and_service_level(engine: Engine) -> None:
    figures = _day(engine).queue_stats(engine.state, "q", DAY.replace(hour=11))
    assert figures["hours_today"] == [
        {
            "starts_at": "2026-12-01T09:00:00+00:00",
            "offered": 4,
            "answered_in_time": 2,
            "counted": 4,
            "service_level": 50.0,
        },
        {
            "starts_at": "2026-12-01T10:00:00+00:00",
            "offered": 2,
            "answered_in_time": 0,
            "counted": 1,
            "service_level": 0.0,
        },
    ]


def test_yesterdays_figures_are_not_todays(engine: Engine) -> None:
    figures = _day(engine).queue_stats(engine.state, "q", DAY + timedelta(days=1, hours=8))
    assert figures["offered_today"] == 0
    assert figures["service_level_today"] is None
    assert figures["hours_today"] == []
