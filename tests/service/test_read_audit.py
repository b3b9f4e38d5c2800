"""Reading a contact's timeline is reading personal data: every read leaves an audit row,
written through the same function as the customer reads (service/audit_trail.record_read)."""

from __future__ import annotations

from typing import Any

from tests.service.conftest import Center, ok

A = "/api/v1/tenants/alpha"


def audit_of(center: Center, kind: str) -> list[dict[str, Any]]:
    items = ok(center.admin.get(f"{A}/audit", params={"limit": 1000}))["items"]
    return [i for i in items if i["type"] == f"audit.{kind}"]


def test_reading_a_contacts_timeline_is_audited_with_who_read_it(center: Center) -> None:
    body = {"queue_id": center.tenants["alpha"].queue_id, "subject": "Refund"}
    contact_id = ok(center.admin.post(f"{A}/contacts", json=body), 201)["contact_id"]
    manager = center.as_user("alpha", "manager")
    contact = ok(manager.get(f"{A}/contacts/{contact_id}"))
    assert contact["timeline"]

    (read,) = [
        r for r in audit_of(center, "contact_viewed") if r["data"] == {"contact_id": contact_id}
    ]
    manager_id = center.tenants["alpha"].users["manager"][2]
    assert read["actor"] == f"user:{manager_id}"


def test_a_read_refused_leaves_no_audit_row(center: Center) -> None:
    before = len(audit_of(center, "contact_viewed"))
    beta = center.as_user("beta", "manager")
    assert beta.get(f"{A}/contacts/c_nope").status_code == 404
    assert len(audit_of(center, "contact_viewed")) == before
