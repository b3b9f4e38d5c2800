"""Strict reading of parsed TOML tables: typed getters, and errors that name the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from headset.sim.scenario import ScenarioError

_REQUIRED: Final = object()


class StrictTable:
    """A TOML table read key by key; `finish()` rejects the keys nobody asked for."""

    def __init__(self, data: Mapping[str, object], path: str = "") -> None:
        self._data = data
        self._path = path
        self._read: set[str] = set()

    def where(self, key: str) -> str:
        """The dotted path of `key`, as error messages show it."""
        return f"{self._path}.{key}" if self._path else key

    def fail(self, key: str, problem: str) -> ScenarioError:
        return ScenarioError(f"{self.where(key)}: {problem}")

    def names(self) -> list[str]:
        return list(self._data)

    def has(self, key: str) -> bool:
        return key in self._data

    def _get(self, key: str, default: object) -> object:
        self._read.add(key)
        if key in self._data:
            return self._data[key]
        if default is _REQUIRED:
            raise self.fail(key, "missing (required)")
        return default

    def text(self, key: str, default: object = _REQUIRED) -> str:
        value = self._get(key, default)
        if not isinstance(value, str):
            raise self.fail(key, f"expected a string, got {value!r}")
        return value

    def number(self, key: str, default: object = _REQUIRED, *, positive: bool = False) -> float:
        """A non-negative number (or a positive one)."""
        value = self._get(key, default)
        return self.check_number(key, value, positive=positive)

    def check_number(self, key: str, value: object, *, positive: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"expected a number, got {value!r}")
        if value < 0 or (positive and value == 0) or value != value:
            raise self.fail(
                key, f"must be {'positive' if positive else 'zero or more'}, not {value}"
            )
        return float(value)

    def integer(self, key: str, default: object = _REQUIRED, *, minimum: int = 0) -> int:
        value = self._get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"expected a whole number, got {value!r}")
        if value < minimum:
            raise self.fail(key, f"must be {minimum} or more, not {value}")
        return value

    def raw(self, key: str, default: object = _REQUIRED) -> object:
        return self._get(key, default)

    def numbers(self, key: str, default: object = _REQUIRED) -> list[float]:
        value = self._get(key, default)
        if not isinstance(value, list):
            raise self.fail(key, f"expected a list of numbers, got {value!r}")
        return [self.check_number(f"{key}[{i}]", item) for i, item in enumerate(value)]

    def texts(self, key: str, default: object = _REQUIRED) -> list[str]:
        value = self._get(key, default)
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, f"expected a list of strings, got {value!r}")
        return list(value)

    def table(self, key: str, default: object = _REQUIRED) -> StrictTable | None:
        value = self._get(key, default)
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(key, f"expected a table, got {value!r}")
        return StrictTable(value, self.where(key))

    def tables(self, key: str, default: object = _REQUIRED) -> list[StrictTable]:
        value = self._get(key, default)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self.fail(key, f"expected an array of tables ([[{key}]]), got {value!r}")
        return [StrictTable(item, f"{self.where(key)}[{i}]") for i, item in enumerate(value)]

    def finish(self) -> None:
        """Raises ScenarioError on keys that were never read: typos must not pass silently."""
        unknown = sorted(set(self._data) - self._read)
        if unknown:
            known = ", ".join(sorted(self._read)) or "none"
            raise ScenarioError(
                f"{self._path or 'scenario'}: unknown key {unknown[0]!r} (known keys: {known})"
            )
