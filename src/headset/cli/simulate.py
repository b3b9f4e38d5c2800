"""`headset simulate`: runs a scenario through the routing engine and reports its KPIs."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from headset.sim.confidence import Estimate
from headset.sim.scenario import Scenario, ScenarioError
from headset.sim.scenario_toml import load_scenario
from headset.sim.simulation import SimulationResult, simulate
from headset.sim.summary import ALL_QUEUES, ReportRow

DEFAULT_OUT = Path("simulation-output")


def replication_count(text: str) -> int:
    """Parses --replications: a whole number, 1 or more."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def seed_value(text: str) -> int:
    """Parses --seed: a whole number, 0 or more."""
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def register(subparsers: Any) -> None:
    """Adds the `simulate` sub-command."""
    parser = subparsers.add_parser(
        "simulate",
        help="simulate a day of a contact center from a scenario file",
        description="Simulates a scenario (TOML, see docs/simulator.md) through the real "
        "routing engine and writes a CSV of KPIs per interval and a PNG chart.",
    )
    parser.add_argument("scenario", type=Path, help="scenario file (.toml)")
    parser.add_argument("--seed", type=seed_value, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--replications",
        type=replication_count,
        default=1,
        help="independent days to simulate (default 1)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default ./{DEFAULT_OUT})"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Loads the scenario, simulates it, and reports; exit code 2 on a bad scenario."""
    errors = Console(stderr=True)
    try:
        scenario = load_scenario(args.scenario)
    except ScenarioError as error:
        errors.print(f"[bold red]error:[/] {error}", highlight=False)
        return 2
    simulate_and_report(scenario, args.seed, args.replications, args.out, args.scenario.stem)
    return 0


def simulate_and_report(
    scenario: Scenario, seed: int, replications: int, out: Path, stem: str
) -> SimulationResult:
    """Simulates with a progress bar on stderr, prints the table, writes CSV and PNG."""
    # The chart and CSV modules pull in matplotlib and csv; import them only when needed.
    from headset.sim.chart import write_chart
    from headset.sim.report_csv import write_csv

    console, errors = Console(), Console(stderr=True)
    with Progress(
        TextColumn("simulating"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    ) as bar:
        task = bar.add_task("simulate", total=replications)
        result = simulate(
            scenario,
            seed,
            replications,
            progress=lambda done, share: bar.update(task, completed=done + share),
        )
    console.print(results_table(result))
    out.mkdir(parents=True, exist_ok=True)
    csv_path = write_csv(result.rows, out / f"{stem}.csv", scenario.time_zone)
    png_path = write_chart(result, out / f"{stem}.png")
    console.print(f"CSV:   {csv_path}", highlight=False)
    console.print(f"chart: {png_path}", highlight=False)
    return result


#: KPI -> (header, decimals); headers short enough for an 80-column terminal.
_TABLE_COLUMNS = {
    "offered": ("offered", 0),
    "handled": ("handled", 0),
    "abandoned": ("aband", 0),
    "service_level_pct": ("SL %", 1),
    "asa_s": ("ASA s", 1),
    "aht_s": ("AHT s", 0),
    "occupancy_pct": ("occ %", 1),
    "longest_wait_s": ("max wait", 0),
    "agents_staffed": ("agents", 1),
}


def _cell(found: Estimate, decimals: int, with_interval: bool) -> str:
    if found.mean is None:
        return "-"
    text = f"{found.mean:.{decimals}f}"
    if with_interval and found.low is not None and found.high is not None:
        text += f"\n±{(found.high - found.low) / 2:.{decimals}f}"
    return text


def _label(row: ReportRow, zone: str) -> str:
    from zoneinfo import ZoneInfo

    if row.interval_start is None:
        return "day" if row.queue == ALL_QUEUES else row.queue
    return row.interval_start.astimezone(ZoneInfo(zone)).strftime("%H:%M")


def results_table(result: SimulationResult) -> Table:
    """All queues per interval and for the day, then each queue's day (± half the 95 % CI)."""
    scenario = result.scenario
    ci = " (mean; day ± half 95 % CI)" if result.replications > 1 else ""
    table = Table(
        box=box.SIMPLE_HEAD,
        title=f"{scenario.name}: {result.replications} replication(s), seed {result.seed}{ci}",
    )
    table.add_column("time")
    for header, _ in _TABLE_COLUMNS.values():
        table.add_column(header, justify="right")
    for row in result.rows:
        if row.queue != ALL_QUEUES and row.interval_start is not None:
            continue
        is_day = row.interval_start is None
        cells = [_cell(row.estimates[k], d, is_day) for k, (_, d) in _TABLE_COLUMNS.items()]
        table.add_row(
            _label(row, scenario.time_zone),
            *cells,
            end_section=is_day or row.interval_start == scenario.grid.starts()[-1],
        )
    return table
