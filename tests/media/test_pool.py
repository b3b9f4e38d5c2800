"""Media in worker processes: calls pinned to a worker, commands and events over the pipe."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from headset.core.errors import NotFound
from headset.media import plan
from headset.media.pool import MediaPool
from headset.media.protocol import (
    AddParty,
    Answer,
    CreateCall,
    DigitReceived,
    GetStats,
    HangUp,
    MediaEvent,
    SetMixPlan,
    Stats,
)
from headset.media.settings import MediaSettings
from tests.media.peers import AGENT_HZ, CUSTOMER_HZ, hears
from tests.media.peers import connect as connect_in_process

pytestmark = pytest.mark.asyncio


class _PoolAsHub:
    """Lets the test peers' `connect` talk to a pool as if it were an in-process hub."""

    def __init__(self, pool: MediaPool) -> None:
        self.pool = pool

    async def handle(self, command: AddParty) -> Answer:
        reply = await self.pool.send(command)
        assert isinstance(reply, Answer)
        return reply


async def test_a_call_in_a_worker_process_carries_media_and_reports_digits(tmp_path: Path) -> None:
    events: list[MediaEvent] = []
    settings = MediaSettings(workers=2, is_loopback=True, prompt_cache=str(tmp_path))
    pool = MediaPool(settings, events.append)
    await pool.start()
    try:
        await pool.send(CreateCall("a"))
        await pool.send(CreateCall("b"))
        assert {pool.worker_of("a"), pool.worker_of("b")} == {0, 1}  # spread over workers
        front = _PoolAsHub(pool)
        customer = await connect_in_process(front, "a", "cust", "customer", CUSTOMER_HZ)  # type: ignore[arg-type]
        agent = await connect_in_process(front, "a", "agent", "agent", AGENT_HZ)  # type: ignore[arg-type]
        await pool.send(SetMixPlan("a", plan.connected("cust", "agent")))
        await asyncio.sleep(1.0)
        start = time.monotonic()
        await asyncio.sleep(0.6)
        assert hears(customer.since(start), AGENT_HZ)
        assert hears(agent.since(start), CUSTOMER_HZ)
        await customer.send_rfc4733("7")
        deadline = time.monotonic() + 5
        while not any(isinstance(e, DigitReceived) for e in events):
            assert time.monotonic() < deadline
            await asyncio.sleep(0.05)
        assert [e for e in events if isinstance(e, DigitReceived)] == [
            DigitReceived("a", "cust", "7", "rfc4733")
        ]
        stats = await pool.send_to(pool.worker_of("a"), GetStats())
        assert isinstance(stats, Stats)
        assert stats.values["calls"] == 1
        assert stats.values["frames_in"] > 50
        assert stats.values["openblas_threads"] == 1
        await pool.send(HangUp("a"))
        with pytest.raises(NotFound):
            await pool.send(HangUp("a"))
        await customer.close()
        await agent.close()
    finally:
        await pool.close()
