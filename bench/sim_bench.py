"""Benchmark: Headset's simulator (through the real routing engine) against the same model in SimPy.

The model: one queue, 200 agents, Poisson arrivals at 190 per 300 s, exponential handle time
(mean 300 s), exponential patience (mean 120 s), no wrap-up, about 100,000 calls. Both runs
draw their random numbers with numpy up front and report service level (answered within 20 s
÷ (answered + abandoned after 20 s)), ASA and abandonment rate, so the figures show that they
simulate the same system; Erlang A gives the steady-state values for reference.
"""

from __future__ import annotations

import importlib.metadata
import math
import platform
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from headset.reporting.intervals import IntervalGrid
from headset.routing.model import Membership, QueueConfig, ServiceLevelTarget
from headset.sim.scenario import AgentGroup, Distribution, QueueTraffic, Scenario
from headset.sim.simulation import simulate
from headset.sim.summary import ALL_QUEUES
from headset.staffing import erlang_a

CALLS = 100_000
AGENTS = 200
AHT = 300.0
ARRIVALS_PER_300S = 190.0
PATIENCE = 120.0
THRESHOLD = 20.0
SEED = 2025


def bench_scenario(calls: int = CALLS) -> Scenario:
    """The benchmark model as a Headset scenario: 5-minute intervals, enough for `calls`."""
    intervals = math.ceil(calls / ARRIVALS_PER_300S)
    queue = QueueTraffic(
        config=QueueConfig(
            queue_id="bench",
            service_level=ServiceLevelTarget(80.0, timedelta(seconds=THRESHOLD)),
            wrap_up_duration=timedelta(0),
            tier_delays=(),
        ),
        arrivals=(calls / intervals,) * intervals,
        handle_time=Distribution("exponential", AHT),
        patience=Distribution("exponential", PATIENCE),
        short_abandon=timedelta(0),
    )
    agents = AgentGroup(prefix="agent-", count=AGENTS, memberships=(Membership("bench"),))
    grid = IntervalGrid(datetime(2025, 1, 6, tzinfo=UTC), timedelta(minutes=5), intervals)
    return Scenario("benchmark", grid, (queue,), (agents,))


def run_headset(calls: int = CALLS, seed: int = SEED) -> dict[str, Any]:
    """Simulates the model with Headset; returns its time and day figures."""
    scenario = bench_scenario(calls)
    started = time.perf_counter()
    result = simulate(scenario, seed=seed, replications=1)
    seconds = time.perf_counter() - started
    day = next(r for r in result.rows if r.queue == ALL_QUEUES and r.interval_start is None)
    figure = {kpi: found.mean for kpi, found in day.estimates.items()}
    return {
        "seconds": seconds,
        "calls": result.contacts,
        "engine_calls": result.engine_calls,
        "service_level_pct": figure["service_level_pct"],
        "asa_s": figure["asa_s"],
        "abandonment_rate_pct": figure["abandonment_rate_pct"],
        "occupancy_pct": figure["occupancy_pct"],
    }


def run_simpy(calls: int = CALLS, seed: int = SEED) -> dict[str, Any]:
    """Simulates the same model in SimPy: a Resource of agents, patience by AnyOf."""
    import simpy

    started = time.perf_counter()  # like Headset's, SimPy's time includes drawing its numbers
    rng = np.random.default_rng(seed)
    gaps = rng.exponential(300.0 / ARRIVALS_PER_300S, calls).tolist()
    talks = rng.exponential(AHT, calls).tolist()
    patiences = rng.exponential(PATIENCE, calls).tolist()
    waits_answered: list[float] = []
    waits_abandoned: list[float] = []

    def customer(env: Any, agents: Any, n: int) -> Any:
        queued = env.now
        with agents.request() as request:
            outcome = yield request | env.timeout(patiences[n])
            if request in outcome:
                waits_answered.append(env.now - queued)
                yield env.timeout(talks[n])
            else:
                waits_abandoned.append(env.now - queued)

    def source(env: Any, agents: Any) -> Any:
        for n in range(calls):
            yield env.timeout(gaps[n])
            env.process(customer(env, agents, n))

    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    env.process(source(env, agents))
    env.run()
    handled = len(waits_answered)
    abandoned = len(waits_abandoned)
    within = sum(1 for w in waits_answered if w <= THRESHOLD)
    after = sum(1 for w in waits_abandoned if w > THRESHOLD)
    figures = {
        "service_level_pct": 100.0 * within / (handled + after),
        "asa_s": math.fsum(waits_answered) / handled,
        "abandonment_rate_pct": 100.0 * abandoned / (handled + abandoned),
    }
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "calls": calls, **figures}


def erlang_a_reference() -> dict[str, float]:
    """Steady-state Erlang A figures of the same model (headset.staffing)."""
    found = erlang_a(ARRIVALS_PER_300S / 300.0, AHT, PATIENCE, AGENTS, THRESHOLD)
    return {
        "service_level_pct": 100.0 * float(found.service_level),
        "asa_s": float(found.asa),
        "abandonment_rate_pct": 100.0 * float(found.p_abandon),
    }


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest of repeated identical runs (same seed, same figures): the least disturbed."""
    return {**min(runs, key=lambda r: r["seconds"]), "seconds_all": [r["seconds"] for r in runs]}


def run(calls: int = CALLS, repeats: int = 3) -> dict[str, Any]:
    """Runs both simulators on the benchmark model, best of `repeats`; JSON-serialisable."""
    headset = _best([run_headset(calls) for _ in range(repeats)])
    simpy_run = _best([run_simpy(headset["calls"]) for _ in range(repeats)])
    return {
        "model": {
            "calls": headset["calls"],
            "agents": AGENTS,
            "aht_s": AHT,
            "arrivals_per_300s": ARRIVALS_PER_300S,
            "patience_s": PATIENCE,
            "wrap_up_s": 0,
            "threshold_s": THRESHOLD,
        },
        "headset": {**headset, "calls_per_s": headset["calls"] / headset["seconds"]},
        "simpy": {**simpy_run, "calls_per_s": simpy_run["calls"] / simpy_run["seconds"]},
        "speedup": simpy_run["seconds"] / headset["seconds"],
        "erlang_a": erlang_a_reference(),
        "repeats": repeats,
        "python": platform.python_version(),
        "simpy_version": importlib.metadata.version("simpy"),
    }


def _fmt(value: object, decimals: int = 2) -> str:
    return "-" if value is None else f"{value:,.{decimals}f}"


def markdown(results: dict[str, Any]) -> str:
    """A docs/benchmarks.md section: times, calls per second, ratio, and the outputs."""
    model, ours, theirs = results["model"], results["headset"], results["simpy"]
    reference = results.get("erlang_a") or {}
    lines = [
        "## Simulator: Headset against SimPy",
        "",
        f"{model['calls']:,} calls, {model['agents']} agents, exponential handle time "
        f"(mean {model['aht_s']:g} s), Poisson arrivals ({model['arrivals_per_300s']:g} per "
        f"300 s), exponential patience (mean {model['patience_s']:g} s), no wrap-up, one queue. "
        "Headset runs every call through the real routing engine (queue, offer and auto-answer, "
        f"end, abandon) and reports per interval; SimPy {results['simpy_version']} uses a "
        "Resource and "
        "AnyOf(request, timeout) and reports the day. Both times include drawing the random "
        "numbers and computing the figures. Same seed for "
        f"every run; best of {results['repeats']} runs each. Python {results['python']}.",
        "",
        "| | Headset | SimPy | Erlang A |",
        "|---|---:|---:|---:|",
        f"| time (s) | {_fmt(ours['seconds'])} | {_fmt(theirs['seconds'])} | |",
        f"| calls/s | {_fmt(ours['calls_per_s'], 0)} | {_fmt(theirs['calls_per_s'], 0)} | |",
    ]
    for key, label in (
        ("service_level_pct", f"service level % ({model['threshold_s']:g} s)"),
        ("asa_s", "ASA (s)"),
        ("abandonment_rate_pct", "abandonment rate %"),
    ):
        lines.append(
            f"| {label} | {_fmt(ours[key])} | {_fmt(theirs[key])} | {_fmt(reference.get(key))} |"
        )
    lines += [
        "",
        f"Headset is **{results['speedup']:.2f} times** as fast as SimPy "
        f"({ours['engine_calls']:,} engine commands).",
        "",
    ]
    return "\n".join(lines)
