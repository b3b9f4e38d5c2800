"""`headset example`: simulates the bundled example center into ./headset-example-output."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pytest

from headset.cli import example


def test_example_simulates_the_example_scenario(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    parser = argparse.ArgumentParser(prog="headset")
    example.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["example", "--replications", "2"])
    assert args.func(args) == 0
    out = tmp_path / "headset-example-output"
    with (out / "example.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    day = next(r for r in rows if r["queue"] == "all" and r["interval_start"] == "day")
    assert 1800 < float(day["offered"]) < 2600
    assert 60 < float(day["service_level_pct"]) <= 100
    assert {r["queue"] for r in rows} == {"all", "billing", "support"}
    assert (out / "example.png").read_bytes().startswith(b"\x89PNG")
    printed = capsys.readouterr().out
    assert "Headset example" in printed
    assert "example.csv" in printed


def test_example_rejects_a_replication_count_below_one(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="headset")
    example.register(parser.add_subparsers(dest="command", required=True))
    with pytest.raises(SystemExit) as exit_info:
        parser.parse_args(["example", "--replications", "0"])
    assert exit_info.value.code == 2
    assert "must be 1 or more" in capsys.readouterr().err
