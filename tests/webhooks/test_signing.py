"""Webhook signatures: what a receiver accepts and what it refuses."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given
from hypothesis import strategies as st

from headset.webhooks import sign, verify

SECRET = "whsec_test"
BODY = b'{"event":"routing.contact_queued","seq":42}'
T = 1_795_000_000


def test_the_header_carries_the_timestamp_and_an_hmac_over_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), b"1795000000." + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, T, BODY) == f"t={T},v1={expected}"


@given(secret=st.text(min_size=1), body=st.binary(), timestamp=st.integers(0, 2**40))
def test_a_signature_verifies_with_the_same_secret_and_body(
    secret: str, body: bytes, timestamp: int
) -> None:
    assert verify(secret, sign(secret, timestamp, body), body, now_unix=timestamp)


def test_a_changed_body_is_refused() -> None:
    assert not verify(SECRET, sign(SECRET, T, BODY), BODY + b" ", now_unix=T)


def test_another_secret_is_refused() -> None:
    assert not verify("whsec_other", sign(SECRET, T, BODY), BODY, now_unix=T)


def test_a_changed_timestamp_is_refused() -> None:
    digest = sign(SECRET, T, BODY).split(",v1=")[1]
    assert not verify(SECRET, f"t={T + 1},v1={digest}", BODY, now_unix=T)


def test_a_signature_older_than_the_tolerance_is_refused() -> None:
    header = sign(SECRET, T, BODY)
    assert verify(SECRET, header, BODY, now_unix=T + 300)
    assert not verify(SECRET, header, BODY, now_unix=T + 301)
    assert verify(SECRET, header, BODY, now_unix=T + 3600, tolerance=3600)


def test_a_signature_from_too_far_in_the_future_is_refused() -> None:
    assert not verify(SECRET, sign(SECRET, T + 301, BODY), BODY, now_unix=T)


def test_any_one_of_several_v1_values_may_match_during_secret_rotation() -> None:
    old = sign("whsec_old", T, BODY).split(",v1=")[1]
    new = sign(SECRET, T, BODY).split(",v1=")[1]
    assert verify(SECRET, f"t={T},v1={old},v1={new}", BODY, now_unix=T)


def test_malformed_headers_are_refused() -> None:
    digest = sign(SECRET, T, BODY).split(",v1=")[1]
    for header in [
        "",
        "garbage",
        f"v1={digest}",
        f"t={T}",
        f"t=-{T},v1={digest}",
        f"t=x,v1={digest}",
    ]:
        assert not verify(SECRET, header, BODY, now_unix=T), header
