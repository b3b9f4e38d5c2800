"""A call as staff see it now: status, mode, talk and hold so far, recording, supervisor, legs.

A call this process carries answers from its live state; any other (ended, or carried by a
process that restarted) from its stored row and its `voice.*` events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine as SqlEngine
from sqlalchemy import select

from headset.access.caller import Viewer
from headset.access.permissions import Scope
from headset.calls import events as ev
from headset.calls.call import CallStatus
from headset.calls.events import CallEvent
from headset.calls.times import call_times
from headset.core.errors import NotFound
from headset.routing.model import Channel
from headset.routing.records import ContactStatus
from headset.service.contact_reads import load_contact
from headset.storage.tables import events
from headset.voice.live_call import LiveCall

#: A stored contact's status as a call's, for a call the switchboard no longer holds.
_ROW_STATUS = {
    ContactStatus.IVR: CallStatus.IVR,
    ContactStatus.WAITING: CallStatus.QUEUED,
    ContactStatus.OFFERED: CallStatus.RINGING,
    ContactStatus.CONNECTED: CallStatus.CONNECTED,
}


@dataclass(frozen=True, slots=True)
class CallView:
    """What `GET .../calls/{call_id}` shows."""

    call_id: str
    status: str
    mode: str
    agent_id: str | None
    #: ISO 8601, as the API shows it
    answered_at: str | None
    talk_s: float
    hold_s: float
    recording: dict[str, str]
    supervisor: dict[str, str | None] | None
    legs: list[dict[str, str]]


def stored_call(
    reader: SqlEngine, tenant_id: str, call_id: str, scope: Scope, who: Viewer
) -> tuple[Any, list[CallEvent]]:
    """The call's contact row (if the caller may see it) and its stored call events."""
    with reader.connect() as conn:
        row = load_contact(conn, tenant_id, call_id, scope, who)
        if row.channel != Channel.VOICE.value:
            raise NotFound(f"contact {call_id!r} is not a call")
        found = conn.execute(
            select(events.c.type, events.c.occurred_at, events.c.payload)
            .where(events.c.stream_id == f"contact:{call_id}", events.c.type.like("voice.%"))
            .order_by(events.c.seq)
        ).all()
    decoded = (ev.decode(e.type, e.occurred_at, e.payload) for e in found)
    return row, [e for e in decoded if e is not None]


def call_view(row: Any, stored: list[CallEvent], call: LiveCall | None, now: datetime) -> CallView:
    """The call now, from its live state if this process carries it, else from what is stored."""
    if call is not None:
        s = call.state
        status = s.status.value
        legs = call.legs()
        supervisor = (
            {"user_id": s.supervisor_user_id, "mode": s.supervisor_mode}
            if s.supervisor_user_id
            else None
        )
        answered_at, talk, hold = s.answered_at, s.talk_until(now), s.hold_until(now)
        recording = s.recording.value
    else:
        times = call_times(row.contact_id, stored, now)
        status = _ROW_STATUS.get(row.status, CallStatus.ENDED).value
        legs, supervisor, recording = [], None, "off"
        answered_at, talk, hold = times.answered_at or row.answered_at, times.talk, times.hold
    mode = "hold" if status == "held" else "connected"
    if call is not None and call.is_conference:
        mode = "conference"
    return CallView(
        row.contact_id,
        status,
        mode,
        row.agent_id,
        answered_at.isoformat() if answered_at else None,
        round(talk.total_seconds(), 3),
        round(hold.total_seconds(), 3),
        {"state": recording},
        supervisor,
        legs,
    )
