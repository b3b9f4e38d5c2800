"""A mailbox's passwords are the tenant's own, sealed, and its servers are on the internet.

A tenant's manager once read any environment variable of the server (HEADSET_SECRET_KEY, or
another tenant's mail password) by naming it as a mailbox's password variable and pointing
the mailbox at their own IMAP server; and mailbox hosts reached any internal host and port.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from headset.access.passwords import FAST_FOR_TESTS
from headset.access.secret_box import KeyedSecretBox, SecretUnreadable
from headset.api.app import create_app
from headset.config import Settings
from headset.mailroom.mailboxes import secret_context
from headset.storage.tables import mailboxes
from tests.service.conftest import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    SECRET,
    Center,
    Served,
    SkewClock,
    login,
    ok,
    seed_admin,
    start_center,
)

BASE = "/api/v1/tenants/alpha/mailboxes"
IMAP_PASSWORD = "imap-pass-Quokka-42"


@pytest.fixture(scope="module")
def center(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Center]:
    # as an operator runs it: internal mail hosts are not allowed
    c = start_center(tmp_path_factory.mktemp("mailbox-secrets"))
    try:
        yield c
    finally:
        c.close()
        c.served.stop()


@pytest.fixture(scope="module")
def manager(center: Center) -> httpx.Client:
    return center.as_user("alpha", "manager")


def _body(
    center: Center, mailbox_id: str, imap: dict[str, Any] | None = None, **smtp: Any
) -> dict[str, Any]:
    return {
        "address": f"{mailbox_id}@alpha.example.com",
        "display_name": "Alpha Help",
        "queue_id": center.tenants["alpha"].queue_id,
        "inbound": "imap",
        "imap": {"host": "imap.example.org", "username": "help", **(imap or {})},
        "smtp": {"host": "smtp.example.org", **smtp},
        "is_active": False,  # no watcher: these tests are about what is stored
    }


def _row(center: Center, mailbox_id: str) -> Any:
    with center.app.state.runtime.reader.connect() as conn:
        return conn.execute(
            select(mailboxes).where(
                mailboxes.c.tenant_id == "alpha", mailboxes.c.mailbox_id == mailbox_id
            )
        ).one()


def _field_error(response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    return str(error["field"]), str(error["type"])


def test_a_manager_cannot_name_an_environment_variable(
    center: Center, manager: httpx.Client
) -> None:
    named = _body(center, "named", {"password_env": "HEADSET_SECRET_KEY"})
    refused = manager.put(f"{BASE}/named", json=named)

    assert refused.status_code == 422
    assert "imap.password_env" in refused.text  # no such field
    assert manager.get(f"{BASE}/named").status_code == 404


def test_a_password_is_stored_sealed_and_never_shown(center: Center, manager: httpx.Client) -> None:
    body = _body(
        center, "sealed", {"password": IMAP_PASSWORD}, username="help", password="smtp-pass-7"
    )
    saved = ok(manager.put(f"{BASE}/sealed", json=body))

    assert saved["imap"]["has_password"]
    assert saved["smtp"]["has_password"]
    shown = manager.get(f"{BASE}/sealed").text + manager.get(BASE).text
    assert IMAP_PASSWORD not in shown
    assert "smtp-pass-7" not in shown
    row = _row(center, "sealed")
    assert IMAP_PASSWORD not in row.imap_password  # not in clear in the database
    box = KeyedSecretBox(SECRET)
    assert box.open(row.imap_password, secret_context("alpha", "sealed", "imap")) == IMAP_PASSWORD
    assert box.open(row.smtp_password, secret_context("alpha", "sealed", "smtp")) == "smtp-pass-7"
    # a sealed password copied to another tenant's (or server's) row does not open there
    for elsewhere in (("beta", "sealed", "imap"), ("alpha", "sealed", "smtp")):
        with pytest.raises(SecretUnreadable):
            box.open(row.imap_password, secret_context(*elsewhere))  # type: ignore[arg-type]


def test_a_stored_password_stays_only_while_the_server_stays(
    center: Center, manager: httpx.Client
) -> None:
    ok(manager.put(f"{BASE}/kept", json=_body(center, "kept", {"password": IMAP_PASSWORD})))
    sealed = _row(center, "kept").imap_password

    renamed = {**_body(center, "kept"), "display_name": "Alpha Help Desk"}  # no password given
    assert ok(manager.put(f"{BASE}/kept", json=renamed))["imap"]["has_password"]
    assert _row(center, "kept").imap_password == sealed

    # pointed at another server, the stored password would go with it: it must be given again
    moved = _body(center, "kept", {"host": "imap.elsewhere.example"})
    assert _field_error(manager.put(f"{BASE}/kept", json=moved)) == (
        "imap.password",
        "password_again",
    )
    assert _row(center, "kept").imap_password == sealed
    moved["imap"]["password"] = "the-new-server-pass"
    ok(manager.put(f"{BASE}/kept", json=moved))
    box = KeyedSecretBox(SECRET)
    stored = _row(center, "kept").imap_password
    assert box.open(stored, secret_context("alpha", "kept", "imap")) == "the-new-server-pass"


def test_an_imap_mailbox_needs_a_password(center: Center, manager: httpx.Client) -> None:
    assert _field_error(manager.put(f"{BASE}/bare", json=_body(center, "bare"))) == (
        "imap.password",
        "required",
    )


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "169.254.169.254",
        "10.0.0.8",
        "192.168.1.1",
        "2130706433",
        "0x7f000001",
        "127.1",
        "localhost",
        "[::1]",
        "::ffff:10.0.0.1",
    ],
)
@pytest.mark.parametrize("server", ["imap", "smtp"])
def test_internal_mail_hosts_are_refused_when_saved(
    center: Center, manager: httpx.Client, server: str, host: str
) -> None:
    body = _body(center, "inside", {"password": IMAP_PASSWORD})
    body[server]["host"] = host
    refused = manager.put(f"{BASE}/inside", json=body)

    assert _field_error(refused) == (f"{server}.host", "internal_host")
    assert "HEADSET_MAIL_INTERNAL_HOSTS" in refused.text
    assert manager.get(f"{BASE}/inside").status_code == 404


def test_the_operator_may_allow_internal_mail_hosts(tmp_path: Path) -> None:
    on_premises = start_center(tmp_path, mail_internal_hosts=True)
    try:
        body = _body(on_premises, "inside", {"host": "10.0.0.8", "password": IMAP_PASSWORD})
        ok(on_premises.admin.put(f"{BASE}/inside", json=body))
    finally:
        on_premises.close()
        on_premises.served.stop()


def test_no_password_is_stored_under_a_secret_key_made_at_start(tmp_path: Path) -> None:
    # without HEADSET_SECRET_KEY the key is new at every start: nothing sealed would open
    url = f"sqlite:///{tmp_path}/h.db"
    seed_admin(url)
    served = Served(create_app(Settings(database_url=url), clock=SkewClock(),
                               passwords=FAST_FOR_TESTS))  # fmt: skip
    admin = login(served.url, ADMIN_USER, ADMIN_PASSWORD)
    try:
        ok(admin.post("/api/v1/tenants", json={"tenant_id": "alpha", "name": "Alpha"}), 201)
        ok(admin.put("/api/v1/tenants/alpha/queues/q", json={"queue_id": "q", "name": "Q"}))
        body = {
            "address": "help@alpha.example.com", "display_name": "Help", "queue_id": "q",
            "inbound": "imap", "is_active": False,
            "imap": {"host": "imap.example.org", "username": "help", "password": "pw-1"},
        }  # fmt: skip
        refused = admin.put(f"{BASE}/help", json=body)
        assert _field_error(refused) == ("imap.password", "secret_key_unset")
        assert "HEADSET_SECRET_KEY" in refused.text
    finally:
        admin.close()
        served.stop()
