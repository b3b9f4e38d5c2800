"""The simulator reproduces queueing theory: Erlang C (M/M/N) and Erlang A (M/M/N+M).

Several independent replications of a long day, the first hour left out as warm-up; the
exact steady-state figures must lie inside the simulator's 99 % confidence intervals, and
those intervals must be narrow enough to mean something. The seed is fixed.
"""

from __future__ import annotations

from headset.sim.confidence import Estimate
from headset.sim.scenario_toml import parse_scenario
from headset.sim.simulation import simulate
from headset.sim.summary import ALL_QUEUES
from tests.sim.queueing_reference import QueueFigures, erlang_a, erlang_c
from tests.sim.scenarios import agents_text, queue_text, scenario_text

AGENTS, AHT, THRESHOLD = 12, 180.0, 20.0
INTERVALS, WARM_UP, REPLICATIONS = 48, 4, 20  # 12 hours of 15 minutes, first hour left out


def day_estimates(erlangs: float, patience: float | None) -> dict[str, Estimate]:
    per_interval = erlangs / AHT * 900
    extra = (
        ""
        if patience is None
        else f'patience = {{ distribution = "exponential", mean = {patience} }}'
    )
    text = scenario_text(
        intervals=INTERVALS,
        warm_up=WARM_UP,
        queues=queue_text(per_interval=per_interval, aht=AHT, threshold=THRESHOLD, extra=extra),
        agents=agents_text(count=AGENTS),
    )
    result = simulate(parse_scenario(text), seed=20250310, replications=REPLICATIONS, level=0.99)
    day = next(r for r in result.rows if r.queue == ALL_QUEUES and r.interval_start is None)
    return day.estimates


def assert_covers(found: Estimate, expected: float, max_half_width: float) -> None:
    assert found.low is not None
    assert found.high is not None
    assert found.low <= expected <= found.high, (found, expected)
    assert (found.high - found.low) / 2 <= max_half_width, found


def check(estimates: dict[str, Estimate], theory: QueueFigures) -> None:
    assert_covers(estimates["service_level_pct"], 100 * theory.service_level, 5.0)
    assert_covers(estimates["asa_s"], theory.asa, 0.25 * theory.asa)
    assert_covers(estimates["occupancy_pct"], 100 * theory.occupancy, 2.0)


def test_without_abandonment_the_simulator_matches_erlang_c() -> None:
    erlangs = 9.0
    estimates = day_estimates(erlangs, patience=None)
    check(estimates, erlang_c(erlangs / AHT, AHT, AGENTS, THRESHOLD))
    assert estimates["abandoned"].mean == 0


def test_with_exponential_patience_the_simulator_matches_erlang_a() -> None:
    erlangs, patience = 11.0, 120.0
    estimates = day_estimates(erlangs, patience)
    theory = erlang_a(erlangs / AHT, AHT, patience, AGENTS, THRESHOLD)
    check(estimates, theory)
    assert_covers(estimates["abandonment_rate_pct"], 100 * theory.abandonment_rate, 2.0)
