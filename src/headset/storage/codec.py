"""JSON-safe encoding of the routing engine's events and settings, and back.

The encoding follows the wire schema (`headset.storage.wire_schema`), type by type.

Choices, in JSON terms:

- datetime: ISO 8601 text in UTC with its offset and six decimals,
  `"2026-11-23T08:00:00.000250+00:00"` (so the text also sorts in time order);
- timedelta: seconds as a number (`20.0`, `0.000001`). A double holds every whole number of
  microseconds up to about 140 years exactly, so durations round-trip to the microsecond;
  encoding a longer duration raises instead of silently rounding;
- StrEnum: its value; Mapping: an object (keys must encode to text, e.g. Channel values);
  frozenset: a sorted list; tuple: a list; a frozen dataclass: an object of its fields;
- an overflow action: an object tagged with `kind` (`{"kind": "relax_skill", "skill": ...}`).

Decoding is strict: unknown or missing fields, wrong JSON types and values the domain refuses
raise `Invalid` naming the field. A missing field that has a default takes the default, so a
field added later with a default still reads old events.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cache
from types import NoneType
from typing import Any, Union, get_args, get_origin

from headset.core.errors import Invalid
from headset.core.messages import Event
from headset.storage.wire_schema import ACTION_KINDS, EVENT_TYPES, SCHEMA

__all__ = ["EVENT_TYPES", "decode", "decode_value", "encode", "encode_value"]

_ACTIONS_BY_KIND = {kind: cls for cls, kind in ACTION_KINDS.items()}

#: A double is exact to the microsecond below 2**52 microseconds (about 142 years).
_EXACT_DURATION = timedelta(microseconds=2**52)


# the public entry points -------------------------------------------------------------------
def encode(event: Event) -> dict[str, Any]:
    """The event's fields as JSON-safe data; its type travels apart, as `event.name`."""
    if type(event) not in SCHEMA or not isinstance(event, Event):
        raise Invalid(f"{type(event).__name__} is not an event the codec knows")
    encoded: dict[str, Any] = _encode(event, type(event))
    return encoded


def decode(type_name: str, payload: Mapping[str, Any]) -> Event:
    """Rebuilds an event from its wire name and encoded fields; raises `Invalid` if malformed."""
    cls = EVENT_TYPES.get(type_name)
    if cls is None:
        raise Invalid(f"unknown event type {type_name!r}; known: {', '.join(sorted(EVENT_TYPES))}")
    try:
        data = dict(payload) if isinstance(payload, Mapping) else payload
        event: Event = _decode(data, cls, "")
    except _Malformed as error:
        raise Invalid(f"malformed {type_name} payload: {error}") from None
    return event


def encode_value(value: Any, hint: Any) -> Any:
    """`value` (of type `hint`, e.g. QueueConfig or `tuple[timedelta, ...]`) as JSON-safe data."""
    return _encode(value, hint)


def decode_value(data: Any, hint: Any) -> Any:
    """Rebuilds a value of type `hint` from `encode_value` output; raises `Invalid` if malformed."""
    try:
        return _decode(data, hint, "")
    except _Malformed as error:
        raise Invalid(f"malformed {_name(hint)}: {error}") from None


# encoding -----------------------------------------------------------------------------------
def _encode(value: Any, hint: Any) -> Any:
    return _encoder(hint)(value)


Encoder = Callable[[Any], Any]


@cache
def _encoder(hint: Any) -> Encoder:
    """The function that encodes values of `hint`, worked out once per type.

    Every event the service stores passes through here, so the type is read once and the
    per-value work is a few checks and conversions.
    """
    origin = get_origin(hint)
    if origin is Union or origin is types.UnionType:
        return _union_encoder(hint)
    if origin is not None:
        args = get_args(hint)
        if origin is Mapping or origin is dict:
            keys, values = _encoder(args[0]), _encoder(args[1])
            return lambda v: {_key(keys(k)): values(item) for k, item in v.items()}
        if origin is frozenset:
            item = _encoder(args[0])
            return lambda v: sorted((item(x) for x in v), key=_sort_key)
        if origin is tuple:
            if args[-1] is Ellipsis:
                item = _encoder(args[0])
                return lambda v: [item(x) for x in v]
            items = [_encoder(a) for a in args]

            def encode_tuple(v: Any) -> Any:
                return [e(x) for e, x in zip(items, v, strict=True)]

            return encode_tuple
    elif hint in SCHEMA:
        plan = [(name, _encoder(h)) for name, h in SCHEMA[hint].items()]

        def encode_fields(v: Any) -> Any:
            if type(v) is not hint:
                raise TypeError(f"cannot encode {v!r} as {_name(hint)}")
            return {name: e(getattr(v, name)) for name, e in plan}

        return encode_fields
    elif isinstance(hint, type) and issubclass(hint, StrEnum):
        return lambda v: v.value if isinstance(v, hint) else _refuse(v, hint)
    elif hint is datetime:
        return _encode_datetime
    elif hint is timedelta:
        return _encode_duration
    elif hint is float:
        return lambda v: float(v) if type(v) in (int, float) else _refuse(v, hint)
    elif hint in (str, int, bool):
        return lambda v: v if type(v) is hint else _refuse(v, hint)
    elif hint is NoneType:
        return lambda v: None if v is None else _refuse(v, hint)
    return lambda v: _refuse(v, hint)


def _union_encoder(hint: Any) -> Encoder:
    options = [option for option in get_args(hint) if option is not NoneType]
    is_optional = len(options) < len(get_args(hint))
    tagged: dict[Any, str] = {o: ACTION_KINDS[o] for o in options if o in ACTION_KINDS}
    single = _encoder(options[0]) if len(options) == 1 else None

    def encode_union(v: Any) -> Any:
        if v is None and is_optional:
            return None
        kind = tagged.get(type(v))
        if kind is not None:
            action: Any = type(v)
            return {"kind": kind, **_encoder(action)(v)}
        if single is not None:
            return single(v)
        return _refuse(v, hint)

    return encode_union


def _encode_datetime(value: Any) -> Any:
    if not isinstance(value, datetime):
        return _refuse(value, datetime)
    if value.tzinfo is not UTC:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"datetime must be timezone-aware: {value!r}")
        value = value.astimezone(UTC)
    return value.isoformat(timespec="microseconds")


def _encode_duration(value: Any) -> Any:
    if not isinstance(value, timedelta):
        return _refuse(value, timedelta)
    if abs(value) >= _EXACT_DURATION:
        raise ValueError(f"duration {value} is too long to encode exactly")
    return value.total_seconds()


def _refuse(value: Any, hint: Any) -> Any:
    raise TypeError(f"cannot encode {value!r} as {_name(hint)}")


def _key(encoded: Any) -> str:
    if not isinstance(encoded, str):
        raise TypeError(f"mapping keys must encode to text, not {encoded!r}")
    return encoded


def _sort_key(item: Any) -> str:
    return item if isinstance(item, str) else repr(item)


# decoding -----------------------------------------------------------------------------------
class _Malformed(Exception):
    """Where (a dotted path) and how the data does not fit the schema."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path or 'the top level'}: {problem}")


def _decode(data: Any, hint: Any, path: str) -> Any:
    origin = get_origin(hint)
    if origin is Union or origin is types.UnionType:
        options = [option for option in get_args(hint) if option is not NoneType]
        if data is None and len(options) < len(get_args(hint)):
            return None
        if options and all(option in ACTION_KINDS for option in options):
            return _decode_tagged(data, options, path)
        if len(options) == 1:
            return _decode(data, options[0], path)
        raise TypeError(f"cannot decode {_name(hint)}")
    if origin is not None:
        args = get_args(hint)
        if origin is Mapping or origin is dict:
            items = _expect(data, dict, "an object", path).items()
            return {
                _decode(k, args[0], f"{path}.{k}"): _decode(v, args[1], f"{path}.{k}")
                for k, v in items
            }
        items = _expect(data, list, "a list", path)
        if origin is frozenset:
            return frozenset(_decode(item, args[0], f"{path}[{i}]") for i, item in enumerate(items))
        if origin is tuple:
            if args[-1] is Ellipsis:
                args = (args[0],) * len(items)
            elif len(args) != len(items):
                raise _Malformed(path, f"expected {len(args)} items, got {len(items)}")
            pairs = enumerate(zip(items, args, strict=True))
            return tuple(_decode(d, h, f"{path}[{i}]") for i, (d, h) in pairs)
        raise TypeError(f"cannot decode {_name(hint)}")
    if hint in SCHEMA:
        return _decode_fields(_expect(data, dict, "an object", path), hint, path, ())
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        text = _expect(data, str, "text", path)
        try:
            return hint(text)
        except ValueError:
            known = ", ".join(repr(member.value) for member in hint)
            raise _Malformed(path, f"{text!r} is not a {hint.__name__} ({known})") from None
    if hint is datetime:
        return _decode_datetime(_expect(data, str, "ISO 8601 text", path), path)
    if hint is timedelta or hint is float:
        if type(data) not in (int, float):
            raise _Malformed(path, f"expected a number, got {_json_type(data)}")
        try:
            return timedelta(seconds=data) if hint is timedelta else float(data)
        except OverflowError:
            raise _Malformed(path, f"{data} seconds is out of range") from None
    if hint in (str, int, bool):
        return _expect(
            data, hint, {str: "text", int: "an integer", bool: "true or false"}[hint], path
        )
    if hint is NoneType:
        if data is not None:
            raise _Malformed(path, f"expected null, got {_json_type(data)}")
        return None
    raise TypeError(f"cannot decode {_name(hint)}")


def _decode_fields(data: dict[str, Any], cls: type, path: str, skip: tuple[str, ...]) -> Any:
    fields = SCHEMA[cls]
    unknown = sorted(set(data) - set(fields) - set(skip))
    if unknown:
        raise _Malformed(path, f"unknown field(s) {', '.join(unknown)} for {cls.__name__}")
    defaults = {f.name for f in dataclasses.fields(cls) if _has_default(f)}
    kwargs = {}
    for name, hint in fields.items():
        if name in data:
            kwargs[name] = _decode(data[name], hint, f"{path}.{name}" if path else name)
        elif name not in defaults:
            raise _Malformed(path, f"missing field {name!r} of {cls.__name__}")
    try:
        return cls(**kwargs)
    except Invalid as error:
        raise _Malformed(path, str(error)) from None


def _decode_tagged(data: Any, options: list[Any], path: str) -> Any:
    obj = _expect(data, dict, "an object with a 'kind'", path)
    kind = obj.get("kind")
    cls = _ACTIONS_BY_KIND.get(kind) if isinstance(kind, str) else None
    if cls is None or cls not in options:
        known = ", ".join(repr(ACTION_KINDS[option]) for option in options)
        raise _Malformed(path, f"'kind' must be one of {known}, not {kind!r}")
    fields = {k: v for k, v in obj.items() if k != "kind"}
    return _decode_fields(fields, cls, path, ())


def _decode_datetime(text: str, path: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _Malformed(path, f"{text!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _Malformed(path, f"{text!r} has no UTC offset")
    return moment.astimezone(UTC)


def _expect(data: Any, kind: type, described: str, path: str) -> Any:
    # bool is a subclass of int, but true is not an integer in JSON terms
    if type(data) is not kind:
        raise _Malformed(path, f"expected {described}, got {_json_type(data)}")
    return data


def _json_type(data: Any) -> str:
    names = {dict: "an object", list: "a list", str: "text", bool: "a boolean", int: "an integer"}
    if data is None:
        return "null"
    return names.get(type(data), f"{type(data).__name__} {data!r}"[:80])


def _has_default(field: dataclasses.Field[Any]) -> bool:
    return (
        field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
    )


def _name(hint: Any) -> str:
    return hint.__name__ if isinstance(hint, type) else repr(hint)
