"""Chat messages and the visibility rule: who may read which message.

A conversation has three kinds of reader: the customer, the agents, and the supervisors
(team leaders included) watching the floor. A message sent to `everyone` reaches all three;
a whisper (`staff`) is for agents and supervisors only and must never reach the customer,
on any path: transcript, live stream or resume.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from headset.core.errors import Invalid
from headset.core.text import check_typed

#: The longest message text a person may send.
MAX_TEXT = 4000


class AuthorKind(StrEnum):
    """Who wrote a message."""

    CUSTOMER = "customer"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    SYSTEM = "system"


class Visibility(StrEnum):
    """Who may read a message."""

    EVERYONE = "everyone"
    #: A whisper: agents and supervisors, never the customer.
    STAFF = "staff"


class Viewer(StrEnum):
    """Who is reading a conversation."""

    CUSTOMER = "customer"
    AGENT = "agent"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """One message of a conversation; `seq` orders the conversation, 1, 2, 3..."""

    contact_id: str
    seq: int
    message_id: str
    author_kind: AuthorKind
    author_name: str
    visibility: Visibility
    text: str
    sent_at: datetime
    attachment_id: str | None = None


def can_see(viewer: Viewer, visibility: Visibility) -> bool:
    """Whether `viewer` may read a message of `visibility`."""
    if visibility is Visibility.EVERYONE:
        return True
    return viewer is not Viewer.CUSTOMER


def visible_to(viewer: Viewer, messages: Iterable[ChatMessage]) -> list[ChatMessage]:
    """The messages `viewer` may read, in conversation order."""
    return sorted((m for m in messages if can_see(viewer, m.visibility)), key=lambda m: m.seq)


def check_text(text: str, has_attachment: bool = False) -> str:
    """The text as stored: trimmed; refuses empty messages (unless they carry a file)."""
    trimmed = text.strip()
    if not trimmed and not has_attachment:
        raise Invalid("a message needs text or an attachment")
    if len(trimmed) > MAX_TEXT:
        raise Invalid(f"a message may be at most {MAX_TEXT} characters, not {len(trimmed)}")
    return check_typed(trimmed, "text", is_multiline=True)
