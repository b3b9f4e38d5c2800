"""Cross-site request forgery protection: the synchronizer token the web layer checks.

Pattern: a token is stored with the server-side session and rendered into each page; the
browser sends it back in the `X-CSRF-Token` header on every unsafe method (POST, PUT,
PATCH, DELETE) and the web layer refuses the request unless `csrf_matches`. The session
cookie is also SameSite=Lax, a second line of defence should a token ever leak.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Final

#: The request header the browser sends the token in.
CSRF_HEADER: Final = "X-CSRF-Token"
#: Methods that must not change anything, and so need no token (RFC 9110 section 9.2.1).
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def new_csrf_token() -> str:
    """A fresh token of 256 random bits, made when a session starts."""
    return secrets.token_urlsafe(32)


def csrf_matches(expected: str, presented: str | None) -> bool:
    """Whether the presented token is the session's, compared in constant time."""
    if not presented or not expected:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), presented.encode("utf-8"))


def needs_csrf_token(method: str) -> bool:
    """Whether a request with this HTTP method must carry the token."""
    return method.upper() not in SAFE_METHODS
