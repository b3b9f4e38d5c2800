"""Runs a scenario's replications and summarizes them: the simulator's entry point."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from headset.sim.replication import run_replication
from headset.sim.scenario import Scenario
from headset.sim.summary import ReportRow, replication_figures, summarize

#: Called with (replications done, share of the current one done).
SimulationProgress = Callable[[int, float], None]


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """The report rows, and how much work the engine did."""

    scenario: Scenario
    seed: int
    replications: int
    rows: list[ReportRow]
    engine_calls: int
    contacts: int


def simulate(
    scenario: Scenario,
    seed: int = 1,
    replications: int = 1,
    progress: SimulationProgress | None = None,
    level: float = 0.95,
) -> SimulationResult:
    """Runs `replications` independent days, all derived from `seed`, and summarizes them."""
    if replications < 1:
        raise ValueError(f"replications must be 1 or more, not {replications}")
    figures = []
    calls = contacts = 0
    for k in range(replications):
        report: Callable[[float], None] | None = None
        if progress is not None:
            report = _bind(progress, k)
            report(0.0)
        outcome = run_replication(scenario, seed, k, report)
        calls += outcome.engine_calls
        contacts += len(outcome.contacts)
        figures.append(replication_figures(scenario, outcome))
    if progress is not None:
        progress(replications, 0.0)
    rows = summarize(scenario, figures, level)
    return SimulationResult(scenario, seed, replications, rows, calls, contacts)


def _bind(progress: SimulationProgress, done: int) -> Callable[[float], None]:
    return lambda share: progress(done, share)
