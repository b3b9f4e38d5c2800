"""What an uploaded file really is, judged by its first bytes, never by its name.

A file called `invoice.png` that starts like a Windows program is refused: the browser of the
agent who opens it would otherwise trust the name. Only a short list of harmless kinds is
accepted; anything else is refused, whatever its name or declared type.
"""

from __future__ import annotations

from headset.core.errors import Invalid

PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
PDF = "application/pdf"
TEXT = "text/plain"

ALLOWED_MEDIA_TYPES = frozenset({PNG, JPEG, GIF, WEBP, PDF, TEXT})

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"%PDF-", PDF),
)

#: Control characters a plain-text file may hold: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r")


def sniff_media_type(content: bytes, max_bytes: int) -> str:
    """The media type of `content`; raises Invalid for an empty, too large or refused file."""
    if not content:
        raise Invalid("the file is empty")
    if len(content) > max_bytes:
        raise Invalid(f"files may be at most {max_bytes} bytes; this one has {len(content)}")
    for magic, media_type in _MAGIC:
        if content.startswith(magic):
            return media_type
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if _is_plain_text(content):
        return TEXT
    raise Invalid(
        "this kind of file is not accepted: send a PNG, JPEG, GIF or WebP image, "
        "a PDF or a plain text file",
        code="file_type_refused",
    )


def _is_plain_text(content: bytes) -> bool:
    """UTF-8 without NUL or other control bytes (programs and archives are full of them)."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any((b < 32 and b not in _TEXT_CONTROLS) or b == 127 for b in content)
