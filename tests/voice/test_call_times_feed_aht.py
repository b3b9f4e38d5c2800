"""A call's hold counts as hold in the KPIs: handle = talk + hold + wrap-up (glossary.md)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from headset.calls import call as cc
from headset.calls.call import CallControl
from headset.calls.times import call_times
from headset.reporting.kpis import (
    average_handle_time,
    average_hold_time,
    average_talk_time,
    tally_contacts,
)
from headset.reporting.records import ContactRecord

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def record(call_id: str, hold_from: float, hold_to: float, end: float) -> ContactRecord:
    call = CallControl(call_id)
    happened = [
        call.handle(cc.Queue("sales"), at(0)),
        call.handle(cc.Answer("a1"), at(10)),
        call.handle(cc.Hold(), at(hold_from)),
        call.handle(cc.Resume(), at(hold_to)),
        call.handle(cc.HangUp("agent"), at(end)),
    ]
    times = call_times(call_id, happened, at(end))
    return ContactRecord(
        call_id, "sales", at(0), times.answered_at, None, times.ended_at, at(end + 30),
        times.hold,
    )  # fmt: skip


def test_hold_is_counted_as_hold_and_handle_time_is_unchanged() -> None:
    records = [record("c1", 20, 50, 70), record("c2", 15, 25, 40)]
    tally = tally_contacts(records, timedelta(seconds=20))
    # c1: talk 60-30 = 30, hold 30, wrap 30; c2: talk 30-10 = 20, hold 10, wrap 30
    assert average_talk_time(tally) == 25.0
    assert average_hold_time(tally) == 20.0
    assert average_handle_time(tally) == (30 + 30 + 30 + 20 + 10 + 30) / 2
    wrap = 30.0
    assert average_handle_time(tally) == average_talk_time(tally) + average_hold_time(tally) + wrap
