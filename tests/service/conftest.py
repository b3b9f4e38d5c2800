"""A real, served Headset with two seeded tenants: one user per role, agents, a token each."""

from __future__ import annotations

import json
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI
from websockets.sync.client import ClientConnection, connect

from headset.access.passwords import FAST_FOR_TESTS
from headset.api.app import create_app
from headset.bootstrap import Services
from headset.config import Settings
from headset.storage.database import make_engine
from headset.storage.migrate import upgrade
from headset.storage.tables import users

ADMIN_USER = "admin"
ADMIN_PASSWORD = "correct horse battery"
ROLES = ("manager", "supervisor", "team_leader", "qa", "agent")
SECRET = "x" * 32


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed_admin(database_url: str) -> None:
    """The first admin cannot be created over the API: it goes straight into the database."""
    upgrade(database_url)
    db = make_engine(database_url)
    with db.begin() as conn:
        conn.execute(
            sa.insert(users).values(
                user_id="u_admin",
                username=ADMIN_USER,
                display_name="Admin",
                role="admin",
                password_hash=FAST_FOR_TESTS.hash(ADMIN_PASSWORD),
                created_at=datetime.now(UTC),
            )
        )
    db.dispose()


class SkewClock:
    """The system clock plus an offset tests can move forward (for back-off waits)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


def served_requiring_totp_for_managers(tmp_path: Path) -> Served:
    """A service on a new SQLite database where managers must use two-factor sign-in."""
    url = f"sqlite:///{tmp_path / 'h.db'}"
    seed_admin(url)
    settings = Settings(
        database_url=url,
        secret_key="k" * 32,
        is_secret_generated=False,
        require_totp_roles=frozenset({"manager"}),
    )
    return Served(create_app(settings, passwords=FAST_FOR_TESTS))


class Served:
    """Serves `app` with uvicorn in a daemon thread: one event loop, many real clients."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self.port = free_port()
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            # a live stream whose client left may sit until its next heartbeat (15 s)
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.02)
        self.url = f"http://127.0.0.1:{self.port}"
        self.ws_url = f"ws://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(15)


def login(base_url: str, username: str, password: str) -> httpx.Client:
    """A client with its own cookie jar, signed in, sending its CSRF token on every request."""
    client = httpx.Client(base_url=base_url, timeout=10)
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def bearer(base_url: str, token: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=10, headers={"Authorization": f"Bearer {token}"})


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.url}: {response.status_code} {response.text}"
    )
    return response.json() if response.content else None


def live(ws_url: str, client: httpx.Client, after: int | None = None) -> ClientConnection:
    query = "" if after is None else f"?after={after}"
    cookie = "headset_session=" + client.cookies["headset_session"]
    return connect(
        f"{ws_url}/api/v1/live{query}", additional_headers={"Cookie": cookie}, open_timeout=10
    )


#: Messages received in one frame (a JSON array) and not read yet, per connection. Weakly
#: keyed by the connection itself: keyed by id(), a new connection could inherit a closed
#: one's leftovers when Python reuses the address.
_PENDING: weakref.WeakKeyDictionary[ClientConnection, list[dict[str, Any]]] = (
    weakref.WeakKeyDictionary()
)


def recv_json(ws: ClientConnection, timeout: float = 5) -> dict[str, Any]:
    """The next live message; a frame may carry several, as a JSON array in order."""
    pending = _PENDING.setdefault(ws, [])
    if not pending:
        frame = json.loads(ws.recv(timeout=timeout))
        pending.extend(frame if isinstance(frame, list) else [frame])
    message = pending.pop(0)
    assert isinstance(message, dict)
    return message


def next_event(ws: ClientConnection, event: str, timeout: float = 5) -> dict[str, Any]:
    """Skips other messages until `event` arrives."""
    deadline = time.monotonic() + timeout
    while True:
        message = recv_json(ws, max(0.05, deadline - time.monotonic()))
        if message["type"] == "event" and message["event"] == event:
            return message


@dataclass
class Tenant:
    tenant_id: str
    queue_id: str
    skill_id: str
    team_id: str
    #: role -> (username, password, user_id)
    users: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: role -> agent_id (agent and team_leader)
    agents: dict[str, str] = field(default_factory=dict)
    token: str = ""
    token_id: str = ""


@dataclass
class Center:
    """A served app with tenants `alpha` and `beta`, each fully staffed."""

    served: Served
    admin: httpx.Client
    tenants: dict[str, Tenant]
    clock: SkewClock
    clients: list[httpx.Client] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.served.url

    @property
    def ws_url(self) -> str:
        return self.served.ws_url

    @property
    def app(self) -> FastAPI:
        return self.served.app

    @property
    def services(self) -> Services:
        """The process's services, as the composition root (bootstrap.py) built them."""
        services: Services = self.served.app.state.runtime
        return services

    def as_user(self, tenant_id: str, role: str) -> httpx.Client:
        username, password, _ = self.tenants[tenant_id].users[role]
        client = login(self.url, username, password)
        self.clients.append(client)
        return client

    def as_token(self, tenant_id: str, token: str | None = None) -> httpx.Client:
        client = bearer(self.url, token or self.tenants[tenant_id].token)
        self.clients.append(client)
        return client

    def close(self) -> None:
        for client in self.clients:
            client.close()
        self.admin.close()


def seed_tenant(admin: httpx.Client, tenant_id: str) -> Tenant:
    t = Tenant(tenant_id, f"{tenant_id}-sales", f"{tenant_id}-french", f"{tenant_id}-team")
    base = f"/api/v1/tenants/{tenant_id}"
    ok(admin.post("/api/v1/tenants", json={"tenant_id": tenant_id, "name": tenant_id}), 201)
    ok(admin.put(f"{base}/skills/{t.skill_id}", json={"skill_id": t.skill_id, "name": "French"}))
    ok(admin.put(f"{base}/queues/{t.queue_id}", json={"queue_id": t.queue_id, "name": "Sales"}))
    for role in ROLES:
        username = f"{tenant_id}-{role}"
        password = f"pw-{role}-{tenant_id[::-1]}-2026"
        body = {"username": username, "display_name": username, "role": role, "password": password}
        user = ok(admin.post(f"{base}/users", json=body), 201)
        t.users[role] = (username, password, user["user_id"])
    leader = t.users["team_leader"][2]
    team = {"team_id": t.team_id, "name": "Team", "leader_user_id": leader}
    ok(admin.put(f"{base}/teams/{t.team_id}", json=team))
    for role in ("agent", "team_leader"):
        agent_id = f"{tenant_id}-{role.replace('_', '-')}"
        agent: dict[str, Any] = {
            "agent_id": agent_id,
            "display_name": agent_id,
            "user_id": t.users[role][2],
            "team_id": t.team_id,
            "is_team_leader": role == "team_leader",
            "skills": {t.skill_id: 5},
            "queues": [{"queue_id": t.queue_id}],
        }
        ok(admin.put(f"{base}/agents/{agent_id}", json=agent))
        t.agents[role] = agent_id
    token = ok(admin.post(f"{base}/tokens", json={"name": "crm", "role": "manager"}), 201)
    t.token, t.token_id = token["token"], token["token_id"]
    return t


def start_center(tmp: Path, **settings: Any) -> Center:
    # every test signs in from 127.0.0.1, many times a minute: the per-address limit of
    # sign-ins is tested on its own (tests/service/test_account_security.py)
    settings.setdefault("sign_ins_per_minute", 10_000)
    url = f"sqlite:///{tmp}/h.db"
    seed_admin(url)
    clock = SkewClock()
    app = create_app(
        Settings(database_url=url, secret_key=SECRET, is_secret_generated=False, **settings),
        clock=clock,
        passwords=FAST_FOR_TESTS,
    )
    served = Served(app)
    admin = login(served.url, ADMIN_USER, ADMIN_PASSWORD)
    tenants = {name: seed_tenant(admin, name) for name in ("alpha", "beta")}
    return Center(served, admin, tenants, clock)


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Center]:
    # the webhook test's receiver listens on this machine
    c = start_center(
        tmp_path_factory.mktemp("center"), max_body_bytes=2000, webhook_internal_targets=True
    )
    try:
        yield c
    finally:
        c.close()
        c.served.stop()
