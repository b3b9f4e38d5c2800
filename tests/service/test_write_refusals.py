"""Writes the database would refuse answer 404 or 409 saying why, never 503 "try again":
a tenant nobody created, and a user linked to a second agent (issue 12, finding 16)."""

from __future__ import annotations

import pytest

from tests.service.conftest import Center, ok

NOPE = "/api/v1/tenants/no-such-tenant"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/queues/q1", {"queue_id": "q1", "name": "Sales"}),
        ("PUT", "/skills/s1", {"skill_id": "s1", "name": "French"}),
        ("POST", "/users", {"username": "ghost", "display_name": "G", "role": "agent",
                            "password": "pw-ghost-tenant-2026"}),
        ("POST", "/tokens", {"name": "crm", "role": "manager"}),
        ("POST", "/contacts", {"queue_id": "q1"}),
        ("GET", "/queues", None),
    ],
)  # fmt: skip
def test_the_admin_writing_under_a_tenant_that_does_not_exist_gets_404(
    center: Center, method: str, path: str, body: dict[str, object] | None
) -> None:
    answer = center.admin.request(method, NOPE + path, json=body)
    assert answer.status_code == 404, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["detail"] == "no tenant 'no-such-tenant'"


def test_linking_a_user_to_a_second_agent_is_a_conflict(center: Center) -> None:
    alpha = center.tenants["alpha"]
    user_id = alpha.users["agent"][2]  # already agent alpha-agent
    body = {"agent_id": "alpha-second", "display_name": "Second", "user_id": user_id}
    answer = center.admin.put("/api/v1/tenants/alpha/agents/alpha-second", json=body)
    assert answer.status_code == 409, answer.text
    problem = answer.json()
    assert problem["code"] == "taken"
    assert problem["errors"][0]["field"] == "user_id"
    assert "already agent 'alpha-agent'" in problem["detail"]
    assert center.admin.get("/api/v1/tenants/alpha/agents/alpha-second").status_code == 404
    # the agent it belongs to may still be saved with it
    same = {"agent_id": "alpha-agent", "display_name": "alpha-agent", "user_id": user_id,
            "team_id": alpha.team_id, "skills": {alpha.skill_id: 5},
            "queues": [{"queue_id": alpha.queue_id}]}  # fmt: skip
    ok(center.admin.put("/api/v1/tenants/alpha/agents/alpha-agent", json=same))


def test_a_method_the_route_does_not_have_answers_405_naming_the_allowed_ones(
    center: Center,
) -> None:
    answer = center.admin.patch("/api/v1/tenants/alpha/contacts")
    assert answer.status_code == 405
    assert answer.headers["content-type"] == "application/problem+json"
    assert set(answer.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}
