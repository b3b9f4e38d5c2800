"""An agent's figures of today: handled, AHT and contacts per hour as glossary.md defines them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from headset.reporting.agent_day import AgentDays
from headset.routing import events as ev
from headset.routing.model import AgentState

NINE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
A, OFF, B = AgentState.AVAILABLE, AgentState.OFFLINE, AgentState.BUSY


def _utc(agent_id: str) -> str:
    return "UTC"


def _state(old: AgentState, new: AgentState, at: datetime) -> ev.AgentStateChanged:
    return ev.AgentStateChanged("ann", old, new, new, None, at)


def _handle(days: AgentDays, contact: str, answered: datetime, completed: datetime) -> None:
    days.apply(ev.OfferAccepted(f"{contact}~1", contact, "ann", answered), _utc)
    days.apply(ev.ContactCompleted(contact, "ann", "solved", completed), _utc)


def test_handle_time_runs_from_the_answer_to_the_end_of_wrap_up() -> None:
    days = AgentDays()
    days.apply(_state(OFF, A, NINE), _utc)
    _handle(days, "c1", NINE + timedelta(minutes=1), NINE + timedelta(minutes=5))
    _handle(days, "c2", NINE + timedelta(minutes=6), NINE + timedelta(minutes=8))
    figures = days.figures("ann", NINE + timedelta(hours=1), "UTC")
    assert figures.handled == 2
    assert figures.aht_seconds == pytest.approx((240 + 120) / 2)
    assert figures.logged_in_seconds == pytest.approx(3600)
    assert figures.contacts_per_hour == pytest.approx(2.0)


def test_offline_time_is_not_logged_in_time() -> None:
    days = AgentDays()
    days.apply(_state(OFF, A, NINE), _utc)
    days.apply(_state(A, OFF, NINE + timedelta(minutes=30)), _utc)
    days.apply(_state(OFF, A, NINE + timedelta(hours=2)), _utc)
    _handle(days, "c1", NINE + timedelta(hours=2), NINE + timedelta(hours=2, minutes=3))
    figures = days.figures("ann", NINE + timedelta(hours=2, minutes=30), "UTC")
    assert figures.logged_in_seconds == pytest.approx(3600)
    assert figures.contacts_per_hour == pytest.approx(1.0)


def test_a_contact_passed_on_is_not_handled_by_the_agent_who_passed_it() -> None:
    days = AgentDays()
    days.apply(_state(OFF, A, NINE), _utc)
    days.apply(ev.OfferAccepted("c1~1", "c1", "ann", NINE), _utc)
    days.apply(
        ev.ContactTransferred("c1", "ann", "q", "queue", "q", NINE + timedelta(minutes=2)), _utc
    )
    days.apply(ev.OfferAccepted("c1~2", "c1", "bob", NINE + timedelta(minutes=3)), _utc)
    days.apply(ev.ContactCompleted("c1", "bob", None, NINE + timedelta(minutes=4)), _utc)
    assert days.figures("ann", NINE + timedelta(minutes=5), "UTC").handled == 0
    bob = days.figures("bob", NINE + timedelta(minutes=5), "UTC")
    assert (bob.handled, bob.aht_seconds) == (1, pytest.approx(60))


def test_a_new_day_starts_from_zero_and_counts_a_signed_in_agent_from_midnight() -> None:
    days = AgentDays()
    late = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    days.apply(_state(OFF, A, late), _utc)
    _handle(days, "c1", late, late + timedelta(minutes=10))
    next_morning = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    # no event yet on the new day
    figures = days.figures("ann", next_morning, "UTC")
    assert figures.handled == 0
    assert figures.logged_in_seconds == pytest.approx(3600)
    # the first event of the new day starts it; the stretch since midnight carries over
    days.apply(_state(A, B, next_morning), _utc)
    assert days.figures("ann", next_morning, "UTC").logged_in_seconds == pytest.approx(3600)


def test_an_agent_never_seen_has_no_figures() -> None:
    figures = AgentDays().figures("nobody", NINE, "UTC")
    assert (figures.handled, figures.aht_seconds, figures.contacts_per_hour) == (0, None, None)
