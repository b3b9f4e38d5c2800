"""The wallboard's tallies of today: service level as glossary.md defines it, per day and hour
of the tenant's day in its time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.core.clock import FakeClock
from headset.core.messages import Command
from headset.reporting.realtime import RealtimeStats
from headset.routing import Engine
from headset.routing import events as ev
from headset.routing.commands import (
    AcceptOffer,
    ConfigureQueue,
    EndContact,
    QueueContact,
    RegisterAgent,
    SetAgentState,
)
from headset.routing.model import (
    AgentProfile,
    AgentState,
    Channel,
    Direction,
    Membership,
    QueueConfig,
)

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


def _answered(stats: RealtimeStats, engine: Engine, contact_id: str, queued: datetime) -> None:
    for event in [
        _queued(contact_id, queued),
        ev.OfferAccepted(f"{contact_id}~1", contact_id, "ann", queued + timedelta(seconds=10)),
    ]:
        stats.apply(event, engine.state.queues)


def _engine_in(zone: str, start: datetime = DAY) -> Engine:
    engine = Engine(FakeClock(start))
    engine.handle(ConfigureQueue(QueueConfig("q", tenant_time_zone=zone)))
    return engine


def test_todays_figures_start_again_at_midnight_in_riga_not_at_midnight_utc() -> None:
    engine, stats = _engine_in("Europe/Riga"), RealtimeStats()
    _answered(stats, engine, "late", DAY.replace(hour=21, minute=30))  # 23:30 in Riga
    _answered(stats, engine, "early", DAY.replace(hour=22, minute=30))  # 00:30 the next day
    figures = stats.queue_stats(engine.state, "q", DAY.replace(hour=23))
    assert (figures["offered_today"], figures["answered_today"]) == (1, 1)
    assert [h["starts_at"] for h in figures["hours_today"]] == ["2026-12-01T22:00:00+00:00"]
    # the evening before, Riga's day was still the 1st
    assert (
        stats.queue_stats(engine.state, "q", DAY.replace(hour=21, minute=59))["offered_today"] == 0
    )


def test_a_utc_tenants_day_holds_both_contacts() -> None:
    engine, stats = _engine_in("UTC"), RealtimeStats()
    _answered(stats, engine, "late", DAY.replace(hour=21, minute=30))
    _answered(stats, engine, "early", DAY.replace(hour=22, minute=30))
    assert stats.queue_stats(engine.state, "q", DAY.replace(hour=23))["offered_today"] == 2


def test_the_25_hour_day_in_amsterdam_has_both_two_oclock_hours() -> None:
    engine, stats = _engine_in("Europe/Amsterdam"), RealtimeStats()
    autumn = datetime(2026, 10, 25, tzinfo=UTC)  # 03:00 CEST becomes 02:00 CET at 01:00 UTC
    for contact_id, queued in [
        ("a", autumn - timedelta(minutes=30)),  # 01:30 CEST
        ("b", autumn + timedelta(minutes=30)),  # 02:30 CEST
        ("c", autumn + timedelta(hours=1, minutes=30)),  # 02:30 CET
        ("d", autumn + timedelta(hours=22, minutes=30)),  # 23:30 CET
    ]:
        _answered(stats, engine, contact_id, queued)
    figures = stats.queue_stats(engine.state, "q", autumn + timedelta(hours=22, minutes=45))
    assert figures["offered_today"] == 4
    assert [h["starts_at"] for h in figures["hours_today"]] == [
        "2026-10-24T23:00:00+00:00",
        "2026-10-25T00:00:00+00:00",
        "2026-10-25T01:00:00+00:00",
        "2026-10-25T22:00:00+00:00",
    ]
    # 23:00 UTC is midnight in Amsterdam: a new day with nothing yet
    assert stats.queue_stats(engine.state, "q", autumn + timedelta(hours=23))["offered_today"] == 0


def test_an_agents_figures_start_again_at_the_tenants_midnight() -> None:
    clock = FakeClock(DAY.replace(hour=21))  # 23:00 in Riga
    engine, stats = Engine(clock), RealtimeStats()
    configs = engine.state.queues

    def do(command: Command) -> None:
        for event in engine.handle(command).events:
            stats.apply(event, configs)

    do(
        ConfigureQueue(
            QueueConfig("q", wrap_up_duration=timedelta(0), tenant_time_zone="Europe/Riga")
        )
    )
    do(RegisterAgent(AgentProfile("ann", memberships=(Membership("q"),))))
    do(SetAgentState("ann", AgentState.AVAILABLE))
    do(QueueContact("c1", "q"))
    do(AcceptOffer(next(iter(engine.state.offers))))
    clock.advance(timedelta(minutes=10))
    do(EndContact("c1"))
    clock.set(DAY.replace(hour=21, minute=30))  # 23:30 in Riga
    before = stats.agent_stats(engine.state, "ann", clock.now())
    assert (before["contacts_today"], before["handled_today"]) == (1, 1)
    assert before["logged_in_seconds_today"] == 1800
    clock.set(DAY.replace(hour=22, minute=30))  # 00:30 in Riga, still the 1st in UTC
    after = stats.agent_stats(engine.state, "ann", clock.now())
    assert (after["contacts_today"], after["handled_today"], after["aht_seconds_today"]) == (
        0,
        0,
        None,
    )
    assert after["logged_in_seconds_today"] == 1800  # signed in since local midnight
