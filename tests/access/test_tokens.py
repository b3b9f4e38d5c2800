"""Bearer tokens: long random values with a prefix, stored only as their SHA-256."""

from __future__ import annotations

import hashlib

from headset.access.tokens import API_TOKEN_PREFIX, SESSION_PREFIX, digest, matches, new_token


def test_a_token_starts_with_its_prefix() -> None:
    assert new_token(SESSION_PREFIX).startswith("hs_sess_")
    assert new_token(API_TOKEN_PREFIX).startswith("hs_tok_")


def test_a_token_carries_256_random_bits_url_safe() -> None:
    token = new_token(API_TOKEN_PREFIX).removeprefix(API_TOKEN_PREFIX)
    assert len(token) == 43  # 32 bytes in unpadded base64
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_every_token_is_new() -> None:
    assert len({new_token(SESSION_PREFIX) for _ in range(100)}) == 100


def test_the_digest_is_the_sha256_hex_of_the_whole_token() -> None:
    token = new_token(API_TOKEN_PREFIX)
    assert digest(token) == hashlib.sha256(token.encode()).hexdigest()
    assert digest(token) == digest(token)


def test_a_token_matches_its_digest() -> None:
    token = new_token(API_TOKEN_PREFIX)
    assert matches(digest(token), token)
    assert matches(digest(token).upper(), token)


def test_another_token_does_not_match() -> None:
    token = new_token(API_TOKEN_PREFIX)
    assert not matches(digest(token), new_token(API_TOKEN_PREFIX))
    assert not matches(digest(token), "")


def test_a_damaged_digest_matches_nothing() -> None:
    token = new_token(SESSION_PREFIX)
    assert not matches("", token)
    assert not matches("é" * 64, token)
