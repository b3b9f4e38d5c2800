"""What the widget shows before a chat: greeting, topics open now, languages, buttons."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from headset.chatroom.room import ChatRoom
from headset.chatroom.widgets import topic_hours
from headset.mailroom.chat_transcripts import transcript_senders
from headset.mailroom.mailboxes import Mailbox
from headset.voice.board import Switchboard


def voice_offer(board: Switchboard | None, widget: Any) -> dict[str, Any]:
    """The "call us" button (docs/voice.md): whether calls are on, and the ICE servers."""
    enabled = board is not None and bool(getattr(widget, "voice_enabled", True))
    servers = list(board.media_settings.ice_servers) if board is not None else []
    return {"enabled": enabled, "ice_servers": [{"urls": u} for u in servers]}


def widget_config(
    room: ChatRoom, widget: Any, board: Switchboard | None, mailboxes: Iterable[Mailbox]
) -> dict[str, Any]:
    """The widget's settings as the widget and the hosted chat page read them."""
    topics = [
        {
            "topic_id": topic.topic_id,
            "label": topic.label,
            "is_open": topic.is_open,
            "next_opening_at": topic.next_opening_at,
        }
        for topic in topic_hours(room, widget)
    ]
    return {
        "widget_key": widget.widget_key,
        "display_name": widget.display_name,
        "greeting": widget.greeting,
        "colour": widget.colour,
        "languages": widget.languages,
        "topics": topics,
        "is_open": any(t["is_open"] for t in topics),
        "offline_message": widget.offline_message,
        "voice": voice_offer(board, widget),
        # the "e-mail me the transcript" button at the end of a chat (docs/email.md)
        "sends_transcripts": bool(transcript_senders(mailboxes, widget.tenant_id)),
    }
