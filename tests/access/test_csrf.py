"""CSRF: a random token per session that unsafe requests must echo exactly."""

from __future__ import annotations

import pytest

from headset.access.csrf import CSRF_HEADER, csrf_matches, needs_csrf_token, new_csrf_token


def test_the_token_travels_in_the_x_csrf_token_header() -> None:
    assert CSRF_HEADER == "X-CSRF-Token"


def test_tokens_are_long_and_new_each_time() -> None:
    token = new_csrf_token()
    assert len(token) == 43
    assert new_csrf_token() != token


def test_the_session_token_matches_itself() -> None:
    token = new_csrf_token()
    assert csrf_matches(token, token)


def test_another_token_does_not_match() -> None:
    assert not csrf_matches(new_csrf_token(), new_csrf_token())


def test_a_missing_or_empty_token_never_matches() -> None:
    token = new_csrf_token()
    assert not csrf_matches(token, None)
    assert not csrf_matches(token, "")
    assert not csrf_matches("", "")


def test_non_ascii_input_is_refused_not_an_error() -> None:
    assert not csrf_matches(new_csrf_token(), "é")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "post"])
def test_unsafe_methods_need_the_token(method: str) -> None:
    assert needs_csrf_token(method)


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS", "TRACE", "get"])
def test_safe_methods_need_no_token(method: str) -> None:
    assert not needs_csrf_token(method)
