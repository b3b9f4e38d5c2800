"""Mail loops: never answer a machine.

An automatic acknowledgement to an auto-reply would start two robots writing to each other
forever. RFC 3834 (Auto-Submitted), the older Precedence header, Microsoft's
X-Auto-Response-Suppress and the usual list headers say a message came from a machine; the
mailroom's rate limits (mailroom/limits.py) catch the machines that say nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

_AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
_SUPPRESS = {"all", "oof", "autoreply", "dr", "rn", "nrn"}
_ROBOT_SENDERS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply")


def is_automatic(headers: Mapping[str, str], sender: str = "") -> bool:
    """Whether the message says (or its sender shows) that no person wrote it."""
    lowered = {k.lower(): v.strip().lower() for k, v in headers.items()}
    submitted = lowered.get("auto-submitted", "no")
    if submitted and submitted.split(";")[0].strip() != "no":
        return True
    if lowered.get("precedence", "") in _AUTOMATIC_PRECEDENCE:
        return True
    suppress = {s.strip() for s in lowered.get("x-auto-response-suppress", "").split(",")}
    if suppress & _SUPPRESS:
        return True
    if "list-id" in lowered or "list-unsubscribe" in lowered:
        return True
    if lowered.get("x-autoreply") or lowered.get("x-autorespond"):
        return True
    local = sender.lower().split("@", 1)[0]
    return bool(local) and local.startswith(_ROBOT_SENDERS)
