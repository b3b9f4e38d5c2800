"""Secrets the service must read back (a mailbox's passwords), stored only encrypted.

A password Headset has to present to another server cannot be hashed like a user's; it is
sealed instead: AES-256-GCM (authenticated, so a changed byte is noticed, not decrypted to
garbage) with a fresh 96-bit nonce per seal. The `context` (which tenant's which secret) is
bound in as associated data, so a sealed value copied to another row or tenant does not open.

`SecretBox` is the port; `KeyedSecretBox` keys it from the server's secret key
(HEADSET_SECRET_KEY) through HKDF-SHA256 with a label of its own, so the key that seals
secrets is never the one that peppers session digests. A per-tenant key provider (envelope
encryption) can take its place behind the same two methods; the version prefix of a sealed
value says which scheme made it.
"""

from __future__ import annotations

import base64
import binascii
import os
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

#: What a value sealed by `KeyedSecretBox` starts with.
_VERSION = "v1."
_NONCE_BYTES = 12
_LABEL = b"headset secret box v1"


class SecretUnreadable(ValueError):
    """A sealed value does not open: another key sealed it, or it was changed or moved."""


class SecretBox(Protocol):
    """Seals text for storage and opens it again, bound to a context."""

    def seal(self, plaintext: str, context: str) -> str:
        """The sealed text (ASCII, safe for any text column)."""
        ...

    def open(self, sealed: str, context: str) -> str:
        """The plaintext; raises SecretUnreadable if it was not sealed here for `context`."""
        ...


class KeyedSecretBox:
    """AES-256-GCM under a key derived from the server's secret key."""

    def __init__(self, secret_key: str) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_LABEL).derive(
            secret_key.encode()
        )
        self._cipher = AESGCM(key)

    def seal(self, plaintext: str, context: str) -> str:
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._cipher.encrypt(nonce, plaintext.encode(), context.encode())
        return _VERSION + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, sealed: str, context: str) -> str:
        if not sealed.startswith(_VERSION):
            raise SecretUnreadable("not a sealed secret of this version")
        try:
            raw = base64.urlsafe_b64decode(sealed[len(_VERSION) :].encode("ascii"))
        except (binascii.Error, UnicodeEncodeError):
            raise SecretUnreadable("the sealed secret is damaged") from None
        nonce, body = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:]
        try:
            return self._cipher.decrypt(nonce, body, context.encode()).decode()
        except (InvalidTag, ValueError):
            raise SecretUnreadable(
                "the secret does not open: it was sealed with another HEADSET_SECRET_KEY, "
                "or for another place"
            ) from None

    def __repr__(self) -> str:
        return "KeyedSecretBox(<key>)"
