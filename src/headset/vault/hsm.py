"""A master key inside a PKCS#11 hardware security module (or a cloud KMS's PKCS#11 library).

The key is an AES-256 secret key object on the token, created non-extractable: it wraps and
unwraps data keys with CKM_AES_GCM inside the module and is never read out. Tested against
SoftHSM2 from Debian's packages, which offers the same interface as a real HSM. The binding is
python-pkcs11 (the `hsm` extra), imported only when this provider is used.
"""

from __future__ import annotations

import os
from typing import Any

from headset.vault.providers import KeyUnavailable, WrongKey

NONCE_BYTES = 12
TAG_BITS = 128


class Pkcs11KeyProvider:
    """Wraps data keys with an AES key held by a PKCS#11 token, found by its label."""

    def __init__(self, library: str, token_label: str, pin: str, key_label: str) -> None:
        import pkcs11  # the `hsm` extra; only deployments with a module need it

        self._pkcs11: Any = pkcs11
        try:
            self._token = pkcs11.lib(library).get_token(token_label=token_label)
        except (pkcs11.PKCS11Error, RuntimeError) as error:
            raise KeyUnavailable(
                f"no PKCS#11 token {token_label!r} in {library}: {error}"
            ) from None
        self._pin = pin
        self._key_label = key_label

    @property
    def key_id(self) -> str:
        return f"pkcs11:{self._token.label}/{self._key_label}"

    def create_key(self) -> None:
        """Creates the master key on the token (once, when setting the module up)."""
        p = self._pkcs11
        with self._token.open(rw=True, user_pin=self._pin) as session:
            session.generate_key(
                p.KeyType.AES, 256, label=self._key_label, store=True,
                template={p.Attribute.EXTRACTABLE: False, p.Attribute.SENSITIVE: True},
            )  # fmt: skip

    def wrap(self, data_key: bytes, context: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        with self._token.open(user_pin=self._pin) as session:
            sealed = self._key(session).encrypt(
                data_key,
                mechanism=self._pkcs11.Mechanism.AES_GCM,
                mechanism_param=self._gcm(nonce, context),
            )
        return nonce + bytes(sealed)

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        nonce, sealed = wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:]
        with self._token.open(user_pin=self._pin) as session:
            key = self._key(session)
            try:
                opened = key.decrypt(
                    sealed,
                    mechanism=self._pkcs11.Mechanism.AES_GCM,
                    mechanism_param=self._gcm(nonce, context),
                )
            except self._pkcs11.PKCS11Error:  # the module says only that the tag did not match
                raise WrongKey(f"this data key was not wrapped by {self.key_id} here") from None
        return bytes(opened)

    def _key(self, session: Any) -> Any:
        p = self._pkcs11
        try:
            return session.get_key(p.ObjectClass.SECRET_KEY, p.KeyType.AES, label=self._key_label)
        except (p.NoSuchKey, p.MultipleObjectsReturned) as error:
            raise KeyUnavailable(
                f"no single AES key {self._key_label!r} on the token: {error!r}"
            ) from None

    def _gcm(self, nonce: bytes, context: bytes) -> Any:
        from pkcs11.mechanisms import GCMParams

        return GCMParams(nonce, context, TAG_BITS)
