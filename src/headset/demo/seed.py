"""Seeds the demo center through the API, as an administrator would set it up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

PASSWORD = "demo-password-2026"

TENANTS: list[dict[str, Any]] = [
    {
        "tenant_id": "lakeside-cu",
        "name": "Lakeside Credit Union",
        "time_zone": "Europe/Amsterdam",
        "skills": ["loans", "accounts", "language-nl", "language-en"],
        "queues": [
            ("lakeside-members", "Member services", ["accounts"]),
            ("lakeside-loans", "Loans", ["loans"]),
        ],
        "dispositions": [
            ("resolved", "Resolved"),
            ("referral", "Sales referral"),
            ("callback", "Callback planned"),
        ],
        "widget": {
            "display_name": "Lakeside Credit Union",
            "greeting": "Hello! Ask us about your accounts or a loan.",
            "colour": "#0b5d8c",
            "languages": ["en", "nl"],
            "topics": [
                ("accounts", "My accounts", "lakeside-members"),
                ("loans", "Loans and mortgages", "lakeside-loans"),
            ],
        },
    },
    {
        "tenant_id": "northwave",
        "name": "Northwave Telecom",
        "time_zone": "Europe/Riga",
        "skills": ["billing", "tech-support", "language-lv", "language-en"],
        "queues": [
            ("northwave-billing", "Billing", ["billing"]),
            ("northwave-support", "Technical support", ["tech-support"]),
        ],
        "dispositions": [
            ("resolved", "Resolved"),
            ("sale", "Sale"),
            ("escalated", "Escalated to tier 2"),
        ],
        "widget": {
            "display_name": "Northwave Telecom",
            "greeting": "Hi! Questions about your bill or your connection?",
            "colour": "#6b2fa3",
            "languages": ["en", "lv"],
            "topics": [
                ("billing", "My bill", "northwave-billing"),
                ("support", "Internet and TV problems", "northwave-support"),
            ],
        },
    },
]

ROLES = ("manager", "supervisor", "team_leader", "qa", "agent")
#: The names customers see for each tenant's agent and team leader (people who sign in).
PEOPLE_NAMES = {
    "lakeside-cu": ("Sanne de Wit", "Ruud Visser"),
    "northwave": ("Liga Berzina", "Janis Kalns"),
}

#: Prepared answers agents insert by typing "/" and the shortcut.
CANNED = [
    ("hello", "Greeting", "Hello, thank you for waiting. How can I help you today?"),
    ("moment", "One moment", "One moment please, I am looking into it."),
    ("thanks", "Closing", "Thank you for contacting us. Have a good day!"),
]
AWAY = [("break", "Break"), ("lunch", "Lunch"), ("meeting", "Meeting"), ("training", "Training")]
SIMULATED_AGENTS = 6


def ivr_flow(spec: dict[str, Any]) -> dict[str, Any]:
    """The tenant's phone menu: "for <topic>, press 1 ...", each key to its queue."""
    topics = spec["widget"]["topics"]
    menu = " ".join(f"For {label}, press {n}." for n, (_, label, _) in enumerate(topics, 1))
    first_queue = spec["queues"][0][0]
    return {
        "name": "Phone menu",
        "steps": [
            {"id": "hello", "type": "play", "text": f"Welcome to {spec['name']}.",
             "next": "open"},
            {"id": "open", "type": "hours", "queue_id": first_queue, "open": "menu",
             "closed": "voicemail"},
            {"id": "menu", "type": "menu", "text": menu, "on_timeout": topics[0][0],
             "options": {str(n): topic for n, (topic, _, _) in enumerate(topics, 1)}},
            *({"id": topic, "type": "queue", "queue_id": queue} for topic, _, queue in topics),
            {"id": "voicemail", "type": "voicemail", "queue_id": first_queue,
             "text": "We are closed. Please leave a message after the tone."},
        ],
    }  # fmt: skip


@dataclass
class Seeded:
    """What the demo made: people to print, bots to run, tokens for the customers."""

    people: list[tuple[str, str, str]] = field(default_factory=list)
    bots: list[tuple[str, str, str]] = field(default_factory=list)  # username, tenant, agent
    tokens: dict[str, str] = field(default_factory=dict)
    queues: dict[str, list[tuple[str, list[str]]]] = field(default_factory=dict)
    #: Each tenant's chat widget: its public key and its topics.
    widgets: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    #: Each tenant's mailbox address (demo/mail.py writes to it), and the customers' side.
    mailboxes: dict[str, str] = field(default_factory=dict)
    mail: Any = None


def _ok(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise RuntimeError(f"demo set-up failed: {response.request.url} {response.text}")
    return response.json() if response.content else None


async def seed(
    client: httpx.AsyncClient, admin_password: str, mail_sink_port: int | None = None
) -> Seeded:
    """Creates both tenants with teams, skills, queues, people and agents; with
    `mail_sink_port`, a mailbox each whose replies leave through that SMTP sink."""
    login = _ok(
        await client.post(
            "/api/v1/auth/login", json={"username": "admin", "password": admin_password}
        )
    )
    headers = {"X-CSRF-Token": login["csrf_token"]}
    out = Seeded(people=[("admin", "admin", "every tenant")])
    for spec in TENANTS:
        t = spec["tenant_id"]
        base = f"/api/v1/tenants/{t}"
        _ok(
            await client.post(
                "/api/v1/tenants",
                headers=headers,
                json={"tenant_id": t, "name": spec["name"], "time_zone": spec["time_zone"]},
            )
        )
        for skill in spec["skills"]:
            _ok(
                await client.put(
                    f"{base}/skills/{skill}",
                    headers=headers,
                    json={"skill_id": skill, "name": skill.replace("-", " ")},
                )
            )
        for code, label in spec["dispositions"]:
            _ok(
                await client.put(
                    f"{base}/dispositions/{code}",
                    headers=headers,
                    json={"code": code, "label": label},
                )
            )
        for code, label in AWAY:
            _ok(
                await client.put(
                    f"{base}/away-reasons/{code}",
                    headers=headers,
                    json={"code": code, "label": label},
                )
            )
        for queue_id, name, _ in spec["queues"]:
            _ok(
                await client.put(
                    f"{base}/queues/{queue_id}",
                    headers=headers,
                    json={
                        "queue_id": queue_id,
                        "name": name,
                        "wrap_up_seconds": 20,
                        "time_zone": spec["time_zone"],
                        # calls of the first queue are recorded (docs/voice.md)
                        "recording": "all" if queue_id == spec["queues"][0][0] else "none",
                        "announce_every_s": 20,
                    },
                )
            )
        out.queues[t] = [(q, skills) for q, _, skills in spec["queues"]]
        users = {}
        for role in ROLES:
            username = f"{t.split('-')[0]}-{role.replace('_', '-')}"
            user = _ok(
                await client.post(
                    f"{base}/users",
                    headers=headers,
                    json={
                        "username": username,
                        "display_name": f"{spec['name']} {role.replace('_', ' ')}",
                        "role": role,
                        "password": PASSWORD,
                    },
                )
            )
            users[role] = user["user_id"]
            out.people.append((username, role, spec["name"]))
        team = f"{t}-team-a"
        _ok(
            await client.put(
                f"{base}/teams/{team}",
                headers=headers,
                json={"team_id": team, "name": "Team A", "leader_user_id": users["team_leader"]},
            )
        )
        memberships = [{"queue_id": q} for q, _, _ in spec["queues"]]
        all_skills = dict.fromkeys(spec["skills"], 6)
        people_agents = [
            (f"{t}-agent", users["agent"], False),
            (f"{t}-leader", users["team_leader"], True),
        ]
        # the widget's languages: a chat or call in one of them goes only to agents who
        # speak it (the engine's language match), and the customer's page always sends one
        languages = spec["widget"]["languages"]
        for agent_id, user_id, is_leader in people_agents:
            _ok(
                await client.put(
                    f"{base}/agents/{agent_id}",
                    headers=headers,
                    json={
                        "agent_id": agent_id,
                        "display_name": PEOPLE_NAMES[t][1 if is_leader else 0],
                        "user_id": user_id,
                        "team_id": team,
                        "is_team_leader": is_leader,
                        "skills": all_skills,
                        "languages": languages,
                        "queues": [] if is_leader else memberships,
                    },
                )
            )
        for n in range(1, SIMULATED_AGENTS + 1):
            username = f"{t.split('-')[0]}-sim-{n}"
            user = _ok(
                await client.post(
                    f"{base}/users",
                    headers=headers,
                    json={
                        "username": username,
                        "display_name": f"Simulated agent {n}",
                        "role": "agent",
                        "password": PASSWORD,
                    },
                )
            )
            agent_id = f"{t}-sim-{n}"
            _ok(
                await client.put(
                    f"{base}/agents/{agent_id}",
                    headers=headers,
                    json={
                        "agent_id": agent_id,
                        "display_name": f"Simulated agent {n}",
                        "user_id": user["user_id"],
                        "team_id": team,
                        "skills": all_skills,
                        "languages": languages,
                        "queues": memberships,
                    },
                )
            )
            out.bots.append((username, t, agent_id))
        token = _ok(
            await client.post(
                f"{base}/tokens",
                headers=headers,
                json={"name": "demo customers", "role": "manager"},
            )
        )
        out.tokens[t] = token["token"]
        for shortcut, title, body in CANNED:
            _ok(
                await client.post(
                    f"{base}/canned-responses",
                    headers=headers,
                    json={"shortcut": shortcut, "title": title, "body": body},
                )
            )
        widget = spec["widget"]
        topics = widget["topics"]
        _ok(await client.put(f"{base}/ivr-flows/{t}-phone", headers=headers, json=ivr_flow(spec)))
        made = _ok(
            await client.put(
                f"{base}/widgets/{t}-web",
                headers=headers,
                json={
                    **{k: v for k, v in widget.items() if k != "topics"},
                    "offline_message": "We are closed now; leave a message and we answer soon.",
                    "voice_enabled": True,
                    "ivr_flow_id": f"{t}-phone",
                    "topics": [
                        {"topic_id": topic, "label": label, "queue_id": queue}
                        for topic, label, queue in topics
                    ],
                },
            )
        )
        out.widgets[t] = (made["widget_key"], [topic for topic, _, _ in topics])
        if mail_sink_port is not None:
            address = f"support@{t}.example.com"
            _ok(
                await client.put(
                    f"{base}/mailboxes/{t}-support",
                    headers=headers,
                    json={
                        "address": address,
                        "display_name": f"{spec['name']} support",
                        "queue_id": spec["queues"][0][0],
                        "inbound": "smtp",
                        "smtp": {"host": "127.0.0.1", "port": mail_sink_port, "security": "none"},
                        "acknowledgement": "Thank you for writing; your reference is {reference}.",
                        "signature": f"Kind regards,\n{spec['name']}",
                        "first_response_target_s": 4 * 3600,
                        "resolution_target_s": 24 * 3600,
                    },
                )
            )
            out.mailboxes[t] = address
    return out
