"""The center's admin gives a user a second tenant, and takes it away again."""

from __future__ import annotations

from tests.service.conftest import Center, login, ok


def test_a_supervisor_given_a_second_tenant_sees_both_until_it_is_taken_away(
    center: Center,
) -> None:
    username, password, user_id = center.tenants["alpha"].users["supervisor"]
    supervisor = login(center.url, username, password)
    center.clients.append(supervisor)
    assert supervisor.get("/api/v1/tenants/beta/queues").status_code == 404

    added = ok(center.admin.post("/api/v1/tenants/beta/members", json={"username": username}), 201)
    assert added["user_id"] == user_id
    again = center.admin.post("/api/v1/tenants/beta/members", json={"username": username})
    assert again.status_code == 201  # repeating it changes nothing
    listed = ok(center.admin.get(f"/api/v1/users/{user_id}/tenants"))
    assert [t["tenant_id"] for t in listed] == ["alpha", "beta"]

    # the same session, at once: the credential cache was cleared by the change
    assert [t["tenant_id"] for t in ok(supervisor.get("/api/v1/tenants"))] == ["alpha", "beta"]
    queues = ok(supervisor.get("/api/v1/tenants/beta/queues"))
    assert [q["queue_id"] for q in queues] == [center.tenants["beta"].queue_id]
    beta_users = ok(center.admin.get("/api/v1/tenants/beta/users"))
    assert user_id in {u["user_id"] for u in beta_users}

    assert center.admin.delete(f"/api/v1/tenants/beta/members/{user_id}").status_code == 204
    assert supervisor.get("/api/v1/tenants/beta/queues").status_code == 404
    assert [t["tenant_id"] for t in ok(supervisor.get("/api/v1/tenants"))] == ["alpha"]
    timeline = ok(center.admin.get("/api/v1/tenants/beta/audit?limit=50"))
    kinds = [e["type"] for e in timeline["items"]]
    assert "directory.member_added" in kinds
    assert "directory.member_removed" in kinds


def test_only_the_centers_admin_assigns_tenants(center: Center) -> None:
    manager = center.as_user("alpha", "manager")
    agent_name = center.tenants["alpha"].users["agent"][0]
    refused = manager.post("/api/v1/tenants/alpha/members", json={"username": agent_name})
    assert refused.status_code == 403
    user_id = center.tenants["alpha"].users["agent"][2]
    assert manager.get(f"/api/v1/users/{user_id}/tenants").status_code == 403
    assert manager.delete(f"/api/v1/tenants/alpha/members/{user_id}").status_code == 403


def test_a_users_last_tenant_and_an_agents_tenant_are_kept(center: Center) -> None:
    alpha = center.tenants["alpha"]
    qa_id = alpha.users["qa"][2]
    last = center.admin.delete(f"/api/v1/tenants/alpha/members/{qa_id}")
    assert last.status_code == 409
    assert last.json()["code"] == "last_tenant"

    agent_name, _, agent_user = alpha.users["agent"]
    ok(center.admin.post("/api/v1/tenants/beta/members", json={"username": agent_name}), 201)
    kept = center.admin.delete(f"/api/v1/tenants/alpha/members/{agent_user}")
    assert kept.status_code == 409
    assert kept.json()["code"] == "is_agent"
    ok_beta = center.admin.delete(f"/api/v1/tenants/beta/members/{agent_user}")
    assert ok_beta.status_code == 204


def test_unknown_users_and_tenants_are_named(center: Center) -> None:
    nobody = center.admin.post("/api/v1/tenants/beta/members", json={"username": "nobody-here"})
    assert nobody.status_code == 404
    assert "nobody-here" in nobody.json()["detail"]
    assert nobody.json()["errors"][0]["field"] == "username"
    bad = center.admin.post("/api/v1/tenants/beta/members", json={"username": "a b"})
    assert bad.status_code == 422
    name = center.tenants["alpha"].users["qa"][0]
    missing = center.admin.post("/api/v1/tenants/gamma/members", json={"username": name})
    assert missing.status_code == 404
