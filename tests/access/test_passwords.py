"""Passwords: argon2id hashes that verify, a policy for new ones, even timing for unknowns."""

from __future__ import annotations

import pytest

from headset.access.passwords import FAST_FOR_TESTS, MAX_LENGTH, Passwords, check_policy
from headset.core.errors import Invalid

PASSWORDS = FAST_FOR_TESTS


def test_a_hash_is_argon2id_with_the_chosen_parameters() -> None:
    stored = PASSWORDS.hash("correct horse battery")
    assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")


def test_the_default_parameters_are_rfc_9106_low_memory() -> None:
    passwords = Passwords()
    assert (passwords.time_cost, passwords.memory_cost, passwords.parallelism) == (3, 65536, 4)


def test_the_same_password_hashes_differently_each_time() -> None:
    assert PASSWORDS.hash("correct horse battery") != PASSWORDS.hash("correct horse battery")


def test_the_right_password_verifies() -> None:
    stored = PASSWORDS.hash("correct horse battery")
    assert PASSWORDS.verify(stored, "correct horse battery")


def test_a_wrong_password_is_false_not_an_error() -> None:
    stored = PASSWORDS.hash("correct horse battery")
    assert not PASSWORDS.verify(stored, "correct horse battery!")
    assert not PASSWORDS.verify(stored, "")


def test_a_malformed_stored_hash_is_invalid() -> None:
    with pytest.raises(Invalid, match="not an argon2 hash"):
        PASSWORDS.verify("plain text in the database", "correct horse battery")


def test_a_hash_made_with_other_parameters_needs_a_rehash() -> None:
    stronger = Passwords(time_cost=2, memory_cost=16, parallelism=1)
    assert not PASSWORDS.needs_rehash(PASSWORDS.hash("correct horse battery"))
    assert PASSWORDS.needs_rehash(stronger.hash("correct horse battery"))


def test_a_hash_made_with_other_parameters_still_verifies() -> None:
    stronger = Passwords(time_cost=2, memory_cost=16, parallelism=1)
    assert PASSWORDS.verify(stronger.hash("correct horse battery"), "correct horse battery")


def test_needs_rehash_refuses_a_malformed_hash() -> None:
    with pytest.raises(Invalid):
        PASSWORDS.needs_rehash("$md5$whatever")


def test_dummy_verify_never_succeeds() -> None:
    assert PASSWORDS.dummy_verify("correct horse battery") is False
    assert PASSWORDS.dummy_verify() is False


def test_a_good_password_passes_the_policy() -> None:
    check_policy("correct horse battery", "jan.jansen")


def test_a_password_needs_ten_characters() -> None:
    check_policy("a" * 10, "jan")
    with pytest.raises(Invalid, match="at least 10 characters; this one has 9"):
        check_policy("a" * 9, "jan")


def test_a_password_may_not_exceed_256_characters() -> None:
    check_policy("a" * MAX_LENGTH, "jan")
    with pytest.raises(Invalid, match="at most 256 characters; this one has 257"):
        check_policy("a" * 257, "jan")


def test_a_password_may_not_be_the_username_in_any_case() -> None:
    with pytest.raises(Invalid, match="may not contain the username"):
        check_policy("Jan.Jansen", "jan.jansen")


def test_a_password_may_not_contain_the_username() -> None:
    with pytest.raises(Invalid, match="may not contain the username"):
        check_policy("my-JanJansen-2026", "janjansen")


def test_a_password_may_not_contain_the_local_part_of_an_email_username() -> None:
    with pytest.raises(Invalid, match="may not contain the username"):
        check_policy("welcome-jansen-1", "jansen@example.com")


def test_very_short_usernames_are_not_searched_for() -> None:
    check_policy("totally unguessable", "al")
