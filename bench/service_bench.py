"""The whole service: a contact created over HTTP until its offer reaches the agent's stream.

The service runs as it does in production, in its own process (uvicorn with uvloop and
httptools), on SQLite or on a real PostgreSQL. This process is the load: 1,000 agents signed
in, available, each with its live stream open; a CRM creates contacts with
`POST /api/v1/tenants/{t}/contacts` at a fixed rate (open loop: a late answer does not delay the
next contact). Latency is the time from sending the POST until the `routing.contact_offered`
event arrives on the stream of the agent it offers the contact to. To free capacity each agent
accepts and ends its contact at once with commands on its live stream, as the agent desktop
does (the queue has no wrap-up time). The saturation run raises the rate step by step until p99
passes 100 ms, a contact fails or the service falls behind the rate; the sustained rate is the
last step it kept up with.

Both processes share the machine's cores, so the figures include the load generator's cost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
import uvloop
from websockets.asyncio.client import ClientConnection, connect

from headset.access.passwords import FAST_FOR_TESTS
from headset.storage.database import make_engine
from headset.storage.migrate import upgrade
from headset.storage.tables import user_tenants, users

FLOOR_RATE = 200.0
FLOOR_P99_MS = 25.0
FLOOR_AGENTS = 1_000
SATURATION_P99_MS = 100.0
SATURATION_RATES = (25.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 600.0, 800.0)

TENANT = "bench"
QUEUE = "bench-chat"
ADMIN_PASSWORD = "correct horse battery"
AGENT_PASSWORD = "sunny-meadow-42"
SESSION_COOKIE = "headset_session"
KEEP_ALIVE_S = 3.0  # uvicorn closes a keep-alive connection idle for 5 s

_SERVER = """
import sys
import uvicorn
from headset.access.passwords import FAST_FOR_TESTS
from headset.api.app import create_app
from headset.config import Settings

settings = Settings(
    database_url=sys.argv[1],
    secret_key="k" * 32,
    is_secret_generated=False,
    sign_ins_per_minute=1_000_000,  # every simulated agent signs in from this machine
)
uvicorn.run(
    create_app(settings, passwords=FAST_FOR_TESTS),
    host="127.0.0.1",
    port=int(sys.argv[2]),
    log_level="warning",
    loop="uvloop",
    http="httptools",
    ws_per_message_deflate=False,
)
"""


# the service in its own process ----------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _prepare(url: str) -> None:
    """Migrates `url` and adds the administrator who sets the center up."""
    upgrade(url)
    db = make_engine(url)
    with db.begin() as conn:
        conn.execute(
            sa.insert(users).values(
                user_id="u_admin",
                username="admin",
                display_name="Admin",
                role="admin",
                password_hash=FAST_FOR_TESTS.hash(ADMIN_PASSWORD),
                created_at=datetime.now(UTC),
            )
        )
    db.dispose()


@contextlib.contextmanager
def _service(url: str) -> Iterator[tuple[str, int]]:
    """Runs the service on `url` in a child process; yields its base URL and process id."""
    port = _free_port()
    child = subprocess.Popen([sys.executable, "-c", _SERVER, url, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if child.poll() is not None:
                raise RuntimeError(f"the service exited with {child.returncode}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the service did not start within 60 s")
            time.sleep(0.1)
        yield base, child.pid
    finally:
        child.terminate()
        try:
            child.wait(15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


@contextlib.contextmanager
def _sqlite_url() -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="headset-bench-"))
    try:
        yield f"sqlite:///{folder / 'headset.db'}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _postgres_url() -> Iterator[str]:
    """A throw-away PostgreSQL cluster with the default (durable) settings."""
    from tests.postgres_server import PostgresServer  # imports pytest: only when needed

    class DurablePostgres(PostgresServer):
        # PostgresServer.start turns fsync, synchronous_commit and full_page_writes off for
        # the tests; the benchmark measures what production runs: PostgreSQL's defaults.
        def start(self) -> None:
            if os.geteuid() == 0:
                shutil.chown(self.root, "postgres", "postgres")
            self._run("initdb", "-D", str(self.data_dir), "-A", "trust", "-U", "postgres",
                      "-E", "UTF8", "--locale=C")  # fmt: skip
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                f"-c unix_socket_directories={self.root} -c max_connections=200"
            )
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-l", str(self.log_file),
                          "-o", options, "-w", "-t", "60", "start")  # fmt: skip
                self._wait_until_ready()
            except Exception as error:
                raise RuntimeError(f"PostgreSQL did not start:\n{self.log()}") from error

    server = DurablePostgres()
    try:
        server.start()
        yield server.create_database(migrated=False)
    finally:
        server.stop()


# a lean HTTP client -----------------------------------------------------------------------
@dataclass
class _Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class _Http:
    """Keep-alive HTTP/1.1 over asyncio streams, just enough for the service's JSON answers.

    httpx spends about a millisecond of CPU per request; at 600 requests/s the load generator,
    not the service, was the bottleneck (and its delay was counted as the service's latency).
    """

    def __init__(self, base: str) -> None:
        address = base.removeprefix("http://")
        self.host, port = address.rsplit(":", 1)
        self.port = int(port)
        self.address = address
        # last used first: the stale ones sink to the bottom and are closed on the way
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []

    async def request(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> _Response:
        payload = b"" if body is None else json.dumps(body).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.address}"]
        lines.append(f"Content-Length: {len(payload)}")
        if body is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        data = ("\r\n".join(lines) + "\r\n\r\n").encode() + payload
        now = time.monotonic()
        while self.idle and now - self.idle[-1][2] > KEEP_ALIVE_S:
            self.idle.pop()[1].close()  # the service will close it soon: do not race it
        if self.idle:
            reader, writer, _ = self.idle.pop()
        else:
            reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(data)
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
            status = int(head[0].split(" ", 2)[1])
            fields = [
                (k.strip().lower(), v.strip())
                for k, _, v in (line.partition(":") for line in head[1:] if line)
            ]
            size = next((int(v) for k, v in fields if k == "content-length"), 0)
            if any(k == "transfer-encoding" for k, _ in fields):
                raise OSError("chunked answers are not supported by this client")
            content = await reader.readexactly(size) if size else b""
        except BaseException:
            writer.close()
            raise
        if any(k == "connection" and v.lower() == "close" for k, v in fields):
            writer.close()
        else:
            self.idle.append((reader, writer, time.monotonic()))
        return _Response(status, fields, content)

    def close(self) -> None:
        for _, writer, _ in self.idle:
            writer.close()
        self.idle.clear()


# the agents ------------------------------------------------------------------------------
@dataclass
class _Agent:
    agent_id: str
    user_id: str
    cookie: str = ""
    csrf: str = ""
    socket: ClientConnection | None = None


@dataclass
class _Run:
    """What one load phase saw; times are time.perf_counter() seconds."""

    sent: dict[str, float] = field(default_factory=dict)  # contact_id -> POST sent
    offered: dict[str, float] = field(default_factory=dict)  # contact_id -> offer received
    lag: list[float] = field(default_factory=list)  # how late each POST left, vs its schedule
    errors: list[str] = field(default_factory=list)
    handled: int = 0


class _Center:
    """One tenant, one chat queue without wrap-up, `agents` agents signed in with streams."""

    def __init__(self, base: str, url: str, agents: int) -> None:
        self.base = base
        self.url = url
        self.ws_base = base.replace("http://", "ws://", 1)
        self.agents = [_Agent(f"a{n:04d}", f"u_bench_{n:04d}") for n in range(agents)]
        self.by_id = {a.agent_id: a for a in self.agents}
        self.http = _Http(base)
        self.admin: dict[str, str] = {}
        self.bearer: dict[str, str] = {}
        self.run: _Run | None = None
        self.tasks: set[asyncio.Task[None]] = set()
        self.readers: list[asyncio.Task[None]] = []

    # set-up ---------------------------------------------------------------------------
    async def setup(self) -> None:
        admin = await self._login("admin", ADMIN_PASSWORD)
        self.admin = {"Cookie": admin[0], "X-CSRF-Token": admin[1]}
        await self._call("POST", "/api/v1/tenants", {"tenant_id": TENANT, "name": "Bench"})
        queue = {
            "queue_id": QUEUE,
            "name": "Chat",
            "wrap_up_seconds": 0,
            "ring_timeout_seconds": 60,
        }
        await self._call("PUT", f"/api/v1/tenants/{TENANT}/queues/{QUEUE}", queue)
        token = await self._call(
            "POST", f"/api/v1/tenants/{TENANT}/tokens", {"name": "crm", "role": "manager"}
        )
        self.bearer = {"Authorization": f"Bearer {token['token']}"}
        self._insert_users()  # 1,000 users through the API only add minutes of set-up
        await self._each(self._register)
        await self._each(self._sign_in)
        await self._each(self._open_stream)

    def _insert_users(self) -> None:
        password_hash = FAST_FOR_TESTS.hash(AGENT_PASSWORD)
        now = datetime.now(UTC)
        db = make_engine(self.url)
        with db.begin() as conn:
            conn.execute(
                sa.insert(users),
                [
                    {
                        "user_id": a.user_id,
                        "username": a.agent_id,
                        "display_name": f"Agent {a.agent_id}",
                        "role": "agent",
                        "password_hash": password_hash,
                        "created_at": now,
                    }
                    for a in self.agents
                ],
            )
            conn.execute(
                sa.insert(user_tenants),
                [{"user_id": a.user_id, "tenant_id": TENANT} for a in self.agents],
            )
        db.dispose()

    async def _each(self, step: Any, parallel: int = 16) -> None:
        gate = asyncio.Semaphore(parallel)

        async def one(agent: _Agent) -> None:
            async with gate:
                await step(agent)

        await asyncio.gather(*(one(a) for a in self.agents))

    async def _register(self, agent: _Agent) -> None:
        body = {
            "agent_id": agent.agent_id,
            "display_name": f"Agent {agent.agent_id}",
            "user_id": agent.user_id,
            "queues": [{"queue_id": QUEUE}],
        }
        await self._call("PUT", f"/api/v1/tenants/{TENANT}/agents/{agent.agent_id}", body)

    async def _sign_in(self, agent: _Agent) -> None:
        agent.cookie, agent.csrf = await self._login(agent.agent_id, AGENT_PASSWORD)
        await self._call(
            "POST",
            f"/api/v1/tenants/{TENANT}/agents/{agent.agent_id}/state",
            {"state": "available"},
            headers={"Cookie": agent.cookie, "X-CSRF-Token": agent.csrf},
        )

    async def _open_stream(self, agent: _Agent) -> None:
        agent.socket = await connect(
            f"{self.ws_base}/api/v1/live",
            additional_headers={"Cookie": agent.cookie},
            max_queue=None,
            ping_interval=None,
        )
        first = json.loads(await agent.socket.recv())
        if first["type"] != "snapshot":
            raise RuntimeError(f"the stream of {agent.agent_id} began with {first['type']}")
        self.readers.append(asyncio.create_task(self._read(agent, agent.socket)))

    async def _login(self, username: str, password: str) -> tuple[str, str]:
        r = await self.http.request(
            "POST", "/api/v1/auth/login", {"username": username, "password": password}
        )
        if r.status != 200:
            raise RuntimeError(f"login of {username}: {r.status} {r.body[:200]!r}")
        cookie = next(v for k, v in r.headers if k == "set-cookie" and v.startswith(SESSION_COOKIE))
        return cookie.split(";", 1)[0], r.json()["csrf_token"]

    async def _call(
        self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        r = await self.http.request(method, path, body, headers or self.admin)
        if r.status >= 300:
            raise RuntimeError(f"{method} {path}: {r.status} {r.body[:300]!r}")
        return r.json() if r.body else None

    # the load -------------------------------------------------------------------------
    async def _read(self, agent: _Agent, ws: ClientConnection) -> None:
        clock = time.perf_counter
        with contextlib.suppress(Exception):
            async for raw in ws:
                now = clock()
                frame = json.loads(raw)
                for message in frame if isinstance(frame, list) else [frame]:
                    await self._on_message(agent, ws, message, now)

    async def _on_message(
        self, agent: _Agent, ws: ClientConnection, message: dict[str, Any], now: float
    ) -> None:
        run = self.run
        if message.get("type") == "reply":
            if run is not None:
                if not message["ok"]:
                    run.errors.append(f"{message['id']} {message['status']}")
                elif message["id"].startswith("end:"):
                    run.handled += 1
            return
        if message.get("event") != "routing.contact_offered":
            return
        data = message["data"]
        if data["agent_id"] != agent.agent_id or run is None:
            return
        run.offered.setdefault(data["contact_id"], now)
        # the desktop's way: accept and end over the live stream, in order
        contact_id = data["contact_id"]
        await ws.send(
            json.dumps(
                {
                    "type": "command",
                    "id": f"accept:{contact_id}",
                    "command": "accept",
                    "offer_id": data["offer_id"],
                }
            )
        )
        await ws.send(
            json.dumps(
                {
                    "type": "command",
                    "id": f"end:{contact_id}",
                    "command": "end",
                    "contact_id": contact_id,
                }
            )
        )

    def _spawn(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _create(self, run: _Run, due: float) -> None:
        body = {"queue_id": QUEUE, "subject": "bench"}
        sent = time.perf_counter()
        run.lag.append(sent - due)
        try:
            r = await self.http.request(
                "POST", f"/api/v1/tenants/{TENANT}/contacts", body, self.bearer
            )
        except (OSError, asyncio.IncompleteReadError) as error:
            run.errors.append(f"create: {error!r}")
            return
        if r.status != 201:
            run.errors.append(f"create {r.status} {r.body[:100]!r}")
            return
        run.sent[r.json()["contact_id"]] = sent

    async def load(self, rate: float, seconds: float, drain: float = 30.0) -> _Run:
        """Creates contacts at `rate` per second for `seconds`; waits for their offers."""
        run = self.run = _Run()
        count = max(1, round(rate * seconds))
        start = time.perf_counter() + 0.05
        for n in range(count):
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            self._spawn(self._create(run, due))
        deadline = time.perf_counter() + drain
        while time.perf_counter() < deadline:
            created = len(run.sent) + len(run.errors) >= count
            done = created and run.sent.keys() <= run.offered.keys()
            if done and run.handled + len(run.errors) >= len(run.offered):
                break
            await asyncio.sleep(0.02)
        while self.tasks and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)
        self.run = None
        settle = time.perf_counter() + 120  # a backlog must not spill into the next phase
        while self.tasks and time.perf_counter() < settle:
            await asyncio.sleep(0.05)
        return run

    async def close(self) -> None:
        for reader in self.readers:
            reader.cancel()
        for agent in self.agents:
            if agent.socket is not None:
                with contextlib.suppress(Exception):
                    await agent.socket.close()
        self.http.close()


# figures ---------------------------------------------------------------------------------
def _percentile(ordered: list[float], share: float) -> float:
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)] * 1e3 if ordered else 0.0


def _figures(run: _Run, rate: float, seconds: float) -> dict[str, Any]:
    latencies = sorted(run.offered[c] - t for c, t in run.sent.items() if c in run.offered)
    missing = [c for c in run.sent if c not in run.offered]
    first = min(run.sent.values(), default=0.0)
    last_offer = max((run.offered[c] for c in run.sent if c in run.offered), default=first)
    lag = sorted(run.lag)
    return {
        "rate": rate,
        "seconds": seconds,
        "contacts": len(run.sent),
        "offers": len(latencies),
        "missing_offers": len(missing),
        "handled": run.handled,
        "errors": len(run.errors),
        "error_samples": sorted(set(run.errors))[:5],
        "p50_ms": _percentile(latencies, 0.50),
        "p99_ms": _percentile(latencies, 0.99),
        "max_ms": latencies[-1] * 1e3 if latencies else 0.0,
        "contacts_per_s": len(latencies) / (last_offer - first) if last_offer > first else 0.0,
        "send_lag_p99_ms": _percentile(lag, 0.99),
    }


def _kept_up(figures: dict[str, Any]) -> bool:
    return (
        figures["errors"] == 0
        and figures["missing_offers"] == 0
        and figures["p99_ms"] <= SATURATION_P99_MS
        and figures["contacts_per_s"] >= 0.95 * figures["rate"]
    )


@contextlib.asynccontextmanager
async def _center(base: str, url: str, agents: int) -> AsyncIterator[_Center]:
    center = _Center(base, url, agents)
    try:
        await center.setup()
        yield center
    finally:
        await center.close()


def _cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    usage = os.times()
    return usage.user + usage.system


async def _measure(
    base: str,
    pid: int,
    url: str,
    agents: int,
    rate: float,
    seconds: float,
    warm_up: float,
    saturation: tuple[float, ...],
    step_seconds: float,
) -> dict[str, Any]:
    t0 = time.perf_counter()
    async with _center(base, url, agents) as center:
        setup_s = time.perf_counter() - t0
        if warm_up > 0:
            await center.load(rate, warm_up)
        before = await _offer_buckets(center)
        cpu_before = _cpu_seconds(pid), _own_cpu_seconds()
        steady = _figures(await center.load(rate, seconds), rate, seconds)
        service_cpu = _cpu_seconds(pid) - cpu_before[0]
        load_cpu = _own_cpu_seconds() - cpu_before[1]
        created = max(steady["contacts"], 1)
        steady["service_cpu_ms_per_contact"] = 1e3 * service_cpu / created
        steady["load_cpu_ms_per_contact"] = 1e3 * load_cpu / created
        steady["service_p50_ms"], steady["service_p99_ms"] = _quantiles(
            before, await _offer_buckets(center)
        )
        steps = []
        for step_rate in saturation:
            figures = _figures(await center.load(step_rate, step_seconds), step_rate, step_seconds)
            steps.append(figures)
            if not _kept_up(figures):
                break
    kept = [s for s in steps if _kept_up(s)]
    return {
        "agents": agents,
        "setup_s": setup_s,
        "steady": steady,
        "saturation": steps,
        "sustained_contacts_per_s": max((s["contacts_per_s"] for s in kept), default=None),
    }


async def _offer_buckets(center: Any) -> dict[float, float]:
    """The service's own histogram of request → offer published, from /metrics."""
    response = await center.http.request("GET", "/metrics", None, {})
    buckets: dict[float, float] = {}
    for line in response.body.decode().splitlines():
        if line.startswith("headset_contact_offer_seconds_bucket{"):
            bound = line.split('le="', 1)[1].split('"', 1)[0]
            buckets[float("inf") if bound == "+Inf" else float(bound)] = float(line.split()[-1])
    return buckets


def _quantiles(before: dict[float, float], after: dict[float, float]) -> tuple[float, float]:
    """p50 and p99 in ms (the upper bound of the bucket that holds them) over a run."""
    counts = sorted((bound, after[bound] - before.get(bound, 0.0)) for bound in after)
    total = counts[-1][1] if counts else 0.0

    def upper(share: float) -> float:
        for bound, cumulative in counts:
            if total and cumulative >= share * total:
                return bound * 1000
        return float("nan")

    return upper(0.5), upper(0.99)


def measure(
    database: str = "sqlite",
    agents: int = FLOOR_AGENTS,
    rate: float = FLOOR_RATE,
    seconds: float = 20.0,
    warm_up: float = 3.0,
    saturation: tuple[float, ...] = SATURATION_RATES,
    step_seconds: float = 5.0,
) -> dict[str, Any]:
    """One database ("sqlite" or "postgresql"): a steady run at `rate`, then the saturation."""
    place = _sqlite_url() if database == "sqlite" else _postgres_url()
    with place as url:
        _prepare(url)
        with (
            _service(url) as (base, pid),
            asyncio.Runner(loop_factory=uvloop.new_event_loop) as loop,
        ):
            figures = loop.run(
                _measure(base, pid, url, agents, rate, seconds, warm_up, saturation, step_seconds)
            )
    return {"database": database, **figures}


def run(databases: tuple[str, ...] = ("sqlite", "postgresql"), **sizes: Any) -> dict[str, Any]:
    """Every database at the floor's size (1,000 agents, 200 contacts/s)."""
    return {"databases": [measure(d, **sizes) for d in databases]}


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "## The service end to end",
        "",
        "The service in its own process (uvicorn, uvloop, httptools); the load from a second "
        "process on the same machine: agents signed in and available, each with its live "
        "stream open, and contacts created with `POST /api/v1/tenants/{t}/contacts` at a "
        "fixed rate (open loop). Latency: from sending the POST until the "
        "`routing.contact_offered` event arrives on the agent's stream. Each agent accepts and "
        "ends its contact at once with commands on its live stream, as the agent desktop does. "
        "The "
        "saturation run raises the rate in steps until p99 passes "
        f"{SATURATION_P99_MS:.0f} ms, a contact fails or the service falls behind; sustained "
        "contacts/s is the last step it kept up with. PostgreSQL runs with its default, "
        f"durable settings. Floor on SQLite: p99 ≤ {FLOOR_P99_MS:.0f} ms at "
        f"{FLOOR_RATE:.0f} contacts/s with {FLOOR_AGENTS:,} agents connected.",
        "",
        "The service's own share (p50 / p99 in the service) is its histogram "
        "`headset_contact_offer_seconds` over the steady run: from the request reaching the "
        "route until the offer is handed to the live stream, to the bucket's upper bound. The "
        "rest of the end-to-end time is the two processes' event loops and the network stack.",
        "CPU ms per contact: the service process's user + system CPU time over the steady run "
        "(all its threads, the agents' accept and end commands included) ÷ contacts created.",
        "",
        "| database | agents | rate /s | contacts | p50 ms | p99 ms | max ms | p50 / p99 in the "
        "service, ms | CPU ms per contact | achieved /s | errors | sustained contacts/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    nan = float("nan")
    for r in results["databases"]:
        s = r["steady"]
        sustained = r["sustained_contacts_per_s"]
        lines.append(
            f"| {r['database']} | {r['agents']:,} | {s['rate']:.0f} | {s['contacts']:,} | "
            f"{s['p50_ms']:.1f} | {s['p99_ms']:.1f} | {s['max_ms']:.0f} | "
            f"≤ {s.get('service_p50_ms', nan):g} / ≤ {s.get('service_p99_ms', nan):g} | "
            f"{s.get('service_cpu_ms_per_contact', nan):.2f} | {s['contacts_per_s']:.0f} | "
            f"{s['errors'] + s['missing_offers']} | "
            f"{'-' if sustained is None else f'{sustained:.0f}'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.service_bench")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--agents", type=int, default=FLOOR_AGENTS)
    parser.add_argument("--rate", type=float, default=FLOOR_RATE)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warm-up", type=float, default=3.0)
    parser.add_argument("--no-saturation", action="store_true")
    args = parser.parse_args()
    found = measure(
        args.database,
        agents=args.agents,
        rate=args.rate,
        seconds=args.seconds,
        warm_up=args.warm_up,
        saturation=() if args.no_saturation else SATURATION_RATES,
    )
    print(json.dumps(found, indent=2))
    print(markdown({"databases": [found]}))
