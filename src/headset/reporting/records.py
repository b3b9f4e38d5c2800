"""The plain records reports are computed from: one per contact, one per agent state span.

Named tuples rather than dataclasses: immutable like them, and several times cheaper to
build, which matters when a simulated day or a month of history makes a million of them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from headset.routing.model import AgentState


class ContactRecord(NamedTuple):
    """The times of one contact (glossary: times of a contact); unset times are None."""

    contact_id: str
    queue_id: str
    queued_at: datetime
    answered_at: datetime | None = None
    abandoned_at: datetime | None = None
    ended_at: datetime | None = None
    wrapped_at: datetime | None = None
    hold_duration: timedelta = timedelta(0)


class AgentStateSpan(NamedTuple):
    """An agent spent [start_at, end_at) in `state`."""

    agent_id: str
    state: AgentState
    start_at: datetime
    end_at: datetime
