"""The key providers a process is configured with: the active master key and the old ones.

The active master key is, by the first setting present: HEADSET_PKCS11_* (a key on a token),
HEADSET_MASTER_KEY_FILE, HEADSET_MASTER_KEY; with none of them, a key derived from
HEADSET_SECRET_KEY (for the demo and tests; production sets a real master key). Old keys
(HEADSET_OLD_MASTER_KEY or its _FILE, and always the derived one, so a deployment that starts
with a real master key can re-wrap the keys the demo made) open what they wrapped while
`headset vault rewrap` moves every data key to the active one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from headset.config import Settings
from headset.core.errors import Invalid
from headset.vault.local_key import LocalKeyProvider
from headset.vault.providers import KeyProvider

#: The key id of the master key derived from the secret key.
SECRET_KEY_ID = "secret-key"
# a label of its own: never the key that seals mail passwords or peppers session digests
_DERIVED_LABEL = b"headset vault master key v1"


@dataclass(frozen=True, slots=True)
class KeyRing:
    """The active master key, and every configured one (the active one too) by key id."""

    active: KeyProvider
    providers: Mapping[str, KeyProvider]


def key_ring(settings: Settings) -> KeyRing:
    """Builds the providers the settings name; a bad key raises Invalid naming the variable."""
    derived = derived_provider(settings.secret_key)
    old = _local(settings.old_master_key, settings.old_master_key_file, "HEADSET_OLD_MASTER_KEY")
    active: KeyProvider | None
    if settings.pkcs11 is not None:
        from headset.vault.hsm import Pkcs11KeyProvider  # python-pkcs11 only where used

        p = settings.pkcs11
        active = Pkcs11KeyProvider(p.library, p.token_label, p.pin, p.key_label)
    else:
        active = _local(settings.master_key, settings.master_key_file, "HEADSET_MASTER_KEY")
    providers: dict[str, KeyProvider] = {derived.key_id: derived}
    if old is not None:
        providers[old.key_id] = old
    active = active or derived
    providers[active.key_id] = active
    return KeyRing(active, providers)


def derived_provider(secret_key: str) -> LocalKeyProvider:
    """The master key derived from the server's secret key (HKDF-SHA256, a label of its own)."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_DERIVED_LABEL).derive(
        secret_key.encode()
    )
    return LocalKeyProvider(key, SECRET_KEY_ID)


def _local(text: str | None, path: str | None, variable: str) -> LocalKeyProvider | None:
    if path is not None:
        variable += "_FILE"
        try:
            text = Path(path).read_text()
        except OSError as error:
            raise Invalid(f"{variable}: cannot read {path}: {error.strerror}") from None
    if text is None:
        return None
    try:
        return LocalKeyProvider.from_secret(text, local_key_id(text))
    except ValueError as error:
        raise Invalid(f"{variable}: {error}") from None


def local_key_id(text: str) -> str:
    """Names a local master key by a fingerprint, so a new key never takes an old one's id
    (a file replaced in place, a variable given a new value)."""
    digest = hashlib.sha256(b"headset master key id\x00" + text.strip().encode()).hexdigest()
    return f"local:{digest[:16]}"
