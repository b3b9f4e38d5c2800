"""Which conversation a message belongs to: message ids first, the subject's reference last.

Mail clients keep In-Reply-To and References when people answer, so those find the thread
almost always. Some clients (and people who start a new message and paste the subject)
drop them; the reference token Headset puts in every subject, "[#K7Q2MX]", still finds it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Sequence

#: No 0/O, 1/I/L: a customer may type the reference from a printout or over the phone.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6
_TOKEN = re.compile(r"\[#([A-Z2-9]{6})\]")
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_PREFIX = re.compile(r"^\s*((re|fwd?|aw|sv|antw|vs|wg|tr)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)


def new_reference(choice: Callable[[str], str] = secrets.choice) -> str:
    """A fresh reference token (about 887 million of them)."""
    return "".join(choice(_ALPHABET) for _ in range(REFERENCE_LENGTH))


def reference_in(subject: str) -> str | None:
    """The reference token in a subject, if any ("Re: Order [#K7Q2MX]" -> "K7Q2MX")."""
    found = _TOKEN.search(subject or "")
    return found.group(1) if found else None


def with_reference(subject: str, reference: str) -> str:
    """The subject carrying the token once, at the end."""
    base = _TOKEN.sub("", subject or "").strip()
    return f"{base} [#{reference}]".strip()


def reply_subject(subject: str, reference: str) -> str:
    """ "Re: <original subject> [#REF]", without piling up "Re: Re: AW:"."""
    base = _PREFIX.sub("", _TOKEN.sub("", subject or "")).strip() or "(no subject)"
    return with_reference(f"Re: {base}", reference)


def message_ids(header: str | None) -> list[str]:
    """Every `<id>` in a header, in order (References, In-Reply-To)."""
    return MESSAGE_ID.findall(header or "")


def candidates(in_reply_to: str | None, references: Sequence[str]) -> list[str]:
    """Message ids to look the thread up by, the most telling first: the message answered,
    then the references from the newest back."""
    out: list[str] = []
    for mid in ([in_reply_to] if in_reply_to else []) + list(reversed(references)):
        if mid not in out:
            out.append(mid)
    return out


def reply_references(references: Sequence[str], answered: str | None) -> list[str]:
    """The References of a reply (RFC 5322 3.6.4): the parent's, then the parent's own id;
    long chains keep the first and the last ones so the header stays short."""
    chain = [r for r in references if r != answered]
    if answered:
        chain.append(answered)
    if len(chain) > 20:
        chain = chain[:1] + chain[-19:]
    return chain
