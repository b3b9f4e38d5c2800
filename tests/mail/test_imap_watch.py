"""The IMAP watcher checks its host at every connection, not only when the mailbox is saved."""

from __future__ import annotations

import logging

import pytest

from headset.access.secret_box import KeyedSecretBox
from headset.mailroom.imap_watch import ImapWatcher
from headset.mailroom.mailboxes import Mailbox
from headset.mailroom.servers import ServerAccess
from tests.mail.conftest import MailServers
from tests.mail.mail_servers import PASSWORD

BOX = KeyedSecretBox("imap-watch-test-secret-key")


def _mailbox(host: str, port: int) -> Mailbox:
    sealed = BOX.seal(PASSWORD, "mailbox-password:t1:support:imap")
    return Mailbox(
        "t1", "support", "support@t1.example.com", "T1", "q", "imap", host, port, "watched",
        sealed, "INBOX", "none", None, None, None, None, "none", None, None, 100_000, True,
    )  # fmt: skip


def _watch(mailbox: Mailbox, access: ServerAccess) -> ImapWatcher:
    watcher = ImapWatcher(mailbox, lambda box, raw: None, access)
    watcher.start()
    return watcher


def test_the_watcher_signs_in_with_the_sealed_password(servers: MailServers) -> None:
    allowed = ServerAccess(BOX, allows_internal_hosts=True)  # Dovecot is on loopback
    watcher = _watch(_mailbox("127.0.0.1", servers.dovecot.imap_port), allowed)
    try:
        assert watcher.connected.wait(10), watcher.failures
    finally:
        watcher.stop()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433"])
def test_an_internal_imap_host_is_refused_at_connection(
    servers: MailServers, host: str, caplog: pytest.LogCaptureFixture
) -> None:
    # saved before the operator withdrew the allowance, say: the connection checks again
    caplog.set_level(logging.WARNING, logger="headset.mailroom")
    watcher = _watch(_mailbox(host, servers.dovecot.imap_port), ServerAccess(BOX))
    try:
        assert not watcher.connected.wait(1.5)
        assert watcher.failures >= 1
    finally:
        watcher.stop()
    assert "internal address 127.0.0.1" in caplog.text or "is this machine" in caplog.text


def test_a_name_that_now_resolves_inside_is_refused_at_connection(
    servers: MailServers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="headset.mailroom")
    rebound = ServerAccess(BOX, resolver=lambda host, port: ["169.254.169.254"])
    watcher = _watch(_mailbox("imap.example.org", servers.dovecot.imap_port), rebound)
    try:
        assert not watcher.connected.wait(1.5)
        assert watcher.failures >= 1
    finally:
        watcher.stop()
    assert "resolves to the internal address 169.254.169.254" in caplog.text
