"""Sending over SMTP: plain, STARTTLS or implicit TLS, with a login when configured.

Blocking (smtplib), so callers run it in a worker thread. Certificates are verified with
the system's trust store; a mailbox that sends through a server with a private CA needs
that CA installed on the machine, never a switch that turns checking off. The host is
checked against internal addresses before each connection (mailroom/servers.py).
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from headset.mailroom.mailboxes import Mailbox
from headset.mailroom.servers import ServerAccess

TIMEOUT_SECONDS = 30


class NotConfigured(Exception):
    """The mailbox has no outbound server."""


def send(mailbox: Mailbox, message: EmailMessage, access: ServerAccess) -> None:
    """Hands the message to the mailbox's SMTP server; raises if the server refuses it (or
    is internal, InternalAddress)."""
    if not mailbox.smtp_host:
        raise NotConfigured(f"mailbox {mailbox.mailbox_id!r} has no SMTP server to send with")
    host, security = mailbox.smtp_host, mailbox.smtp_security
    port = mailbox.smtp_port or (465 if security == "tls" else 587)
    access.check(host, port)
    secret = access.password(mailbox, "smtp")
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if security == "tls":
        client = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        client = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
    with client:
        client.ehlo()
        if security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if mailbox.smtp_username and secret is not None:
            client.login(mailbox.smtp_username, secret)
        client.send_message(message, from_addr=mailbox.address)
