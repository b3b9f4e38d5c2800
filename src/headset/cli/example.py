"""`headset example`: simulates the bundled example center and explains what came out."""

from __future__ import annotations

import argparse
from importlib.resources import files
from pathlib import Path
from typing import Any

from rich.console import Console

from headset.cli.simulate import replication_count, seed_value, simulate_and_report
from headset.sim.scenario_toml import parse_scenario

DEFAULT_OUT = Path("headset-example-output")
EXAMPLE = "example.toml"

EXPLANATION = (
    "[bold]Headset example[/]: a simulated weekday of a small contact center.\n\n"
    "Two queues, billing (Dutch and English) and technical support, take about 2,150 calls "
    "between 08:00 and 20:00, with a morning and an afternoon peak. 37 agents work in three "
    "shifts; six support agents help billing as tier 2, and billing agents pick up support "
    "calls that have waited 3 minutes (overflow). Every call goes through the real routing "
    "engine on a virtual clock: queued, offered, accepted, talked, wrapped up, or abandoned.\n\n"
    "The table shows the KPIs as docs/glossary.md defines them, per 15-minute interval and for "
    "the day, averaged over {replications} independent replications (the day rows with ± half "
    "the 95 % confidence interval). The scenario is {scenario}; copy it, change it, and run "
    "it with [bold]headset simulate your.toml[/].\n"
)


def register(subparsers: Any) -> None:
    """Adds the `example` sub-command."""
    parser = subparsers.add_parser(
        "example",
        help="simulate the bundled example contact center",
        description="Simulates the example scenario shipped with Headset and writes its "
        "KPI table, CSV and chart.",
    )
    parser.add_argument("--seed", type=seed_value, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--replications",
        type=replication_count,
        default=5,
        help="independent days to simulate (default 5)",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default ./{DEFAULT_OUT})"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Runs the example scenario and prints a short explanation around the results."""
    source = files("headset.scenarios").joinpath(EXAMPLE)
    scenario = parse_scenario(source.read_text(encoding="utf-8"), source=EXAMPLE)
    console = Console()
    console.print(
        EXPLANATION.format(replications=args.replications, scenario=source), highlight=False
    )
    simulate_and_report(scenario, args.seed, args.replications, args.out, "example")
    return 0
