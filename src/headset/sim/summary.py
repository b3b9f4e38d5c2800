"""The simulator's report: every KPI per queue and interval and for the day, across replications."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from headset.reporting import agent_time as at
from headset.reporting import kpis
from headset.reporting.agent_time import AgentTally
from headset.reporting.kpis import ContactTally, tally_by_interval
from headset.sim.confidence import Estimate, estimate
from headset.sim.replication import Replication
from headset.sim.scenario import Scenario

#: The scope of the rows that add up all queues (and carry agent figures).
ALL_QUEUES = "all"


def _percent(value: float | None) -> float | None:
    return None if value is None else 100.0 * value


#: Reported KPIs: column name -> figure from (contact tally, agent tally, period seconds).
Figure = Callable[[ContactTally, AgentTally | None, float], float | None]
KPIS: dict[str, Figure] = {
    "offered": lambda c, a, p: kpis.offered(c),
    "handled": lambda c, a, p: kpis.handled(c),
    "abandoned": lambda c, a, p: kpis.abandoned(c),
    "abandonment_rate_pct": lambda c, a, p: _percent(kpis.abandonment_rate(c)),
    "service_level_pct": lambda c, a, p: _percent(kpis.service_level(c)),
    "asa_s": lambda c, a, p: kpis.average_speed_of_answer(c),
    "aht_s": lambda c, a, p: kpis.average_handle_time(c),
    "longest_wait_s": lambda c, a, p: kpis.longest_wait(c),
    "occupancy_pct": lambda c, a, p: None if a is None else _percent(at.occupancy(a)),
    "agents_staffed": lambda c, a, p: None if a is None else at.agents_staffed(a, p),
}


@dataclass(frozen=True, slots=True)
class ReportRow:
    """One queue (or all queues) over one interval, or over the day (`interval_start` None)."""

    queue: str
    interval_start: datetime | None
    estimates: dict[str, Estimate]


@dataclass(frozen=True, slots=True)
class Figures:
    """One replication's figures: (queue, interval index or None for the day) -> KPI values."""

    values: dict[tuple[str, int | None], dict[str, float | None]]


def replication_figures(scenario: Scenario, replication: Replication) -> Figures:
    """Every KPI of one replication, per queue (and all queues) and interval, and for the day."""
    grid = scenario.grid
    first = scenario.warm_up_intervals
    period = grid.length_seconds
    day_period = period * (grid.count - first)
    by_queue: dict[str, list[ContactTally]] = {}
    for queue in scenario.queues:
        queue_id = queue.queue_id
        records = [r for r in replication.contacts if r.queue_id == queue_id]
        threshold = queue.config.service_level.threshold
        by_queue[queue.queue_id] = tally_by_interval(records, grid, threshold, queue.short_abandon)
    by_queue[ALL_QUEUES] = [
        sum(column, ContactTally()) for column in zip(*by_queue.values(), strict=True)
    ]
    values: dict[tuple[str, int | None], dict[str, float | None]] = {}
    agents = replication.agent_time
    for queue_id, tallies in by_queue.items():
        is_all = queue_id == ALL_QUEUES
        for i, tally in enumerate(tallies):
            agent = agents[i] if is_all else None
            values[queue_id, i] = {k: f(tally, agent, period) for k, f in KPIS.items()}
        day = sum(tallies[first:], ContactTally())
        day_agent = sum(agents[first:], AgentTally()) if is_all else None
        values[queue_id, None] = {k: f(day, day_agent, day_period) for k, f in KPIS.items()}
    return Figures(values)


def summarize(
    scenario: Scenario, figures: Sequence[Figures], level: float = 0.95
) -> list[ReportRow]:
    """Rows for all queues then each queue: intervals in order, then the day."""
    starts = scenario.grid.starts()
    rows = []
    for queue_id in [ALL_QUEUES, *(q.queue_id for q in scenario.queues)]:
        for i in [*range(scenario.grid.count), None]:
            estimates = {
                kpi: estimate([f.values[queue_id, i][kpi] for f in figures], level) for kpi in KPIS
            }
            rows.append(ReportRow(queue_id, None if i is None else starts[i], estimates))
    return rows
