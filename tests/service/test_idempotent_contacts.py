"""`Idempotency-Key` on contact creation: a retry after a lost answer makes no duplicate."""

from __future__ import annotations

from tests.service.conftest import Center, ok

A = "/api/v1/tenants/alpha"


def _contacts_with(center: Center, subject: str) -> list[str]:
    rows = ok(center.admin.get(f"{A}/contacts", params={"limit": 500}))
    items = rows["items"] if isinstance(rows, dict) else rows
    return [c["contact_id"] for c in items if c.get("subject") == subject]


def test_the_same_key_and_body_answer_the_first_contact(center: Center) -> None:
    crm = center.as_token("alpha")
    body = {"queue_id": center.tenants["alpha"].queue_id, "subject": "Lost answer 1",
            "customer": {"name": "Iris", "email": "iris@example.com"}}  # fmt: skip
    headers = {"Idempotency-Key": "crm-4711"}
    first = ok(crm.post(f"{A}/contacts", json=body, headers=headers), 201)
    again = ok(crm.post(f"{A}/contacts", json=body, headers=headers), 201)
    assert again["contact_id"] == first["contact_id"]
    assert again["queue_id"] == first["queue_id"]
    assert _contacts_with(center, "Lost answer 1") == [first["contact_id"]]


def test_without_a_key_each_request_is_a_new_contact(center: Center) -> None:
    crm = center.as_token("alpha")
    body = {"queue_id": center.tenants["alpha"].queue_id, "subject": "No key"}
    first = ok(crm.post(f"{A}/contacts", json=body), 201)
    second = ok(crm.post(f"{A}/contacts", json=body), 201)
    assert first["contact_id"] != second["contact_id"]


def test_the_same_key_with_another_body_is_refused(center: Center) -> None:
    crm = center.as_token("alpha")
    queue_id = center.tenants["alpha"].queue_id
    headers = {"Idempotency-Key": "crm-4712"}
    ok(
        crm.post(f"{A}/contacts", json={"queue_id": queue_id, "subject": "One"}, headers=headers),
        201,
    )
    other = crm.post(
        f"{A}/contacts", json={"queue_id": queue_id, "subject": "Two"}, headers=headers
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert _contacts_with(center, "Two") == []


def test_keys_are_per_caller_and_per_tenant(center: Center) -> None:
    body_a = {"queue_id": center.tenants["alpha"].queue_id, "subject": "Per caller"}
    headers = {"Idempotency-Key": "shared-key"}
    by_token = ok(center.as_token("alpha").post(f"{A}/contacts", json=body_a, headers=headers), 201)
    by_admin = ok(center.admin.post(f"{A}/contacts", json=body_a, headers=headers), 201)
    assert by_admin["contact_id"] != by_token["contact_id"]
    body_b = {"queue_id": center.tenants["beta"].queue_id, "subject": "Per caller"}
    in_beta = ok(
        center.admin.post("/api/v1/tenants/beta/contacts", json=body_b, headers=headers), 201
    )
    assert in_beta["contact_id"] not in (by_admin["contact_id"], by_token["contact_id"])


def test_the_answer_is_stored_in_the_event_log_with_the_contact(center: Center) -> None:
    """Stored durably in the database, not in the process's memory."""
    crm = center.as_token("alpha")
    body = {"queue_id": center.tenants["alpha"].queue_id, "subject": "Durable"}
    headers = {"Idempotency-Key": "crm-durable"}
    first = ok(crm.post(f"{A}/contacts", json=body, headers=headers), 201)
    log = center.app.state.runtime.host.event_log
    stored = [e for e in log.iter_all() if e.type == "request.answered"]
    assert any(e.payload["answer"]["contact_id"] == first["contact_id"] for e in stored)
