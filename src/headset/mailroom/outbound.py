"""Sending over SMTP: plain, STARTTLS or implicit TLS, with a login when configured.

Blocking (smtplib), so callers run it in a worker thread. Certificates are verified with
the system's trust store; a mailbox that sends through a server with a private CA needs
that CA installed on the machine, never a switch that turns checking off.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from headset.mailroom.mailboxes import Mailbox, password

TIMEOUT_SECONDS = 30


class NotConfigured(Exception):
    """The mailbox has no outbound server."""


def send(mailbox: Mailbox, message: EmailMessage) -> None:
    """Hands the message to the mailbox's SMTP server; raises if the server refuses it."""
    if not mailbox.smtp_host:
        raise NotConfigured(f"mailbox {mailbox.mailbox_id!r} has no SMTP server to send with")
    host, security = mailbox.smtp_host, mailbox.smtp_security
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if security == "tls":
        client = smtplib.SMTP_SSL(
            host, mailbox.smtp_port or 465, timeout=TIMEOUT_SECONDS, context=context
        )
    else:
        client = smtplib.SMTP(host, mailbox.smtp_port or 587, timeout=TIMEOUT_SECONDS)
    with client:
        client.ehlo()
        if security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        secret = password(mailbox.smtp_password_env)
        if mailbox.smtp_username and secret is not None:
            client.login(mailbox.smtp_username, secret)
        client.send_message(message, from_addr=mailbox.address)
