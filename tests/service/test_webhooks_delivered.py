"""A tenant's webhook receives its contact events, signed, and the outcome is visible."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from headset.webhooks.signing import verify
from tests.service.conftest import Center, free_port, ok


def test_contact_events_reach_the_webhook_signed_and_deliveries_are_listed(center: Center) -> None:
    received: list[tuple[bytes, str]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((body, self.headers["Headset-Signature"]))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    port = free_port()
    receiver = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        tenant = center.tenants["beta"]
        manager = center.as_user("beta", "manager")
        base = f"/api/v1/tenants/{tenant.tenant_id}"
        hook = ok(
            manager.post(
                f"{base}/webhooks",
                json={
                    "url": f"http://127.0.0.1:{port}/hook",
                    "event_types": ["routing.contact_queued"],
                },
            ),
            201,
        )
        created = ok(
            center.as_token("beta").post(f"{base}/contacts", json={"queue_id": tenant.queue_id}),
            201,
        )
        deliveries = f"{base}/webhooks/{hook['webhook_id']}/deliveries"
        deadline = time.monotonic() + 15
        listed: list[dict[str, object]] = []
        while time.monotonic() < deadline:
            listed = ok(manager.get(deliveries))
            if listed and listed[0]["status"] == "delivered":
                break
            time.sleep(0.1)
        assert received, "the webhook was not called"
        body, signature = received[0]
        assert created["contact_id"].encode() in body
        assert b'"routing.contact_queued"' in body
        assert verify(hook["secret"], signature, body, int(time.time()))
        assert listed[0]["status"] == "delivered"
        assert listed[0]["last_status_code"] == 204
    finally:
        receiver.shutdown()
        receiver.server_close()
