"""`headset simulate`: table, CSV and PNG; same seed, same bytes; bad scenarios exit 2."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pytest

from headset.cli import simulate
from headset.sim.report_csv import columns
from tests.sim.scenarios import agents_text, queue_text, scenario_text

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PATIENCE = 'patience = { distribution = "exponential", mean = 90 }'


def run_cli(*argv: str | Path) -> int:
    parser = argparse.ArgumentParser(prog="headset")
    simulate.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["simulate", *map(str, argv)])
    code: int = args.func(args)
    return code


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.toml"
    text = scenario_text(
        intervals=3,
        queues=queue_text("sales", per_interval=25, extra=PATIENCE)
        + queue_text("service", per_interval=10, wrap_up=20),
        agents=agents_text(count=6, queues='{ queue = "sales" }, { queue = "service" }'),
    )
    path.write_text(text, encoding="utf-8")
    return path


def test_same_seed_writes_identical_csv_bytes(scenario_file: Path, tmp_path: Path) -> None:
    first, second, other = tmp_path / "one", tmp_path / "two", tmp_path / "other"
    assert run_cli(scenario_file, "--seed", "42", "--replications", "3", "--out", first) == 0
    assert run_cli(scenario_file, "--seed", "42", "--replications", "3", "--out", second) == 0
    assert run_cli(scenario_file, "--seed", "43", "--replications", "3", "--out", other) == 0
    data = (first / "small.csv").read_bytes()
    assert data == (second / "small.csv").read_bytes()
    assert data != (other / "small.csv").read_bytes()


def test_writes_csv_rows_per_interval_and_day_and_a_png(
    scenario_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run_cli(scenario_file, "--replications", "2", "--out", out) == 0
    with (out / "small.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == columns()
    # all queues, then each queue: 3 intervals and the day
    assert [(r["queue"], r["interval_start"][11:16] or r["interval_start"]) for r in rows] == [
        (queue, start)
        for queue in ("all", "sales", "service")
        for start in ("08:00", "08:15", "08:30", "day")
    ]
    day = rows[3]
    assert float(day["offered"]) == pytest.approx(sum(float(r["offered"]) for r in rows[:3]))
    assert float(day["service_level_pct_ci_low"]) <= float(day["service_level_pct"])
    assert float(day["agents_staffed"]) == pytest.approx(6)
    assert rows[7]["occupancy_pct"] == ""  # agent figures only on the all-queues rows
    png = (out / "small.png").read_bytes()
    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 10_000
    printed = capsys.readouterr().out
    assert str(out / "small.csv") in printed
    assert str(out / "small.png") in printed
    assert "SL %" in printed


def test_one_replication_leaves_confidence_columns_empty(
    scenario_file: Path, tmp_path: Path
) -> None:
    assert run_cli(scenario_file, "--out", tmp_path) == 0
    with (tmp_path / "small.csv").open(encoding="utf-8", newline="") as handle:
        day = list(csv.DictReader(handle))[3]
    assert day["offered"] != ""
    assert day["offered_ci_low"] == ""
    assert day["service_level_pct_ci_high"] == ""


def test_invalid_scenario_exits_2_and_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(scenario_text(queues=queue_text(per_interval=-1)), encoding="utf-8")
    assert run_cli(path, "--out", tmp_path / "out") == 2
    captured = capsys.readouterr()
    assert "queues[0].arrivals.per_interval: must be zero or more" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert not (tmp_path / "out").exists()


def test_missing_scenario_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(tmp_path / "absent.toml") == 2
    assert "cannot read scenario" in capsys.readouterr().err


def test_replications_must_be_positive(scenario_file: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run_cli(scenario_file, "--replications", "0")
    assert exit_info.value.code == 2
