"""Time-based one-time passwords (RFC 6238) for the second sign-in factor."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct
from datetime import UTC, datetime, timedelta
from typing import Final, Literal
from urllib.parse import quote, urlencode

from headset.core.clock import require_aware
from headset.core.errors import Invalid

Algorithm = Literal["sha1", "sha256", "sha512"]

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_DIGESTS: Final = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def new_secret() -> str:
    """A fresh shared secret: 160 random bits in base32, as authenticator apps expect."""
    # RFC 4226 recommends 160 bits; 20 bytes are exactly 32 base32 characters, no padding.
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def provisioning_uri(
    secret: str,
    account: str,
    issuer: str = "Headset",
    *,
    digits: int = 6,
    step: int = 30,
    algorithm: Algorithm = "sha1",
) -> str:
    """The `otpauth://totp/...` URI an authenticator app reads from a QR code."""
    _key(secret)  # refuse to hand out a secret that would never verify
    label = f"{quote(issuer, safe='@')}:{quote(account, safe='@')}"
    query = urlencode(
        {
            "secret": secret,
            "issuer": issuer,
            "algorithm": algorithm.upper(),
            "digits": digits,
            "period": step,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def time_step(at: datetime, step: int = 30) -> int:
    """The number of whole `step`-second periods since the Unix epoch at `at`."""
    require_aware(at)
    # Integer division of timedeltas is exact, unlike float timestamps far in the future.
    return (at - _EPOCH) // timedelta(seconds=step)


def code_at(
    secret: str, at: datetime, digits: int = 6, step: int = 30, algorithm: Algorithm = "sha1"
) -> str:
    """The code an authenticator shows at `at`."""
    return _code(_key(secret), time_step(at, step), digits, algorithm)


def verify(
    secret: str,
    code: str,
    at: datetime,
    *,
    window: int = 1,
    last_used_step: int | None = None,
    digits: int = 6,
    step: int = 30,
    algorithm: Algorithm = "sha1",
) -> int | None:
    """The time step `code` belongs to, or None; store the step to refuse replays.

    Codes of up to `window` steps before or after `at` are accepted, for clock drift and
    typing time. A step at or before `last_used_step` is refused: each code works once.
    """
    if window < 0:
        raise ValueError(f"window must be 0 or more, not {window}")
    entered = "".join(code.split())  # apps show "123 456"; people type it that way
    if len(entered) != digits or not (entered.isascii() and entered.isdigit()):
        return None
    key, now_step = _key(secret), time_step(at, step)
    matched = None
    # Every candidate is computed and compared, so the time taken does not tell which one
    # (if any) matched.
    for candidate in range(now_step - window, now_step + window + 1):
        expected = _code(key, candidate, digits, algorithm)
        is_fresh = last_used_step is None or candidate > last_used_step
        if hmac.compare_digest(expected, entered) and is_fresh:
            matched = candidate
    return matched


def _code(key: bytes, counter: int, digits: int, algorithm: Algorithm) -> str:
    # HOTP (RFC 4226 section 5.3): HMAC of the counter, dynamic truncation, modulo 10^digits.
    if not 6 <= digits <= 8:
        raise ValueError(f"digits must be 6, 7 or 8, not {digits}")
    if algorithm not in _DIGESTS:
        raise ValueError(f"algorithm must be sha1, sha256 or sha512, not {algorithm!r}")
    mac = hmac.new(key, struct.pack(">Q", counter), _DIGESTS[algorithm]).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def _key(secret: str) -> bytes:
    # Secrets are shown in groups and sometimes typed by hand: ignore spaces, case, padding.
    cleaned = "".join(secret.split()).upper().rstrip("=")
    try:
        key = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except binascii.Error:
        key = b""
    if not key:
        raise Invalid("the TOTP secret is not valid base32; set up the authenticator again")
    return key
