"""Erlang staffing benchmark: Headset's vectorised calculators against pyworkforce 0.5.1."""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from headset.staffing import erlang_a, required_agents, required_agents_erlang_a

INTERVALS, QUEUES = 96, 50
TARGET, THRESHOLD, INTERVAL_SECONDS = 0.8, 20.0, 1800.0
REPEATS = 5
FLOOR_ERLANG_C, FLOOR_ERLANG_A = 20.0, 50.0


def _best(function: Callable[[], object], repeats: int = REPEATS) -> float:
    """Best wall time of several runs (time.perf_counter), in seconds."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def _problems() -> tuple[np.ndarray, np.ndarray]:
    """96 intervals x 50 queues: calls per 30 min and AHT in seconds, varied and seeded."""
    rng = np.random.default_rng(2024)
    daily_shape = 0.2 + np.sin(np.linspace(0.0, np.pi, INTERVALS)) ** 2
    calls = np.round(rng.uniform(5.0, 400.0, QUEUES) * daily_shape[:, None])
    aht = np.round(rng.uniform(90.0, 600.0, (INTERVALS, QUEUES)))
    return calls.astype(float), aht


def _pyworkforce_erlang_c(calls: np.ndarray, aht: np.ndarray) -> np.ndarray:
    from pyworkforce.queuing import ErlangC

    # pyworkforce takes minutes; its `asa` argument is the service-level threshold
    out = np.empty(calls.shape, dtype=np.int64)
    for index in np.ndindex(calls.shape):
        erlang = ErlangC(
            transactions=calls[index],
            aht=aht[index] / 60.0,
            asa=THRESHOLD / 60.0,
            interval=INTERVAL_SECONDS / 60.0,
        )
        out[index] = erlang.required_positions(service_level=TARGET)["raw_positions"]
    return out


def run() -> dict[str, Any]:
    """Time both libraries on the same problems and check that they agree."""
    calls, aht = _problems()
    traffic = calls / INTERVAL_SECONDS * aht
    headset_agents = required_agents(traffic, aht, TARGET, THRESHOLD)
    pyworkforce_agents = _pyworkforce_erlang_c(calls, aht)
    headset_c = _best(lambda: required_agents(traffic, aht, TARGET, THRESHOLD))
    pyworkforce_c = _best(lambda: _pyworkforce_erlang_c(calls, aht), repeats=2)

    rate, one_aht, patience = 200 / INTERVAL_SECONDS, 240.0, 180.0
    headset_a_metrics = _best(lambda: erlang_a(rate, one_aht, patience, 30, THRESHOLD), 50)
    headset_a_required = _best(
        lambda: required_agents_erlang_a(rate, one_aht, patience, TARGET, THRESHOLD), 20
    )
    headset_a_day = _best(
        lambda: required_agents_erlang_a(
            calls / INTERVAL_SECONDS, aht, patience, TARGET, THRESHOLD
        ),
        2,
    )
    import pyworkforce.queuing as queuing

    has_erlang_a = any("erlanga" in name.lower() for name in dir(queuing))
    return {
        "pyworkforce_version": importlib.metadata.version("pyworkforce"),
        "problems": int(traffic.size),
        "traffic_erlangs": [float(traffic.min()), float(traffic.max())],
        "erlang_c": {
            "headset_seconds": headset_c,
            "pyworkforce_seconds": pyworkforce_c,
            "ratio": pyworkforce_c / headset_c,
            "floor": FLOOR_ERLANG_C,
            "disagreements": int((headset_agents != pyworkforce_agents).sum()),
            "total_agents": int(headset_agents.sum()),
        },
        "erlang_a": {
            "pyworkforce_has_erlang_a": has_erlang_a,
            "note": (
                "pyworkforce 0.5.1 has no Erlang A: pyworkforce.queuing exports only ErlangC "
                "and MultiErlangC, with no patience or abandonment parameter, so no ratio "
                "against pyworkforce can be measured and the 50x floor cannot be checked."
            ),
            "headset_one_interval_metrics_seconds": headset_a_metrics,
            "headset_one_interval_required_seconds": headset_a_required,
            "headset_day_required_seconds": headset_a_day,
            "ratio": None,
            "floor": FLOOR_ERLANG_A,
        },
    }


def markdown(results: dict[str, Any]) -> str:
    """A section for docs/benchmarks.md."""
    c, a = results["erlang_c"], results["erlang_a"]
    low, high = results["traffic_erlangs"]
    lines = [
        "## Erlang staffing",
        "",
        f"{results['problems']} problems (96 intervals x 50 queues, {low:.1f}-{high:.1f} erlangs, "
        f"AHT 90-600 s, target 80/20), best of several runs, one thread, against pyworkforce "
        f"{results['pyworkforce_version']}.",
        "",
        "| calculation | Headset | pyworkforce | ratio | floor | agreement |",
        "|---|---|---|---|---|---|",
        f"| Erlang C required agents, all problems | {c['headset_seconds'] * 1e3:.1f} ms "
        f"| {c['pyworkforce_seconds'] * 1e3:.0f} ms | {c['ratio']:.0f}x | {c['floor']:.0f}x "
        f"| {c['disagreements']} disagreements |",
        f"| Erlang A figures, one interval "
        f"| {a['headset_one_interval_metrics_seconds'] * 1e3:.2f} ms "
        f"| n/a | n/a | {a['floor']:.0f}x | - |",
        f"| Erlang A required agents, one interval "
        f"| {a['headset_one_interval_required_seconds'] * 1e3:.2f} ms | n/a | n/a | - | - |",
        f"| Erlang A required agents, all problems "
        f"| {a['headset_day_required_seconds'] * 1e3:.0f} ms | n/a | n/a | - | - |",
        "",
        a["note"],
        "",
    ]
    return "\n".join(lines)
