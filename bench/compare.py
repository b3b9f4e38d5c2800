"""`python -m bench.compare --base REV`: this tree against an earlier revision, interleaved.

For a refactor that must not cost speed (issue 13), or any change suspected of doing so. The
earlier revision is checked out in a temporary git worktree; each round runs the routing
benchmark and the service benchmark once on each side, in alternating order (base first in odd
rounds, this tree first in even ones), each in its own process with `PYTHONPATH` pointing at
that side's `src/` and its own `bench/` (a benchmark must drive the service it was written
for). Both sides therefore run the pure-Python sources. The noisy shared machine slows both
sides of a round alike, so the figure that counts is the median over rounds of the same-round
ratio (this tree / base), beside each side's own medians. "CPU per offer" is the routing
process's whole CPU time (building the center included) divided by its offers.

Writes bench/results/compare.json and docs/benchmark-comparison.md (the table, with the
machine), and prints the table. `--render` writes the page again from the saved figures.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.__main__ import machine as machine_now

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "compare.json"
PAGE = ROOT / "docs" / "benchmark-comparison.md"
#: (routing: agents, contacts), (service: agents, contacts/s, seconds) when not given.
DEFAULT_SIZES = ((1_000, 30_000), (1_000, 100.0, 10.0))

#: (benchmark, figure, unit, higher is better)
FIGURES = (
    ("routing", "offers_per_s", "offers/s", True),
    ("routing", "p99_us", "µs p99 of a routing decision", False),
    ("routing", "cpu_us_per_offer", "µs CPU per offer", False),
    ("service", "service_cpu_ms_per_contact", "ms service CPU per contact", False),
    ("service", "service_p50_ms", "ms p50 request → offer published (service's histogram)", False),
    ("service", "service_p99_ms", "ms p99 request → offer published (service's histogram)", False),
    ("service", "p50_ms", "ms p50 POST → offer on the agent's stream", False),
    ("service", "p99_ms", "ms p99 POST → offer on the agent's stream", False),
)

_ROUTING = """
import json, sys, time
from bench import routing_bench
agents, contacts = int(sys.argv[1]), int(sys.argv[2])
cpu = time.process_time()
figures = routing_bench.measure(agents, contacts)
figures["cpu_us_per_offer"] = 1e6 * (time.process_time() - cpu) / max(figures["offers"], 1)
import headset.routing.engine as engine
figures["engine_file"] = engine.__file__
print(json.dumps(figures))
"""

_SERVICE = """
import json, sys
from bench import service_bench
agents, rate, seconds = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
figures = service_bench.measure("sqlite", agents=agents, rate=rate, seconds=seconds,
                                warm_up=2.0, saturation=(), step_seconds=1.0)
print(json.dumps(figures["steady"]))
"""


def _run(script: str, tree: Path, *args: object) -> dict[str, Any]:
    """One benchmark in a fresh interpreter that imports Headset and the benchmarks from `tree`."""
    env = {**os.environ, "PYTHONPATH": f"{tree / 'src'}{os.pathsep}{tree}"}
    done = subprocess.run(
        [sys.executable, "-c", script, *map(str, args)],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark failed on {tree}:\n{done.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _worktree(revision: str, folder: Path) -> Path:
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), revision],
        check=True,
        capture_output=True,
    )
    return folder


def _round_ratio(figure: str, base: dict[str, Any], head: dict[str, Any]) -> float:
    return float(head[figure]) / float(base[figure])


def compare(
    revision: str,
    rounds: int,
    routing: tuple[int, int] | None,
    service: tuple[int, float, float] | None,
    say: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Runs the interleaved rounds; returns every run's figures and the medians."""
    with tempfile.TemporaryDirectory(prefix="headset-compare-") as scratch:
        base = _worktree(revision, Path(scratch) / "base")
        try:
            sides = {"base": base, "head": ROOT}
            runs: list[dict[str, dict[str, Any]]] = []
            for n in range(rounds):
                order = ("base", "head") if n % 2 == 0 else ("head", "base")
                done: dict[str, dict[str, Any]] = {}
                for side in order:
                    figures: dict[str, Any] = {}
                    if routing is not None:
                        figures["routing"] = _run(_ROUTING, sides[side], *routing)
                    if service is not None:
                        figures["service"] = _run(_SERVICE, sides[side], *service)
                    done[side] = figures
                    say(f"round {n + 1}/{rounds} {side}: {_brief(figures)}")
                runs.append(done)
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)],
                check=False,
                capture_output=True,
            )
    return {"base": revision, "runs": runs, "summary": summary(runs)}


def _brief(figures: dict[str, Any]) -> str:
    parts = []
    if "routing" in figures:
        parts.append(f"{figures['routing']['offers_per_s']:,.0f} offers/s")
    if "service" in figures:
        service = figures["service"]
        parts.append(
            f"service {service['service_cpu_ms_per_contact']:.2f} ms CPU/contact, "
            f"p50 {service['p50_ms']:.1f} ms, p99 {service['p99_ms']:.1f} ms"
        )
    return "; ".join(parts)


def summary(runs: list[dict[str, dict[str, Any]]]) -> list[dict[str, Any]]:
    rows = []
    for bench, figure, unit, higher_is_better in FIGURES:
        pairs = [
            (r["base"][bench][figure], r["head"][bench][figure])
            for r in runs
            if bench in r["base"] and bench in r["head"]
        ]
        if not pairs:
            continue
        rows.append(
            {
                "benchmark": bench,
                "figure": figure,
                "unit": unit,
                "higher_is_better": higher_is_better,
                "base_median": statistics.median(b for b, _ in pairs),
                "head_median": statistics.median(h for _, h in pairs),
                "ratio_median": statistics.median(h / b for b, h in pairs),
                "ratios": [h / b for b, h in pairs],
            }
        )
    return rows


def markdown(results: dict[str, Any]) -> str:
    """The summary as a table: medians of each side and the median same-round ratio."""
    lines = [
        f"This tree against {results['base']}, {len(results['runs'])} interleaved rounds "
        f"(pure-Python sources on both sides), measured {results['measured_at']}.",
        "",
        "| figure | base (median) | this tree (median) | ratio this/base (median of rounds) "
        "| round ratios, lowest to highest |",
        "|---|---:|---:|---:|---:|",
    ]
    for row in results["summary"]:
        better = "higher is better" if row["higher_is_better"] else "lower is better"
        lines.append(
            f"| {row['benchmark']}: {row['unit']} ({better}) | {row['base_median']:,.2f} "
            f"| {row['head_median']:,.2f} | {row['ratio_median']:.3f} "
            f"| {min(row['ratios']):.2f} to {max(row['ratios']):.2f} |"
        )
    return "\n".join(lines)


def page(results: dict[str, Any]) -> str:
    """docs/benchmark-comparison.md: how it was measured, on what, and the table."""
    # figures saved before the machine was recorded were measured here: describe this one
    machine = results.get("machine") or machine_now()
    routing, service = results.get("sizes") or DEFAULT_SIZES
    return "\n".join(
        [
            "# This tree against an earlier revision",
            "",
            "Written by `.venv/bin/python -m bench.compare --base "
            f"{results['base']} --rounds {len(results['runs'])}` (bench/compare.py); do not",
            "edit the figures by hand: run the command again. Each round runs the routing",
            f"benchmark ({routing[0]:,} agents, {routing[1]:,} contacts) and the service "
            f"benchmark (SQLite, {service[0]:,} agents, a steady {service[2]:g} s at "
            f"{service[1]:g} contacts/s) once on each side, alternating which side goes first; "
            "the ratio is the median of the same-round ratios, and the spread of those ratios "
            "shows how noisy the machine was. Both sides run the pure-Python sources.",
            "",
            f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory']}, "
            f"Python {machine['python']}, {machine['system']}.",
            "",
            markdown(results),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Parses the options, runs the rounds, writes the figures and prints the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--base", help="the earlier revision (a commit or tag)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--agents", type=int, default=1_000, help="routing benchmark's agents")
    parser.add_argument("--contacts", type=int, default=30_000, help="routing benchmark's size")
    parser.add_argument("--service-agents", type=int, default=1_000)
    # half the floor's rate: at 200/s the service uses about a whole core of this 2-core
    # machine, so a 1 % change in CPU moves the queueing delay by several milliseconds and
    # the latency figures measure the load, not the code path
    parser.add_argument("--service-rate", type=float, default=100.0, help="contacts per second")
    parser.add_argument("--service-seconds", type=float, default=10.0)
    parser.add_argument("--no-service", action="store_true", help="only the routing benchmark")
    parser.add_argument("--no-routing", action="store_true", help="only the service benchmark")
    parser.add_argument("--render", action="store_true", help="write the page from saved figures")
    options = parser.parse_args(argv)
    if options.render:
        saved = json.loads(RESULTS.read_text())
        saved["summary"] = summary(saved["runs"])  # with the figures this version lists
        PAGE.write_text(page(saved))
        return
    service = (
        None
        if options.no_service
        else (options.service_agents, options.service_rate, options.service_seconds)
    )
    if options.base is None:
        parser.error("say which revision to compare with: --base REV")
    routing = None if options.no_routing else (options.agents, options.contacts)
    results = compare(options.base, options.rounds, routing, service)
    results["measured_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["machine"] = machine_now()
    results["sizes"] = [
        routing or DEFAULT_SIZES[0],
        service or DEFAULT_SIZES[1],
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    PAGE.write_text(page(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
