"""Commands (imperative, one handler) and events (past tense, stored and replayed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class Command:
    """Something someone asks the system to do; it may be refused."""


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened; `name` is the stable wire name that survives renames."""

    name: ClassVar[str] = "event"
