"""The one rule for files: names cleaned, kinds by their bytes, served names that agree."""

from __future__ import annotations

import pytest

from headset.core.errors import Invalid
from headset.core.files import (
    OPAQUE,
    PNG,
    TEXT,
    accept_upload,
    safe_file_name,
    served_media_type,
    served_name,
)

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),
        ("pho\u200bto.png", "photo.png"),
        ("  .hidden.txt  ", "hidden.txt"),
        ('a<b>:"c|d?*.txt', "a_b___c_d__.txt"),
        ("NUL.txt", "_NUL.txt"),
        ("\x00\x01", "attachment"),
        ("x" * 200 + ".jpeg", "x" * 115 + ".jpeg"),
        ("release." + "v" * 20, "release." + "v" * 20),
    ],
)
def test_names_are_cleaned_before_they_are_judged_or_stored(name: str, cleaned: str) -> None:
    assert safe_file_name(name) == cleaned


def test_an_upload_is_refused_with_a_code_saying_why() -> None:
    cases = {
        "update.bat": (b"@echo off", "file_name_refused"),
        "photo.html.png": (PNG_BYTES, "file_name_refused"),
        "photo.jpg": (PNG_BYTES, "file_name_mismatch"),
        "cat.gif": (b"GIF89a<script>alert(1)</script>", "file_type_refused"),
    }
    for name, (content, code) in cases.items():
        with pytest.raises(Invalid) as refused:
            accept_upload(name, content, 1000)
        assert refused.value.code == code, name


def test_a_stored_file_is_served_as_its_bytes_under_a_name_that_agrees() -> None:
    assert served_media_type(b"<html><script>x</script>") == OPAQUE
    assert served_media_type(PNG_BYTES) == PNG
    assert served_name("update.bat", TEXT) == "update_bat.txt"
    assert served_name("receipt.html", OPAQUE) == "receipt_html.dat"
    assert served_name("rēķins.png", PNG) == "rēķins.png"
    assert served_name("scan", PNG) == "scan.png"
    assert served_name("report.docx", OPAQUE) == "report.docx"
