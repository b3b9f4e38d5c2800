"""Field errors carry a stable type and its parameters, so clients can say them in any language.

The English `field` and `message` stay as they were for API clients; `type` and `params` are
what the web forms translate (static/js/errors.js).
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.service.conftest import Center

PROBLEM = "application/problem+json"


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"  # RFC 9457's type; each error has its own below
    return body


def _by_field(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["field"]: e for e in body["errors"]}


def test_a_refused_queue_names_each_rule_broken_with_its_limits(center: Center) -> None:
    manager = center.as_user("alpha", "manager")
    body = {
        "queue_id": "Not A Slug!",
        "name": "x" * 201,
        "strategy": "loudest_first",
        "service_level_percent": 150,
        "priority": "high",
        "max_no_answers": 0,
        "colour": "red",
    }
    answer = _problem(manager.put("/api/v1/tenants/alpha/queues/whatever", json=body), 422)
    errors = _by_field(answer)
    assert errors["name"]["type"] == "string_too_long"
    assert errors["name"]["params"] == {"max_length": 200}
    assert errors["name"]["message"] == "String should have at most 200 characters"
    assert errors["service_level_percent"]["type"] == "less_than_equal"
    assert errors["service_level_percent"]["params"] == {"le": 100}
    assert errors["max_no_answers"]["type"] == "greater_than_equal"
    assert errors["max_no_answers"]["params"] == {"ge": 1}
    assert errors["queue_id"]["type"] == "string_pattern_mismatch"
    assert errors["queue_id"]["params"]["pattern"].startswith("^[a-z0-9]")
    assert errors["priority"]["type"] == "int_parsing"
    assert errors["priority"]["params"] == {}
    strategy = errors["strategy"]
    assert strategy["type"] == "enum"
    assert "round_robin" in strategy["params"]["choices"]
    assert "longest_idle" in strategy["params"]["expected"]
    assert errors["colour"]["type"] == "extra_forbidden"
    # the detail still names the fields, for a person reading the answer
    assert "service_level_percent" in answer["detail"]


def test_an_e_mail_address_and_a_missing_field_have_their_own_types(center: Center) -> None:
    manager = center.as_user("alpha", "manager")
    body = {"username": "ann", "role": "agent", "email": "ann.example.com", "password": "x"}
    answer = _problem(manager.post("/api/v1/tenants/alpha/users", json=body), 422)
    errors = _by_field(answer)
    assert errors["email"]["type"] == "email"
    assert "valid email address" in errors["email"]["message"]
    assert errors["display_name"]["type"] == "missing"


def test_a_body_that_is_no_json_names_no_field(center: Center) -> None:
    manager = center.as_user("alpha", "manager")
    response = manager.put(
        "/api/v1/tenants/alpha/queues/q",
        content=b'{"queue_id": "q",',
        headers={"Content-Type": "application/json"},
    )
    (error,) = _problem(response, 422)["errors"]
    assert error["type"] == "json_invalid"
    assert error["field"] == ""
    assert isinstance(error["params"]["position"], int)


def test_an_unknown_time_zone_is_an_error_of_the_time_zone_field(center: Center) -> None:
    manager = center.as_user("alpha", "manager")
    body = {"queue_id": "alpha-mars", "name": "Mars", "time_zone": "Mars/Olympus"}
    answer = _problem(manager.put("/api/v1/tenants/alpha/queues/alpha-mars", json=body), 422)
    assert answer["code"] == "unknown_time_zone"
    assert answer["params"] == {"value": "Mars/Olympus"}
    assert "unknown time zone 'Mars/Olympus'" in answer["detail"]
    (error,) = answer["errors"]
    assert error == {
        "field": "time_zone",
        "message": answer["detail"],
        "type": "unknown_time_zone",
        "params": {"value": "Mars/Olympus"},
    }
    # the tenant's time zone is checked the same way
    tenant = {"tenant_id": "mars", "name": "Mars", "time_zone": "Mars/Olympus"}
    refused = _problem(center.admin.post("/api/v1/tenants", json=tenant), 422)
    assert refused["errors"][0]["field"] == "time_zone"


def test_a_refused_password_and_a_taken_id_name_their_field(center: Center) -> None:
    manager = center.as_user("alpha", "manager")
    user = {"username": "bob", "display_name": "Bob", "role": "agent", "password": "short"}
    answer = _problem(manager.post("/api/v1/tenants/alpha/users", json=user), 422)
    assert answer["errors"] == [
        {
            "field": "password",
            "message": answer["detail"],
            "type": "password_too_short",
            "params": {"min_length": 10, "length": 5},
        }
    ]
    contains = {**user, "password": "my-name-is-bobby-2026"}
    answer = _problem(manager.post("/api/v1/tenants/alpha/users", json=contains), 422)
    assert answer["errors"][0]["type"] == "password_contains_username"
    # beta's queue id is taken for alpha: a conflict of the queue_id field
    beta_queue = center.tenants["beta"].queue_id
    queue = {"queue_id": beta_queue, "name": "Mine"}
    taken = _problem(manager.put(f"/api/v1/tenants/alpha/queues/{beta_queue}", json=queue), 409)
    assert taken["code"] == "taken"
    assert taken["errors"][0]["field"] == "queue_id"
    assert taken["errors"][0]["params"] == {"value": beta_queue}


def test_errors_without_a_field_stay_as_they_were(center: Center) -> None:
    manager = center.as_user("alpha", "manager")
    answer = _problem(manager.get("/api/v1/tenants/alpha/queues/nowhere"), 404)
    assert "errors" not in answer
    assert "code" not in answer
    assert "nowhere" in answer["detail"]
