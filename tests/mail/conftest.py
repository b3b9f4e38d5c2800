"""A served center whose tenant alpha has two mailboxes on real mail servers.

- `support@example.com` is fetched over IMAP (IDLE) from Dovecot; customers reach it
  through Exim, as mail from the internet would.
- `direct@alpha.example.com` takes mail on Headset's own SMTP receiver.

Both send through Exim, which delivers to the customers' Dovecot mailboxes.
"""

from __future__ import annotations

import smtplib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.mail.mail_servers import PASSWORD, Dovecot, Exim
from tests.service.conftest import Center, ok, start_center

ACKNOWLEDGEMENT = "We have your message; your reference is {reference}."


@dataclass
class MailServers:
    dovecot: Dovecot
    exim: Exim

    def send(self, raw: bytes, to: str, sender: str = "carla@example.com") -> None:
        """A customer's mail client hands a message to their provider (Exim)."""
        with smtplib.SMTP("127.0.0.1", self.exim.port, timeout=10) as client:
            client.sendmail(sender, [to], raw)

    def inbox(self, user: str) -> list[EmailMessage]:
        """Every message in the user's INBOX, oldest first."""
        client = self.dovecot.imap(user)
        try:
            client.select("INBOX")
            _, data = client.search(None, "ALL")
            found = []
            for number in (data[0] or b"").split():
                _, parts = client.fetch(number.decode(), "(BODY.PEEK[])")
                raw = next(p[1] for p in parts if isinstance(p, tuple))
                found.append(message_from_bytes(raw, policy=policy.default))
            return found  # type: ignore[return-value]
        finally:
            client.logout()

    def wait_for(self, user: str, test: Any, timeout: float = 15) -> EmailMessage:
        deadline = time.monotonic() + timeout
        while True:
            for message in self.inbox(user):
                if test(message):
                    return message
            if time.monotonic() > deadline:
                raise AssertionError(f"no such message reached {user}: {self.exim.log()[-1500:]}")
            time.sleep(0.1)

    def unseen(self, user: str) -> int:
        client = self.dovecot.imap(user)
        try:
            client.select("INBOX")
            _, data = client.search(None, "UNSEEN")
            return len((data[0] or b"").split())
        finally:
            client.logout()


@pytest.fixture(scope="module")
def servers() -> Iterator[MailServers]:
    dovecot = Dovecot()
    dovecot.start()
    exim = Exim(dovecot)
    try:
        exim.start()
        yield MailServers(dovecot, exim)
    finally:
        exim.remove()
        dovecot.remove()


def mailbox_bodies(servers: MailServers, imap_user: str = "support") -> dict[str, Any]:
    smtp = {"host": "127.0.0.1", "port": servers.exim.port, "security": "none"}
    return {
        "support": {
            "address": f"{imap_user}@example.com",
            "display_name": "Alpha Support",
            "queue_id": "alpha-sales",
            "inbound": "imap",
            "imap": {
                "host": "127.0.0.1",
                "port": servers.dovecot.imap_port,
                "username": imap_user,
                "password": PASSWORD,
                "security": "none",
            },
            "smtp": smtp,
            "acknowledgement": ACKNOWLEDGEMENT,
            "signature": "Alpha Support",
        },
        "direct": {
            "address": "direct@alpha.example.com",
            "display_name": "Alpha Direct",
            "queue_id": "alpha-sales",
            "inbound": "smtp",
            "smtp": smtp,
            "max_message_bytes": 50_000,
        },
    }


def mail_bodies_smtp(servers: MailServers) -> dict[str, Any]:
    """The mailbox bodies `mail_center` saves (for tests that change one)."""
    return mailbox_bodies(servers)


def mail_center(tmp: Path, servers: MailServers, imap_user: str = "support") -> Center:
    # the mail servers listen on loopback: the operator's allowance of internal mail hosts
    center = start_center(
        tmp, mail_receiver_bind="127.0.0.1:0", max_body_bytes=200_000, mail_internal_hosts=True
    )
    try:
        for mailbox_id, body in mailbox_bodies(servers, imap_user).items():
            ok(center.admin.put(f"/api/v1/tenants/alpha/mailboxes/{mailbox_id}", json=body))
    except BaseException:
        center.close()
        center.served.stop()
        raise
    return center


def receiver_port(center: Center) -> int:
    port = center.services.mailroom.receiver_port
    assert port is not None
    return port


def wait_connected(center: Center, mailbox_id: str = "support") -> None:
    """Waits until the mailbox's IMAP watcher is signed in and idling."""
    room = center.services.mailroom
    watcher = room.watchers[("alpha", mailbox_id)]
    assert watcher.connected.wait(10), f"the IMAP watcher never connected ({watcher.failures})"


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory, servers: MailServers) -> Iterator[Center]:
    c = mail_center(tmp_path_factory.mktemp("mail"), servers)
    try:
        wait_connected(c)
        yield c
    finally:
        c.close()
        c.served.stop()


@pytest.fixture(scope="module")
def agent(center: Center) -> httpx.Client:
    client = center.as_user("alpha", "agent")
    agent_id = center.tenants["alpha"].agents["agent"]
    ok(client.post(f"/api/v1/tenants/alpha/agents/{agent_id}/state", json={"state": "available"}))
    return client
