"""`headset erlang`: JSON output recomputed independently, table output and bad input."""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from fractions import Fraction

import pytest

from headset.cli import erlang, main

Runner = Callable[[list[str]], int]
ACCEPTANCE = ["erlang", "--calls", "100", "--interval", "30m", "--aht", "180s", "--target", "80/20"]


def _erlang_c_row(traffic: Fraction, agents: int, aht: float, threshold: float) -> dict[str, float]:
    """One table row from the textbook factorial formula in exact fractions (not headset)."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    c = top / (sum(traffic**k / math.factorial(k) for k in range(agents)) + top)
    spare = float(agents - traffic)
    return {
        "p_wait": float(c),
        "service_level": 1.0 - float(c) * math.exp(-spare * threshold / aht),
        "asa_seconds": float(c) * aht / spare,
        "occupancy": float(traffic / agents),
    }


def _run_direct(argv: list[str]) -> int:
    """Run the sub-command through its own register(), without the other sub-commands."""
    parser = argparse.ArgumentParser(prog="headset")
    erlang.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


@pytest.fixture(params=["direct", "headset.cli.main"])
def run(request: pytest.FixtureRequest) -> Runner:
    if request.param == "direct":
        return _run_direct
    return main


def test_acceptance_json_reports_14_agents_and_erlang_c_rows(
    run: Runner, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*ACCEPTANCE, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"] == "erlang_c"
    assert report["traffic"] == pytest.approx(10.0)
    assert report["required_agents"] == 14
    assert report["scheduled_agents"] == 14
    agents = [row["agents"] for row in report["rows"]]
    assert 13 in agents
    assert 14 in agents
    assert 15 in agents
    for row in report["rows"]:
        expected = _erlang_c_row(Fraction(10), row["agents"], 180.0, 20.0)
        for key, value in expected.items():
            assert row[key] == pytest.approx(value, abs=1e-6), (row["agents"], key)
    by_agents = {row["agents"]: row for row in report["rows"]}
    assert by_agents[13]["service_level"] < 0.8 <= by_agents[14]["service_level"]


def test_shrinkage_and_occupancy_options(run: Runner, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*ACCEPTANCE, "--shrinkage", "30%", "--max-occupancy", "0.6", "--json"]
    assert run(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["required_agents"] == 17  # ceil(10 / 0.6)
    assert report["scheduled_agents"] == 25  # ceil(17 / 0.7)


def test_patience_switches_to_erlang_a(run: Runner, capsys: pytest.CaptureFixture[str]) -> None:
    assert run([*ACCEPTANCE, "--patience", "5m", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["model"] == "erlang_a"
    assert report["required_agents"] == 13
    assert all(0.0 < row["p_abandon"] < 1.0 for row in report["rows"])


def test_table_output_names_required_and_scheduled_agents(
    run: Runner, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*ACCEPTANCE, "--shrinkage", "0.3"]) == 0
    out = capsys.readouterr().out
    assert "Required agents: 14" in out
    assert "20" in out.split("Scheduled agents")[1].splitlines()[0]
    assert "88.8%" in out


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--aht", "3 minutes", "invalid duration"),
        ("--interval", "0", "above zero"),
        ("--target", "80", "invalid target"),
        ("--target", "100/20", "below 100%"),
        ("--calls", "-5", ">= 0"),
        ("--calls", "many", "invalid number of calls"),
    ],
)
def test_bad_input_exits_2_with_one_clear_error(
    run: Runner, capsys: pytest.CaptureFixture[str], option: str, value: str, message: str
) -> None:
    argv = [*ACCEPTANCE]
    index = argv.index(option) if option in argv else len(argv)
    argv[index : index + 2] = [option, value]
    with pytest.raises(SystemExit) as exit_info:
        run(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_shrinkage_of_one_hundred_percent_is_an_error(
    run: Runner, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*ACCEPTANCE, "--shrinkage", "100%"]) == 2
    assert "shrinkage" in capsys.readouterr().err
