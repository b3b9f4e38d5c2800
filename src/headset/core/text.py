"""What text a person may type into a form: no control characters.

A name, an e-mail address or a message comes from a keyboard; a NUL byte, an escape sequence
or a lone surrogate in it never does. They break storage (PostgreSQL refuses NUL in text),
logs and terminals, so anonymous input that holds one is refused, naming the field. A name
also may not hold the invisible bidirectional overrides (U+202E) that make `gpj.exe` read as
`exe.jpg`. Multi-line text keeps its tabs and line breaks.
"""

from __future__ import annotations

import unicodedata

from headset.core.errors import Invalid

#: Line breaks and tabs: control characters a multi-line text may hold.
_LINE_CONTROLS = frozenset("\t\n\r")
#: Bidirectional embeddings, overrides and isolates: they reorder what a reader sees.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def control_character(text: str, *, is_multiline: bool = False) -> str | None:
    """The first character of `text` that has no place in typed text, or None."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs"):
            if is_multiline and char in _LINE_CONTROLS:
                continue
            return char
        if not is_multiline and char in BIDI_CONTROLS:
            return char
    return None


def check_typed(text: str, field: str, *, is_multiline: bool = False) -> str:
    """`text` unchanged, or Invalid naming `field` and the offending character's code point."""
    char = control_character(text, is_multiline=is_multiline)
    if char is not None:
        raise Invalid(
            f"{field} may not contain control characters (found U+{ord(char):04X})",
            field=field,
            code="control_character",
            params={"character": f"U+{ord(char):04X}"},
        )
    return text
