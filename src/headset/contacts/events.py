"""Events of a contact that are not the routing engine's, as typed messages with the stable
wire names the event log holds."""

from __future__ import annotations

from typing import Any

from headset.core.messages import Event, message


@message
class NoteAdded(Event):
    """A user wrote a note on the contact (its stream: `contact:{contact_id}`)."""

    note_id: str

    @property
    def name(self) -> str:
        return "contact.note_added"

    def payload(self) -> dict[str, Any]:
        """As stored: the note's id (the note itself is a row of `notes`)."""
        return {"note_id": self.note_id}
