"""The vault's settings: one master key (a secret, a file or a PKCS#11 token), refused
naming the variable when malformed, and one derived from the secret key when none is set."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from headset.config import Settings, load_settings
from headset.core.errors import Invalid
from headset.vault.configured import SECRET_KEY_ID, key_ring
from headset.vault.providers import WrongKey

KEY = base64.b64encode(os.urandom(32)).decode()
OTHER = base64.b64encode(os.urandom(32)).decode()


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"HEADSET_MASTER_KEY": "not base64!"}, "HEADSET_MASTER_KEY"),
        ({"HEADSET_MASTER_KEY": base64.b64encode(b"x" * 16).decode()}, "HEADSET_MASTER_KEY"),
        ({"HEADSET_OLD_MASTER_KEY": "short"}, "HEADSET_OLD_MASTER_KEY"),
        (
            {"HEADSET_PKCS11_LIBRARY": "/lib/p11.so", "HEADSET_PKCS11_TOKEN": "t"},
            "HEADSET_PKCS11_PIN",
        ),
        ({"HEADSET_PKCS11_PIN": "1234"}, "HEADSET_PKCS11_KEY_LABEL"),
        ({"HEADSET_MASTER_KEY": KEY, "HEADSET_MASTER_KEY_FILE": "/k"}, "HEADSET_MASTER_KEY_FILE"),
        (
            {"HEADSET_OLD_MASTER_KEY": KEY, "HEADSET_OLD_MASTER_KEY_FILE": "/k"},
            "HEADSET_OLD_MASTER_KEY_FILE",
        ),
    ],
)
def test_a_malformed_vault_setting_is_refused_naming_the_variable(
    environ: dict[str, str], named: str
) -> None:
    with pytest.raises(Invalid, match=named):
        load_settings(environ)


def test_a_pkcs11_token_is_named_in_full() -> None:
    settings = load_settings(
        {
            "HEADSET_PKCS11_LIBRARY": "/usr/lib/softhsm/libsofthsm2.so",
            "HEADSET_PKCS11_TOKEN": "headset",
            "HEADSET_PKCS11_PIN": "4711",
            "HEADSET_PKCS11_KEY_LABEL": "master",
        }
    )

    assert settings.pkcs11 is not None
    assert settings.pkcs11.key_label == "master"
    assert "4711" not in repr(settings)


@pytest.mark.parametrize("content", [None, "not a key"])
def test_an_unreadable_key_file_is_refused_naming_the_variable(
    tmp_path: Path, content: str | None
) -> None:
    path = tmp_path / "master.key"
    if content is not None:
        path.write_text(content)

    with pytest.raises(Invalid, match="HEADSET_MASTER_KEY_FILE"):
        key_ring(Settings(master_key_file=str(path)))
    with pytest.raises(Invalid, match="HEADSET_OLD_MASTER_KEY_FILE"):
        key_ring(Settings(old_master_key_file=str(path)))


def test_without_a_master_key_one_is_derived_from_the_secret_key() -> None:
    ring = key_ring(load_settings({"HEADSET_SECRET_KEY": "s" * 32}))
    again = key_ring(load_settings({"HEADSET_SECRET_KEY": "s" * 32}))
    other = key_ring(load_settings({"HEADSET_SECRET_KEY": "o" * 32}))

    wrapped = ring.active.wrap(b"k" * 32, b"t1")
    assert ring.active.key_id == SECRET_KEY_ID
    assert again.active.unwrap(wrapped, b"t1") == b"k" * 32
    with pytest.raises(WrongKey):
        other.active.unwrap(wrapped, b"t1")


def test_the_active_and_old_keys_are_all_configured_by_id(tmp_path: Path) -> None:
    (tmp_path / "old.key").write_text(OTHER)
    ring = key_ring(
        load_settings(
            {
                "HEADSET_MASTER_KEY": KEY,
                "HEADSET_OLD_MASTER_KEY_FILE": str(tmp_path / "old.key"),
            }
        )
    )
    replaced = key_ring(Settings(master_key_file=str(tmp_path / "old.key")))

    assert ring.active.key_id.startswith("local:")
    assert replaced.active.key_id in ring.providers
    assert set(ring.providers) == {ring.active.key_id, replaced.active.key_id, SECRET_KEY_ID}
