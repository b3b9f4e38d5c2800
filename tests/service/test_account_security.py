"""Accounts as a hostile tester attacked them (issue 12, findings 2, 5, 10, 12, 13, 14).

Shared users are the center's, changes to a user end their sessions and tokens, a team
leader moves only their teams' waiting contacts, sign-in answers tell nothing about who has
an account and are throttled per address, and API tokens expire, are recorded when used and
never make tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import httpx
import pytest

from headset.access import totp
from headset.access.passwords import FAST_FOR_TESTS
from headset.api.app import create_app
from headset.config import Settings
from tests.service.conftest import (
    ADMIN_PASSWORD,
    Center,
    Served,
    bearer,
    login,
    ok,
    seed_admin,
    served_requiring_totp_for_managers,
    start_center,
)

NEW_PASSWORD = "a-brand-new-Passphrase-71"


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Center]:
    # many sign-ins from one address in a minute: the per-address limit has its own test
    c = start_center(tmp_path_factory.mktemp("accounts"), sign_ins_per_minute=10_000)
    try:
        yield c
    finally:
        c.close()
        c.served.stop()


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body


def _new_user(center: Center, tenant_id: str, username: str, role: str = "agent") -> str:
    body = {
        "username": username,
        "display_name": username,
        "role": role,
        "password": _password(username),
    }
    made = ok(center.admin.post(f"/api/v1/tenants/{tenant_id}/users", json=body), 201)
    return str(made["user_id"])


def _password(username: str) -> str:
    return f"pw-{username[::-1]}-Kq82"


# finding 2: a user of several tenants is changed only by the center's admin -----------------
def test_a_tenants_manager_may_not_change_a_user_shared_with_another_tenant(
    center: Center,
) -> None:
    user_id = _new_user(center, "alpha", "shared-sup", "supervisor")
    ok(center.admin.post("/api/v1/tenants/beta/members", json={"username": "shared-sup"}), 201)
    manager = center.as_user("alpha", "manager")
    url = f"/api/v1/tenants/alpha/users/{user_id}"
    changes: list[dict[str, Any]] = [
        {"password": NEW_PASSWORD},
        {"role": "manager"},
        {"is_active": False},
        {"unlock": True},
        {"reset_totp": True},
        {"display_name": "Taken over"},
        {"email": "attacker@example.com"},
    ]
    for change in changes:
        refused = _problem(manager.patch(url, json=change), 403)
        assert refused["code"] == "shared_user", change
        assert "only the center's admin" in refused["detail"]
    # nothing changed: the user signs in with the old password and keeps the old role
    shared = login(center.url, "shared-sup", _password("shared-sup"))
    try:
        me = ok(shared.get("/api/v1/auth/me"))
        assert me["role"] == "supervisor"
        assert me["tenant_ids"] == ["alpha", "beta"]
        assert ok(shared.get("/api/v1/tenants/beta/customers")) is not None
    finally:
        shared.close()
    # ... and beta's manager is refused the same way
    beta_manager = center.as_user("beta", "manager")
    refused = _problem(
        beta_manager.patch(f"/api/v1/tenants/beta/users/{user_id}", json={"role": "qa"}), 403
    )
    assert refused["code"] == "shared_user"
    # the admin may, and a manager still changes the users only their tenant has
    assert ok(center.admin.patch(url, json={"display_name": "Shared Sue"}))["display_name"] == (
        "Shared Sue"
    )
    own = center.tenants["alpha"].users["qa"][2]
    ok(manager.patch(f"/api/v1/tenants/alpha/users/{own}", json={"display_name": "Quinn"}))


def test_a_user_becomes_the_managers_again_when_the_other_tenant_is_taken_away(
    center: Center,
) -> None:
    user_id = _new_user(center, "alpha", "once-shared", "qa")
    ok(center.admin.post("/api/v1/tenants/beta/members", json={"username": "once-shared"}), 201)
    manager = center.as_user("alpha", "manager")
    url = f"/api/v1/tenants/alpha/users/{user_id}"
    _problem(manager.patch(url, json={"display_name": "x"}), 403)
    ok(center.admin.delete(f"/api/v1/tenants/beta/members/{user_id}"), 204)
    assert ok(manager.patch(url, json={"display_name": "Olive"}))["display_name"] == "Olive"


# finding 10: a change to a user ends their sessions and the tokens they made ---------------
def _gone(client: httpx.Client) -> bool:
    return client.get("/api/v1/auth/me").status_code == 401


@pytest.mark.parametrize(
    "change",
    [
        {"password": NEW_PASSWORD},
        {"role": "qa"},
        {"is_active": False},
        {"reset_totp": True},
    ],
    ids=["password", "role", "disable", "second-factor-reset"],
)
def test_an_administrators_change_ends_the_users_sessions_and_tokens(
    center: Center, change: dict[str, Any]
) -> None:
    username = f"ended-{next(iter(change))}".replace("_", "-")
    user_id = _new_user(center, "alpha", username, "manager")
    first = login(center.url, username, _password(username))
    second = login(center.url, username, _password(username))
    made = ok(first.post("/api/v1/tenants/alpha/tokens", json={"name": "mine", "role": "qa"}), 201)
    token = bearer(center.url, made["token"])
    try:
        ok(token.get("/api/v1/tenants/alpha/queues"))
        ok(center.admin.patch(f"/api/v1/tenants/alpha/users/{user_id}", json=change))
        assert _gone(first)
        assert _gone(second)
        refused = _problem(token.get("/api/v1/tenants/alpha/queues"), 401)
        assert "revoked" in refused["detail"]
    finally:
        for client in (first, second, token):
            client.close()


def test_other_changes_keep_the_sessions(center: Center) -> None:
    user_id = _new_user(center, "alpha", "kept-sessions")
    client = login(center.url, "kept-sessions", _password("kept-sessions"))
    try:
        url = f"/api/v1/tenants/alpha/users/{user_id}"
        ok(center.admin.patch(url, json={"display_name": "Kept", "unlock": True, "role": "agent"}))
        assert not _gone(client)
    finally:
        client.close()


def test_changing_ones_own_password_ends_the_other_sessions_and_keeps_this_one(
    center: Center,
) -> None:
    _new_user(center, "alpha", "self-changer", "manager")
    password = _password("self-changer")
    here = login(center.url, "self-changer", password)
    elsewhere = login(center.url, "self-changer", password)
    made = ok(here.post("/api/v1/tenants/alpha/tokens", json={"name": "crm", "role": "qa"}), 201)
    try:
        weak = {"current_password": password, "new_password": "password123"}
        refused = _problem(here.post("/api/v1/auth/password", json=weak), 422)
        assert refused["code"] == "password_too_common"
        wrong = {"current_password": "not-my-password-1", "new_password": NEW_PASSWORD}
        refused = _problem(here.post("/api/v1/auth/password", json=wrong), 422)
        assert refused["errors"][0]["field"] == "current_password"
        again = _problem(here.post("/api/v1/auth/password", json=wrong), 429)  # counted
        assert "wait" in again["detail"]
        assert not _gone(elsewhere)  # refused changes change nothing
        center.clock.offset += timedelta(seconds=3)  # the wrong password's back-off
        change = {"current_password": password, "new_password": NEW_PASSWORD}
        ok(here.post("/api/v1/auth/password", json=change), 204)
        assert not _gone(here)
        assert _gone(elsewhere)
        token = bearer(center.url, made["token"])
        assert token.get("/api/v1/tenants/alpha/queues").status_code == 401
        token.close()
        old = httpx.post(
            f"{center.url}/api/v1/auth/login",
            json={"username": "self-changer", "password": password},
        )
        assert old.status_code == 401
        center.clock.offset += timedelta(seconds=3)  # that failure's back-off
        login(center.url, "self-changer", NEW_PASSWORD).close()
    finally:
        here.close()
        elsewhere.close()


def test_an_api_token_has_no_password_to_change(center: Center) -> None:
    token = center.as_token("alpha")
    body = {"current_password": "whatever-it-was", "new_password": NEW_PASSWORD}
    _problem(token.post("/api/v1/auth/password", json=body), 409)


# finding 12: a team leader moves only their teams' waiting contacts ------------------------
def _state(client: httpx.Client, agent_id: str, state: str) -> None:
    ok(client.post(f"/api/v1/tenants/alpha/agents/{agent_id}/state", json={"state": state}))


def test_a_team_leader_reassigns_only_their_teams_waiting_contacts(center: Center) -> None:
    t = center.tenants["alpha"]
    base = "/api/v1/tenants/alpha"
    ok(center.admin.put(f"{base}/teams/alpha-other", json={"team_id": "alpha-other", "name": "B"}))
    other = {
        "agent_id": "alpha-other-agent",
        "display_name": "Other",
        "team_id": "alpha-other",
        "skills": {t.skill_id: 5},
        "queues": [{"queue_id": t.queue_id}],
    }
    ok(center.admin.put(f"{base}/agents/alpha-other-agent", json=other))
    queue = {"queue_id": t.queue_id, "name": "Sales", "ring_timeout_seconds": 600}
    ok(center.admin.put(f"{base}/queues/{t.queue_id}", json=queue))
    supervisor = center.as_user("alpha", "supervisor")
    leader = center.as_user("alpha", "team_leader")
    for agent_id in ("alpha-other-agent", t.agents["agent"], t.agents["team_leader"]):
        _state(supervisor, agent_id, "offline")
    api = center.as_token("alpha")
    engine = center.app.state.runtime.host.engine.state
    contact = ok(api.post(f"{base}/contacts", json={"queue_id": t.queue_id}), 201)["contact_id"]
    move = f"{base}/contacts/{contact}/transfer"
    to_queue = {"queue_id": t.queue_id}

    # waiting in the queue only: the floor's, not a team's
    refused = _problem(leader.post(move, json=to_queue), 403)
    assert refused["code"] == "not_your_team"
    # ringing at an agent of another team
    _state(supervisor, "alpha-other-agent", "available")
    assert {o.agent_id for o in engine.contacts[contact].offers.values()} == {"alpha-other-agent"}
    _problem(leader.post(move, json=to_queue), 403)
    _problem(leader.post(move, json={"agent_id": t.agents["agent"]}), 403)
    # the supervisor (tenant scope) moves it to an agent of the leader's team ...
    ok(supervisor.post(move, json={"agent_id": t.agents["agent"]}))
    # ... and now it is the team's: its leader may move it on
    ok(leader.post(move, json=to_queue))
    _state(supervisor, "alpha-other-agent", "offline")  # waiting in the queue again
    _problem(leader.post(move, json=to_queue), 403)
    # ringing at an agent of the leader's team
    _state(supervisor, t.agents["agent"], "available")
    assert {o.agent_id for o in engine.contacts[contact].offers.values()} == {t.agents["agent"]}
    ok(leader.post(move, json={"agent_id": t.agents["agent"]}))
    _state(supervisor, t.agents["agent"], "offline")
    api.post(f"{base}/contacts/{contact}/abandon")


# finding 13: sign-in answers tell nothing about who has an account -------------------------
def _attempt(client: httpx.Client, username: str, password: str) -> tuple[int, str, int]:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    retry = int(response.headers.get("Retry-After", "0"))
    return response.status_code, response.json()["detail"], retry


def test_unknown_disabled_and_locked_accounts_answer_alike(center: Center) -> None:
    _new_user(center, "alpha", "lock-real")
    off = _new_user(center, "alpha", "lock-off")
    ok(center.admin.patch(f"/api/v1/tenants/alpha/users/{off}", json={"is_active": False}))
    names = {
        "lock-real": _password("lock-real"),  # an account: its right password, once locked
        "lock-off": _password("lock-off"),  # disabled: its right password all along
        "lock-none": _password("lock-none"),  # no account at all
    }
    client = httpx.Client(base_url=center.url)
    seen: dict[str, list[tuple[int, str, int]]] = {name: [] for name in names}
    try:
        for _ in range(5):
            for name in names:
                right = names[name] if name != "lock-real" else "wrong-password-66"
                seen[name].append(_attempt(client, name, right))
                seen[name].append(_attempt(client, name, "wrong-password-66"))  # backs off
            center.clock.offset += timedelta(seconds=31)
        for name in names:
            seen[name].append(_attempt(client, name, names[name]))  # locked: right or not
    finally:
        client.close()
    real, off_seen, none = seen["lock-real"], seen["lock-off"], seen["lock-none"]
    statuses = [status for status, _, _ in real]
    assert statuses == [401, 429] * 4 + [401, 429, 429]
    assert "ask an administrator to unlock" in real[-1][1]
    for other in (off_seen, none):
        assert [(s, d) for s, d, _ in other] == [(s, d) for s, d, _ in real]
        assert all(abs(a[2] - b[2]) <= 1 for a, b in zip(other, real, strict=True))
    assert real[0][1] == "wrong username or password"
    center.clock.offset += timedelta(minutes=16)  # the lock served, the account works again
    login(center.url, "lock-real", _password("lock-real")).close()


def test_a_second_attempt_on_a_name_being_checked_waits(center: Center) -> None:
    guard = center.app.state.runtime.sign_ins
    guard.checking.add("busy-name")
    try:
        response = httpx.post(
            f"{center.url}/api/v1/auth/login",
            json={"username": "busy-name", "password": "whatever-it-is"},
        )
    finally:
        guard.checking.discard("busy-name")
    refused = _problem(response, 429)
    assert refused["code"] == "sign_in_in_progress"
    assert response.headers["Retry-After"] == "1"


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[Served]:
    """A service allowing 3 sign-ins a minute per address."""
    url = f"sqlite:///{tmp_path / 'h.db'}"
    seed_admin(url)
    settings = Settings(
        database_url=url, secret_key="k" * 32, is_secret_generated=False, sign_ins_per_minute=3
    )
    served = Served(create_app(settings, passwords=FAST_FOR_TESTS))
    yield served
    served.stop()


def test_sign_ins_are_throttled_per_client_address(strict: Served) -> None:
    with httpx.Client(base_url=strict.url) as here:
        answers = [_attempt(here, f"guess-{i}", "wrong-password-66") for i in range(3)]
        assert [status for status, _, _ in answers] == [401, 401, 401]
        refused = here.post(
            "/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        )
        body = _problem(refused, 429)
        assert body["code"] == "rate_limited"
        assert body["params"] == {"limit": "sign-ins per address"}
        assert 1 <= int(refused.headers["Retry-After"]) <= 20
    # another address is not held up by this one's guesses
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(base_url=strict.url, transport=transport) as there:
        signed_in = there.post(
            "/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text


# finding 14: API tokens expire, are recorded when used, and never make tokens --------------
def test_a_token_expires_when_its_owner_chose(center: Center) -> None:
    manager = center.as_user("alpha", "manager")
    base = "/api/v1/tenants/alpha/tokens"
    default = ok(manager.post(base, json={"name": "default", "role": "qa"}), 201)
    lifetime = datetime.fromisoformat(default["expires_at"]) - datetime.fromisoformat(
        default["created_at"]
    )
    assert lifetime == timedelta(days=90)
    for days in (0, 366):
        _problem(manager.post(base, json={"name": "x", "role": "qa", "expires_in_days": days}), 422)
    short = ok(manager.post(base, json={"name": "day", "role": "qa", "expires_in_days": 1}), 201)
    client = bearer(center.url, short["token"])
    try:
        ok(client.get("/api/v1/tenants/alpha/queues"))
        center.clock.offset += timedelta(days=1, seconds=1)
        try:
            refused = _problem(client.get("/api/v1/tenants/alpha/queues"), 401)
            assert refused["code"] == "token_expired"
        finally:
            center.clock.offset -= timedelta(days=1, seconds=1)
    finally:
        client.close()
    listed = {t["token_id"]: t for t in ok(manager.get(base))}
    assert listed[short["token_id"]]["expires_at"] == short["expires_at"]


def test_a_tokens_use_is_recorded(center: Center) -> None:
    """Written in the background (tests/service/test_token_uses.py has the once a minute)."""
    runtime = center.app.state.runtime
    manager = center.as_user("alpha", "manager")
    made = ok(manager.post("/api/v1/tenants/alpha/tokens", json={"name": "u", "role": "qa"}), 201)
    assert _last_used(manager, made["token_id"]) is None
    client = bearer(center.url, made["token"])
    try:
        for _ in range(5):
            ok(client.get("/api/v1/tenants/alpha/queues"))
    finally:
        client.close()
    runtime.token_uses.flush(runtime.db)  # or the background task did already
    used = _last_used(manager, made["token_id"])
    assert used is not None
    assert used >= datetime.fromisoformat(made["created_at"])


def _last_used(manager: httpx.Client, token_id: str) -> datetime | None:
    rows = {t["token_id"]: t for t in ok(manager.get("/api/v1/tenants/alpha/tokens"))}
    value = rows[token_id]["last_used_at"]
    return None if value is None else datetime.fromisoformat(value)


def test_a_token_cannot_manage_tokens(center: Center) -> None:
    token = center.as_token("alpha")  # a manager token
    base = "/api/v1/tenants/alpha/tokens"
    minted = token.post(base, json={"name": "more", "role": "manager"})
    assert _problem(minted, 403)["code"] == "token_needs_session"
    assert _problem(token.get(base), 403)["code"] == "token_needs_session"
    own = center.tenants["alpha"].token_id
    assert _problem(token.delete(f"{base}/{own}"), 403)["code"] == "token_needs_session"


@pytest.fixture
def two_factor(tmp_path: Path) -> Iterator[Served]:
    """A service where managers must use two-factor sign-in."""
    served = served_requiring_totp_for_managers(tmp_path)
    yield served
    served.stop()


def _code(secret: str, at: datetime | None = None) -> str:
    return totp.code_at(secret, at or datetime.now(UTC))


def test_tokens_of_a_role_that_needs_two_factor_come_from_a_session_that_showed_a_code(
    two_factor: Served,
) -> None:
    admin = login(two_factor.url, "admin", ADMIN_PASSWORD)
    base = "/api/v1/tenants/acme/tokens"
    try:
        ok(admin.post("/api/v1/tenants", json={"tenant_id": "acme", "name": "Acme"}), 201)
        # the admin (not bound to two-factor) may make a QA token, not a manager token
        ok(admin.post(base, json={"name": "qa", "role": "qa"}), 201)
        refused = _problem(admin.post(base, json={"name": "m", "role": "manager"}), 403)
        assert refused["code"] == "second_factor_required"
        # with a code shown in this session (set-up), it may
        secret = ok(admin.post("/api/v1/auth/totp/setup"))["secret"]
        ok(admin.post("/api/v1/auth/totp/confirm", json={"code": _code(secret)}))
        ok(admin.post(base, json={"name": "m", "role": "manager"}), 201)
        user = {
            "username": "mona",
            "display_name": "Mona",
            "role": "manager",
            "password": "Lq7-strong-pass-K",
        }
        ok(admin.post("/api/v1/tenants/acme/users", json=user), 201)
    finally:
        admin.close()
    # a manager signs in, sets two-factor up, and then signs in with the code
    mona = login(two_factor.url, "mona", "Lq7-strong-pass-K")
    try:
        blocked = _problem(mona.post(base, json={"name": "x", "role": "qa"}), 403)
        assert "two-factor" in blocked["detail"]
        secret = ok(mona.post("/api/v1/auth/totp/setup"))["secret"]
        ok(mona.post("/api/v1/auth/totp/confirm", json={"code": _code(secret)}))
        ok(mona.post(base, json={"name": "after set-up", "role": "qa"}), 201)
    finally:
        mona.close()
    with httpx.Client(base_url=two_factor.url) as again:
        later = datetime.now(UTC) + timedelta(seconds=30)  # the set-up's code is spent
        body = {"username": "mona", "password": "Lq7-strong-pass-K", "code": _code(secret, later)}
        signed = again.post("/api/v1/auth/login", json=body)
        assert signed.status_code == 200, signed.text
        again.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
        ok(again.post(base, json={"name": "with code", "role": "manager"}), 201)


def test_sessions_record_whether_they_showed_a_code(two_factor: Served) -> None:
    """A session from before two-factor was required (or made without a code) is not enough."""
    runtime = two_factor.app.state.runtime
    admin = login(two_factor.url, "admin", ADMIN_PASSWORD)
    try:
        ok(admin.post("/api/v1/tenants", json={"tenant_id": "acme", "name": "Acme"}), 201)
        user = {
            "username": "max",
            "display_name": "Max",
            "role": "manager",
            "password": "Rz4-strong-pass-W",
        }
        ok(admin.post("/api/v1/tenants/acme/users", json=user), 201)
    finally:
        admin.close()
    with httpx.Client(base_url=two_factor.url) as maxi:
        signed = maxi.post(
            "/api/v1/auth/login", json={"username": "max", "password": "Rz4-strong-pass-W"}
        )
        maxi.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
        # as if the session were older than the rule: not pending, but no code shown
        from headset.storage.tables import sessions

        with runtime.db.begin() as conn:
            conn.execute(sessions.update().values(is_second_factor_pending=False))
        runtime.credentials.clear()
        made = maxi.post("/api/v1/tenants/acme/tokens", json={"name": "x", "role": "qa"})
        refused = _problem(made, 403)
        assert refused["code"] == "second_factor_required"


# finding 5: after sign-in, only a path on this site -----------------------------------------
PAYLOADS = [
    "/\\evil.example/phish",
    "/\t/evil.example",
    "//evil.example",
    "/\\\\evil.example",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "javascript:alert(document.cookie)",
    "/\n/evil.example",
    "https://evil.example/",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_sign_in_page_hands_its_script_only_a_local_path(center: Center, payload: str) -> None:
    page = httpx.get(f"{center.url}/sign-in", params={"next": payload})
    assert page.status_code == 200
    found = re.search(r'data-next="([^"]*)"', page.text)
    assert found is not None
    assert unescape(found.group(1)) == "/"
    assert "evil" not in page.text


def test_the_hostile_testers_raw_urls_are_refused_too(center: Center) -> None:
    for raw in ("/sign-in?next=/%5Cevil.example/phish", "/sign-in?next=/%09/evil.example"):
        page = httpx.get(center.url + raw)
        found = re.search(r'data-next="([^"]*)"', page.text)
        assert found is not None, raw
        assert found.group(1) == "/", raw


def test_a_local_next_is_kept(center: Center) -> None:
    page = httpx.get(f"{center.url}/sign-in", params={"next": "/admin/t/alpha/skills"})
    found = re.search(r'data-next="([^"]*)"', page.text)
    assert found is not None
    assert found.group(1) == "/admin/t/alpha/skills"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_signed_in_visitor_is_redirected_only_to_a_local_path(
    center: Center, payload: str
) -> None:
    manager = center.as_user("alpha", "manager")
    answer = manager.get("/sign-in", params={"next": payload}, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
