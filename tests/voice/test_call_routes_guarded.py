"""Call routes keep tenants apart and refuse anyone but the connected agent; a restart ends
every open call (media is not durable)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.routing import APIRoute

from headset.access.passwords import FAST_FOR_TESTS
from headset.api.app import create_app
from headset.config import Settings
from headset.media.settings import MediaSettings
from tests.media.peers import CUSTOMER_HZ
from tests.service.conftest import ROLES, SECRET, Center, Served, ok, start_center
from tests.voice.conftest import board_of
from tests.voice.phones import dial, until

pytestmark = pytest.mark.asyncio

_SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"
_BODIES = {
    "legs": {"sdp": _SDP},
    "monitor": {"mode": "listen", "sdp": _SDP},
    "transfer": {"queue_id": "alpha-sales"},
    "{leg_id}": {"mode": "barge"},
    "consultations": {"queue_id": "alpha-sales"},
    "pause": {"reason": "card"},
}


async def _queued_call(center: Center, key: str) -> tuple[str, object, str]:
    started: dict[str, str] = {}

    async def signal(sdp: str) -> str:
        async with httpx.AsyncClient(base_url=center.url, timeout=15) as public:
            body = {"name": "Di", "topic_id": "sales", "sdp": sdp}
            started.update(ok(await public.post(f"/api/v1/voice/{key}/calls", json=body), 201))
        return started["sdp"]

    peer = await dial("customer", CUSTOMER_HZ, signal)
    board = board_of(center)
    await until(lambda: board.calls[started["call_id"]].state.status.value == "queued")
    return started["call_id"], peer, started["token"]


def _call_routes(center: Center) -> list[tuple[str, str]]:
    found = []
    for route in center.app.routes:
        path = getattr(route, "path", "")
        if isinstance(route, APIRoute) and "/calls/{call_id}" in path and "/tenants/" in path:
            found += [(m, path) for m in sorted(route.methods or ())]
    return found


async def test_another_tenants_users_find_no_call_and_other_agents_are_refused(
    center: Center,
) -> None:
    key = center.widget_key  # type: ignore[attr-defined]
    call_id, peer, token = await _queued_call(center, key)
    try:
        routes = _call_routes(center)
        assert len(routes) >= 12
        for role in ROLES:
            intruder = center.as_user("beta", role)
            for method, path in routes:
                url = path.format(
                    tenant_id="alpha", call_id=call_id, leg_id="sup_x", consultation_id="c_x"
                )
                body = next((b for k, b in _BODIES.items() if path.endswith(k)), None)
                response = intruder.request(method, url, json=body)
                assert response.status_code in (403, 404), f"{role} {method} {url}: {response.text}"
        # alpha's own agent is not connected to the call: 409, never media
        agent = center.as_user("alpha", "agent")
        refused = agent.post(f"/api/v1/tenants/alpha/calls/{call_id}/legs", json={"sdp": _SDP})
        assert refused.status_code == 409
        supervisor = center.as_user("alpha", "supervisor")
        view = ok(supervisor.get(f"/api/v1/tenants/alpha/calls/{call_id}"))
        assert view["status"] == "queued"
        assert view["legs"] == [{"leg_id": "customer", "party": "customer", "role": "customer"}]
    finally:
        hang_up = f"{center.url}/api/v1/voice/{key}/calls/{call_id}/hang-up"
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx.AsyncClient(timeout=15) as customer:
            ok(await customer.post(hang_up, headers=headers))
        await peer.close()  # type: ignore[attr-defined]
        assert call_id not in board_of(center).calls


async def test_a_restart_ends_every_open_call_by_the_system(tmp_path: Path) -> None:
    media = MediaSettings(is_in_process=True, is_loopback=True, prompt_cache=str(tmp_path / "p"))
    first = start_center(tmp_path, is_voice_enabled=True, media=media)
    topics = [{"topic_id": "sales", "label": "sales", "queue_id": "alpha-sales"}]
    widget = ok(first.admin.put("/api/v1/tenants/alpha/widgets/w", json={
        "display_name": "Alpha", "topics": topics}))  # fmt: skip
    call_id, peer, _ = await _queued_call(first, widget["widget_key"])
    first.close()
    first.served.stop()
    await peer.close()  # type: ignore[attr-defined]
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/h.db",
        secret_key=SECRET,
        is_secret_generated=False,
        is_voice_enabled=True,
        media=media,
    )
    served = Served(create_app(settings, passwords=FAST_FOR_TESTS))
    try:
        from tests.service.conftest import ADMIN_PASSWORD, ADMIN_USER, login

        admin = login(served.url, ADMIN_USER, ADMIN_PASSWORD)
        row = ok(admin.get(f"/api/v1/tenants/alpha/contacts/{call_id}"))
        assert row["status"] == "abandoned"
        ended = [e for e in row["timeline"] if e["type"] == "voice.call_ended"]
        assert [(e["data"]["hung_up_by"], e["actor"]) for e in ended] == [
            ("system", "system:recovery")
        ]
        assert ok(admin.get(f"/api/v1/tenants/alpha/calls/{call_id}"))["status"] == "ended"
        admin.close()
    finally:
        served.stop()


async def test_calls_run_on_a_media_worker_process_too(tmp_path: Path) -> None:
    """The production path: the switchboard drives a `MediaPool` (one worker process)."""
    media = MediaSettings(workers=1, is_loopback=True, prompt_cache=str(tmp_path / "p"))
    center = start_center(tmp_path, is_voice_enabled=True, media=media)
    try:
        topics = [
            {"topic_id": "a", "label": "sales", "queue_id": "alpha-sales"},
            {"topic_id": "b", "label": "sales too", "queue_id": "alpha-sales"},
        ]
        widget = ok(center.admin.put("/api/v1/tenants/alpha/widgets/w", json={
            "display_name": "Alpha", "topics": topics}))  # fmt: skip
        started: dict[str, str] = {}

        async def signal(sdp: str) -> str:
            async with httpx.AsyncClient(base_url=center.url, timeout=15) as public:
                url = f"/api/v1/voice/{widget['widget_key']}/calls"
                started.update(ok(await public.post(url, json={"name": "Wo", "sdp": sdp}), 201))
            return started["sdp"]

        peer = await dial("customer", CUSTOMER_HZ, signal)
        try:
            board = board_of(center)
            await until(lambda: len(peer.heard) > 50, 15)  # the menu, from the worker
            await peer.send_rfc4733("2")  # the digit travels back from the worker
            call_id = started["call_id"]
            await until(lambda: board.calls[call_id].state.status.value == "queued", 15)
            row = ok(center.admin.get(f"/api/v1/tenants/alpha/contacts/{call_id}"))
            assert row["subject"] == "sales too"
        finally:
            await peer.close()  # type: ignore[attr-defined]
    finally:
        center.close()
        center.served.stop()
