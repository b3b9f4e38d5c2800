"""Commands (imperative, one handler) and events (past tense, stored and replayed).

Both are immutable. `message` declares them: type checkers treat the class as a frozen
dataclass, so any assignment to a field is a type error, while at run time it is a plain slots
dataclass. A frozen dataclass costs about five times as much to build (every field goes
through `object.__setattr__`), and the routing engine builds several per decision; see
docs/decisions/0002-messages-frozen-for-the-type-checker.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True)
def message(cls: type[T]) -> type[T]:
    """Declares a command or an event: a dataclass with slots, read-only for the type checker."""
    return dataclass(slots=True)(cls)


@message
class Command:
    """Something someone asks the system to do; it may be refused."""


@message
class Event:
    """Something that happened, stored and published under a stable wire name."""

    @property
    def name(self) -> str:
        """The wire name (`routing.contact_queued`), which survives a rename of the class.

        A property rather than a class attribute so that mypyc compiles event classes
        (docs/decisions/0004-mypyc.md).
        """
        raise NotImplementedError(f"{type(self).__name__} has no wire name")
