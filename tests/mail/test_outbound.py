"""Outbound SMTP against Exim with STARTTLS and a login: certificates checked, TLS first."""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest

from headset.mail.replies import Sender, build_reply
from headset.mailroom import outbound
from headset.mailroom.mailboxes import Mailbox
from tests.mail.conftest import MailServers
from tests.mail.mail_servers import PASSWORD, SMTP_USER, Exim

SECRET_ENV = "HEADSET_TEST_SMTP_PASSWORD"


@pytest.fixture(scope="module")
def secure(servers: MailServers) -> Iterator[Exim]:
    exim = Exim(servers.dovecot, is_secure=True)
    try:
        exim.start()
        yield exim
    finally:
        exim.remove()


def _mailbox(exim: Exim, security: str = "starttls") -> Mailbox:
    return Mailbox(
        "t1", "support", "support@alpha.example.com", "Alpha", "q", "smtp", None, None, None,
        None, "INBOX", "none", "127.0.0.1", exim.port, SMTP_USER, SECRET_ENV, security, None,
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
    monkeypatch.setenv(SECRET_ENV, PASSWORD)
    message_id, message = _reply(1)

    outbound.send(_mailbox(secure), message)

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
    monkeypatch.setenv(SECRET_ENV, "not the password")
    with pytest.raises(smtplib.SMTPAuthenticationError):
        outbound.send(_mailbox(secure), _reply(2)[1])

    monkeypatch.setenv(SECRET_ENV, PASSWORD)
    monkeypatch.delenv("SSL_CERT_FILE")
    with pytest.raises(ssl.SSLCertVerificationError):
        outbound.send(_mailbox(secure), _reply(3)[1])


def test_an_unset_password_variable_is_named(secure: Exim, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(secure.certificate))
    monkeypatch.delenv(SECRET_ENV, raising=False)
    with pytest.raises(LookupError, match=SECRET_ENV):
        outbound.send(_mailbox(secure), _reply(4)[1])
