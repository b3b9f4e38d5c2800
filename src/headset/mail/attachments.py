"""Which attachments are refused: programs and scripts, judged by name and by content.

The name alone is not enough (a program renamed `invoice.pdf` still runs when saved as
`.exe`), nor the content alone (a script is plain text), so both are checked. Refused parts
are not stored; the message keeps their names so the agent knows something was removed.
The extensions and the cleaning of names are the center's one rule for files
(`headset.core.files`, shared with chat), which also decides how a kept part is served.
"""

from __future__ import annotations

from dataclasses import dataclass

from headset.core.files import DANGEROUS_EXTENSIONS, extensions_of, safe_file_name

__all__ = ["DANGEROUS_EXTENSIONS", "Verdict", "judge", "safe_file_name"]

#: Leading bytes of executables: Windows PE, ELF, Mach-O (both byte orders and fat), Java.
_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe",
          b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")  # fmt: skip
_MEDIA_TYPES = frozenset(
    {
        "application/x-msdownload",
        "application/x-msdos-program",
        "application/x-executable",
        "application/x-sh",
        "application/x-msi",
        "application/hta",
        "application/javascript",
        "text/javascript",
        "application/x-ms-shortcut",
    }
)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether a part is refused, and why (for the agent and the log)."""

    is_refused: bool
    reason: str = ""


def judge(name: str, media_type: str, content: bytes) -> Verdict:
    """Refuses programs, scripts and archives of them by extension, declared type or bytes."""
    for ext in extensions_of(name.strip().rstrip(".")):
        # "report.pdf.exe" and "setup.exe.txt" alike: any executable extension in the name
        if ext in DANGEROUS_EXTENSIONS:
            return Verdict(True, f"the file type .{ext} can run programs")
    if media_type.lower() in _MEDIA_TYPES:
        return Verdict(True, f"the type {media_type} can run programs")
    head = content[:8]
    if any(head.startswith(magic) for magic in _MAGIC):
        return Verdict(True, "the file is a program")
    if content.startswith(b"#!"):
        return Verdict(True, "the file is a script")
    if content.startswith(b"PK\x03\x04") and _zip_holds_program(content):
        return Verdict(True, "the archive holds a program")
    return Verdict(False)


def _zip_holds_program(content: bytes) -> bool:
    """Looks at the names in a ZIP's central directory without unpacking anything."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return True  # an archive we cannot list cannot be judged: refuse it
    return any(
        any(ext in DANGEROUS_EXTENSIONS for ext in extensions_of(n.rsplit("/", 1)[-1]))
        for n in names
    )
