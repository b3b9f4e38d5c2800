"""The benchmarks still run and their peers agree with Headset (figures are not asserted)."""

from __future__ import annotations

from bench import erlang_bench, mail_bench, media_bench, routing_bench, sim_bench


def test_routing_benchmark_routes_every_contact() -> None:
    figures = routing_bench.measure(agents=2_000, contacts=400, warm_up=100)
    # a queue whose few members lack its skill level leaves some contacts waiting
    assert 300 <= figures["offers"] <= 400
    assert figures["decisions"] >= figures["offers"]
    assert figures["p50_us"] <= figures["p99_us"] <= figures["max_us"]
    assert "Routing engine" in routing_bench.markdown({"sizes": [figures]})


def test_simulator_benchmark_runs_both_simulators_on_the_same_model() -> None:
    results = sim_bench.run(calls=2_000, repeats=1)
    assert results["headset"]["calls"] == results["simpy"]["calls"]
    for model in ("headset", "simpy"):
        assert 0 <= results[model]["abandonment_rate_pct"] <= 10
    assert "SimPy" in sim_bench.markdown(results)


def test_erlang_benchmark_agrees_with_pyworkforce_on_every_problem() -> None:
    results = erlang_bench.run()
    assert results["problems"] == 96 * 50
    assert results["erlang_c"]["disagreements"] == 0
    assert "Erlang" in erlang_bench.markdown(results)


def test_media_benchmark_counts_frames_of_recorded_calls() -> None:
    results = media_bench.measure(start=2, step=2, limit=2, duration_s=2.0)
    (run,) = results["runs"]
    assert run["calls"] == 2
    assert run["delivered_mean"] > 0.5  # the peers got the hub's mixed audio back
    assert results["gap_free_calls_per_core"] in (0, 2)
    assert "calls per core" in media_bench.markdown(results)


def test_mail_benchmark_ingests_every_message() -> None:
    results = mail_bench.run(100, 4, 3)
    assert sum(results["ingest_sqlite"]["outcomes"].values()) == 100
    assert "E-mail ingestion" in mail_bench.markdown(results)
