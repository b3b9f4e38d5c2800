"""The simulator's chart: service level against target, volumes, and agents staffed."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from matplotlib.figure import Figure

from headset.sim.simulation import SimulationResult
from headset.sim.summary import ALL_QUEUES, ReportRow


def _series(rows: list[ReportRow], queue: str, kpi: str) -> list[float]:
    values = [r.estimates[kpi].mean for r in rows if r.queue == queue and r.interval_start]
    return [float("nan") if v is None else v for v in values]


def _extend(hours: list[float], values: list[float], width: float) -> tuple[list[float], ...]:
    """Repeats the last value at the end of the last interval, so steps cover it too."""
    return [*hours, hours[-1] + width], [*values, values[-1]]


def write_chart(result: SimulationResult, path: Path) -> Path:
    """Draws three panels per interval into a PNG at `path` and returns it."""
    scenario, rows = result.scenario, result.rows
    zone = ZoneInfo(scenario.time_zone)
    hours = [
        start.astimezone(zone).hour + start.astimezone(zone).minute / 60
        for start in scenario.grid.starts()
    ]
    width = scenario.grid.length_seconds / 3600
    figure = Figure(figsize=(11, 9), layout="constrained")
    sl_axes, volume_axes, agents_axes = figure.subplots(3, 1, sharex=True)
    figure.suptitle(f"{scenario.name}: {result.replications} replication(s), seed {result.seed}")
    for queue in scenario.queues:
        line = sl_axes.step(
            *_extend(hours, _series(rows, queue.queue_id, "service_level_pct"), width),
            where="post",
            label=f"{queue.queue_id}",
        )[0]
        target = queue.config.service_level
        sl_axes.axhline(
            target.percent,
            color=line.get_color(),
            linestyle="--",
            linewidth=1,
            label=f"{queue.queue_id} target {target.percent:g}/{target.threshold.seconds}",
        )
    sl_axes.step(
        *_extend(hours, _series(rows, ALL_QUEUES, "service_level_pct"), width),
        where="post",
        color="black",
        linewidth=2,
        label="all queues",
    )
    sl_axes.set_ylabel("service level %")
    sl_axes.set_ylim(0, 105)
    sl_axes.legend(loc="lower left", fontsize="small", ncol=2)
    handled = _series(rows, ALL_QUEUES, "handled")
    bar_width = width * 0.9
    volume_axes.bar(hours, handled, bar_width, align="edge", color="tab:green", label="handled")
    volume_axes.bar(
        hours,
        _series(rows, ALL_QUEUES, "abandoned"),
        bar_width,
        bottom=handled,
        align="edge",
        color="tab:red",
        label="abandoned",
    )
    volume_axes.step(
        *_extend(hours, _series(rows, ALL_QUEUES, "offered"), width),
        where="post",
        color="black",
        linewidth=1,
        label="offered",
    )
    volume_axes.set_ylabel("contacts per interval")
    volume_axes.legend(loc="upper left", fontsize="small")
    staffed = agents_axes.step(
        *_extend(hours, _series(rows, ALL_QUEUES, "agents_staffed"), width),
        where="post",
        label="agents staffed",
    )[0]
    agents_axes.set_ylim(bottom=0)
    agents_axes.set_ylabel("agents staffed")
    agents_axes.set_xlabel(f"hour ({scenario.time_zone})")
    occupancy_axes = agents_axes.twinx()
    (occupancy_line,) = occupancy_axes.plot(
        [h + width / 2 for h in hours],
        _series(rows, ALL_QUEUES, "occupancy_pct"),
        color="tab:orange",
        marker=".",
        label="occupancy %",
    )
    occupancy_axes.set_ylabel("occupancy %")
    occupancy_axes.set_ylim(0, 105)
    agents_axes.legend(handles=[staffed, occupancy_line], loc="lower left", fontsize="small")
    figure.savefig(path, dpi=100)
    return path
