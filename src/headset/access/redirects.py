"""Where a page may send a visitor after signing in: only a path on this site.

The sign-in page carries `?next=` so that a visitor sent there from a page comes back to it.
Taken as it comes, that would be an open redirect: a link to Headset's own sign-in page that
lands, after a real sign-in, on a look-alike site asking for the password again. Browsers
read `/\\evil.example`, `/<TAB>/evil.example` and `//evil.example` as another host, so the
rule is a whitelist of shape, not a blacklist of hosts: one leading slash, then only
printable characters without backslashes, and no scheme or host however it is decoded.
"""

from __future__ import annotations

import unicodedata
from typing import Final
from urllib.parse import unquote, urlsplit

#: Where a visitor goes when `next` is missing or refused.
HOME: Final = "/"
#: Longer is not a link a page of Headset makes.
MAX_LENGTH: Final = 2000
# Percent-decoding is repeated this often: a value decoded twice by some proxy must still be
# a local path.
_DECODINGS: Final = 3


def safe_next(value: str | None) -> str:
    """`value` if it is a path on this site, else `HOME`."""
    if not value or len(value) > MAX_LENGTH:
        return HOME
    seen = value
    for layer in range(_DECODINGS + 1):
        if not _is_local_path(seen, allow_spaces=layer > 0):
            return HOME
        decoded = unquote(seen)
        if decoded == seen:
            return value
        seen = decoded
    return HOME  # still changing after several decodings: nothing a page of ours makes


def _is_local_path(path: str, *, allow_spaces: bool) -> bool:
    if not path.startswith("/") or path.startswith(("//", "/\\")):
        return False
    if "\\" in path or any(_is_unsafe(c, allow_spaces) for c in path):
        return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc


def _is_unsafe(character: str, allow_spaces: bool) -> bool:
    # Control characters (browsers drop TAB, CR and LF from URLs, so "/\t/evil" becomes
    # "//evil"), format characters (invisible), and every kind of space. Once decoded, an
    # encoded space (%20 in a search) is harmless: the browser is given it still encoded.
    category = unicodedata.category(character)
    if allow_spaces and category == "Zs":
        return False
    return category[0] in "CZ"
