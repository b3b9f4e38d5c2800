"""Outbound SMTP against Exim with STARTTLS and a login: certificates checked, TLS first."""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from headset.access.addresses import InternalAddress
from headset.access.secret_box import KeyedSecretBox, SecretUnreadable
from headset.mail.replies import Sender, build_reply
from headset.mailroom import outbound
from headset.mailroom.mailboxes import Mailbox
from headset.mailroom.servers import ServerAccess
from tests.mail.conftest import MailServers
from tests.mail.mail_servers import PASSWORD, SMTP_USER, Exim

#: The test's Exim listens on loopback: the operator's allowance of internal mail hosts.
ACCESS = ServerAccess(KeyedSecretBox("outbound-test-secret-key"), allows_internal_hosts=True)


@pytest.fixture(scope="module")
def secure(servers: MailServers) -> Iterator[Exim]:
    exim = Exim(servers.dovecot, is_secure=True)
    try:
        exim.start()
        yield exim
    finally:
        exim.remove()


def _mailbox(
    exim: Exim, security: str = "starttls", password: str = PASSWORD, host: str = "127.0.0.1"
) -> Mailbox:
    sealed = ACCESS.seal(("t1", "support"), "smtp", password)
    return Mailbox(
        "t1", "support", "support@alpha.example.com", "Alpha", "q", "smtp", None, None, None,
        None, "INBOX", "none", host, exim.port, SMTP_USER, sealed, security, None,
        None, 100_000, True,
    )  # fmt: skip


def _reply(n: int) -> tuple[str, EmailMessage]:
    message = build_reply(
        Sender("support@alpha.example.com", "Alpha"), "tls@example.com", "Question", "K7Q2MX",
        f"Answer {n}", f"<q{n}@example.com>", [], datetime.now(UTC),
    )  # fmt: skip
    return str(message["Message-ID"]), message


def test_a_reply_leaves_over_starttls_with_a_login(
    secure: Exim, servers: MailServers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(secure.certificate))  # trust the test's own CA
    message_id, message = _reply(1)

    outbound.send(_mailbox(secure), message, ACCESS)

    arrived = servers.wait_for("tls", lambda m: m["Message-ID"] == message_id)
    assert arrived["In-Reply-To"] == "<q1@example.com>"
    deadline = time.monotonic() + 5
    while f"A=plain_login:{SMTP_USER}" not in secure.log():
        assert time.monotonic() < deadline, secure.log()[-1500:]
        time.sleep(0.05)
    line = next(x for x in secure.log().splitlines() if "A=plain_login" in x)
    assert " X=TLS" in line  # the login happened inside TLS


def test_a_wrong_password_and_an_untrusted_certificate_are_refused(
    secure: Exim, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(secure.certificate))
    with pytest.raises(smtplib.SMTPAuthenticationError):
        outbound.send(_mailbox(secure, password="not the password"), _reply(2)[1], ACCESS)

    monkeypatch.delenv("SSL_CERT_FILE")
    with pytest.raises(ssl.SSLCertVerificationError):
        outbound.send(_mailbox(secure), _reply(3)[1], ACCESS)


def test_a_password_sealed_with_another_secret_key_is_not_sent(
    secure: Exim, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(secure.certificate))
    other = ServerAccess(KeyedSecretBox("another-secret-key-entirely"), allows_internal_hosts=True)
    with pytest.raises(SecretUnreadable, match="HEADSET_SECRET_KEY"):
        outbound.send(_mailbox(secure), _reply(4)[1], other)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "169.254.169.254", "10.1.2.3", "2130706433", "localhost", "[::1]"]
)
def test_an_internal_smtp_host_is_refused_before_connecting(secure: Exim, host: str) -> None:
    strict = ServerAccess(ACCESS.secrets)  # the operator did not allow internal mail hosts
    with pytest.raises(InternalAddress):
        outbound.send(_mailbox(secure, host=host), _reply(5)[1], strict)


def test_a_name_that_now_resolves_inside_is_refused_at_connection(secure: Exim) -> None:
    # saved while it resolved to a public address; by the time of sending DNS says 10.x
    rebound = ServerAccess(ACCESS.secrets, resolver=lambda host, port: ["10.0.0.25"])
    with pytest.raises(InternalAddress, match=r"10\.0\.0\.25"):
        outbound.send(_mailbox(secure, host="smtp.example.org"), _reply(6)[1], rebound)
