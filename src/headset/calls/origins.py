"""Who in the service (not a person) took a call's step: a typed origin, stored as its actor.

The stored actor text stays what it always was (`system:voice`, `system:ivr`, ...); code
compares origins, never actor strings, so the switchboard knows its own steps when it
follows the committed events (and does not follow them again).
"""

from __future__ import annotations

from enum import StrEnum


class Origin(StrEnum):
    """A part of the service that steps calls on its own; the value is the stored actor."""

    #: The switchboard following the engine (an offer rings, an end reaches the media).
    SWITCHBOARD = "system:voice"
    #: The IVR (a closed queue, a hang-up step, a callback's goodbye).
    IVR = "system:ivr"
    #: The media (a leg whose connection dropped).
    MEDIA = "system:media"
    #: The recording policy (a call of an "all" queue is recorded when answered).
    RECORDING = "system:recording"
    #: Recovery after a restart (calls whose media is gone are ended).
    RECOVERY = "system:recovery"
    #: The retention sweep (recordings past their time are deleted).
    RETENTION = "system:retention"


def origin_of(actor: str | None) -> Origin | None:
    """The origin an event's actor names; None for a person, a token or a customer."""
    try:
        return Origin(actor) if actor is not None else None
    except ValueError:
        return None
