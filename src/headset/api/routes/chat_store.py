"""What the voice and e-mail routes still take from chat; the chat room (headset.chatroom)
holds it now, and they should import it from there."""

from __future__ import annotations

from headset.api.runtime import Runtime
from headset.chatroom.transcripts import transcript

__all__ = ["display_name", "transcript"]


def display_name(rt: Runtime, *, agent_id: str | None = None, user_id: str | None = None) -> str:
    """The name people of the center show in chats (the chat room's cache)."""
    return rt.chat.display_name(agent_id=agent_id, user_id=user_id)
