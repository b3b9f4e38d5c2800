"""The simulator's CSV: one row per queue and interval, and a day row per queue.

Floats are written with a fixed number of decimals so that the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from zoneinfo import ZoneInfo

from headset.sim.confidence import Estimate
from headset.sim.summary import KPIS, ReportRow

DAY = "day"


def columns() -> list[str]:
    """Header: scope and interval, then each KPI's mean and 95 % interval bounds."""
    names = ["queue", "interval_start"]
    for kpi in KPIS:
        names += [kpi, f"{kpi}_ci_low", f"{kpi}_ci_high"]
    return names


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def csv_text(rows: list[ReportRow], time_zone: str = "UTC") -> str:
    """The CSV document; interval starts are shown in the scenario's time zone."""
    zone = ZoneInfo(time_zone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns())
    for row in rows:
        start = DAY if row.interval_start is None else row.interval_start.astimezone(zone)
        cells = [row.queue, start if isinstance(start, str) else start.isoformat()]
        for kpi in KPIS:
            found: Estimate = row.estimates[kpi]
            cells += [_number(found.mean), _number(found.low), _number(found.high)]
        writer.writerow(cells)
    return buffer.getvalue()


def write_csv(rows: list[ReportRow], path: Path, time_zone: str = "UTC") -> Path:
    """Writes the CSV to `path` and returns it."""
    path.write_text(csv_text(rows, time_zone), encoding="utf-8")
    return path
