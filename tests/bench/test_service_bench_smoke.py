"""The end-to-end service benchmark still runs, tiny, on SQLite (figures are not asserted)."""

from __future__ import annotations

import math

from bench import service_bench


def test_service_benchmark_offers_every_contact_to_a_connected_agent() -> None:
    figures = service_bench.measure(
        "sqlite", agents=20, rate=20.0, seconds=2.0, warm_up=0.0, saturation=(40.0,),
        step_seconds=1.0,
    )  # fmt: skip
    steady = figures["steady"]
    assert steady["contacts"] == 40
    assert steady["offers"] == steady["contacts"] == steady["handled"]
    assert steady["missing_offers"] == 0
    assert steady["errors"] == 0, steady["error_samples"]
    names = ("p50_ms", "p99_ms", "max_ms", "contacts_per_s", "send_lag_p99_ms")
    for name in names:
        assert math.isfinite(steady[name])
        assert steady[name] >= 0
    assert steady["p50_ms"] <= steady["p99_ms"] <= steady["max_ms"]
    # the service worked for its contacts: routing, storing and publishing cost CPU time
    assert steady["service_cpu_ms_per_contact"] > 0
    assert steady["load_cpu_ms_per_contact"] > 0
    assert len(figures["saturation"]) == 1
    assert figures["saturation"][0]["contacts"] == 40
    assert "The service end to end" in service_bench.markdown({"databases": [figures]})
