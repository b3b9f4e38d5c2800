"""The PKCS#11 key provider against a real module: SoftHSM2 from Debian's packages."""

from __future__ import annotations

import os

import pkcs11
import pytest

from headset.vault.envelope import FieldSealer, new_data_key, open_data_key, place_of, rewrap
from headset.vault.hsm import Pkcs11KeyProvider
from headset.vault.local_key import LocalKeyProvider
from headset.vault.providers import KeyUnavailable, WrongKey
from tests.vault.conftest import Token


def provider(token: Token, key_label: str) -> Pkcs11KeyProvider:
    return Pkcs11KeyProvider(token.library, token.label, token.pin, key_label)


def test_the_module_wraps_and_unwraps_data_keys_bound_to_their_tenant(softhsm: Token) -> None:
    hsm = provider(softhsm, softhsm.new_key_label())
    hsm.create_key()
    data_key, stored = new_data_key(hsm, "t1")
    assert stored.key_id.startswith("pkcs11:headset-test/master-")
    assert data_key not in stored.wrapped
    assert open_data_key({hsm.key_id: hsm}, stored, "t1") == data_key
    with pytest.raises(WrongKey):
        open_data_key({hsm.key_id: hsm}, stored, "t2")


def test_the_master_key_never_leaves_the_module(softhsm: Token) -> None:
    label = softhsm.new_key_label()
    provider(softhsm, label).create_key()
    lib = pkcs11.lib(softhsm.library)
    with lib.get_token(token_label=softhsm.label).open(user_pin=softhsm.pin) as session:
        key = session.get_key(pkcs11.ObjectClass.SECRET_KEY, pkcs11.KeyType.AES, label=label)
        assert key[pkcs11.Attribute.EXTRACTABLE] is False
        with pytest.raises(pkcs11.PKCS11Error):
            key[pkcs11.Attribute.VALUE]


def test_rotation_from_a_key_file_to_the_module_keeps_every_sealed_field(softhsm: Token) -> None:
    old = LocalKeyProvider(os.urandom(32), "file:master.key")
    hsm = provider(softhsm, softhsm.new_key_label())
    hsm.create_key()
    data_key, stored = new_data_key(old, "t1")
    place = place_of("t1", "chat_messages", "text", "m1")
    sealed = FieldSealer(data_key).seal("my card was stolen", place)

    rotated = rewrap(stored, old, hsm, "t1")

    opened = open_data_key({hsm.key_id: hsm}, rotated, "t1")
    assert FieldSealer(opened).open(sealed, place) == "my card was stolen"


def test_a_missing_key_or_token_is_a_clear_error(softhsm: Token) -> None:
    with pytest.raises(KeyUnavailable, match="no single AES key 'absent'"):
        provider(softhsm, "absent").wrap(b"k" * 32, b"ctx")
    with pytest.raises(KeyUnavailable, match="no PKCS#11 token 'elsewhere'"):
        Pkcs11KeyProvider(softhsm.library, "elsewhere", softhsm.pin, "any")
