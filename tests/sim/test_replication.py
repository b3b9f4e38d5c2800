"""One replication drives the real engine: lifecycle, shifts, tiers, wrap-up, patience."""

from __future__ import annotations

from datetime import timedelta

import pytest

from headset.reporting import kpis
from headset.reporting.agent_time import agents_staffed
from headset.reporting.records import ContactRecord
from headset.sim.replication import run_replication
from headset.sim.scenario_toml import parse_scenario
from tests.sim.scenarios import agents_text, queue_text, scenario_text


def simulate(queues: str, agents: str, seed: int = 7, **grid: int) -> list[ContactRecord]:
    return run_replication(
        parse_scenario(scenario_text(queues=queues, agents=agents, **grid)), seed
    ).contacts


def waits(records: list[ContactRecord]) -> list[float]:
    return [(r.answered_at - r.queued_at).total_seconds() for r in records if r.answered_at]


def test_every_contact_is_queued_answered_ended_and_wrapped_up() -> None:
    scenario = parse_scenario(
        scenario_text(queues=queue_text(wrap_up=30), agents=agents_text(count=12))
    )
    outcome = run_replication(scenario, seed=3)
    records = outcome.contacts
    assert 90 < len(records) < 150  # 4 intervals of 30 expected contacts
    for r in records:
        assert r.answered_at is not None
        assert r.ended_at is not None
        assert r.wrapped_at is not None
        assert r.queued_at <= r.answered_at < r.ended_at
        assert r.wrapped_at - r.ended_at == timedelta(seconds=30)  # the queue's whole wrap-up
    assert outcome.engine_calls >= 3 * len(records)  # queue, accept, end (+ wrap-up timers)
    assert [r.queued_at for r in records] == sorted(r.queued_at for r in records)


def test_same_seed_gives_the_same_day_and_another_seed_another() -> None:
    queues, agents = queue_text(extra=PATIENCE), agents_text(count=5)
    assert simulate(queues, agents, seed=11) == simulate(queues, agents, seed=11)
    assert simulate(queues, agents, seed=11) != simulate(queues, agents, seed=12)


PATIENCE = 'patience = { distribution = "exponential", mean = 60 }'


def test_impatient_customers_abandon_before_answer() -> None:
    records = simulate(queue_text(per_interval=60, extra=PATIENCE), agents_text(count=3))
    gave_up = [r for r in records if r.abandoned_at is not None]
    assert len(gave_up) > 20  # 3 agents for 12 erlangs
    assert all(r.answered_at is None for r in gave_up)
    assert all(r.answered_at is not None or r.abandoned_at is not None for r in records)


def test_sampled_wrap_up_ends_early_and_counts_in_handle_time() -> None:
    wrap = (
        'wrap_up_time = { distribution = "fixed", mean = 10 }\n'
        'handle_time = { distribution = "fixed", mean = 100 }'
    )
    queue = queue_text(wrap_up=30, extra=wrap).replace(
        'handle_time = { distribution = "exponential", mean = 180 }', ""
    )
    records = simulate(queue, agents_text(count=10))
    assert {r.wrapped_at - r.ended_at for r in records if r.wrapped_at and r.ended_at} == {
        timedelta(seconds=10)
    }
    assert all(r.wrapped_at for r in records)
    tally = kpis.tally_contacts(records, timedelta(seconds=20))
    assert kpis.average_handle_time(tally) == pytest.approx(110)


def test_agents_answer_after_their_answer_delay() -> None:
    records = simulate(queue_text(), agents_text(count=12, extra="answer_delay = 4"))
    assert min(waits(records)) == pytest.approx(4)


def test_tier_two_agents_answer_only_after_the_tier_delay() -> None:
    only_tier_two = agents_text(count=12, queues='{ queue = "q", tier = 2 }')
    assert min(waits(simulate(queue_text(tier_delay=45), only_tier_two))) >= 45
    tier_one = agents_text(count=12)
    assert min(waits(simulate(queue_text(tier_delay=45), tier_one))) == 0


def test_agents_work_only_from_the_start_of_their_shift() -> None:
    # Grid 08:00-09:00; the agents log in at 08:30 and out at 08:45.
    scenario = parse_scenario(
        scenario_text(
            queues=queue_text(per_interval=10),
            agents=agents_text(count=4, extra='shift = "08:30-08:45"'),
        )
    )
    outcome = run_replication(scenario, seed=5)
    start = scenario.grid.start_at
    answered = [r.answered_at for r in outcome.contacts if r.answered_at is not None]
    assert answered
    assert min(answered) >= start + timedelta(minutes=30)
    staffed = [agents_staffed(t, 900) for t in outcome.agent_time]
    assert staffed[:2] == [0, 0]
    assert staffed[2] == pytest.approx(4)
    # at 08:45 they finish their current call, then log out; later calls wait unanswered
    assert 0 < staffed[3] < 4
    late = [r for r in outcome.contacts if r.queued_at >= start + timedelta(minutes=50)]
    assert late
    assert all(r.answered_at is None for r in late)
