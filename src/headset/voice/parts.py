"""What the switchboard's mixins (supervision, consultations, recording) use of it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Connection

from headset.calls import call as cc
from headset.calls.events import CallEvent
from headset.core.messages import Command
from headset.service.host import EngineHost
from headset.storage.event_log import NewEvent
from headset.voice.media import Media

if TYPE_CHECKING:
    from headset.voice.board import LiveCall


class BoardParts(Protocol):
    """The `Switchboard` as its mixins see it (their methods' self type)."""

    host: EngineHost
    calls: dict[str, LiveCall]
    consultations: dict[str, str]
    data_dir: Path

    @property
    def media(self) -> Media: ...

    async def step(
        self,
        call: LiveCall,
        command: cc.CallCommand,
        actor: str,
        *,
        commands: Sequence[Command] = (),
        write: Callable[[Connection], Any] | None = None,
        more: Sequence[NewEvent] = (),
        inserts: Sequence[Any] = (),
    ) -> CallEvent: ...

    async def apply_plan(self, call: LiveCall) -> None: ...

    def _stored(self, tenant_id: str, call_id: str, event: CallEvent, actor: str) -> NewEvent: ...

    # the consultation mixin's own helpers, called through the same self type
    def _consultation(self, call: LiveCall, consultation_id: str) -> None: ...

    def _end_consultation_commands(self, consultation_id: str) -> list[Command]: ...

    async def _ended(self, call: LiveCall, outcome: str, actor: str) -> NewEvent: ...

    async def _drop_consultant(self, call: LiveCall) -> None: ...
