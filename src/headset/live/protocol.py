"""The live wire protocol: the four kinds of message a browser receives, as plain dicts.

A stream starts with a `snapshot` (when the client has nothing to resume from) or with the
events it missed; then it carries `event`s in `seq` order and `heartbeat`s while idle. A
`resync` is always the last message of a stream: the client drops its state and reconnects
without `after`, which gets it a fresh snapshot. See docs/live.md.
"""

from __future__ import annotations

from typing import Any

from headset.core.errors import Invalid
from headset.live.event import LiveEvent

#: A message on the wire; the hub shares one dict between subscribers, so treat it as read-only.
Message = dict[str, Any]

#: `after` is older than the oldest event the hub still holds (or too many were missed).
RESYNC_EXPIRED = "expired"
#: `after` is newer than anything this hub has published: the client saw a previous server life.
RESYNC_UNKNOWN_SEQ = "unknown_seq"
#: The client read too slowly and its outbox filled up.
RESYNC_SLOW_CONSUMER = "slow_consumer"


def event_message(event: LiveEvent) -> Message:
    """`{"type": "event", "seq": N, "event": type, "data": payload}`."""
    return {"type": "event", "seq": event.seq, "event": event.type, "data": event.payload}


def resync_message(reason: str) -> Message:
    """`{"type": "resync", "reason": ...}`: drop your state and reconnect without `after`."""
    return {"type": "resync", "reason": reason}


def snapshot_message(seq: int, data: Any) -> Message:
    """`{"type": "snapshot", "seq": N, "data": ...}`: the state as of event `seq`."""
    return {"type": "snapshot", "seq": seq, "data": data}


def signal_message(seq: int, kind: str, data: Any) -> Message:
    """`{"type": "signal", "seq": N, "event": kind, "data": ...}`: ephemeral (typing), never
    stored or replayed; `seq` is a resume point like a heartbeat's."""
    return {"type": "signal", "seq": seq, "event": kind, "data": data}


def heartbeat_message(seq: int) -> Message:
    """`{"type": "heartbeat", "seq": N}`: nothing for you up to `seq`; resume from there."""
    return {"type": "heartbeat", "seq": seq}


def parse_after(raw: str | None) -> int | None:
    """Reads the `?after=SEQ` query parameter of a reconnecting client; None when absent."""
    if raw is None or raw == "":
        return None
    # isdecimal rather than int(): int() would also accept " 7", "+7" and "7_000".
    if not raw.isascii() or not raw.isdecimal():
        raise Invalid(f"after must be a non-negative whole number (a seq), not {raw[:40]!r}")
    return int(raw)
