"""Sealed secrets: they open only with the same key, for the same context, unchanged."""

from __future__ import annotations

import pytest

from headset.access.secret_box import KeyedSecretBox, SecretBox, SecretUnreadable

KEY = "a-server-secret-key-of-32-chars!"


def test_a_sealed_secret_opens_again_and_does_not_show_itself() -> None:
    box: SecretBox = KeyedSecretBox(KEY)
    sealed = box.seal("correct horse battery staple", "mailbox-password:alpha:support:imap")

    assert "horse" not in sealed
    assert sealed.startswith("v1.")
    assert sealed.isascii()
    opened = KeyedSecretBox(KEY).open(sealed, "mailbox-password:alpha:support:imap")
    assert opened == "correct horse battery staple"


def test_each_seal_is_different_even_for_the_same_secret() -> None:
    box = KeyedSecretBox(KEY)
    assert box.seal("same", "c") != box.seal("same", "c")


def test_a_secret_does_not_open_for_another_context_or_with_another_key() -> None:
    sealed = KeyedSecretBox(KEY).seal("p4ss", "mailbox-password:alpha:support:imap")

    with pytest.raises(SecretUnreadable):
        KeyedSecretBox(KEY).open(sealed, "mailbox-password:beta:support:imap")
    with pytest.raises(SecretUnreadable, match="HEADSET_SECRET_KEY"):
        KeyedSecretBox("another-key-entirely-32-chars!!!").open(
            sealed, "mailbox-password:alpha:support:imap"
        )


def _flipped(text: str, at: int) -> str:
    return text[:at] + ("A" if text[at] != "A" else "B") + text[at + 1 :]


@pytest.mark.parametrize("damage", ["flip", "cut", "garbage", "plain", "empty"])
def test_a_changed_or_foreign_value_is_refused(damage: str) -> None:
    box = KeyedSecretBox(KEY)
    sealed = box.seal("p4ss", "c")
    changed = {
        # a character in the middle: near the end, base64 padding bits may carry no data
        "flip": _flipped(sealed, len(sealed) // 2),
        "cut": sealed[:10],
        "garbage": "v1.!!!not base64!!!",
        "plain": "p4ss",
        "empty": "",
    }[damage]
    with pytest.raises(SecretUnreadable):
        box.open(changed, "c")


def test_the_key_does_not_show_in_a_repr() -> None:
    assert KEY not in repr(KeyedSecretBox(KEY))
