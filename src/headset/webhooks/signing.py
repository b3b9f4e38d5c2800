"""Webhook signatures: an HMAC-SHA256 over the timestamp and the exact body bytes.

The header reads `t=<unix seconds>,v1=<hex digest>`; the digest covers `f"{t}."` followed by
the body, so a receiver can refuse both a changed body and a replay of an old request.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "Headset-Signature"
#: How far a signature's timestamp may be from the receiver's clock, in seconds.
DEFAULT_TOLERANCE = 300


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `Headset-Signature` header value for `body` sent at `timestamp` (unix seconds)."""
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def verify(
    secret: str, header: str, body: bytes, now_unix: int, tolerance: int = DEFAULT_TOLERANCE
) -> bool:
    """True if `header` signs `body` with `secret` within `tolerance` seconds of `now_unix`."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isascii() and value.isdecimal():
            timestamp = int(value)
        elif key == "v1":
            # Several v1 values may appear while a secret is being rotated.
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    if abs(now_unix - timestamp) > tolerance:
        return False
    expected = _digest(secret, timestamp, body)
    # compare_digest on every candidate: timing must not tell how many characters matched.
    matches = [hmac.compare_digest(expected, candidate) for candidate in candidates]
    return any(matches)
