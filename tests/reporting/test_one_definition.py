"""One definition per figure: the wallboard's live tallies of a day and the report over the
same day's contact records give the same service level, ASA and abandons (docs/kpis.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from headset.core.clock import FakeClock
from headset.core.days import day_of
from headset.core.messages import Event
from headset.reporting import kpis
from headset.reporting.realtime import RealtimeStats
from headset.reporting.records import ContactRecord
from headset.routing import Engine
from headset.routing import events as ev
from headset.routing.commands import ConfigureQueue
from headset.routing.model import Channel, Direction, QueueConfig, ServiceLevelTarget
from headset.sim.replication import run_replication
from headset.sim.scenario_toml import parse_scenario
from tests.sim.scenarios import agents_text, queue_text, scenario_text

DAY = datetime(2026, 3, 29, 12, tzinfo=UTC)  # a 23-hour day in Riga and Amsterdam
#: Waits in ms, the limits themselves among them: 5 s short abandon, 20 s threshold.
WAIT_MS = st.one_of(
    st.sampled_from([0, 4_999, 5_000, 5_001, 19_999, 20_000, 20_001]),
    st.integers(0, 600_000),
)
CONTACT = st.tuples(
    st.integers(0, 22 * 3_600_000),  # queued, ms into the local day
    st.sampled_from(["answered", "abandoned", "waiting"]),
    WAIT_MS,
)


def _events(records: list[ContactRecord]) -> list[Event]:
    """What the engine logs of these contacts, in log order (a contact queues before it
    is answered or abandoned at the same moment)."""
    timed: list[tuple[datetime, int, Event]] = []
    for n, r in enumerate(records):
        queued = ev.ContactQueued(
            r.contact_id, r.queue_id, Channel.CHAT, Direction.INBOUND, 0, (), None, "t",
            r.queued_at, r.queued_at,
        )  # fmt: skip
        timed.append((r.queued_at, 2 * n, queued))
        if r.answered_at is not None:
            accepted = ev.OfferAccepted(f"{r.contact_id}~1", r.contact_id, "ann", r.answered_at)
            timed.append((r.answered_at, 2 * n + 1, accepted))
        elif r.abandoned_at is not None:
            timed.append(
                (r.abandoned_at, 2 * n + 1, ev.ContactAbandoned(r.contact_id, r.abandoned_at))
            )
    return [event for _, _, event in sorted(timed, key=lambda t: (t[0], t[1]))]


def _both_ways(
    records: list[ContactRecord], config: QueueConfig, short_abandon: timedelta, now: datetime
) -> tuple[dict[str, object], kpis.ContactTally, kpis.ContactTally]:
    engine = Engine(FakeClock(now))
    engine.handle(ConfigureQueue(config))
    stats = RealtimeStats(short_abandon)
    for event in _events(records):
        stats.apply(event, engine.state.queues)
    live = stats.queues[config.queue_id].tally if records else kpis.ContactTally()
    report = kpis.tally_contacts(records, config.service_level.threshold, short_abandon)
    return stats.queue_stats(engine.state, config.queue_id, now), live, report


def _assert_same(
    figures: dict[str, object], live: kpis.ContactTally, report: kpis.ContactTally
) -> None:
    counts = (
        "offered",
        "handled",
        "abandoned",
        "short_abandoned",
        "answered_within",
        "abandoned_after",
    )
    assert [getattr(live, c) for c in counts] == [getattr(report, c) for c in counts]
    assert live.wait_seconds == pytest.approx(report.wait_seconds)
    assert figures["offered_today"] == kpis.offered(report)
    assert figures["answered_today"] == kpis.handled(report)
    assert figures["abandoned_today"] == kpis.abandoned(report)
    level = kpis.service_level(report)
    assert figures["service_level_today"] == (None if level is None else round(100 * level, 2))
    asa = kpis.average_speed_of_answer(report)
    assert (figures["asa_seconds_today"] is None) is (asa is None)
    if asa is not None:
        assert figures["asa_seconds_today"] == pytest.approx(asa, abs=1e-3)


@settings(max_examples=200, deadline=None)
@given(
    contacts=st.lists(CONTACT, max_size=60),
    zone=st.sampled_from(["UTC", "Europe/Riga", "Europe/Amsterdam"]),
)
def test_a_random_day_gives_the_same_figures_live_and_in_the_report(
    contacts: list[tuple[int, str, int]], zone: str
) -> None:
    day = day_of(DAY, zone)
    config = QueueConfig("q", service_level=ServiceLevelTarget(80, timedelta(seconds=20)),
                         tenant_time_zone=zone)  # fmt: skip
    records = []
    for n, (queued_ms, outcome, wait_ms) in enumerate(contacts):
        queued = day.starts_at + timedelta(milliseconds=queued_ms)
        done = queued + timedelta(milliseconds=wait_ms)
        records.append(ContactRecord(
            f"c{n}", "q", queued,
            answered_at=done if outcome == "answered" else None,
            abandoned_at=done if outcome == "abandoned" else None,
        ))  # fmt: skip
    # the last moment of the day: every contact (queued within 22 h, waiting at most 10 min)
    # was answered or abandoned by then
    now = day.ends_at - timedelta(microseconds=1)
    _assert_same(*_both_ways(records, config, timedelta(seconds=5), now))


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_a_simulated_day_gives_the_same_figures_live_and_in_the_report(seed: int) -> None:
    scenario = parse_scenario(
        scenario_text(
            intervals=8,
            queues=queue_text(
                per_interval=40,
                aht=240,
                extra='patience = { distribution = "exponential", mean = 60 }',
            ),
            agents=agents_text(count=8),
        )
    )
    (queue,) = scenario.queues
    records = run_replication(scenario, seed).contacts
    now = day_of(scenario.grid.start_at, "UTC").ends_at - timedelta(microseconds=1)
    figures, live, report = _both_ways(records, queue.config, queue.short_abandon, now)
    assert report.abandoned  # the day has abandons and answers
    assert report.handled
    _assert_same(figures, live, report)
