"""Which files may travel through the center, and how they are named: one rule for every
channel (a chat's uploads, an e-mail's attachments, whatever is downloaded by an agent).

A file's kind is judged by its first bytes, never by its name or declared type: a file
called `invoice.png` that starts like HTML is no image. An upload is accepted only when its
bytes are one of a short list of harmless kinds, its name's extension agrees with that kind,
and no part of its name is an extension that runs or renders (`invoice.pdf.vbs`,
`photo.html.png`). Names are cleaned before they are judged or stored: no folders, no control
or invisible characters (the right-to-left override that shows `gpj.exe` as `exe.jpg`), no
characters Windows refuses, at most `MAX_NAME` characters with the extension kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from headset.core.errors import Invalid

PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
PDF = "application/pdf"
TEXT = "text/plain"
#: What any file is served as when its bytes are none of the kinds below.
OPAQUE = "application/octet-stream"

#: The harmless kinds, each with the extensions a name of that kind may end in (the first is
#: the one a name without an extension gets).
EXTENSIONS: dict[str, tuple[str, ...]] = {
    PNG: ("png",),
    JPEG: ("jpg", "jpeg", "jpe"),
    GIF: ("gif",),
    WEBP: ("webp",),
    PDF: ("pdf",),
    TEXT: ("txt", "text", "log", "csv"),
}
ALLOWED_MEDIA_TYPES = frozenset(EXTENSIONS)
IMAGE_TYPES = frozenset({PNG, JPEG, GIF, WEBP})

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"%PDF-", PDF),
)

#: Extensions Windows, macOS or Linux desktops run or install when opened.
_RUNNABLE = """
ade adp app application appref-ms apk bas bat bin cab chm cmd com cpl crt dll dmg exe gadget
hta inf ins iso img isp jar js jse ko lib lnk mde msc msi msp mst nsh pif ps1 ps1xml ps2 psc1
psm1 reg scf scr sct sh shb sys vb vbe vbs vxd wsc wsf wsh xll xlam docm xlsm pptm dotm elf run
deb rpm
"""
DANGEROUS_EXTENSIONS = frozenset(_RUNNABLE.split())
#: Extensions a browser or viewer renders as active content (pages, scripts in images).
_ACTIVE = "htm html xhtml xht shtml mht mhtml svg svgz xml xsl swf"
ACTIVE_EXTENSIONS = frozenset(_ACTIVE.split())

#: Markup a browser's sniffer (or an old one) would take for a page or a drawing. Only long,
#: distinctive tag names: a short one ("<b>") turns up by chance in a picture's bytes.
_MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|svg|object|embed|frameset|style|title|"
    rb"xsl|meta|link|form)[\s>/:]",
    re.IGNORECASE,
)
#: How much of a file is searched for markup (the sniffing algorithm reads 512 bytes; a
#: polyglot may hide its page further in, so more is read).
_MARKUP_WINDOW = 4096
#: Control characters a plain-text file may hold: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS = frozenset(b"\t\n\x0c\r")
#: The longest stored name, in characters, extension included.
MAX_NAME = 120
_WINDOWS_FORBIDDEN = frozenset('<>:"/\\|?*')
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{i}" for i in range(1, 10)}
    | {f"lpt{i}" for i in range(1, 10)}
)


@dataclass(frozen=True, slots=True)
class AcceptedFile:
    """An upload that passed: the kind its bytes showed and the name it is stored under."""

    media_type: str
    name: str


def sniff_media_type(content: bytes) -> str | None:
    """The harmless kind `content` is, judged by its bytes; None for anything else (markup
    in the first bytes makes any file "anything else": an image that is also a page is not
    an image)."""
    if _MARKUP.search(content[:_MARKUP_WINDOW]):
        return None
    for magic, media_type in _MAGIC:
        if content.startswith(magic):
            return media_type
    if len(content) >= 12 and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return WEBP
    if _is_plain_text(content):
        return TEXT
    return None


def _is_plain_text(content: bytes) -> bool:
    """UTF-8 without NUL or other control bytes (programs and archives are full of them)."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any((b < 32 and b not in _TEXT_CONTROLS) or b == 127 for b in content)


def safe_file_name(name: str) -> str:
    """`name` as it may be stored and offered for saving: the last part of any path, NFC,
    without control, format (zero-width, bidi) or Windows-forbidden characters, leading
    dots or spaces, at most `MAX_NAME` characters with its extension kept; "attachment"
    when nothing is left."""
    base = re.split(r"[/\\]", unicodedata.normalize("NFC", name))[-1]
    kept = "".join(
        "_" if c in _WINDOWS_FORBIDDEN else c
        for c in base
        if unicodedata.category(c)[0] not in "CZ" or c == " "
    )
    cleaned = " ".join(kept.split()).strip(". ")
    if not cleaned:
        return "attachment"
    stem, dot, ext = cleaned.rpartition(".")
    if not dot:
        stem, ext = cleaned, ""
    if stem.lower() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    if len(ext) > 16:  # no extension: a long tail after a dot is part of the name
        stem, ext = f"{stem}.{ext}", ""
    room = MAX_NAME - (len(ext) + 1 if ext else 0)
    return f"{stem[:room].rstrip('. ') or 'attachment'}{'.' + ext if ext else ''}"


def extensions_of(name: str) -> list[str]:
    """Every extension in `name`, lower case: `Invoice.PDF.vbs` has ["pdf", "vbs"]."""
    return [part for part in name.lower().split(".")[1:] if part]


def refused_extension(name: str) -> str | None:
    """The first extension of `name` that runs programs or renders pages, or None."""
    for ext in extensions_of(name):
        if ext in DANGEROUS_EXTENSIONS or ext in ACTIVE_EXTENSIONS:
            return ext
    return None


def accept_upload(name: str, content: bytes, max_bytes: int) -> AcceptedFile:
    """The upload's kind and stored name, or Invalid saying what to send instead."""
    if not content:
        raise Invalid("the file is empty", code="file_empty")
    if len(content) > max_bytes:
        raise Invalid(
            f"files may be at most {max_bytes} bytes; this one has {len(content)}",
            code="file_too_large",
            params={"max_bytes": max_bytes},
        )
    stored = safe_file_name(name)
    if (ext := refused_extension(stored)) is not None:
        raise Invalid(
            f"files named .{ext} are not accepted, whatever they hold; send a picture, "
            "a PDF or a plain text file",
            code="file_name_refused",
            params={"extension": ext},
        )
    media_type = sniff_media_type(content)
    if media_type is None:
        raise Invalid(
            "this kind of file is not accepted: send a PNG, JPEG, GIF or WebP image, "
            "a PDF or a plain text file",
            code="file_type_refused",
        )
    return AcceptedFile(media_type, _named_for(stored, media_type))


def _named_for(name: str, media_type: str) -> str:
    """`name` if its extension agrees with `media_type`; with the kind's extension added
    when it has none; Invalid when it names another kind."""
    allowed = EXTENSIONS[media_type]
    ext = extensions_of(name)[-1:] if "." in name else []
    if not ext:
        return safe_file_name(f"{name}.{allowed[0]}")
    if ext[0] not in allowed:
        raise Invalid(
            f"the file is a {media_type} but is named .{ext[0]}; name it .{allowed[0]}",
            code="file_name_mismatch",
            params={"media_type": media_type, "extension": ext[0]},
        )
    return name


def served_media_type(content: bytes) -> str:
    """The type a stored file is served with: its sniffed harmless kind, else opaque bytes
    (never the type a sender declared: `text/html` would render in our origin)."""
    return sniff_media_type(content) or OPAQUE


def served_name(name: str, media_type: str) -> str:
    """The name a stored file is offered for saving under: cleaned, and given the extension
    of the type it is served as when its own disagrees or could run (`update.bat` served as
    text is saved as `update_bat.txt`; a page sent by e-mail as `receipt_html.dat`)."""
    clean = safe_file_name(name)
    allowed = EXTENSIONS.get(media_type)
    exts = extensions_of(clean)
    agrees = allowed is None or (bool(exts) and exts[-1] in allowed)
    if agrees and refused_extension(clean) is None:
        return clean
    # the old name's dots go, so no part of it is read as an extension any more
    return safe_file_name(f"{clean.replace('.', '_')}.{allowed[0] if allowed else 'dat'}")
