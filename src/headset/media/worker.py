"""A media worker process: one `MediaHub` on its own event loop, fed through a pipe.

The service's `MediaPool` starts one per core and pins each call to one. Messages are
pickled tuples: `(request_id, command)` in, `(request_id, reply)` and `(None, event)` out.
OPENBLAS_NUM_THREADS=1 is set before numpy loads: OpenBLAS' idle threads otherwise
busy-wait and one call costs a whole core.
"""

from __future__ import annotations

import os

os.environ["OPENBLAS_NUM_THREADS"] = "1"

import asyncio
from multiprocessing.connection import Connection

from headset.media.settings import MediaSettings


def run(conn: Connection, settings: MediaSettings) -> None:
    """The worker process' entry point; returns when the pipe closes.

    With HEADSET_MEDIA_PROFILE=FOLDER set, the worker profiles itself (cProfile) and writes
    FOLDER/media-worker-PID.prof when it ends: where a worker's time goes, under real load.
    """
    folder = os.environ.get("HEADSET_MEDIA_PROFILE")
    if not folder:
        asyncio.run(_serve(conn, settings))
        return
    import cProfile

    profiler = cProfile.Profile()
    try:
        profiler.runcall(asyncio.run, _serve(conn, settings))
    finally:
        profiler.dump_stats(os.path.join(folder, f"media-worker-{os.getpid()}.prof"))


async def _serve(conn: Connection, settings: MediaSettings) -> None:
    from headset.media import webrtc
    from headset.media.hub import MediaHub

    loop = asyncio.get_running_loop()
    if settings.is_inline_codecs:
        loop.set_default_executor(webrtc.InlineExecutor())
    hub = MediaHub(settings, lambda event: conn.send((None, event)))
    closed = asyncio.Event()
    tasks: set[asyncio.Task[None]] = set()

    async def answer(request_id: int, command: object) -> None:
        reply = await hub.handle(command)  # type: ignore[arg-type]
        conn.send((request_id, reply))

    def readable() -> None:
        try:
            request_id, command = conn.recv()
        except (EOFError, OSError):
            closed.set()
            return
        task = asyncio.ensure_future(answer(request_id, command))
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    loop.add_reader(conn.fileno(), readable)
    hub.start()
    try:
        await closed.wait()
    finally:
        loop.remove_reader(conn.fileno())
        await hub.close()
