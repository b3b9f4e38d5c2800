"""Events carry stable wire names, one per event type."""

from __future__ import annotations

import inspect
import re
from datetime import UTC, datetime

import pytest

from headset.core.messages import Event
from headset.routing import events as ev

EVENT_TYPES = [
    cls
    for _, cls in inspect.getmembers(ev, inspect.isclass)
    if issubclass(cls, Event) and cls is not Event
]


def _example(cls: type[Event]) -> Event:
    fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
    return cls(**dict.fromkeys(fields, None))


def test_every_event_type_has_its_own_routing_wire_name() -> None:
    names = [_example(cls).name for cls in EVENT_TYPES]
    assert len(EVENT_TYPES) >= 15
    assert all(name.startswith("routing.") for name in names)
    assert len(set(names)) == len(names)


def test_wire_names_are_snake_case_of_the_class_names() -> None:
    offered = ev.ContactOffered("c#1", "c", "a", "q", datetime.now(UTC), datetime.now(UTC))
    assert offered.name == "routing.contact_offered"
    for cls in EVENT_TYPES:
        snake = re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()
        assert _example(cls).name == f"routing.{snake}"


def test_an_event_without_a_wire_name_says_so() -> None:
    with pytest.raises(NotImplementedError, match="no wire name"):
        _ = Event().name
