"""The revision comparison's arithmetic: the ratio is the median of same-round ratios."""

from __future__ import annotations

from typing import Any

import pytest
from bench.compare import markdown, summary


def _round(base_rate: float, head_rate: float) -> dict[str, dict[str, Any]]:
    def side(rate: float) -> dict[str, Any]:
        return {"routing": {"offers_per_s": rate, "p99_us": 1e6 / rate, "cpu_us_per_offer": 1.0}}

    return {"base": side(base_rate), "head": side(head_rate)}


def test_the_ratio_is_the_median_of_same_round_ratios_not_the_ratio_of_medians() -> None:
    # a noisy machine: round two is slow for both sides alike
    runs = [_round(100.0, 110.0), _round(50.0, 55.0), _round(100.0, 90.0)]
    (rate, p99, cpu) = summary(runs)
    assert rate["figure"] == "offers_per_s"
    assert rate["ratios"] == pytest.approx([1.1, 1.1, 0.9])
    assert rate["ratio_median"] == pytest.approx(1.1)
    assert rate["base_median"] == 100.0
    assert rate["head_median"] == 90.0  # the ratio of medians would say 0.9
    assert p99["higher_is_better"] is False
    assert cpu["ratio_median"] == pytest.approx(1.0)


def test_the_table_names_the_base_and_each_figure() -> None:
    results = {
        "base": "c465cd0",
        "runs": [_round(100.0, 100.0)],
        "summary": summary([_round(100.0, 100.0)]),
        "measured_at": "2026-12-08 00:00 UTC",
    }
    table = markdown(results)
    assert "against c465cd0, 1 interleaved rounds" in table
    row = "| routing: offers/s (higher is better) | 100.00 | 100.00 | 1.000 | 1.00 to 1.00 |"
    assert row in table
    assert "service" not in table.split("\n", 4)[-1]  # no service rows without service runs
