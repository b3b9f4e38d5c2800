"""The sanitiser drops an element it does not allow, never the rest of the message with it:
void elements (`<embed>`, `<input>`, `<link>`...) have no end tag to stop dropping at."""

from __future__ import annotations

import pytest

from headset.mail.sanitizing import html_to_text, sanitize_html


@pytest.mark.parametrize(
    "tag",
    [
        '<embed src="https://evil.example/x.swf">',
        "<embed/>",
        '<input type="text" value="x">',
        '<link rel="stylesheet" href="https://evil.example/x.css">',
        '<meta http-equiv="refresh" content="0;url=https://evil.example">',
        '<base href="https://evil.example/">',
        "<wbr>",
        '<source src="https://evil.example/a.mp4">',
        '<param name="movie" value="x">',
        "<keygen>",
        '<area href="https://evil.example">',
    ],
)
def test_a_void_element_not_allowed_goes_alone(tag: str) -> None:
    source = f"<p>Hello,</p>{tag}<p>my order <b>42</b> has not arrived.</p>"
    assert sanitize_html(source) == "<p>Hello,</p><p>my order <b>42</b> has not arrived.</p>"
    assert html_to_text(source) == "Hello,\n\nmy order 42 has not arrived."


def test_unknown_elements_keep_their_text() -> None:
    source = "<custom-widget>Dear team,</custom-widget><o:p></o:p><p>Thanks</p>"
    assert sanitize_html(source) == "Dear team,<p>Thanks</p>"


def test_content_of_dropped_elements_still_goes_and_what_follows_stays() -> None:
    source = (
        "<p>a</p><object data='x'><embed src='y'>fallback</object><p>b</p>"
        "<svg/><p>c</p><iframe src='https://evil.example'></iframe><p>d</p>"
        "<script>alert(1)</script><p>e</p>"
    )
    assert sanitize_html(source) == "<p>a</p><p>b</p><p>c</p><p>d</p><p>e</p>"
