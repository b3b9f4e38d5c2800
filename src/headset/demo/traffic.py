"""Simulated customers creating contacts, and simulated agents working them, over the API."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import httpx
from websockets.asyncio.client import connect

from headset.demo.seed import PASSWORD, TENANTS, Seeded

NAMES = [
    "Anna Berzina",
    "Jan de Vries",
    "Lena Schmidt",
    "Maris Ozols",
    "Sanne Bakker",
    "Jonas Weber",
    "Ilze Kalnina",
    "Pieter Jansen",
    "Eva Muller",
    "Karlis Liepa",
]


async def customers(
    client: httpx.AsyncClient, seeded: Seeded, rng: random.Random, mean_gap: float
) -> None:
    """A contact every `mean_gap` seconds on average, spread over tenants and queues."""
    while True:
        await asyncio.sleep(rng.expovariate(1 / mean_gap))
        spec = rng.choice(TENANTS)
        t = spec["tenant_id"]
        queue_id, skills = rng.choice(seeded.queues[t])
        name = rng.choice(NAMES)
        body = {
            "queue_id": queue_id,
            "channel": rng.choice(["chat", "chat", "voice", "email"]),
            "skills": dict.fromkeys(skills, 3),
            "subject": "Question from the demo",
            "customer": {
                "name": name,
                "email": name.lower().replace(" ", ".") + "@example.com",
                "external_id": f"demo-{name.split()[0].lower()}",
            },
        }
        await client.post(
            f"/api/v1/tenants/{t}/contacts",
            json=body,
            headers={"Authorization": f"Bearer {seeded.tokens[t]}"},
        )


async def agent(
    base_url: str,
    username: str,
    tenant_id: str,
    agent_id: str,
    rng: random.Random,
    dispositions: list[str],
) -> None:
    """Signs in, goes available, and answers, talks, ends and wraps up what it is offered."""
    async with httpx.AsyncClient(base_url=base_url) as client:
        login = (
            await client.post(
                "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
            )
        ).json()
        headers = {"X-CSRF-Token": login["csrf_token"]}
        base = f"/api/v1/tenants/{tenant_id}"
        await client.post(
            f"{base}/agents/{agent_id}/state", headers=headers, json={"state": "available"}
        )
        cookie = f"headset_session={client.cookies['headset_session']}"
        ws_url = base_url.replace("http", "ws", 1) + "/api/v1/live"
        work: set[asyncio.Task[None]] = set()
        try:
            await _listen(
                ws_url,
                cookie,
                agent_id,
                work,
                lambda data: _work(client, base, headers, data, rng, dispositions),
            )
        finally:
            for task in work:
                task.cancel()
            await asyncio.gather(*work, return_exceptions=True)


async def _listen(
    ws_url: str, cookie: str, agent_id: str, work: set[asyncio.Task[None]], start: Any
) -> None:
    async with connect(ws_url, additional_headers={"Cookie": cookie}) as stream:
        async for raw in stream:
            message: dict[str, Any] = json.loads(raw)
            if message.get("event") != "routing.contact_offered":
                continue
            data = message["data"]
            if data["agent_id"] != agent_id:
                continue
            task = asyncio.create_task(start(data))
            work.add(task)
            task.add_done_callback(work.discard)


async def _work(
    client: httpx.AsyncClient,
    base: str,
    headers: dict[str, str],
    offer: dict[str, Any],
    rng: random.Random,
    dispositions: list[str],
) -> None:
    await asyncio.sleep(rng.uniform(1, 4))
    accepted = await client.post(f"{base}/offers/{offer['offer_id']}/accept", headers=headers)
    if accepted.status_code != 200:
        return
    contact = offer["contact_id"]
    await asyncio.sleep(rng.uniform(15, 60))
    await client.post(f"{base}/contacts/{contact}/end", headers=headers)
    await asyncio.sleep(rng.uniform(3, 10))
    await client.post(
        f"{base}/contacts/{contact}/wrap-up",
        headers=headers,
        json={"disposition": rng.choice(dispositions), "notes": "Demo call"},
    )
