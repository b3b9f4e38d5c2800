"""E-mail ingestion: messages parsed, threaded and routed per second.

`python -m bench.mail_bench` measures two things on SQLite in a temporary folder:

- parsing alone (`headset.mail.parsing.parse`) over a mix of plain messages, HTML messages
  with inline images and attachments, and bounces;
- ingestion end to end through the real engine host: each message parsed, checked for a
  duplicate, threaded (half are answers to earlier messages, by In-Reply-To), stored with
  its customer, thread and contact, and new conversations queued through the engine and
  connected to available agents (auto-answer) — the same `Ingest.deliver` the SMTP
  receiver and the IMAP watcher call, with `--concurrency` deliveries in flight as from
  parallel SMTP sessions.

Prints one JSON object (also to `--json PATH`). Not wired into `python -m bench` here.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from tests.mail.messages import dsn, plain, rich

from headset.access.rate_limits import Rate
from headset.core.clock import SystemClock
from headset.mail.parsing import parse
from headset.mailroom.ingest import Ingest
from headset.mailroom.limits import MailLimits, MailRates
from headset.mailroom.mailboxes import Mailbox
from headset.routing.commands import ConfigureQueue, RegisterAgent, SetAgentState
from headset.routing.model import AgentProfile, AgentState, Channel, Membership, QueueConfig
from headset.service.host import EngineHost
from headset.service.operations import Operation
from headset.storage.database import make_engine, read_only
from headset.storage.event_log import SqlEventLog
from headset.storage.migrate import upgrade
from headset.storage.tables import tenants

TENANT, QUEUE = "bench", "bench-mail"


def workload(count: int, distance: int) -> list[bytes]:
    """`count` messages: questions (even positions), answers to the question `distance`
    places earlier (odd positions; so it is committed before the answer is read), HTML
    messages with files, and bounces of earlier questions."""
    out: list[bytes] = []
    for n in range(count):
        parent = n - 1 - distance
        if n % 10 == 9:
            out.append(rich(f"<rich{n}@bench>"))
        elif n % 20 == 7:
            out.append(dsn(f"<n{max(parent, -1)}@bench>", message_id=f"<dsn{n}@bench>"))
        elif n % 2 == 1 and parent >= 0:
            out.append(
                plain(
                    f"Answer {n}",
                    sender=f"customer{parent}@example.com",
                    message_id=f"<n{n}@bench>",
                    subject="Re: Question",
                    In_Reply_To=f"<n{parent}@bench>",
                    References=f"<n{parent}@bench>",
                )
            )
        else:
            out.append(
                plain(
                    f"Question {n}", sender=f"customer{n}@example.com", message_id=f"<n{n}@bench>"
                )
            )
    return out


def measure_parsing(messages: list[bytes], repeats: int = 3) -> dict[str, Any]:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        for raw in messages:
            parse(raw)
        best = min(best, time.perf_counter() - started)
    return {"messages": len(messages), "seconds": round(best, 4),
            "messages_per_s": round(len(messages) / best, 1)}  # fmt: skip


async def measure_ingest(
    messages: list[bytes], concurrency: int, agents: int, folder: Path
) -> dict[str, Any]:
    url = f"sqlite:///{folder}/mail-bench.db"
    upgrade(url)
    db = make_engine(url)
    with db.begin() as conn:
        conn.execute(insert(tenants).values(tenant_id=TENANT, name="Bench",
                                            created_at=datetime.now(UTC)))  # fmt: skip
    host = EngineHost(db, SqlEventLog(db), SystemClock())
    host.boot()
    await host.start()
    setup = [ConfigureQueue(QueueConfig(QUEUE, tenant_id=TENANT))]
    for a in range(agents):
        # auto-answer: a routed e-mail is connected to its agent at once
        profile = AgentProfile(f"bench-agent-{a}", capacity={Channel.EMAIL: 2},
                               memberships=(Membership(QUEUE),), auto_answer=True)  # fmt: skip
        setup += [RegisterAgent(profile), SetAgentState(profile.agent_id, AgentState.AVAILABLE)]
    places = [(f"bench-agent-{a}", TENANT, None) for a in range(agents)]
    await host.submit(Operation(commands=setup, tenant_id=TENANT, agents=places))
    mailbox = Mailbox(
        TENANT, "bench", "support@bench.test", "Bench", QUEUE, "smtp", None, None, None, None,
        "INBOX", "none", None, None, None, None, "none", None, None, 25_000_000, True,
    )  # fmt: skip
    ingest = Ingest(host, read_only(db))
    # the workload's senders are not robots, and its flood is the point: no limit is met
    roomy = Rate(burst=len(messages), per_minute=60.0 * len(messages))
    ingest.limits = MailLimits(MailRates(roomy, roomy, roomy, roomy, roomy))
    outcomes: dict[str, int] = {}
    pending = iter(messages)
    latencies: list[float] = []

    async def worker() -> None:
        for raw in pending:
            started = time.perf_counter()
            delivery = await ingest.deliver(mailbox, raw)
            latencies.append(time.perf_counter() - started)
            outcomes[delivery.outcome] = outcomes.get(delivery.outcome, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    connected = sum(1 for c in host.engine.state.contacts.values() if c.agent_id is not None)
    await host.stop()
    db.dispose()
    latencies.sort()
    return {
        "messages": len(messages),
        "concurrency": concurrency,
        "agents": agents,
        "seconds": round(seconds, 3),
        "messages_per_s": round(len(messages) / seconds, 1),
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 2),
        "outcomes": outcomes,
        "contacts_connected": connected,
    }


def run(count: int = 2000, concurrency: int = 32, agents: int = 50) -> dict[str, Any]:
    messages = workload(count, 2 * concurrency)
    with tempfile.TemporaryDirectory(prefix="headset-mail-bench-") as folder:
        ingest = asyncio.run(measure_ingest(messages, concurrency, agents, Path(folder)))
    return {"parsing": measure_parsing(messages), "ingest_sqlite": ingest}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mail_bench")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    figures = run(args.messages, args.concurrency, args.agents)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def markdown(results: dict[str, Any]) -> str:
    parsing, ingest = results["parsing"], results["ingest_sqlite"]
    outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(ingest["outcomes"].items()))
    return "\n".join(
        [
            "## E-mail ingestion",
            "",
            f"{parsing['messages']:,} generated messages (plain and HTML, multipart with "
            "attachments, answers to earlier ones by headers and by the subject's reference). "
            "Parsing: MIME, charsets, HTML to safe text, attachment checks, threading keys "
            "(best of 3). Ingestion: parsed, threaded, stored and routed as e-mail contacts "
            f"through the engine host on SQLite, {ingest['concurrency']} deliveries in flight, "
            f"{ingest['agents']} auto-answering agents; latency per delivery until it is "
            "durable.",
            "",
            "| | messages/s | p50 ms | p99 ms |",
            "|---|---:|---:|---:|",
            f"| parsing | {parsing['messages_per_s']:,.0f} | | |",
            f"| ingestion (SQLite) | {ingest['messages_per_s']:,.0f} | {ingest['p50_ms']:.0f} | "
            f"{ingest['p99_ms']:.0f} |",
            "",
            f"Outcomes: {outcomes}.",
        ]
    )
