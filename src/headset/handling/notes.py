"""Notes on a contact: written by a user at wrap-up or any time later."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection, insert

from headset.access.caller import Caller
from headset.access.permissions import Permission
from headset.contacts.events import NoteAdded
from headset.core.ids import new_id
from headset.service.contact_reads import load_contact
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.event_log import NewEvent
from headset.storage.tables import notes


@dataclass(frozen=True, slots=True)
class Note:
    """A stored note."""

    note_id: str
    contact_id: str
    author_user_id: str
    text: str
    created_at: datetime


def write_note(conn: Connection, tenant_id: str, note: Note) -> None:
    """Stores the note in the caller's transaction."""
    conn.execute(insert(notes).values(tenant_id=tenant_id, **asdict(note)))


def new_note(who: Caller, contact_id: str, text: str, now: datetime) -> Note:
    """A note by the caller, written now."""
    return Note(new_id("n"), contact_id, who.user_id or who.actor, text, now)


async def add_note(
    host: EngineHost, who: Caller, tenant_id: str, contact_id: str, text: str
) -> Note:
    """Adds a note to a contact the caller may see (live or over)."""
    scope = who.check(tenant_id, Permission.NOTE_WRITE)
    now = host.clock.now()
    note = new_note(who, contact_id, text, now)

    def write(conn: Connection) -> None:
        load_contact(conn, tenant_id, contact_id, scope, who)
        write_note(conn, tenant_id, note)

    added = NoteAdded(note.note_id)
    event = NewEvent(
        stream_id=f"contact:{contact_id}",
        type=added.name,
        payload=added.payload(),
        occurred_at=now,
        tenant_id=tenant_id,
        actor=who.actor,
    )
    await host.submit(Operation(write=write, events=[event], actor=who.actor))
    return note
