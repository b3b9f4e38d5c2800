"""The sites a widget may be used from (its `allowed_origins`), read with a short cache."""

from __future__ import annotations

import time

from sqlalchemy import select

from headset.chatroom.room import ChatRoom
from headset.storage.tables import chat_widgets

#: How long a widget's origins are trusted without reading them again (saving one clears it).
CACHE_SECONDS = 30.0


def allowed_origins(room: ChatRoom, widget_key: str) -> frozenset[str]:
    """The origins of the widget (empty for an unknown widget); cached for a short while."""
    hit = room.origins.get(widget_key)
    if hit is not None and time.monotonic() - hit[1] < CACHE_SECONDS:
        return hit[0]
    with room.reader.connect() as conn:
        row = conn.execute(
            select(chat_widgets.c.allowed_origins).where(chat_widgets.c.widget_key == widget_key)
        ).first()
    origins = frozenset(row.allowed_origins) if row is not None else frozenset()
    room.origins[widget_key] = (origins, time.monotonic())
    return origins


def is_same_site(origin: str, host: str) -> bool:
    """Whether the page's origin is this site itself (no CORS needed)."""
    return origin.split("://", 1)[-1] == host
