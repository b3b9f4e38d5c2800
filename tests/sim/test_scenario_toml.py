"""Scenario files are validated strictly; errors name the offending field."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from importlib.resources import files
from pathlib import Path

import pytest

from headset.routing.model import AddQueueTarget, Strategy
from headset.sim.scenario import ScenarioError
from headset.sim.scenario_toml import load_scenario, parse_scenario
from tests.sim.scenarios import agents_text, queue_text, scenario_text


def parse(queues: str = "", agents: str = "", **grid: int) -> None:
    parse_scenario(scenario_text(queues=queues or queue_text(), agents=agents, **grid))


def test_reads_grid_queues_and_agent_groups() -> None:
    text = scenario_text(
        intervals=8,
        queues=queue_text("billing", per_interval=12, wrap_up=30, extra='strategy = "round_robin"'),
        agents=agents_text(
            "b-", 3, '{ queue = "billing" }', extra='shift = "09:00-10:30"\nlanguages = ["nl"]'
        ),
    )
    scenario = parse_scenario(text)
    assert scenario.grid.start_at == datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
    assert scenario.grid.count == 8
    queue = scenario.queues[0]
    assert queue.config.strategy is Strategy.ROUND_ROBIN
    assert queue.config.wrap_up_duration == timedelta(seconds=30)
    assert queue.arrivals == (12.0,) * 8
    group = scenario.agent_groups[0]
    assert group.agent_ids() == ["b-1", "b-2", "b-3"]
    assert (group.shift_start, group.shift_end) == (3600, 9000)
    assert group.languages == frozenset({"nl"})


def test_volume_is_spread_by_shape() -> None:
    arrivals = "arrivals = { volume = 100, shape = [1, 3] }"
    text = scenario_text(
        intervals=2, queues=queue_text().replace("arrivals = { per_interval = 30 }", arrivals)
    )
    assert parse_scenario(text).queues[0].arrivals == (25.0, 75.0)


def test_time_zone_places_the_day_in_local_time() -> None:
    text = scenario_text(queues=queue_text()).replace(
        'start = "08:00"', 'start = "08:00"\ntime_zone = "Europe/Amsterdam"'
    )
    assert parse_scenario(text).grid.start_at == datetime(2025, 3, 10, 7, 0, tzinfo=UTC)


def test_overflow_rules_are_read() -> None:
    rule = '[[queues.overflow]]\nafter = 60\naction = "add_queue"\nqueue = "other"'
    queue = parse_scenario(scenario_text(queues=queue_text(extra=rule))).queues[0]
    assert queue.config.overflow[0].action == AddQueueTarget("other")
    assert queue.config.overflow[0].after == timedelta(seconds=60)


Q, A = queue_text, agents_text
NOPE = '{ queue = "nope" }'
WEIBULL = 'patience = { distribution = "weibull", mean = 3 }'


@pytest.mark.parametrize(
    ("queues", "agents", "message"),
    [
        (Q(extra="rate = 3"), "", "queues[0]: unknown key 'rate'"),
        (Q(per_interval=-2), "", "queues[0].arrivals.per_interval: must be zero or more"),
        (Q(aht=0), "", "queues[0].handle_time.mean: must be positive"),
        (Q(extra='priority = "high"'), "", "queues[0].priority: expected a whole number"),
        (Q(extra='strategy = "random"'), "", "queues[0].strategy: must be one of"),
        (Q(threshold="x"), "", "queues[0].service_level: expected a target like '80/20'"),
        (Q(extra=WEIBULL), "", "queues[0].patience.distribution: must be one of"),
        (Q(extra="handle_time_sd = 3"), "", "queues[0]: unknown key 'handle_time_sd'"),
        (Q(), A(count=0), "agent_groups[0].count: must be 1 or more"),
        (Q(), A(queues=NOPE), "agent_groups[0].queues[0].queue: no queue 'nope'"),
        (Q(), A(extra='shift = "17:00-09:00"'), "agent_groups[0].shift: must end after"),
        (Q(), A(extra="skills = { x = 11 }"), "agent_groups[0].skills.x: proficiency must be 1-10"),
        (Q(), A(queues='{ queue = "q", tier = 0 }'), "agent_groups[0].queues[0].tier: must be 1"),
        (Q(), A(extra="answer_delay = -1"), "agent_groups[0].answer_delay: must be zero or more"),
        (Q() + Q(), "", "queues: queue ids must be unique"),
    ],
)
def test_invalid_fields_are_named_in_the_error(queues: str, agents: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(message)):
        parse(queues, agents)


def test_unknown_top_level_key_is_rejected() -> None:
    with pytest.raises(ScenarioError, match="scenario: unknown key 'agents'"):
        parse_scenario("agents = 3\n" + scenario_text(queues=queue_text()))


def test_per_interval_list_must_have_one_value_per_interval() -> None:
    arrivals = queue_text().replace("per_interval = 30", "per_interval = [1, 2]")
    with pytest.raises(ScenarioError, match=r"per_interval: needs 4 values"):
        parse(arrivals)


def test_missing_required_field_is_named() -> None:
    queue = queue_text().replace("handle_time = ", "# handle_time = ")
    with pytest.raises(ScenarioError, match=r"queues\[0\]\.handle_time: missing"):
        parse(queue)


def test_invalid_toml_and_missing_file_raise_scenario_error(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="not valid TOML"):
        parse_scenario("name = ")
    with pytest.raises(ScenarioError, match="cannot read scenario"):
        load_scenario(tmp_path / "absent.toml")


def test_the_example_scenario_is_valid() -> None:
    text = files("headset.scenarios").joinpath("example.toml").read_text(encoding="utf-8")
    scenario = parse_scenario(text)
    assert [q.queue_id for q in scenario.queues] == ["billing", "support"]
    assert scenario.grid.count == 48
    assert 20 <= sum(g.count for g in scenario.agent_groups) <= 40
