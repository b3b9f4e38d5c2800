"""Raw messages for the tests, built as mail clients and servers write them."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr

#: Lines end in CRLF on the wire (smtplib sends bytes as they are).
SMTP = policy.SMTP


def plain(
    text: str = "Hello, my order has not arrived.",
    *,
    sender: str = "Carla Customer <carla@example.com>",
    to: str = "support@alpha.example.com",
    subject: str = "Where is my order?",
    message_id: str = "<m1@example.com>",
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = "Tue, 01 Dec 2026 10:00:00 +0100"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    return message.as_bytes(policy=SMTP)


def answer_to(original: bytes, text: str, message_id: str, *, keep_headers: bool = True) -> bytes:
    """The customer's answer, as their mail client writes it."""
    from email import message_from_bytes, policy

    parent = message_from_bytes(original, policy=policy.default)
    headers = {}
    if keep_headers:
        refs = f"{parent.get('References', '')} {parent['Message-ID']}".strip()
        headers = {"In_Reply_To": str(parent["Message-ID"]), "References": refs}
    return plain(
        text,
        sender=str(parent["To"]),
        to=str(parent["From"]),
        subject=f"Re: {parent['Subject']}",
        message_id=message_id,
        **headers,
    )


def dsn(
    original_id: str, recipient: str = "gone@example.com", message_id: str = "<dsn1@mx.example>"
) -> bytes:
    """A delivery status notification (RFC 3464) as Exim or Postfix send it."""
    text = f"""From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: support@alpha.example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: {message_id}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

This is the mail system. Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 user unknown

--b1
Content-Type: text/rfc822-headers

From: support@alpha.example.com
Message-ID: {original_id}
Subject: Re: x

--b1--
"""
    return text.replace("\n", "\r\n").encode()


def rich(message_id: str = "<rich1@example.com>") -> bytes:
    """HTML with a script, a remote image, an inline image, a PDF and a program."""
    root = MIMEMultipart("mixed")
    root["From"] = formataddr(("Jörg Kunde", "joerg@example.com"))
    root["To"] = "support@alpha.example.com"
    root["Subject"] = "=?utf-8?q?Gr=C3=BC=C3=9Fe_aus_K=C3=B6ln?="
    root["Message-ID"] = message_id
    related = MIMEMultipart("related")
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("Grüße, siehe Anhang.", "plain", "iso-8859-1"))
    alternative.attach(
        MIMEText(
            "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
            '<p onclick="steal()">Grüße, <b>siehe</b> Anhang.</p>'
            '<img src="https://tracker.example/pixel.gif" alt="logo">'
            '<img src="cid:photo1"><a href="javascript:evil()">x</a>'
            '<a href="https://shop.example/order/7">order</a></body></html>',
            "html",
            "utf-8",
        )
    )
    related.attach(alternative)
    image = MIMEApplication(b"\x89PNG\r\n\x1a\nfake", "png")
    image.replace_header("Content-Type", "image/png")
    image.add_header("Content-ID", "<photo1>")
    image.add_header("Content-Disposition", "inline", filename="photo.png")
    related.attach(image)
    root.attach(related)
    pdf = MIMEApplication(b"%PDF-1.4 invoice", "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename="invoice.pdf")
    root.attach(pdf)
    program = MIMEApplication(b"MZ\x90\x00fake program", "octet-stream")
    program.add_header("Content-Disposition", "attachment", filename="invoice.pdf.exe")
    root.attach(program)
    return root.as_bytes(policy=SMTP)
