"""`headset erlang`: required agents for one interval, with Erlang C or (with --patience) A."""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from headset.staffing import (
    average_speed_of_answer,
    erlang_a,
    erlang_c,
    occupancy,
    required_agents,
    required_agents_erlang_a,
    scheduled_agents,
    service_level,
    traffic_intensity,
)

ROWS_AROUND = 3
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?\s*$", re.IGNORECASE)
_SECONDS = {None: 1.0, "s": 1.0, "sec": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def duration(text: str) -> float:
    """Seconds from `90`, `180s`, `30m` or `1h`."""
    match = _DURATION.match(text)
    if match is None:
        raise argparse.ArgumentTypeError(f"invalid duration {text!r} (use 90, 180s, 30m or 1h)")
    return float(match.group(1)) * _SECONDS[match.group(2) and match.group(2).lower()]


def positive_duration(text: str) -> float:
    """A duration that must be above zero."""
    seconds = duration(text)
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"duration {text!r} must be above zero")
    return seconds


def fraction(text: str) -> float:
    """A fraction from `30%` or `0.3`, in [0, 1]."""
    try:
        value = float(text[:-1]) / 100 if text.strip().endswith("%") else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid percentage {text!r} (use 30% or 0.3)") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"percentage {text!r} must be between 0% and 100%")
    return value


def target(text: str) -> tuple[float, float]:
    """A service-level target `80/20`: (0.8, 20 seconds)."""
    percent, _, threshold = text.partition("/")
    try:
        share = fraction(percent if "%" in percent else f"{percent}%")
        seconds = duration(threshold)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(f"invalid target {text!r} (use 80/20)") from None
    if not 0.0 < share < 1.0:
        raise argparse.ArgumentTypeError(f"target {text!r} must be above 0% and below 100%")
    return share, seconds


def calls(text: str) -> float:
    """A non-negative number of calls per interval."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of calls {text!r}") from None
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"number of calls {text!r} must be >= 0")
    return value


def register(subparsers: Any) -> None:
    """Add the `erlang` sub-command."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "erlang",
        help="required agents for one interval (Erlang C, or Erlang A with --patience)",
        description="Required and scheduled agents for one interval and one queue.",
    )
    parser.add_argument("--calls", type=calls, required=True, help="contacts per interval")
    parser.add_argument("--interval", type=positive_duration, required=True, help="e.g. 30m")
    parser.add_argument("--aht", type=positive_duration, required=True, help="e.g. 180s")
    parser.add_argument("--target", type=target, required=True, help="e.g. 80/20")
    parser.add_argument("--patience", type=positive_duration, help="mean patience: Erlang A")
    parser.add_argument("--shrinkage", type=fraction, default=0.0, help="e.g. 30%%")
    parser.add_argument("--max-occupancy", type=fraction, help="e.g. 85%%")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def _rows(args: argparse.Namespace, traffic: float, required: int) -> list[dict[str, float]]:
    _share, threshold = args.target
    if args.patience is None:
        low = max(math.floor(traffic) + 1, required - ROWS_AROUND)
    else:
        low = max(1, required - ROWS_AROUND)
    rows: list[dict[str, float]] = []
    for agents in range(low, required + ROWS_AROUND + 1):
        if args.patience is None:
            row = {
                "agents": agents,
                "service_level": service_level(traffic, agents, args.aht, threshold),
                "asa_seconds": average_speed_of_answer(traffic, agents, args.aht),
                "p_wait": erlang_c(traffic, agents),
                "occupancy": occupancy(traffic, agents),
            }
        else:
            rate = args.calls / args.interval
            result = erlang_a(rate, args.aht, args.patience, agents, threshold)
            row = {
                "agents": agents,
                "service_level": float(result.service_level),
                "asa_seconds": float(result.asa),
                "p_wait": float(result.p_wait),
                "occupancy": float(result.occupancy),
                "p_abandon": float(result.p_abandon),
            }
        rows.append(row)
    return rows


def _table(report: dict[str, Any]) -> Table:
    table = Table(title=f"{report['model'].replace('_', ' ').title()}, {report['traffic']:.3f} E")
    columns = ["agents", "service level", "ASA (s)", "P(wait)", "occupancy"]
    if report["model"] == "erlang_a":
        columns.append("P(abandon)")
    for column in columns:
        table.add_column(column, justify="right")
    for row in report["rows"]:
        cells = [
            str(row["agents"]),
            f"{row['service_level']:.1%}",
            f"{row['asa_seconds']:.1f}",
            f"{row['p_wait']:.1%}",
            f"{row['occupancy']:.1%}",
        ]
        if "p_abandon" in row:
            cells.append(f"{row['p_abandon']:.1%}")
        style = "bold" if row["agents"] == report["required_agents"] else None
        table.add_row(*cells, style=style)
    return table


def report(args: argparse.Namespace) -> dict[str, Any]:
    """The figures `run` prints, as a JSON-ready dict."""
    share, threshold = args.target
    traffic = traffic_intensity(args.calls, args.interval, args.aht)
    if args.patience is None:
        required = required_agents(
            traffic, args.aht, share, threshold, max_occupancy=args.max_occupancy
        )
    else:
        required = required_agents_erlang_a(
            args.calls / args.interval,
            args.aht,
            args.patience,
            share,
            threshold,
            max_occupancy=args.max_occupancy,
        )
    return {
        "model": "erlang_c" if args.patience is None else "erlang_a",
        "traffic": traffic,
        "required_agents": required,
        "scheduled_agents": scheduled_agents(required, args.shrinkage),
        "rows": _rows(args, traffic, required),
    }


def run(args: argparse.Namespace) -> int:
    """Print required agents and the table around them; return the exit code."""
    if args.shrinkage >= 1.0:
        print("headset erlang: error: --shrinkage must be below 100%", file=sys.stderr)
        return 2
    if args.max_occupancy is not None and args.max_occupancy <= 0:
        print("headset erlang: error: --max-occupancy must be above 0%", file=sys.stderr)
        return 2
    figures = report(args)
    if args.json:
        print(json.dumps(figures))
        return 0
    console = Console()
    console.print(f"Required agents: [bold]{figures['required_agents']}[/bold]")
    console.print(
        f"Scheduled agents (shrinkage {args.shrinkage:.0%}): "
        f"[bold]{figures['scheduled_agents']}[/bold]"
    )
    console.print(_table(figures))
    return 0
