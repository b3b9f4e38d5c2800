"""What chat keeps in one process: a lock per conversation, names and widget origins read."""

from __future__ import annotations

import asyncio
import weakref
from dataclasses import dataclass, field


@dataclass
class ChatState:
    """Per-process chat bookkeeping: one lock per conversation, names already looked up."""

    locks: weakref.WeakValueDictionary[str, asyncio.Lock] = field(
        default_factory=weakref.WeakValueDictionary
    )
    names: dict[str, str] = field(default_factory=dict)
    #: widget_key -> (allowed origins, read at); see api/routes/chat_cors.py
    origins: dict[str, tuple[frozenset[str], float]] = field(default_factory=dict)

    def lock(self, contact_id: str) -> asyncio.Lock:
        found = self.locks.get(contact_id)
        if found is None:
            found = asyncio.Lock()
            self.locks[contact_id] = found
        return found
