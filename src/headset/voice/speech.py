"""What a caller hears from the service: prompts spoken or played, menus that wait for a key."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from headset.core.errors import NotFound
from headset.media.protocol import PlayPrompt
from headset.service.host import EngineHost
from headset.storage.tables import voice_prompts
from headset.voice.call_media import CallMedia
from headset.voice.live_call import CUSTOMER, LiveCall

#: How long a prompt may take before the IVR stops waiting for its end.
_PROMPT_LIMIT_S = 60.0


class Speech:
    """Prompts to the customer's leg, and the keys they press in answer."""

    def __init__(
        self, host: EngineHost, media: CallMedia, data_dir: Path, menu_timeout: timedelta
    ) -> None:
        self.host = host
        self.media = media
        self.data_dir = data_dir
        self.menu_timeout = menu_timeout

    async def say(
        self, call: LiveCall, text: str, *, wait: bool = True, path: str | None = None
    ) -> None:
        """Speaks `text` (or plays the file at `path`) to the customer; waits until it has
        played (unless `wait` is off)."""
        call.prompt_count += 1
        prompt_id = f"p{call.prompt_count}"
        done = call.prompts_done.setdefault(prompt_id, asyncio.Event())
        await self._play(call, prompt_id, text, path)
        if wait:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), _PROMPT_LIMIT_S)
        call.prompts_done.pop(prompt_id, None)

    async def ask(
        self,
        call: LiveCall,
        text: str,
        *,
        path: str | None = None,
        timeout_s: float | None = None,
    ) -> str | None:
        """Plays a menu and waits for a key: during the prompt, or up to the menu timeout.

        Keys pressed earlier (during a greeting, or beyond what the last menu took) count:
        callers who know the menu type ahead."""
        call.prompt_count += 1
        prompt_id = f"p{call.prompt_count}"
        done = call.prompts_done.setdefault(prompt_id, asyncio.Event())
        await self._play(call, prompt_id, text, path)
        wait_s = timeout_s if timeout_s is not None else self.menu_timeout.total_seconds()
        key = asyncio.ensure_future(call.digits.get())
        finished = asyncio.ensure_future(done.wait())
        try:
            await asyncio.wait(
                {key, finished}, timeout=_PROMPT_LIMIT_S, return_when="FIRST_COMPLETED"
            )
            if not key.done():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(asyncio.shield(key), wait_s)
            return key.result() if key.done() else None
        finally:
            key.cancel()
            finished.cancel()
            call.prompts_done.pop(prompt_id, None)

    async def say_step(self, call: LiveCall, step: Any) -> None:
        """A step's prompt (its text, or its uploaded prompt), waited for; none: nothing."""
        if step.prompt_id:
            path = await self._prompt_file(call.tenant_id, step.prompt_id)
            await self.say(call, "", path=path)
        elif step.text:
            await self.say(call, step.text)

    async def ask_step(self, call: LiveCall, step: Any) -> str | None:
        """A menu or collect step's prompt, and the first key pressed."""
        path = await self._prompt_file(call.tenant_id, step.prompt_id) if step.prompt_id else None
        return await self.ask(call, step.text, path=path, timeout_s=float(step.timeout_s))

    async def _prompt_file(self, tenant_id: str, prompt_id: str) -> str:
        """An uploaded prompt as a file the media can play (written from the database)."""

        def write() -> str:
            with self.host.db.connect() as conn:
                content = conn.execute(
                    select(voice_prompts.c.content).where(
                        voice_prompts.c.tenant_id == tenant_id,
                        voice_prompts.c.prompt_id == prompt_id,
                    )
                ).scalar()
            if content is None:
                raise NotFound(f"no prompt {prompt_id!r}")
            path = self.data_dir / "prompts" / tenant_id / f"{prompt_id}.wav"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            return str(path)

        return await asyncio.to_thread(write)

    async def _play(self, call: LiveCall, prompt_id: str, text: str, path: str | None) -> None:
        voice = (call.language or "en").split("-")[0]
        if path is not None:
            command = PlayPrompt(call.call_id, CUSTOMER, prompt_id, path=path)
        else:
            command = PlayPrompt(call.call_id, CUSTOMER, prompt_id, text=text, voice=voice)
        await self.media.send(command)
