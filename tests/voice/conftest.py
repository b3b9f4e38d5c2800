"""A served Headset with voice on (an in-process media hub) and tenants alpha and beta."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from headset.media.settings import MediaSettings
from headset.voice.board import Switchboard
from tests.service.conftest import Center, ok, start_center
from tests.voice.switchboard import Board, open_desk


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Center]:
    tmp = tmp_path_factory.mktemp("voice")
    media = MediaSettings(is_in_process=True, is_loopback=True, prompt_cache=str(tmp / "prompts"))
    c = start_center(tmp, is_voice_enabled=True, media=media)
    board = board_of(c)
    board.announce_every = timedelta(seconds=3)
    board.menu_timeout = timedelta(seconds=5)
    t = c.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    ok(c.admin.put(f"{base}/queues/alpha-support", json={"queue_id": "alpha-support",
                                                          "name": "Support"}))  # fmt: skip
    topics = [
        {"topic_id": "support", "label": "support", "queue_id": "alpha-support"},
        {"topic_id": "sales", "label": "sales", "queue_id": t.queue_id},
    ]
    widget = ok(c.admin.put(f"{base}/widgets/phone", json={"display_name": "Alpha Shop",
                                                           "topics": topics}))  # fmt: skip
    c.widget_key = widget["widget_key"]  # type: ignore[attr-defined]
    try:
        yield c
    finally:
        c.close()
        c.served.stop()


def board_of(center: Center) -> Switchboard:
    board = center.services.switchboard
    assert board is not None
    return board


@pytest_asyncio.fixture
async def desk(tmp_path: Path) -> AsyncIterator[Board]:
    """A switchboard with fake media on the engine host (SQLite, fake clock), no HTTP."""
    async for board in open_desk(tmp_path):
        yield board
