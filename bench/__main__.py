"""`python -m bench` (run by scripts/bench): every benchmark, figures to a file and the docs.

Writes bench/results/latest.json (all figures) and docs/benchmarks.md (the tables, with the
machine they were measured on). `--quick` runs tiny sizes to check that the benchmarks work.
`--pure-python PYTHON` also runs the engine and simulator benchmarks with that interpreter
(the pure-Python install), so the docs show both builds of the engine side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import erlang_bench, mail_bench, media_bench, routing_bench, service_bench, sim_bench

ROOT = Path(__file__).resolve().parents[1]


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    return {
        "cpu": model,
        "cores": os.cpu_count(),
        "memory": memory,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def engine_figures(quick: bool) -> dict[str, Any]:
    """The benchmarks whose speed depends on the build of the engine."""
    import headset.routing.engine as engine_module

    build = "Python" if engine_module.__file__.endswith(".py") else "mypyc"
    if quick:
        return {
            "build": build,
            "routing": {"sizes": [routing_bench.measure(200, 2_000, warm_up=500)]},
            "simulator": sim_bench.run(calls=3_000, repeats=1),
        }
    return {"build": build, "routing": routing_bench.run(), "simulator": sim_bench.run()}


def service_figures(quick: bool) -> dict[str, Any]:
    """The whole service over HTTP and WebSocket, on SQLite and on PostgreSQL."""
    if quick:
        return {
            "databases": [
                service_bench.measure(
                    "sqlite",
                    agents=20,
                    rate=20.0,
                    seconds=2.0,
                    warm_up=0.0,
                    saturation=(40.0,),
                    step_seconds=1.0,
                )
            ]
        }
    return service_bench.run()


def collect(quick: bool, pure_python: str | None) -> dict[str, Any]:
    results = {"machine": machine(), **engine_figures(quick), "erlang": erlang_bench.run()}
    results["service"] = service_figures(quick)
    results["media"] = (
        media_bench.measure(start=2, step=2, limit=2, duration_s=2.0)
        if quick
        else media_bench.measure()
    )
    results["mail"] = mail_bench.run(200, 8, 5) if quick else mail_bench.run()
    if pure_python:
        command = [pure_python, "-m", "bench", "--engine-only"] + (["--quick"] if quick else [])
        found = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        results["pure_python"] = json.loads(found.stdout)
    return results


def document(results: dict[str, Any]) -> str:
    m = results["machine"]
    sections = [
        "# Benchmarks\n\n"
        "Measured by `scripts/bench` (which runs `python -m bench`); every figure below is "
        "copied from `bench/results/latest.json` of that run. Do not edit the figures by hand: "
        "run the command again.\n\n"
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['system']}; "
        f"Python {m['python']}; measured {m['measured_at']}. Times are wall-clock, best of "
        "several runs where stated; the machine is shared, so expect noise of 10-30 %.\n\n"
        f"The engine runs as built by `pip install` ({results['build']}: the routing package "
        "compiled by mypyc, docs/decisions/0004-mypyc.md); the same benchmarks on the pure "
        "Python sources follow at the end.",
        routing_bench.markdown(results["routing"]),
        sim_bench.markdown(results["simulator"]),
        erlang_bench.markdown(results["erlang"]),
        service_bench.markdown(results["service"]),
        media_bench.markdown(results["media"]),
        mail_bench.markdown(results["mail"]),
    ]
    pure = results.get("pure_python")
    if pure:
        sections += [
            "# The same engine and simulator benchmarks in pure Python",
            routing_bench.markdown(pure["routing"]),
            sim_bench.markdown(pure["simulator"]),
        ]
    return "\n\n".join(sections).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes; docs untouched")
    parser.add_argument("--pure-python", metavar="PYTHON", help="interpreter of the pure build")
    parser.add_argument("--engine-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.engine_only:
        json.dump(engine_figures(args.quick), sys.stdout)
        return
    results = collect(args.quick, args.pure_python)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    name = "quick.json" if args.quick else "latest.json"
    (out / name).write_text(json.dumps(results, indent=2, default=str) + "\n")
    text = document(results)
    if not args.quick:
        (ROOT / "docs" / "benchmarks.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
