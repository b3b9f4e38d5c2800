"""With calls on, the API channel makes no voice contact without a caller on the media hub."""

from __future__ import annotations

from tests.service.conftest import Center, ok


def test_a_voice_contact_through_the_api_is_refused_with_calls_on(center: Center) -> None:
    t = center.tenants["alpha"]
    api = center.as_token("alpha")
    base = f"/api/v1/tenants/{t.tenant_id}"
    body = {"queue_id": t.queue_id, "channel": "voice", "customer": {"name": "Vi Voice"}}
    refused = api.post(f"{base}/contacts", json=body)
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["code"] == "voice_needs_a_call"
    assert problem["errors"][0]["field"] == "channel"
    waiting = ok(api.get(f"{base}/contacts", params={"status": "waiting"}))["items"]
    assert not [c for c in waiting if c["channel"] == "voice"]  # nothing was queued
    chat = ok(api.post(f"{base}/contacts", json={**body, "channel": "chat"}), 201)
    assert ok(api.get(f"{base}/contacts/{chat['contact_id']}"))["channel"] == "chat"
