"""The switchboard's media: worker processes (`MediaPool`) or one in-process `MediaHub`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from headset.core.errors import Conflict, HeadsetError, Invalid, NotFound
from headset.media.protocol import Command, Failed, MediaEvent, Reply
from headset.media.settings import MediaSettings

_ERRORS: dict[str, type[HeadsetError]] = {"Invalid": Invalid, "NotFound": NotFound}


class Media(Protocol):
    """Where call commands go; a refusal raises the matching HeadsetError."""

    async def send(self, command: Command) -> Reply: ...

    async def close(self) -> None: ...


class InProcessMedia:
    """The hub in the service's own event loop (tests, the demo): no worker processes."""

    def __init__(self, settings: MediaSettings, on_event: Callable[[MediaEvent], None]) -> None:
        from headset.media.hub import MediaHub  # aiortc loads only once voice is on

        self.hub = MediaHub(settings, on_event)

    async def send(self, command: Command) -> Reply:
        reply = await self.hub.handle(command)
        if isinstance(reply, Failed):
            raise _ERRORS.get(reply.kind, Conflict)(reply.message)
        return reply

    async def close(self) -> None:
        await self.hub.close()


async def start_media(
    settings: MediaSettings, in_process: bool, on_event: Callable[[MediaEvent], None]
) -> Media:
    if in_process:
        return InProcessMedia(settings, on_event)
    from headset.media.pool import MediaPool

    pool = MediaPool(settings, on_event)
    await pool.start()
    return pool
