"""Simulated customers creating contacts, and simulated agents working them, over the API."""

from __future__ import annotations

import asyncio
import json
import random
from typing import Any

import httpx
from websockets.asyncio.client import connect

from headset.demo.mail import REPLIES as MAIL_REPLIES
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


#: What simulated customers write in a chat, and what simulated agents answer.
QUESTIONS = [
    "Hello, I have a question about my last invoice.",
    "Can I change the date my payment is taken?",
    "My connection drops every evening, can you help?",
    "How long does a loan application take?",
    "I moved house; how do I update my address?",
]
FOLLOW_UPS = ["Thanks, that helps.", "And how long will that take?", "OK, I will try that."]
ANSWERS = [
    "Let me check that for you.",
    "I have found your details; one moment please.",
    "That is done now. Is there anything else I can do for you?",
]


async def customers(
    client: httpx.AsyncClient, seeded: Seeded, rng: random.Random, mean_gap: float
) -> None:
    """A contact every `mean_gap` seconds on average, spread over tenants and queues.

    Chats come in through each tenant's chat widget, as a customer's browser would start them;
    e-mails over SMTP to the tenant's mailbox (demo/mail.py); the API channel only for a tenant
    without either. Calls are placed by a person on the tenant's chat page.
    """
    chats: set[asyncio.Task[None]] = set()
    try:
        await _arrivals(client, seeded, rng, mean_gap, chats)
    finally:
        for task in chats:
            task.cancel()
        await asyncio.gather(*chats, return_exceptions=True)


async def _arrivals(
    client: httpx.AsyncClient,
    seeded: Seeded,
    rng: random.Random,
    mean_gap: float,
    chats: set[asyncio.Task[None]],
) -> None:
    while True:
        await asyncio.sleep(rng.expovariate(1 / mean_gap))
        spec = rng.choice(TENANTS)
        t = spec["tenant_id"]
        name = rng.choice(NAMES)
        # no calls here: a call needs a customer's voice on the media hub (a person calls from
        # the tenant's chat page), and a voice contact made through the API would ring a
        # softphone with nobody on the line
        channel = rng.choice(["chat", "chat", "email"])
        if channel == "chat" and t in seeded.widgets:
            task = asyncio.create_task(_chat_customer(client, seeded, t, name, rng))
            chats.add(task)
            task.add_done_callback(chats.discard)
            continue
        if channel == "email" and seeded.mail is not None and t in seeded.mailboxes:
            task = asyncio.create_task(seeded.mail.write(name, _email(name), seeded.mailboxes[t]))
            chats.add(task)
            task.add_done_callback(chats.discard)
            continue
        queue_id, skills = rng.choice(seeded.queues[t])
        body = {
            "queue_id": queue_id,
            "channel": channel,
            "skills": dict.fromkeys(skills, 3),
            "subject": "Question from the demo",
            "customer": {
                "name": name,
                "email": _email(name),
                "external_id": f"demo-{name.split()[0].lower()}",
            },
        }
        await client.post(
            f"/api/v1/tenants/{t}/contacts",
            json=body,
            headers={"Authorization": f"Bearer {seeded.tokens[t]}"},
        )


def _email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@example.com"


async def _chat_customer(
    client: httpx.AsyncClient, seeded: Seeded, tenant_id: str, name: str, rng: random.Random
) -> None:
    """Starts a chat in the widget, writes while an agent answers, then rates the chat."""
    key, topics = seeded.widgets[tenant_id]
    base = f"/api/v1/chat/{key}"
    started = await client.post(
        f"{base}/chats",
        json={
            "name": name,
            "email": _email(name),
            "topic_id": rng.choice(topics),
            "message": rng.choice(QUESTIONS),
        },
    )
    if started.status_code != 201:
        return
    chat = started.json()
    chat_url = f"{base}/chats/{chat['chat_id']}"
    headers = {"Authorization": f"Bearer {chat['token']}"}
    sent = 0
    for _ in range(120):  # about four minutes at most
        await asyncio.sleep(2)
        state = await client.get(chat_url, headers=headers)
        if state.status_code != 200:
            return
        status = state.json()["status"]
        if status == "ended":
            break
        if status == "connected" and sent < 2 and rng.random() < 0.15:
            sent += 1
            await client.post(
                f"{chat_url}/messages",
                headers=headers,
                json={"client_message_id": f"demo-{sent}", "text": rng.choice(FOLLOW_UPS)},
            )
    else:
        await client.post(f"{chat_url}/end", headers=headers)
    if rng.random() < 0.6:
        await client.post(
            f"{chat_url}/survey",
            headers=headers,
            json={"rating": rng.choice([5, 5, 4, 4, 3, 2]), "comment": "Demo customer"},
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
            frame = json.loads(raw)  # one message, or several in an array (docs/live.md)
            for message in frame if isinstance(frame, list) else [frame]:
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
    is_chat = (await client.get(f"{base}/chats/{contact}", headers=headers)).status_code == 200
    is_mail = not is_chat and (
        (await client.get(f"{base}/contacts/{contact}/mail", headers=headers)).status_code == 200
    )
    if is_mail and rng.random() < 0.8:  # most e-mails get an answer before the wrap-up
        await asyncio.sleep(rng.uniform(2, 8))
        await client.post(
            f"{base}/contacts/{contact}/mail/replies",
            headers=headers,
            json={"text": rng.choice(MAIL_REPLIES), "client_id": f"demo-{contact}"},
        )
    if is_chat:  # answer in the chat, a few messages apart
        for n, text in enumerate(rng.sample(ANSWERS, k=rng.randint(1, len(ANSWERS)))):
            await asyncio.sleep(rng.uniform(1, 3) if n == 0 else rng.uniform(4, 12))
            await client.post(
                f"{base}/chats/{contact}/messages",
                headers=headers,
                json={"client_message_id": f"demo-{n}", "text": text},
            )
    await asyncio.sleep(rng.uniform(5, 20) if is_chat else rng.uniform(15, 60))
    await client.post(f"{base}/contacts/{contact}/end", headers=headers)
    await asyncio.sleep(rng.uniform(3, 10))
    await client.post(
        f"{base}/contacts/{contact}/wrap-up",
        headers=headers,
        json={"disposition": rng.choice(dispositions), "notes": "Demo call"},
    )
