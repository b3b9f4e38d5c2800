"""Envelope encryption: a data key per tenant, wrapped by the master key, sealing fields.

A tenant's data key is 32 random bytes, stored only wrapped (`WrappedKey`: which master key
wrapped it, and the wrapped bytes). Opened once, it seals each field value with AES-256-GCM,
a fresh 96-bit nonce and the value's place (tenant, table, column, row) as associated data, so
a sealed value copied to another row or tenant does not open. It also derives, through
HKDF-SHA256, the tenant's blind-index key: an HMAC of a normalised clear value finds equal
values (a customer by phone) without storing or comparing the value itself. Rotating the
master key re-wraps data keys (`rewrap`); the sealed fields stay as they are.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from headset.vault.providers import KeyProvider, KeyUnavailable, WrongKey

DATA_KEY_BYTES = 32
NONCE_BYTES = 12
#: The first byte of every sealed field: the format, so a later one can be told apart.
SEALED_V1 = b"\x01"
_INDEX_INFO = b"headset blind index v1"


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """A tenant's data key as stored: the master key that wrapped it and the wrapped bytes."""

    key_id: str
    wrapped: bytes


def _key_context(tenant_id: str) -> bytes:
    return b"headset data key\x00" + tenant_id.encode()


def new_data_key(provider: KeyProvider, tenant_id: str) -> tuple[bytes, WrappedKey]:
    """A fresh data key for the tenant, and the form it is stored in."""
    data_key = os.urandom(DATA_KEY_BYTES)
    wrapped = WrappedKey(provider.key_id, provider.wrap(data_key, _key_context(tenant_id)))
    return data_key, wrapped


def open_data_key(
    providers: Mapping[str, KeyProvider], stored: WrappedKey, tenant_id: str
) -> bytes:
    """The tenant's data key, unwrapped by the provider whose master key wrapped it."""
    provider = providers.get(stored.key_id)
    if provider is None:
        raise KeyUnavailable(f"the master key {stored.key_id!r} is not configured here")
    return provider.unwrap(stored.wrapped, _key_context(tenant_id))


def rewrap(stored: WrappedKey, old: KeyProvider, new: KeyProvider, tenant_id: str) -> WrappedKey:
    """The same data key wrapped by the new master key: rotation touches no sealed field."""
    context = _key_context(tenant_id)
    return WrappedKey(new.key_id, new.wrap(old.unwrap(stored.wrapped, context), context))


def place_of(tenant_id: str, table: str, column: str, row_id: str) -> bytes:
    """Where a value lives, bound into its seal (a value moved elsewhere does not open)."""
    return "\x00".join((tenant_id, table, column, row_id)).encode()


class FieldSealer:
    """Seals and opens one tenant's field values with its data key."""

    def __init__(self, data_key: bytes) -> None:
        if len(data_key) != DATA_KEY_BYTES:
            raise ValueError(f"a data key is {DATA_KEY_BYTES} bytes")
        self._cipher = AESGCM(data_key)
        self._index_key = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=_INDEX_INFO
        ).derive(data_key)

    def seal(self, value: str, place: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return SEALED_V1 + nonce + self._cipher.encrypt(nonce, value.encode(), place)

    def open(self, sealed: bytes, place: bytes) -> str:
        if sealed[:1] != SEALED_V1:
            raise WrongKey("not a value sealed by this version of Headset")
        nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
        try:
            return self._cipher.decrypt(nonce, body, place).decode()
        except InvalidTag:
            raise WrongKey("this value was sealed with another key or for another place") from None

    def blind_index(self, kind: str, normalised: str) -> str:
        """The lookup token of a normalised clear value (an E.164 phone, a lower-case e-mail):
        equal values of one kind in one tenant get equal tokens; nothing else is learnt."""
        message = kind.encode() + b"\x00" + normalised.encode()
        return hmac.new(self._index_key, message, hashlib.sha256).hexdigest()
