"""The service's side of the media workers: start them, pin calls, send commands.

One worker process per core (`HEADSET_MEDIA_WORKERS`); a call goes to the worker with the
fewest calls when it is created and stays there, since its parties' media must meet in one
process. Replies come back as awaited results; events go to the `on_event` callback in the
service's event loop (where call control turns them into stored events).
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from headset.core.errors import Conflict, HeadsetError, Invalid, NotFound
from headset.media import worker
from headset.media.protocol import Command, CreateCall, Failed, HangUp, MediaEvent, Reply
from headset.media.settings import MediaSettings

_ERRORS: dict[str, type[HeadsetError]] = {"Invalid": Invalid, "NotFound": NotFound}


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.calls: set[str] = set()
        self.waiting: dict[int, asyncio.Future[Reply]] = {}


class MediaPool:
    """Media worker processes and the calls pinned to them."""

    def __init__(self, settings: MediaSettings, on_event: Callable[[MediaEvent], None]) -> None:
        self.settings = settings
        self._on_event = on_event
        self._workers: list[_Worker] = []
        self._pinned: dict[str, _Worker] = {}
        self._ids = itertools.count(1)

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        context = multiprocessing.get_context("spawn")  # no fork of the service's threads
        saved = os.environ.get("OPENBLAS_NUM_THREADS")
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
        try:
            for index in range(self.settings.worker_count):
                ours, theirs = context.Pipe()
                process = context.Process(
                    target=worker.run,
                    args=(theirs, self.settings),
                    name=f"headset-media-{index}",
                    daemon=True,
                )
                process.start()
                theirs.close()
                w = _Worker(process, ours)
                loop.add_reader(ours.fileno(), self._readable, w)
                self._workers.append(w)
        finally:
            if saved is None:
                del os.environ["OPENBLAS_NUM_THREADS"]
            else:
                os.environ["OPENBLAS_NUM_THREADS"] = saved

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        for w in self._workers:
            loop.remove_reader(w.conn.fileno())
            w.conn.close()
        for w in self._workers:
            await asyncio.to_thread(w.process.join, 5)
            if w.process.is_alive():
                w.process.kill()
        self._workers.clear()

    def worker_of(self, call_id: str) -> int:
        """The index of the worker `call_id` is pinned to."""
        return self._workers.index(self._pinned[call_id])

    async def send(self, command: Command) -> Reply:
        """Sends `command` to its call's worker; a refusal raises the matching error."""
        if not self._workers:
            raise Conflict("the media workers are not running")
        call_id: str | None = getattr(command, "call_id", None)
        if isinstance(command, CreateCall):
            if command.call_id in self._pinned:
                raise Invalid(f"call {command.call_id!r} exists already")
            w = min(self._workers, key=lambda x: len(x.calls))
            w.calls.add(command.call_id)
            self._pinned[command.call_id] = w
        elif call_id is None:
            raise Invalid("only call commands go through the pool; use send_to for the rest")
        elif call_id not in self._pinned:
            raise NotFound(f"no call {call_id!r} on any media worker")
        w = self._pinned[call_id]  # type: ignore[index]
        reply = await self._request(w, command)
        if isinstance(command, HangUp) and not isinstance(reply, Failed):
            w.calls.discard(command.call_id)
            del self._pinned[command.call_id]
        if isinstance(reply, Failed):
            if isinstance(command, CreateCall):
                w.calls.discard(command.call_id)
                del self._pinned[command.call_id]
            raise _ERRORS.get(reply.kind, Conflict)(reply.message)
        return reply

    async def send_to(self, index: int, command: Command) -> Reply:
        """Sends a command that concerns a worker, not a call (GetStats)."""
        return await self._request(self._workers[index], command)

    @property
    def size(self) -> int:
        return len(self._workers)

    async def _request(self, w: _Worker, command: Command) -> Reply:
        request_id = next(self._ids)
        future: asyncio.Future[Reply] = asyncio.get_running_loop().create_future()
        w.waiting[request_id] = future
        w.conn.send((request_id, command))
        return await future

    def _readable(self, w: _Worker) -> None:
        try:
            request_id, message = w.conn.recv()
        except (EOFError, OSError):
            asyncio.get_running_loop().remove_reader(w.conn.fileno())
            for waiting in w.waiting.values():
                if not waiting.done():
                    waiting.set_exception(Conflict("a media worker stopped"))
            w.waiting.clear()
            return
        if request_id is None:
            self._on_event(message)
        else:
            future = w.waiting.pop(request_id) if request_id in w.waiting else None
            if future is not None and not future.done():
                future.set_result(message)
