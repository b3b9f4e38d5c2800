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
    check_policy("vbnkr-sdlq", "jan")
    with pytest.raises(Invalid, match="at least 10 characters; this one has 9"):
        check_policy("vbnkrsdlq", "jan")


def test_a_password_may_not_exceed_256_characters() -> None:
    check_policy(("vbnkr-sdlq" * 26)[:MAX_LENGTH], "jan")
    with pytest.raises(Invalid, match="at most 256 characters; this one has 257"):
        check_policy(("vbnkr-sdlq" * 26)[:257], "jan")


@pytest.mark.parametrize(
    ("password", "code"),
    [
        # the hostile tester's (issue 12, finding 13)
        ("aaaaaaaaaa", "password_too_few_distinct"),
        ("password12", "password_too_common"),
        (" " * 12, "password_only_whitespace"),
        ("\0" * 12, "password_has_control_characters"),
        # and their kin
        ("\u3000" * 10 + "\u2003" * 2, "password_only_whitespace"),
        ("\t\t\t\t\t\t\t\t\t\t", "password_has_control_characters"),
        ("vbnkr\nsdlq-7", "password_has_control_characters"),
        ("vbnkr\x00sdlq-7", "password_has_control_characters"),
        ("vbnkr\u2028sdlq-7", "password_has_control_characters"),
        ("abababababab", "password_too_few_distinct"),
        ("1212121212", "password_too_few_distinct"),
        ("Password123!", "password_too_common"),
        ("P@ssw0rd2024", "password_too_common"),
        ("!!passw0rd", "password_too_common"),
        ("qwertyuiop", "password_too_common"),
        ("1q2w3e4r5t", "password_too_common"),
        ("1234567890", "password_too_common"),
        ("abcdefghijkl", "password_too_common"),
        ("9876543210", "password_too_common"),
        ("iloveyou123", "password_too_common"),
        ("Welcome2024!", "password_too_common"),
        ("Summer2025", "password_too_common"),
        ("correct horse battery staple", "password_too_common"),
        ("wachtwoord1", "password_too_common"),
        ("Passwort123", "password_too_common"),
        ("headset2026", "password_too_common"),
    ],
)
def test_weak_passwords_are_refused_with_a_code_saying_why(password: str, code: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_policy(password, "jan.jansen")
    assert refused.value.code == code
    assert refused.value.field == "password"


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery",
        "dragon84729103",  # a common word with many digits is another password
        "vbnkr-sdlq",
        "Tīrs ūdens 2026",  # any letters people type, with spaces inside
        "mēness un saule",
        "z9#Lq!r2@Pw",
    ],
)
def test_passwords_people_choose_well_pass(password: str) -> None:
    check_policy(password, "jan.jansen")


def test_the_common_list_ships_with_the_package_and_is_not_tiny() -> None:
    from headset.access.passwords import _common_passwords

    common = _common_passwords()
    assert len(common) > 300
    assert {"password", "qwertyuiop", "iloveyou", "letmein"} <= common
    assert all(word == word.casefold().strip() for word in common)


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
