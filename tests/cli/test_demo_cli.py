"""`headset demo`: a served demo center with two tenants and simulated traffic."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import func, select

from headset.cli import main
from headset.storage.database import make_engine
from headset.storage.tables import (
    chat_messages,
    chat_widgets,
    contacts,
    mail_messages,
    mailboxes,
    tenants,
    users,
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_demo_serves_a_living_center_and_prints_how_to_sign_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = _free_port()
    args = [
        "demo",
        "--bind",
        f"127.0.0.1:{port}",
        "--dir",
        str(tmp_path / "demo"),
        "--seconds",
        # long enough for the simulated agents to sign in and answer on a loaded CI machine
        "20",
        "--contact-every",
        "0.3",
    ]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert f"http://127.0.0.1:{port}" in printed
    assert "lakeside-supervisor" in printed
    assert "demo-password-2026" in printed
    assert f"http://127.0.0.1:{port}/wallboard" in printed
    assert f"http://127.0.0.1:{port}/chat/wk_" in printed
    db = make_engine(f"sqlite:///{tmp_path / 'demo' / 'headset.db'}")
    with db.connect() as conn:
        assert {r.tenant_id for r in conn.execute(select(tenants))} == {"lakeside-cu", "northwave"}
        roles = {r.role for r in conn.execute(select(users))}
        assert roles == {"admin", "manager", "supervisor", "team_leader", "qa", "agent"}
        made = conn.execute(select(func.count()).select_from(contacts)).scalar_one()
        answered = conn.execute(
            select(func.count()).select_from(contacts).where(contacts.c.answered_at.is_not(None))
        ).scalar_one()
        widgets = {r.tenant_id for r in conn.execute(select(chat_widgets))}
        authors = {r.author_kind for r in conn.execute(select(chat_messages))}
        boxes = {r.tenant_id for r in conn.execute(select(mailboxes))}
        email_contacts = conn.execute(
            select(func.count()).select_from(contacts).where(contacts.c.channel == "email")
        ).scalar_one()
        mail = [(r.direction, r.kind, r.status) for r in conn.execute(select(mail_messages)).all()]
    db.dispose()
    assert boxes == {"lakeside-cu", "northwave"}  # a mailbox per tenant
    # simulated customers wrote over SMTP to Headset's receiver, which made e-mail contacts
    assert ("inbound", "message", "received") in mail
    assert email_contacts >= 1
    # simulated agents replied, and the demo's SMTP sink took the replies
    assert ("outbound", "reply", "sent") in mail
    assert ("outbound", "acknowledgement", "sent") in mail
    assert widgets == {"lakeside-cu", "northwave"}  # each tenant has a chat widget
    # customers chatted through the widget, and simulated agents answered in the chat
    assert authors == {"customer", "agent"}
    assert made >= 5  # simulated customers created contacts
    assert answered >= 1  # and simulated agents answered some
