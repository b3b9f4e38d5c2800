"""Settings of the media hub, read once from the environment (`HEADSET_` prefix).

| variable | default | meaning |
|---|---|---|
| HEADSET_ICE_SERVERS | (none) | comma-separated STUN/TURN URLs given to every peer connection |
| HEADSET_MEDIA_WORKERS | number of cores | worker processes (a call stays on one); 0: in-process |
| HEADSET_PROMPT_CACHE | headset-data/prompts | where espeak-ng prompts are generated once |
| HEADSET_MEDIA_INLINE_CODECS | 1 | 0 encodes and decodes in threads (aiortc's way) |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from headset.core.errors import Invalid

DEFAULT_PROMPT_CACHE = "headset-data/prompts"


@dataclass(frozen=True, slots=True)
class MediaSettings:
    """What the hub and its workers read from the environment."""

    ice_servers: tuple[str, ...] = ()
    workers: int = 0  # 0: one per core
    prompt_cache: str = DEFAULT_PROMPT_CACHE
    #: encode and decode in the media loop: measured at about half the CPU of the thread hops
    is_inline_codecs: bool = True
    #: tests and the benchmark on one machine only: gather 127.0.0.1 candidates
    is_loopback: bool = False
    #: no worker processes: the hub runs in the service's event loop (tests, the demo)
    is_in_process: bool = False

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


def load_media_settings(environ: Mapping[str, str]) -> MediaSettings:
    """Reads the `HEADSET_*` media variables; a malformed value raises Invalid."""

    def get(name: str) -> str:
        return environ.get(f"HEADSET_{name}", "").strip()

    servers = tuple(u.strip() for u in get("ICE_SERVERS").split(",") if u.strip())
    for url in servers:
        if not url.startswith(("stun:", "turn:", "turns:")):
            raise Invalid(f"HEADSET_ICE_SERVERS: {url!r} is not a stun:, turn: or turns: URL")
    workers = get("MEDIA_WORKERS")
    if workers and not workers.isdigit():
        raise Invalid(
            f"HEADSET_MEDIA_WORKERS must be a whole number (0: in-process), not {workers!r}"
        )
    return MediaSettings(
        ice_servers=servers,
        workers=int(workers) if workers else 0,
        prompt_cache=get("PROMPT_CACHE") or DEFAULT_PROMPT_CACHE,
        is_inline_codecs=get("MEDIA_INLINE_CODECS").lower() not in {"0", "false", "no"},
        is_in_process=workers == "0",
    )
