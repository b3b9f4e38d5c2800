"""Random bearer tokens (session ids, API tokens) and the digests stored in their place."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Final

#: The prefix of a browser session id (the value of the session cookie).
SESSION_PREFIX: Final = "hs_sess_"
#: The prefix of an API token; it lets secret scanners and people recognise a leaked one.
API_TOKEN_PREFIX: Final = "hs_tok_"


def new_token(prefix: str) -> str:
    """A new token: `prefix` followed by 256 random bits, URL-safe; shown once, never stored."""
    return prefix + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """The SHA-256 of `token` in hex: what is stored and looked up instead of the token."""
    # A fast hash is right here, unlike for passwords. Argon2id exists to make guessing
    # slow, which matters for passwords because people choose from a small space. A token
    # carries 256 random bits: nobody can enumerate that space at any hashing speed, so a
    # slow hash would add nothing but cost on every request. The digest still keeps a
    # leaked database from handing out working tokens, and, being deterministic, it can be
    # the indexed key the token is found by.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def matches(digest_hex: str, token: str) -> bool:
    """Whether `token` hashes to the stored `digest_hex`, compared in constant time."""
    return hmac.compare_digest(digest(token).encode("ascii"), digest_hex.lower().encode("utf-8"))


def session_digest(secret_key: str, session_id: str) -> str:
    """Sessions are looked up by a keyed digest: a stolen table holds no usable session."""
    return hmac.new(secret_key.encode(), session_id.encode(), hashlib.sha256).hexdigest()
