"""The wire schema lists every routing event under its wire name, with the classes' own fields.

On the pure-Python build the schema's types must equal the classes' annotations; on the
mypyc build (whose annotations are erased) they must erase to the same thing.
"""

from __future__ import annotations

import dataclasses
import inspect
import types
import typing
from typing import Any

from headset.core.messages import Event
from headset.routing import events as ev
from headset.storage.wire_schema import ACTION_KINDS, EVENT_TYPES, SCHEMA

from .samples import EVENTS

IS_COMPILED = not ev.__file__.endswith(".py")


def _erased(hint: Any) -> Any:
    """What mypyc keeps of an annotation: unions become `type`, generics their origin."""
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return type
    return origin or hint


def _event_classes() -> set[type]:
    return {
        cls
        for _, cls in inspect.getmembers(ev, inspect.isclass)
        if issubclass(cls, Event) and cls is not Event and cls.__module__ == ev.__name__
    }


def test_every_routing_event_class_has_a_wire_name() -> None:
    assert set(EVENT_TYPES.values()) == _event_classes()
    assert len(set(EVENT_TYPES.values())) == len(EVENT_TYPES)


def test_the_wire_names_are_the_events_own_names() -> None:
    assert {type(event) for event in EVENTS} == _event_classes()
    for event in EVENTS:
        assert EVENT_TYPES[event.name] is type(event)


def test_the_schema_has_the_fields_of_each_class_in_order() -> None:
    for cls, fields in SCHEMA.items():
        assert list(fields) == [f.name for f in dataclasses.fields(cls)], cls.__name__


def test_the_schema_types_are_the_annotations_of_each_class() -> None:
    for cls, fields in SCHEMA.items():
        if IS_COMPILED:
            annotations = {f.name: f.type for f in dataclasses.fields(cls)}
            assert annotations == {name: _erased(hint) for name, hint in fields.items()}, cls
        else:
            assert typing.get_type_hints(cls) == dict(fields), cls.__name__


def test_every_class_the_schema_refers_to_is_in_the_schema() -> None:
    def referred(hint: Any) -> set[type]:
        found = {hint} if dataclasses.is_dataclass(hint) else set()
        for arg in typing.get_args(hint):
            found |= referred(arg)
        return found

    for fields in SCHEMA.values():
        for hint in fields.values():
            assert referred(hint) <= set(SCHEMA), hint


def test_every_overflow_action_has_a_kind() -> None:
    assert set(ACTION_KINDS) <= set(SCHEMA)
    assert sorted(ACTION_KINDS.values()) == [
        "add_queue",
        "add_team_leaders",
        "raise_priority",
        "relax_skill",
    ]
