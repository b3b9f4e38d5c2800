"""HTML from a stranger made safe to show: no scripts, no handlers, no remote images.

An allow-list, not a block-list: any tag or attribute not named here is dropped, so a new
browser feature cannot sneak in. Remote images would tell the sender when (and whether) an
agent read the message, so they are replaced by their alt text; inline images (`cid:`)
stay and are served from the stored attachment.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_ALLOWED = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "font", "center",
}  # fmt: skip
_VOID = {"br", "hr", "img"}
#: Elements that never have content or an end tag (the HTML standard's void elements):
#: one that is not allowed goes alone, and what follows it stays.
_HTML_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link",
              "meta", "param", "source", "track", "wbr"}  # fmt: skip
#: Tags whose content goes too: what is inside a script is not text for people.
_DROP_WITH_CONTENT = {"script", "style", "head", "title", "iframe", "object", "noscript",
                      "template", "svg", "math", "form", "textarea", "select"}  # fmt: skip
_ATTRIBUTES = {"href", "src", "alt", "title", "colspan", "rowspan", "align", "width", "height"}
_SAFE_LINK = re.compile(r"^(https?:|mailto:|#)", re.IGNORECASE)
_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "table", "hr", "pre"}  # fmt: skip


class _Cleaner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.text: list[str] = []
        self.dropping = 0
        self.open: list[str] = []
        self.remote_images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping or tag in _HTML_VOID - _ALLOWED:
            if tag in _DROP_WITH_CONTENT:
                self.dropping += 1
            return  # void: no content to drop, and no end tag will come to stop dropping
        if tag in _DROP_WITH_CONTENT:
            self.dropping += 1
            return
        if tag in _BLOCK:
            self.text.append("\n")
        if tag not in _ALLOWED:
            return
        kept = []
        for name, value in attrs:
            value = (value or "").strip()
            if name not in _ATTRIBUTES:
                continue  # on* handlers, style (expression(), url()), class, id...
            if name == "href" and not _SAFE_LINK.match(value):
                continue
            if name == "src" and (tag != "img" or not value.lower().startswith("cid:")):
                continue
            kept.append(f' {name}="{html.escape(value, quote=True)}"')
        if tag == "img" and not any(k.startswith(" src=") for k in kept):
            self.remote_images += 1
            alt = dict(attrs).get("alt") or "image"
            self.out.append(f"[{html.escape(alt)}]")
            self.text.append(f"[{alt}]")
            return
        if tag == "a":
            kept.append(' rel="noopener noreferrer nofollow"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _DROP_WITH_CONTENT or (tag not in _VOID and self.open and self.open[-1] == tag):
            self.handle_endtag(tag)  # <svg/>, <iframe/>: nothing inside, nothing more dropped

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROP_WITH_CONTENT:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in _ALLOWED or tag in _VOID:
            return
        if tag in self.open:
            while self.open:
                top = self.open.pop()
                self.out.append(f"</{top}>")
                if top == tag:
                    break
        if tag in _BLOCK:
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if self.dropping:
            return
        self.out.append(html.escape(data, quote=False))
        self.text.append(data)


def sanitize_html(source: str) -> str:
    """The HTML with only harmless tags and attributes, every tag closed."""
    cleaner = _Cleaner()
    cleaner.feed(source)
    cleaner.close()
    return "".join(cleaner.out) + "".join(f"</{t}>" for t in reversed(cleaner.open))


def html_to_text(source: str) -> str:
    """What a person reads in the HTML, as plain text (no script or style content)."""
    cleaner = _Cleaner()
    cleaner.feed(source)
    cleaner.close()
    text = "".join(cleaner.text).replace("\xa0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def remote_images(source: str) -> int:
    """How many remote images the HTML asked for (and sanitising removed)."""
    cleaner = _Cleaner()
    cleaner.feed(source)
    cleaner.close()
    return cleaner.remote_images
