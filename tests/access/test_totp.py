"""TOTP: the RFC 6238 test vectors, a tolerance window, and each code working once."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from headset.access.totp import (
    Algorithm,
    code_at,
    new_secret,
    provisioning_uri,
    time_step,
    verify,
)
from headset.core.errors import Invalid

# RFC 6238 appendix B: the seed is this ASCII string, repeated to the hash's output length.
SEEDS: dict[Algorithm, str] = {
    "sha1": base64.b32encode(b"12345678901234567890").decode(),
    "sha256": base64.b32encode(b"12345678901234567890123456789012").decode(),
    "sha512": base64.b32encode(b"1234567890" * 6 + b"1234").decode(),
}
VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]
SECRET = SEEDS["sha1"]
T0 = datetime(2026, 11, 23, 8, 0, 10, tzinfo=UTC)


def _at(unix_seconds: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=unix_seconds)


@pytest.mark.parametrize(("unix_seconds", "sha1", "sha256", "sha512"), VECTORS)
def test_codes_match_the_rfc_6238_vectors(
    unix_seconds: int, sha1: str, sha256: str, sha512: str
) -> None:
    at = _at(unix_seconds)
    assert code_at(SEEDS["sha1"], at, digits=8, algorithm="sha1") == sha1
    assert code_at(SEEDS["sha256"], at, digits=8, algorithm="sha256") == sha256
    assert code_at(SEEDS["sha512"], at, digits=8, algorithm="sha512") == sha512


def test_six_digit_codes_are_the_last_six_of_the_eight() -> None:
    assert code_at(SECRET, _at(59)) == "287082"


def test_a_new_secret_is_160_bits_of_base32() -> None:
    secret = new_secret()
    assert len(secret) == 32
    assert len(base64.b32decode(secret)) == 20
    assert new_secret() != secret


def test_the_provisioning_uri_names_issuer_account_and_parameters() -> None:
    uri = provisioning_uri(SECRET, "jan@example.com")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "otpauth",
        "totp",
        "/Headset:jan@example.com",
    )
    assert parse_qs(parts.query) == {
        "secret": [SECRET],
        "issuer": ["Headset"],
        "algorithm": ["SHA1"],
        "digits": ["6"],
        "period": ["30"],
    }


def test_the_provisioning_uri_escapes_the_label() -> None:
    uri = provisioning_uri(SECRET, "Jan Jansen", issuer="Acme: Support")
    assert uri.startswith("otpauth://totp/Acme%3A%20Support:Jan%20Jansen?")


def test_time_steps_count_thirty_second_periods() -> None:
    assert time_step(_at(59)) == 1
    assert time_step(_at(60)) == 2
    assert time_step(_at(20000000000)) == 666666666


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        code_at(SECRET, datetime(2026, 11, 23, 8, 0))


def test_the_current_code_verifies_and_returns_its_step() -> None:
    assert verify(SECRET, code_at(SECRET, T0), T0) == time_step(T0)


def test_a_code_one_step_off_is_accepted_within_the_window() -> None:
    previous = code_at(SECRET, T0 - timedelta(seconds=30))
    following = code_at(SECRET, T0 + timedelta(seconds=30))
    assert verify(SECRET, previous, T0) == time_step(T0) - 1
    assert verify(SECRET, following, T0) == time_step(T0) + 1


def test_a_code_two_steps_off_is_refused_with_the_default_window() -> None:
    old = code_at(SECRET, T0 - timedelta(seconds=60))
    assert verify(SECRET, old, T0) is None
    assert verify(SECRET, old, T0, window=2) == time_step(T0) - 2


def test_a_zero_window_accepts_only_the_current_code() -> None:
    assert verify(SECRET, code_at(SECRET, T0 - timedelta(seconds=30)), T0, window=0) is None
    assert verify(SECRET, code_at(SECRET, T0), T0, window=0) == time_step(T0)


def test_a_used_code_is_refused_the_second_time() -> None:
    code = code_at(SECRET, T0)
    step = verify(SECRET, code, T0)
    assert step is not None
    assert verify(SECRET, code, T0 + timedelta(seconds=5), last_used_step=step) is None


def test_an_older_code_is_refused_once_a_newer_one_was_used() -> None:
    previous = code_at(SECRET, T0 - timedelta(seconds=30))
    assert verify(SECRET, previous, T0, last_used_step=time_step(T0)) is None


def test_the_next_code_is_accepted_after_one_was_used() -> None:
    later = T0 + timedelta(seconds=30)
    assert verify(SECRET, code_at(SECRET, later), later, last_used_step=time_step(T0)) == (
        time_step(later)
    )


def test_spaces_in_the_entered_code_are_ignored() -> None:
    code = code_at(SECRET, T0)
    assert verify(SECRET, f" {code[:3]} {code[3:]} ", T0) == time_step(T0)


def test_codes_with_other_characters_are_refused() -> None:
    code = code_at(SECRET, T0)
    assert verify(SECRET, f"{code[:3]}-{code[3:]}", T0) is None
    assert verify(SECRET, "12345a", T0) is None
    assert verify(SECRET, "١٢٣٤٥٦", T0) is None  # Arabic-Indic digits are digits, not ASCII


def test_codes_of_the_wrong_length_are_refused() -> None:
    code = code_at(SECRET, T0)
    assert verify(SECRET, code[:5], T0) is None
    assert verify(SECRET, code + "0", T0) is None
    assert verify(SECRET, "", T0) is None


def test_eight_digit_sha256_codes_verify() -> None:
    secret = SEEDS["sha256"]
    code = code_at(secret, T0, digits=8, algorithm="sha256")
    assert verify(secret, code, T0, digits=8, algorithm="sha256") == time_step(T0)


def test_secrets_are_read_regardless_of_case_spaces_and_padding() -> None:
    grouped = " ".join(SECRET[i : i + 4] for i in range(0, len(SECRET), 4)).lower()
    assert code_at(grouped, T0) == code_at(SECRET, T0)


def test_a_secret_that_is_not_base32_is_invalid() -> None:
    with pytest.raises(Invalid, match="not valid base32"):
        code_at("not base32!", T0)
    with pytest.raises(Invalid, match="not valid base32"):
        provisioning_uri("", "jan@example.com")


def test_a_negative_window_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="window"):
        verify(SECRET, "123456", T0, window=-1)


def test_unsupported_digit_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="digits"):
        code_at(SECRET, T0, digits=4)
