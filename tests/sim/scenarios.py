"""Scenario TOML text for the simulator tests, built from a few parameters."""

from __future__ import annotations

BASE = """
name = "test"
date = 2025-03-10
start = "08:00"
interval_minutes = {interval_minutes}
intervals = {intervals}
warm_up_intervals = {warm_up}
"""

QUEUE = """
[[queues]]
id = "{queue_id}"
service_level = "80/{threshold}"
wrap_up = {wrap_up}
short_abandon = 0
tier_delays = [{tier_delay}]
arrivals = {{ per_interval = {per_interval} }}
handle_time = {{ distribution = "exponential", mean = {aht} }}
{extra}
"""

AGENTS = """
[[agent_groups]]
prefix = "{prefix}"
count = {count}
queues = [{queues}]
{extra}
"""


def scenario_text(
    *,
    intervals: int = 4,
    interval_minutes: float = 15,
    warm_up: int = 0,
    queues: str = "",
    agents: str = "",
) -> str:
    return BASE.format(intervals=intervals, interval_minutes=interval_minutes, warm_up=warm_up) + (
        queues + agents
    )


def queue_text(
    queue_id: str = "q",
    *,
    per_interval: float = 30,
    aht: float = 180,
    threshold: float | str = 20,
    wrap_up: float = 0,
    tier_delay: float = 30,
    extra: str = "",
) -> str:
    return QUEUE.format(
        queue_id=queue_id, per_interval=per_interval, aht=aht, threshold=threshold,
        wrap_up=wrap_up, tier_delay=tier_delay, extra=extra,
    )  # fmt: skip


def agents_text(
    prefix: str = "a", count: int = 5, queues: str = '{ queue = "q" }', extra: str = ""
) -> str:
    return AGENTS.format(prefix=prefix, count=count, queues=queues, extra=extra)
