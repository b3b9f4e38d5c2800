"""The live wire protocol: message shapes and the `after` query parameter."""

from __future__ import annotations

import pytest

from headset.core.errors import Invalid
from headset.live import (
    LiveEvent,
    event_message,
    heartbeat_message,
    parse_after,
    resync_message,
    snapshot_message,
)


def test_the_four_messages_have_their_documented_shapes() -> None:
    event = LiveEvent(
        seq=7, type="routing.offer_made", payload={"a": 1}, audiences=frozenset({"agent:a1"})
    )
    assert event_message(event) == {
        "type": "event",
        "seq": 7,
        "event": "routing.offer_made",
        "data": {"a": 1},
    }
    assert resync_message("expired") == {"type": "resync", "reason": "expired"}
    assert snapshot_message(7, {"queues": []}) == {
        "type": "snapshot",
        "seq": 7,
        "data": {"queues": []},
    }
    assert heartbeat_message(7) == {"type": "heartbeat", "seq": 7}


def test_after_is_absent_when_the_client_needs_a_snapshot() -> None:
    assert parse_after(None) is None
    assert parse_after("") is None


def test_after_is_a_whole_number() -> None:
    assert parse_after("0") == 0
    assert parse_after("12345") == 12345


@pytest.mark.parametrize("raw", ["-1", "1.5", "abc", " 7", "+7", "7_000", "٣"])
def test_anything_else_as_after_is_refused_with_a_clear_message(raw: str) -> None:
    with pytest.raises(Invalid, match="non-negative whole number"):
        parse_after(raw)
