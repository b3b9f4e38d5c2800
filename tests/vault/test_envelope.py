"""Envelope encryption: data keys wrapped by a master key, fields sealed where they live."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from headset.vault.envelope import (
    FieldSealer,
    WrappedKey,
    new_data_key,
    open_data_key,
    place_of,
    rewrap,
)
from headset.vault.local_key import LocalKeyProvider
from headset.vault.providers import KeyUnavailable, WrongKey


def local(key_id: str = "file:master-1") -> LocalKeyProvider:
    return LocalKeyProvider(os.urandom(32), key_id)


def test_a_tenants_data_key_opens_only_for_that_tenant_and_master_key() -> None:
    master = local()
    data_key, stored = new_data_key(master, "t1")
    assert data_key not in stored.wrapped
    assert open_data_key({master.key_id: master}, stored, "t1") == data_key
    with pytest.raises(WrongKey):
        open_data_key({master.key_id: master}, stored, "t2")
    other = local(master.key_id)  # the same name, another key
    with pytest.raises(WrongKey):
        open_data_key({other.key_id: other}, stored, "t1")
    with pytest.raises(KeyUnavailable, match="file:master-1"):
        open_data_key({}, stored, "t1")


def test_rotation_rewraps_the_data_key_and_sealed_fields_still_open() -> None:
    old, new = local("file:2026"), local("file:2027")
    data_key, stored = new_data_key(old, "t1")
    place = place_of("t1", "customers", "phone", "cu_1")
    sealed = FieldSealer(data_key).seal("+31612345678", place)

    rotated = rewrap(stored, old, new, "t1")

    assert rotated.key_id == "file:2027"
    opened = open_data_key({"file:2027": new}, rotated, "t1")
    assert FieldSealer(opened).open(sealed, place) == "+31612345678"


def test_a_sealed_field_hides_its_value_and_opens_only_in_its_place() -> None:
    sealer = FieldSealer(os.urandom(32))
    place = place_of("t1", "customers", "name", "cu_1")
    sealed = sealer.seal("Sanne Bakker", place)
    assert b"Sanne" not in sealed
    assert sealer.seal("Sanne Bakker", place) != sealed  # a fresh nonce every time
    assert sealer.open(sealed, place) == "Sanne Bakker"
    for elsewhere in (
        place_of("t2", "customers", "name", "cu_1"),
        place_of("t1", "customers", "email", "cu_1"),
        place_of("t1", "customers", "name", "cu_2"),
    ):
        with pytest.raises(WrongKey):
            sealer.open(sealed, elsewhere)
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(WrongKey):
        sealer.open(tampered, place)
    with pytest.raises(WrongKey):
        FieldSealer(os.urandom(32)).open(sealed, place)


def test_blind_indexes_match_equal_values_of_one_tenant_and_nothing_else() -> None:
    tenant, other_tenant = FieldSealer(os.urandom(32)), FieldSealer(os.urandom(32))
    token = tenant.blind_index("phone", "+31612345678")
    assert token == tenant.blind_index("phone", "+31612345678")
    assert token != tenant.blind_index("phone", "+31612345679")
    assert token != tenant.blind_index("email", "+31612345678")
    assert token != other_tenant.blind_index("phone", "+31612345678")
    assert "31612345678" not in token


def test_a_master_key_comes_from_base64_in_a_file_or_a_secret(tmp_path: Path) -> None:
    key = os.urandom(32)
    path = tmp_path / "master.key"
    path.write_text(base64.b64encode(key).decode() + "\n")
    from_file = LocalKeyProvider.from_file(path)
    from_secret = LocalKeyProvider.from_secret(base64.b64encode(key).decode(), "env:1")
    assert from_file.key_id == "file:master.key"
    wrapped = from_file.wrap(b"k" * 32, b"ctx")
    assert from_secret.unwrap(wrapped, b"ctx") == b"k" * 32
    with pytest.raises(ValueError, match="base64"):
        LocalKeyProvider.from_secret("not base64!", "env:1")
    with pytest.raises(ValueError, match="32 bytes"):
        LocalKeyProvider.from_secret(base64.b64encode(b"short").decode(), "env:1")


def test_a_wrapped_key_names_its_master_key() -> None:
    master = local("env:HEADSET_MASTER_KEY")
    _, stored = new_data_key(master, "t1")
    assert stored == WrappedKey("env:HEADSET_MASTER_KEY", stored.wrapped)
