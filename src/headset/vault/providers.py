"""The key-provider port: a master key that wraps and unwraps data keys and never leaves."""

from __future__ import annotations

from typing import Protocol


class KeyUnavailable(RuntimeError):
    """The key provider cannot be reached or holds no such key: nothing can be opened."""


class KeyProvider(Protocol):
    """Holds one master key; wraps data keys with it, bound to a context."""

    @property
    def key_id(self) -> str:
        """Names the master key, stored beside every key it wraps (for rotation)."""
        ...

    def wrap(self, data_key: bytes, context: bytes) -> bytes:
        """The data key encrypted and authenticated under the master key and `context`."""
        ...

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        """The data key again; `WrongKey` if it was wrapped by another key or context."""
        ...


class WrongKey(ValueError):
    """A wrapped key or sealed value does not open: another key, another place, or changed."""
