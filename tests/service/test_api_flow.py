"""The service end to end over HTTP and WebSocket, as integrations and agents use it."""

from __future__ import annotations

from datetime import timedelta

import httpx

from tests.service.conftest import Center, bearer, live, next_event, ok, recv_json

PROBLEM = "application/problem+json"


def _problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status
    assert isinstance(body["detail"], str)
    assert len(body["detail"]) > 5
    return dict(body)


def test_a_contact_from_the_api_is_offered_live_accepted_ended_and_wrapped_up(
    center: Center,
) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    manager = center.as_user("alpha", "manager")
    ok(manager.put(f"{base}/dispositions/sold", json={"code": "sold", "label": "Sold"}))
    agent = center.as_user("alpha", "agent")
    agent_id = t.agents["agent"]
    ok(agent.post(f"{base}/agents/{agent_id}/state", json={"state": "available"}))
    api = center.as_token("alpha")
    with live(center.ws_url, agent) as ws:
        assert recv_json(ws)["type"] == "snapshot"
        created = ok(
            api.post(
                f"{base}/contacts",
                json={"queue_id": t.queue_id, "subject": "order", "customer": {"name": "Bob"}},
            ),
            201,
        )
        offered = next_event(ws, "routing.contact_offered")
    contact_id = created["contact_id"]
    assert offered["data"]["contact_id"] == contact_id
    assert offered["data"]["agent_id"] == agent_id
    offer_id = offered["data"]["offer_id"]
    ok(agent.post(f"{base}/offers/{offer_id}/accept"))
    ok(agent.post(f"{base}/contacts/{contact_id}/end"))
    wrapped = ok(
        agent.post(
            f"{base}/contacts/{contact_id}/wrap-up",
            json={"disposition": "sold", "notes": "customer bought two"},
        )
    )
    assert wrapped["status"] == "completed"
    # the agent's own figures of today count the contact (the desktop shows them)
    (mine,) = ok(agent.get(f"{base}/stats/agents"))
    assert mine["agent_id"] == agent_id
    assert mine["handled_today"] == 1
    assert mine["aht_seconds_today"] > 0
    assert mine["contacts_per_hour_today"] > 0
    ok(agent.post(f"{base}/agents/{agent_id}/state", json={"state": "offline"}))
    contact = ok(manager.get(f"{base}/contacts/{contact_id}"))
    assert contact["status"] == "completed"
    assert [e["type"] for e in contact["timeline"]] == [
        "routing.contact_queued",
        "routing.contact_offered",
        "routing.offer_accepted",
        "routing.contact_ended",
        "routing.contact_completed",
    ]
    assert [n["text"] for n in contact["notes"]] == ["customer bought two"]


def test_contact_lists_filter_by_status_and_queue_and_pages_cover_each_contact_once(
    center: Center,
) -> None:
    t = center.tenants["beta"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    manager = center.as_user("beta", "manager")
    ok(manager.put(f"{base}/queues/beta-support", json={"queue_id": "beta-support", "name": "S"}))
    api = center.as_token("beta")
    made = [
        ok(api.post(f"{base}/contacts", json={"queue_id": t.queue_id}), 201)["contact_id"]
        for _ in range(4)
    ]
    other = ok(api.post(f"{base}/contacts", json={"queue_id": "beta-support"}), 201)["contact_id"]
    by_queue = ok(manager.get(f"{base}/contacts", params={"queue_id": "beta-support"}))
    assert [c["contact_id"] for c in by_queue["items"]] == [other]
    waiting = ok(manager.get(f"{base}/contacts", params={"status": "waiting", "limit": 500}))
    assert {*made, other} <= {c["contact_id"] for c in waiting["items"]}
    assert all(c["status"] == "waiting" for c in waiting["items"])
    assert ok(manager.get(f"{base}/contacts", params={"status": "completed"}))["items"] == []

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = ok(manager.get(f"{base}/contacts", params=params))
        assert len(page["items"]) <= 2
        seen += [c["contact_id"] for c in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 5
    assert set(seen) == {*made, other}
    assert pages == 3
    for contact_id in [*made, other]:
        ok(api.post(f"{base}/contacts/{contact_id}/abandon"))


def test_errors_are_problem_details_a_person_can_act_on(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    api = center.as_token("alpha")
    assert "nope" in str(
        _problem(api.post(f"{base}/contacts", json={"queue_id": "nope"}), 404)["detail"]
    )
    invalid = _problem(api.post(f"{base}/contacts", json={"queue_id": 5, "extra": 1}), 422)
    errors = invalid["errors"]
    assert isinstance(errors, list)
    assert errors
    assert {"field", "message"} <= set(errors[0])
    big = {"queue_id": t.queue_id, "subject": "x" * 3000}
    _problem(api.post(f"{base}/contacts", json=big), 413)
    _problem(api.get("/api/v1/no-such-thing"), 404)


def test_a_session_request_that_changes_something_needs_the_csrf_token(center: Center) -> None:
    t = center.tenants["alpha"]
    manager = center.as_user("alpha", "manager")
    bare = httpx.Client(base_url=center.url, cookies=manager.cookies)
    try:
        response = bare.put(
            f"/api/v1/tenants/{t.tenant_id}/skills/german",
            json={"skill_id": "german", "name": "German"},
        )
        _problem(response, 403)
        assert bare.get(f"/api/v1/tenants/{t.tenant_id}/skills").status_code == 200
    finally:
        bare.close()
    skills = ok(manager.get(f"/api/v1/tenants/{t.tenant_id}/skills"))
    assert "german" not in {s["skill_id"] for s in skills}


def test_repeated_wrong_passwords_back_off_then_lock_the_account(center: Center) -> None:
    t = center.tenants["alpha"]
    body = {
        "username": "locky",
        "display_name": "Locky",
        "role": "agent",
        "password": "right-password-123",
    }
    ok(center.admin.post(f"/api/v1/tenants/{t.tenant_id}/users", json=body), 201)
    client = httpx.Client(base_url=center.url)
    try:
        wrong = {"username": "locky", "password": "wrong-password-123"}
        first = client.post("/api/v1/auth/login", json=wrong)
        _problem(first, 401)
        backed_off = _problem(client.post("/api/v1/auth/login", json=wrong), 429)
        assert "wait" in str(backed_off["detail"])
        for _ in range(4):  # the back-off waits pass, each attempt is counted
            center.clock.offset += timedelta(seconds=31)
            _problem(client.post("/api/v1/auth/login", json=wrong), 401)
        center.clock.offset += timedelta(seconds=31)
        right = {"username": "locky", "password": "right-password-123"}
        locked = client.post("/api/v1/auth/login", json=right)
        _problem(locked, 429)
        assert int(locked.headers["Retry-After"]) > 60
    finally:
        client.close()


def test_a_revoked_token_is_refused(center: Center) -> None:
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    made = ok(center.admin.post(f"{base}/tokens", json={"name": "old", "role": "qa"}), 201)
    client = bearer(center.url, made["token"])
    try:
        ok(client.get(f"{base}/queues"))
        ok(center.admin.delete(f"{base}/tokens/{made['token_id']}"), 204)
        refused = _problem(client.get(f"{base}/queues"), 401)
        assert "revoked" in str(refused["detail"])
    finally:
        client.close()


def test_health_metrics_and_docs_are_served(center: Center) -> None:
    client = httpx.Client(base_url=center.url)
    try:
        health = ok(client.get("/health"))
        assert health["status"] == "ok"
        assert health["last_seq"] > 0
        metrics = client.get("/metrics")
        assert metrics.status_code == 200
        assert "headset_events_total" in metrics.text
        docs = client.get("/docs")
        assert docs.status_code == 200
        assert "swagger" in docs.text.lower()
        spec = ok(client.get("/openapi.json"))
        assert "/api/v1/tenants/{tenant_id}/contacts" in spec["paths"]
    finally:
        client.close()


def test_users_choose_their_own_language_and_only_a_supported_one(center: Center) -> None:
    qa = center.as_user("alpha", "qa")
    assert ok(qa.patch("/api/v1/auth/me", json={"language": "lv"}))["language"] == "lv"
    _problem(qa.patch("/api/v1/auth/me", json={"language": "xx"}), 422)
    _problem(qa.patch("/api/v1/auth/me", json={"role": "admin"}), 422)
    # the choice is stored: the admin's user list shows it
    tenant_id = center.tenants["alpha"].tenant_id
    listed = ok(center.admin.get(f"/api/v1/tenants/{tenant_id}/users"))
    username = center.tenants["alpha"].users["qa"][0]
    (mine,) = [u for u in listed if u["username"] == username]
    assert mine["language"] == "lv"
