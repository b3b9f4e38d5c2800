"""Every file the service hands out (a chat's or an e-mail's attachment, a recording) goes
through `download`: saved, never shown in our origin, under a name any browser can read.

The name travels as RFC 6266 says: `filename*=UTF-8''…` (RFC 5987 percent-encoding) for
browsers, which all read it, and an ASCII `filename="…"` for the rest. A header holds
Latin-1 only, so a name like `rēķins.png` written raw into it cannot be sent at all.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from starlette.responses import Response

#: RFC 5987's attr-char beyond letters and digits: what needs no percent-encoding.
_ATTR_CHARS = "!#$&+-.^_`|~"


def ascii_fallback(name: str) -> str:
    """`name` in printable ASCII for `filename="…"`: accents dropped (`rēķins` → `rekins`),
    other letters, quotes, backslashes and control characters replaced by `_`."""
    plain = unicodedata.normalize("NFKD", name)
    chars = [
        c if " " <= c <= "~" and c not in '"\\%' else "_"
        for c in plain
        if not unicodedata.combining(c)
    ]
    return "".join(chars) or "download"


def content_disposition(name: str, *, is_inline: bool = False) -> str:
    """The Content-Disposition header of a file called `name` (RFC 6266 and 5987)."""
    kind = "inline" if is_inline else "attachment"
    encoded = quote(name, safe=_ATTR_CHARS, encoding="utf-8")
    return f"{kind}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{encoded}"


def download(
    content: bytes,
    name: str,
    media_type: str,
    *,
    is_inline: bool = False,
) -> Response:
    """`content` as a file called `name` of `media_type`: a download (inline only where the
    caller shows a picture), never sniffed, sandboxed if opened, never kept by a cache."""
    return Response(
        content=content,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(name, is_inline=is_inline),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox",
            "Cache-Control": "private, no-store",
        },
    )
