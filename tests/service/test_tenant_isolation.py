"""No role of one tenant, signed in or by API token, reaches anything of another tenant."""

from __future__ import annotations

import tempfile
import wave
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute

from headset.storage.tables import recordings
from tests.service.conftest import ROLES, Center, live, next_event, ok, recv_json

TENANT_PREFIX = "/api/v1/tenants/{tenant_id}"

#: Routes outside any one tenant: reviewed by hand; a new one must be added here knowingly.
OUTSIDE_TENANTS = {
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("GET", "/api/v1/auth/me"),
    ("PATCH", "/api/v1/auth/me"),
    ("POST", "/api/v1/auth/totp/setup"),
    ("POST", "/api/v1/auth/totp/confirm"),
    ("POST", "/api/v1/auth/totp/disable"),
    # one's own password (tests/service/test_account_security.py)
    ("POST", "/api/v1/auth/password"),
    ("GET", "/api/v1/tenants"),
    ("POST", "/api/v1/tenants"),
    # admin only: it names a user's tenants (tests/service/test_memberships.py)
    ("GET", "/api/v1/users/{user_id}/tenants"),
    ("GET", "/health"),
    ("GET", "/metrics"),
    # the chat widget's public routes: a chat token opens one chat (tests/chat)
    ("GET", "/api/v1/chat/{widget_key}"),
    ("POST", "/api/v1/chat/{widget_key}/chats"),
    ("POST", "/api/v1/chat/{widget_key}/left-messages"),
    ("GET", "/api/v1/chat/{widget_key}/chats/{chat_id}"),
    ("POST", "/api/v1/chat/{widget_key}/chats/{chat_id}/messages"),
    ("POST", "/api/v1/chat/{widget_key}/chats/{chat_id}/attachments"),
    ("GET", "/api/v1/chat/{widget_key}/chats/{chat_id}/attachments/{attachment_id}"),
    ("POST", "/api/v1/chat/{widget_key}/chats/{chat_id}/typing"),
    ("POST", "/api/v1/chat/{widget_key}/chats/{chat_id}/end"),
    ("POST", "/api/v1/chat/{widget_key}/chats/{chat_id}/survey"),
    # a chat's transcript by e-mail, with the chat's token (tests/mail/test_transcripts.py)
    ("POST", "/api/v1/chat/{widget_key}/chats/{chat_id}/transcript"),
    # an e-mail contact's survey page: a signed token opens one contact (tests/mail)
    ("GET", "/survey/{token}"),
    ("POST", "/survey/{token}"),
    # the "call us" button's public routes: a call token opens one call (tests/voice)
    ("POST", "/api/v1/voice/{widget_key}/calls"),
    ("GET", "/api/v1/voice/{widget_key}/calls/{call_id}"),
    ("POST", "/api/v1/voice/{widget_key}/calls/{call_id}/hang-up"),
}


def _bodies(a: dict[str, str]) -> dict[tuple[str, str], dict[str, Any]]:
    """A valid body for every route that takes one, so only authorization can refuse it."""
    p = TENANT_PREFIX
    return {
        ("PATCH", p): {"name": "taken over"},
        ("POST", f"{p}/users"): {
            "username": "intruder",
            "display_name": "Intruder",
            "role": "manager",
            "password": "a-long-password-77",
        },
        ("PATCH", f"{p}/users/{{user_id}}"): {"display_name": "taken over", "is_active": False},
        # an intruder of tenant beta adding itself to tenant alpha
        ("POST", f"{p}/members"): {"username": "beta-agent"},
        ("PUT", f"{p}/teams/{{item_id}}"): {"team_id": a["team"], "name": "taken over"},
        ("PUT", f"{p}/skills/{{item_id}}"): {"skill_id": a["skill"], "name": "taken over"},
        ("PUT", f"{p}/dispositions/{{item_id}}"): {"code": a["disposition"], "label": "x"},
        ("PUT", f"{p}/away-reasons/{{item_id}}"): {"code": a["away"], "label": "x"},
        ("PUT", f"{p}/queues/{{queue_id}}"): {"queue_id": a["queue"], "name": "taken over"},
        ("PUT", f"{p}/agents/{{agent_id}}"): {"agent_id": a["agent"], "display_name": "x"},
        ("POST", f"{p}/agents/{{agent_id}}/state"): {"state": "offline"},
        ("POST", f"{p}/customers"): {"name": "Eve"},
        ("POST", f"{p}/contacts"): {"queue_id": a["queue"]},
        ("POST", f"{p}/contacts/{{contact_id}}/notes"): {"text": "was here"},
        ("POST", f"{p}/contacts/{{contact_id}}/wrap-up"): {"notes": "was here"},
        ("POST", f"{p}/contacts/{{contact_id}}/transfer"): {"queue_id": a["queue"]},
        ("POST", f"{p}/contacts/{{contact_id}}/escalate"): {},
        ("POST", f"{p}/tokens"): {"name": "stolen", "role": "manager"},
        ("POST", f"{p}/webhooks"): {"url": "https://example.com/steal", "is_active": False},
        ("PATCH", f"{p}/webhooks/{{webhook_id}}"): {"url": "https://example.com/steal"},
        ("POST", f"{p}/chats/{{chat_id}}/messages"): {"client_message_id": "x", "text": "hi"},
        ("POST", f"{p}/chats/{{chat_id}}/whisper"): {"client_message_id": "x", "text": "hi"},
        ("POST", f"{p}/chats/{{chat_id}}/typing"): {"is_typing": True},
        ("POST", f"{p}/canned-responses"): _CANNED,
        ("PUT", f"{p}/canned-responses/{{canned_id}}"): _CANNED,
        ("PUT", f"{p}/widgets/{{widget_id}}"): _widget(a["queue"]),
        ("PUT", f"{p}/mailboxes/{{mailbox_id}}"): _mailbox(a["queue"]),
        ("POST", f"{p}/contacts/{{contact_id}}/mail/replies"): {"text": "taken over"},
        ("POST", f"{p}/contacts/{{contact_id}}/mail/replies/{{mail_id}}/retry"): {},
        ("PUT", f"{p}/agents/{{agent_id}}/softphone"): {"registered": True},
        ("POST", f"{p}/calls/{{call_id}}/legs"): {"sdp": _SDP},
        ("POST", f"{p}/calls/{{call_id}}/transfer"): {"queue_id": a["queue"]},
        ("POST", f"{p}/calls/{{call_id}}/monitor"): {"mode": "listen", "sdp": _SDP},
        ("POST", f"{p}/calls/{{call_id}}/monitor/{{leg_id}}"): {"mode": "barge"},
        ("POST", f"{p}/calls/{{call_id}}/recording/pause"): {"reason": "card"},
        ("POST", f"{p}/calls/{{call_id}}/consultations"): {"queue_id": a["queue"]},
        ("POST", f"{p}/recordings/{{recording_id}}/mask"): _MASK,
        ("PUT", f"{p}/voice/settings"): {"recording_default": "all"},
    }


_MASK = {"start_s": 0, "end_s": 0.05, "reason": "x"}
_SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"


_CANNED = {"shortcut": "stolen", "title": "x", "body": "taken over"}


def _widget(queue_id: str) -> dict[str, Any]:
    topic = {"topic_id": "t", "label": "T", "queue_id": queue_id}
    return {"display_name": "taken over", "topics": [topic]}


def _mailbox(queue_id: str) -> dict[str, Any]:
    return {"address": "support@alpha.example.com", "display_name": "x", "queue_id": queue_id,
            "inbound": "smtp"}  # fmt: skip


def _ids(a: dict[str, str], path: str) -> dict[str, str]:
    """Real ids of tenant A's objects for the parameters of `path`."""
    item = {"teams": "team", "skills": "skill", "dispositions": "disposition"}
    item["away-reasons"] = "away"
    values = {
        "tenant_id": a["tenant"],
        "queue_id": a["queue"],
        "agent_id": a["agent"],
        "user_id": a["user"],
        "contact_id": a["contact"],
        "customer_id": a["customer"],
        "token_id": a["token"],
        "webhook_id": a["webhook"],
        "offer_id": a["offer"],
        "chat_id": a["chat"],
        "attachment_id": a["attachment"],
        "canned_id": a["canned"],
        "widget_id": a["widget"],
        "mailbox_id": a.get("mailbox", "absent"),
        # a call's id is its contact's: tenant A's contact is a voice contact
        "call_id": a.get("call", a["contact"]),
        "leg_id": "leg_absent",
        "recording_id": a.get("recording", "rec_absent"),
        "flow_id": "main",
        "prompt_id": "absent",
        "consultation_id": "c_absent",
    }
    if "/mail" in path:  # an e-mail contact and the file of its message
        values["contact_id"] = a.get("mail_contact", a["contact"])
        values["attachment_id"] = a.get("mail_attachment", "ma_absent")
        values["mail_id"] = a.get("mail_message", "ml_absent")
    for kind, key in item.items():
        if f"/{kind}/{{item_id}}" in path:
            values["item_id"] = a[key]
    return values


def _fill(path: str, values: dict[str, str], route: APIRoute) -> str:
    missing = [p.name for p in route.dependant.path_params if p.name not in values]
    if missing:
        pytest.fail(f"the isolation walk cannot fill {missing} in {path}; teach _ids about it")
    return path.format(**{p.name: values[p.name] for p in route.dependant.path_params})


def _tenant_a(center: Center, manager: httpx.Client) -> dict[str, str]:
    """Tenant A with one of everything, including a live contact holding a pending offer."""
    t = center.tenants["alpha"]
    base = f"/api/v1/tenants/{t.tenant_id}"
    ok(manager.put(f"{base}/dispositions/sold", json={"code": "sold", "label": "Sold"}))
    ok(manager.put(f"{base}/away-reasons/lunch", json={"code": "lunch", "label": "Lunch"}))
    queue = {"queue_id": t.queue_id, "name": "Sales", "ring_timeout_seconds": 600}
    ok(manager.put(f"{base}/queues/{t.queue_id}", json=queue))
    webhook = {"url": "https://example.com/hook", "is_active": False}
    hook = ok(manager.post(f"{base}/webhooks", json=webhook), 201)
    agent = center.as_user("alpha", "agent")
    ok(agent.post(f"{base}/agents/{t.agents['agent']}/state", json={"state": "available"}))
    api = center.as_token("alpha")
    with live(center.ws_url, agent) as ws:
        assert recv_json(ws)["type"] == "snapshot"
        body = {"queue_id": t.queue_id, "customer": {"name": "Ann Alpha"}}
        contact = ok(api.post(f"{base}/contacts", json=body), 201)
        offer = next_event(ws, "routing.contact_offered")["data"]["offer_id"]
    row = ok(manager.get(f"{base}/contacts/{contact['contact_id']}"))
    call = {"queue_id": t.queue_id, "channel": "voice", "customer": {"name": "Vi Voice"}}
    voice = ok(api.post(f"{base}/contacts", json=call), 201)  # a call waiting (tests/voice)
    widget = ok(manager.put(f"{base}/widgets/shop", json=_widget(t.queue_id)))
    public = f"{center.url}/api/v1/chat/{widget['widget_key']}"
    started = ok(httpx.post(f"{public}/chats", json={"name": "Cy", "topic_id": "t"}), 201)
    customer = httpx.Client(headers={"Authorization": f"Bearer {started['token']}"})
    upload = f"{public}/chats/{started['chat_id']}/attachments"
    attachment = ok(customer.post(upload, content=b"a note"), 201)
    customer.close()
    canned = ok(manager.post(f"{base}/canned-responses", json=_CANNED), 201)
    mail_contact, mail_attachment, mail_message = _mail_contact(center, manager, base)
    flow = {"name": "Main", "steps": [{"id": "q", "type": "queue", "queue_id": t.queue_id}]}
    ok(manager.put(f"{base}/ivr-flows/main", json=flow))
    recording = _recording(center, voice["contact_id"])
    return {
        "mailbox": "support",
        "mail_contact": mail_contact,
        "mail_attachment": mail_attachment,
        "mail_message": mail_message,
        "tenant": t.tenant_id,
        "queue": t.queue_id,
        "agent": t.agents["agent"],
        "user": t.users["agent"][2],
        "team": t.team_id,
        "skill": t.skill_id,
        "disposition": "sold",
        "away": "lunch",
        "contact": contact["contact_id"],
        "customer": row["customer_id"],
        "token": t.token_id,
        "webhook": hook["webhook_id"],
        "offer": offer,
        "chat": started["chat_id"],
        "attachment": attachment["attachment_id"],
        "canned": canned["canned_id"],
        "widget": "shop",
        "call": voice["contact_id"],
        "recording": recording,
    }


def _recording(center: Center, contact_id: str) -> str:
    """A stored recording of tenant A's call (as the switchboard stores one; voice is off)."""
    folder = Path(tempfile.mkdtemp(prefix="isolation-"))
    path = folder / "rec_alpha.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(48000)
        out.writeframes(b"\0\0" * 2 * 4800)
    now = datetime.now(UTC)
    row = {"tenant_id": "alpha", "recording_id": "rec_alpha", "contact_id": contact_id,
           "kind": "call", "path": str(path), "duration_s": 0.1, "pauses": [], "peaks": [],
           "created_at": now, "expires_at": now + timedelta(days=1)}  # fmt: skip
    with center.app.state.runtime.db.begin() as conn:
        conn.execute(recordings.insert().values(**row))
    return "rec_alpha"


def _mail_contact(center: Center, manager: httpx.Client, base: str) -> tuple[str, str, str]:
    """An e-mail contact with an attachment, delivered as the IMAP watcher delivers."""
    ok(manager.put(f"{base}/mailboxes/support", json=_mailbox(center.tenants["alpha"].queue_id)))
    room = center.services.mailroom
    message = EmailMessage()
    message["From"], message["To"] = "ann@example.test", "support@alpha.example.com"
    message["Subject"], message["Message-ID"] = "Help", "<isolation@example.test>"
    message.set_content("Hello")
    message.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="a.pdf")
    delivery = room.deliver_from_thread(room.mailboxes[("alpha", "support")], message.as_bytes())
    assert delivery.contact_id is not None
    conversation = ok(manager.get(f"{base}/contacts/{delivery.contact_id}/mail"))
    first = conversation["messages"][0]
    return delivery.contact_id, first["attachments"][0]["attachment_id"], first["mail_id"]


def _flat(routes: list[Any]) -> list[Any]:
    """Every route, also those inside included routers (FastAPI >= 0.165 keeps them nested)."""
    flat: list[Any] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            context = getattr(route, "include_context", None)
            assert not getattr(context, "prefix", ""), "routers are included without a prefix"
            flat += _flat(list(inner.routes))
        else:
            flat.append(route)
    return flat


def _tenant_routes(center: Center) -> list[tuple[str, APIRoute]]:
    found: list[tuple[str, APIRoute]] = []
    for route in _flat(list(center.app.routes)):
        if isinstance(route, APIWebSocketRoute):
            assert route.path == "/api/v1/live", f"new WebSocket route {route.path}: test it"
            continue
        if not isinstance(route, APIRoute):
            continue  # /docs, /openapi.json and friends
        if route.endpoint.__module__.startswith("headset.web."):
            continue  # HTML pages: they read through the API route functions walked here
        for method in sorted(route.methods or ()):
            if route.path == TENANT_PREFIX or route.path.startswith(TENANT_PREFIX + "/"):
                found.append((method, route))
            elif (method, route.path) not in OUTSIDE_TENANTS:
                pytest.fail(f"{method} {route.path} is new: add it to the isolation walk")
    return found


def _snapshot(admin: httpx.Client, routes: list[tuple[str, APIRoute]], a: dict[str, str]) -> Any:
    """Every GET of tenant A as the admin sees it.

    Live statistics (and an e-mail's running timers) tick, API tokens' last use is written in
    the background, and the audit trail grows with the admin's own reads: these are left out
    here; the audit trail is checked for intruders separately.
    """
    seen = {}
    for method, route in routes:
        if method != "GET" or "/stats/" in route.path or route.path.endswith("/audit"):
            continue
        url = _fill(route.path, _ids(a, route.path), route)
        response = admin.get(url)
        if "json" in response.headers.get("content-type", ""):
            seen[url] = ok(response)
            if route.path.endswith("/mail"):  # an e-mail's running timers tick like statistics
                seen[url].pop("timers")
            if route.path.endswith("/tokens"):  # written in the background, once a minute
                for token in seen[url]:
                    token.pop("last_used_at")
        else:  # a file (a chat attachment)
            seen[url] = ok_bytes(response)
    return seen


def ok_bytes(response: httpx.Response) -> bytes:
    assert response.status_code == 200, f"{response.request.url}: {response.status_code}"
    return response.content


def walk_routes(
    routes: list[tuple[str, APIRoute]],
    values: dict[str, str],
    intruders: dict[str, httpx.Client],
) -> tuple[list[str], list[str]]:
    """Every route with `values`' ids, by every intruder: the 2xx and 5xx answers."""
    bodies = _bodies(values)
    reached: list[str] = []
    broken: list[str] = []
    for method, route in routes:
        url = _fill(route.path, _ids(values, route.path), route)
        body: dict[str, Any] | None = None
        if route.body_field is not None:
            if (method, route.path) not in bodies:
                pytest.fail(f"{method} {route.path} takes a body: add one to _bodies")
            body = bodies[(method, route.path)]
        for who, client in intruders.items():
            response = client.request(method, url, json=body)
            line = f"{who}: {method} {url} -> {response.status_code} {response.text[:200]}"
            if response.is_success:
                reached.append(line)
            if response.status_code >= 500:
                broken.append(line)
    return reached, broken


def test_no_role_of_another_tenant_reaches_any_tenant_route(center: Center) -> None:
    manager_a = center.as_user("alpha", "manager")
    a = _tenant_a(center, manager_a)
    routes = _tenant_routes(center)
    assert len(routes) > 40
    before = _snapshot(center.admin, routes, a)

    intruders = {role: center.as_user("beta", role) for role in ROLES}
    intruders["token"] = center.as_token("beta")
    reached, broken = walk_routes(routes, a, intruders)
    assert reached == [], "tenant beta reached tenant alpha:\n" + "\n".join(reached)
    assert broken == [], "\n".join(broken)

    after = _snapshot(center.admin, routes, a)
    assert after == before
    beta = center.tenants["beta"]
    intruder_actors = {f"user:{u[2]}" for u in beta.users.values()} | {f"token:{beta.token_id}"}
    if any(route.path.endswith("/audit") for _, route in routes):
        trail = ok(center.admin.get("/api/v1/tenants/alpha/audit", params={"limit": 1000}))
        assert not [e for e in trail["items"] if e["actor"] in intruder_actors]
    agent = ok(manager_a.get(f"/api/v1/tenants/alpha/agents/{a['agent']}"))
    assert agent["state"] == "reserved"  # still holding the offer nobody else could touch


def test_ids_of_another_tenant_are_unknown_in_ones_own_tenant(center: Center) -> None:
    """Tenant B's users naming tenant A's objects under their own tenant find nothing."""
    a = {
        "tenant": "beta",
        "queue": "alpha-sales",
        "agent": "alpha-agent",
        "user": center.tenants["alpha"].users["agent"][2],
        "team": "alpha-team",
        "skill": "absent",
        "disposition": "absent",
        "away": "absent",
        "contact": "",
        "customer": "",
        "token": center.tenants["alpha"].token_id,
        "webhook": "",
        "offer": "",
    }
    manager_a = center.as_user("alpha", "manager")
    contacts = ok(manager_a.get("/api/v1/tenants/alpha/contacts"))["items"]
    assert contacts
    a["contact"], a["customer"] = contacts[0]["contact_id"], contacts[0]["customer_id"]
    a["webhook"] = ok(manager_a.get("/api/v1/tenants/alpha/webhooks"))[0]["webhook_id"]
    canned = ok(manager_a.get("/api/v1/tenants/alpha/canned-responses"))
    a["chat"], a["attachment"], a["widget"] = a["contact"], "at_absent", "shop"
    a["canned"] = canned[0]["canned_id"]
    state = ok(center.as_user("alpha", "agent").get("/api/v1/auth/me"))
    assert state["agent_id"] == "alpha-agent"
    offers = [
        o
        for o in center.app.state.runtime.host.engine.state.offers.values()
        if o.agent_id == "alpha-agent"
    ]
    a["offer"] = offers[0].offer_id if offers else "alpha-offer"
    routes = [
        (m, r)
        for m, r in _tenant_routes(center)
        if any(p.name != "tenant_id" for p in r.dependant.path_params)
        # skills, dispositions and away reasons are keyed per tenant: B may make its own
        and not any(
            f"/{k}/{{item_id}}" in r.path for k in ("skills", "dispositions", "away-reasons")
        )
    ]
    bodies = _bodies(a)
    intruders = {role: center.as_user("beta", role) for role in ROLES}
    intruders["token"] = center.as_token("beta")
    reached = []
    for method, route in routes:
        url = _fill(route.path, _ids(a, route.path), route)
        body = bodies.get((method, route.path)) if route.body_field is not None else None
        for who, client in intruders.items():
            response = client.request(method, url, json=body)
            if response.is_success:
                reached.append(f"{who}: {method} {url} -> {response.status_code}")
    assert reached == [], "\n".join(reached)


def test_listing_tenants_shows_only_ones_own(center: Center) -> None:
    for role in ROLES:
        client = center.as_user("beta", role)
        assert [t["tenant_id"] for t in ok(client.get("/api/v1/tenants"))] == ["beta"]
    token = center.as_token("beta")
    assert [t["tenant_id"] for t in ok(token.get("/api/v1/tenants"))] == ["beta"]
    assert {t["tenant_id"] for t in ok(center.admin.get("/api/v1/tenants"))} == {"alpha", "beta"}
