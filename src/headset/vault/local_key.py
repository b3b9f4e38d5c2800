"""A master key held by the service itself: a key file or a secret in the environment.

The simplest provider, for one server or a container platform's secret store. The master key
is 32 random bytes, given as base64 (`headset vault new-key` prints one, as does
`openssl rand -base64 32`). Wrapping is AES-256-GCM with a fresh 96-bit nonce, the context as
associated data.
"""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from headset.vault.providers import WrongKey

KEY_BYTES = 32
NONCE_BYTES = 12


class LocalKeyProvider:
    """A master key in this process's memory, read from a file or an environment secret."""

    def __init__(self, master_key: bytes, key_id: str) -> None:
        if len(master_key) != KEY_BYTES:
            raise ValueError(f"a master key is {KEY_BYTES} bytes; this one is {len(master_key)}")
        self._cipher = AESGCM(master_key)
        self._key_id = key_id

    @classmethod
    def from_secret(cls, text: str, key_id: str) -> LocalKeyProvider:
        """From base64 text (an environment variable); refuses anything but 32 bytes."""
        try:
            key = base64.b64decode(text.strip(), validate=True)
        except binascii.Error:
            raise ValueError("the master key must be base64 (openssl rand -base64 32)") from None
        return cls(key, key_id)

    @classmethod
    def from_file(cls, path: Path, key_id: str | None = None) -> LocalKeyProvider:
        """From a key file holding base64 text; named after the file unless `key_id` says."""
        return cls.from_secret(path.read_text(), key_id or f"file:{path.name}")

    @property
    def key_id(self) -> str:
        return self._key_id

    def wrap(self, data_key: bytes, context: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._cipher.encrypt(nonce, data_key, context)

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        try:
            return self._cipher.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], context)
        except InvalidTag:
            raise WrongKey(f"this data key was not wrapped by {self._key_id} here") from None
