"""The customer's side of web chat in the browser: the hosted chat page and `/widget.js`.

`GET /chat/{widget_key}` is the hosted page of one widget: the pre-chat form, the
conversation, the survey, and the leave-a-message form outside business hours. It is a page
of its own (customers link to it) and, with `?embed=1`, the content of the frame that
`/widget.js` adds to the client company's site. The frame keeps the chat in Headset's origin:
the site's CSS and scripts cannot reach into it, and the chat API is called same-origin.
See docs/widget.md.
"""

from __future__ import annotations

from typing import Any

from babel import Locale
from babel.units import format_unit
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, HTMLResponse, Response

from headset.api.runtime import runtime_of
from headset.api.security_headers import content_security_policy
from headset.chatroom.config import widget_config
from headset.chatroom.widgets import load_widget
from headset.core.errors import NotFound
from headset.web.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES
from headset.web.rendering import STATIC_DIR, Renderer

router = APIRouter(include_in_schema=False)

LOADER = STATIC_DIR / "widget" / "loader.js"


def offered_languages(widget_languages: list[str]) -> list[str]:
    """The languages the customer may choose: the widget's, or all the UI has."""
    return list(widget_languages) or list(LANGUAGES)


def ui_language(code: str) -> str | None:
    """The UI language that speaks `code` (nl-BE is spoken in nl), or None."""
    primary = code.split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else None


def choose_language(offered: list[str], asked: str | None, accept_language: str | None) -> str:
    """The widget language to start in: the one asked for (`?lang=`, the pre-chat choice),
    else the browser's best among those offered, else the first offered."""
    if asked in offered:
        return str(asked)
    if accept_language:
        wanted = [p.split(";", 1)[0].strip() for p in accept_language.split(",")]
        choice = Locale.negotiate([w for w in wanted if w and w != "*"], offered, sep="-")
        if choice is not None:
            tag = str(choice).replace("_", "-")
            for code in offered:
                if code == tag or code.split("-", 1)[0] == tag.split("-", 1)[0]:
                    return code
    return offered[0]


def ink_for(colour: str) -> str:
    """Black or white text, whichever contrasts more with the widget's colour (WCAG)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    on_white = 1.05 / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    return "#ffffff" if on_white >= on_black else "#111111"


def size_text(size: int, language: str) -> str:
    """A file size the way `language` writes it: "1 MB", "20 kB" (decimal units)."""
    for unit, factor in (("digital-megabyte", 1e6), ("digital-kilobyte", 1e3)):
        if size >= factor:
            return str(format_unit(round(size / factor, 1), unit, length="short", locale=language))
    return str(format_unit(size, "digital-byte", length="short", locale=language))


def frame_ancestors(origins: list[str]) -> str:
    """Who may show the page in a frame: this site and the sites the widget lists."""
    return " ".join(["'self'", *origins])


@router.get("/chat/{widget_key}")
async def chat_page(
    widget_key: str, request: Request, lang: str | None = None, embed: int = 0
) -> Response:
    rt = runtime_of(request)
    try:
        widget = await run_in_threadpool(load_widget, rt, widget_key)
    except NotFound:
        return HTMLResponse(
            "<!doctype html><title>Chat</title><p>This chat does not exist (any more).</p>",
            status_code=404,
        )
    config = widget_config(rt.chat, widget, rt.switchboard, rt.mailroom.mailboxes.values())
    offered = offered_languages(list(widget.languages))
    language = choose_language(offered, lang, request.headers.get("accept-language"))
    page_language = ui_language(language) or DEFAULT_LANGUAGE
    context: dict[str, Any] = {
        "config": config,
        "language": language,
        "page_language": page_language,
        # a choice only among the widget's own languages: the chat is routed by it, and a
        # widget without languages routes to any agent, whatever the page speaks
        "languages": [(code, _language_name(code)) for code in widget.languages],
        "is_embedded": bool(embed),
        "ink": ink_for(widget.colour),
        "attachment_limit": rt.settings.chat_attachment_max_bytes,
        "attachment_size": size_text(rt.settings.chat_attachment_max_bytes, page_language),
    }
    renderer: Renderer = request.app.state.renderer
    template = renderer.environments[page_language].get_template("chat/page.html")
    html = template.render(**context)
    response = HTMLResponse(html)
    response.headers["Cache-Control"] = "no-store"
    # the staff pages' policy (api/security_headers.py), but framed by the widget's sites
    response.headers["Content-Security-Policy"] = content_security_policy(
        frame_ancestors=frame_ancestors(list(widget.allowed_origins))
    )
    return response


def _language_name(code: str) -> str:
    ui = ui_language(code)
    if ui is not None and code == ui:
        return LANGUAGE_NAMES[ui]
    try:
        return str(Locale.parse(code, sep="-").get_display_name(code) or code).capitalize()
    except (ValueError, TypeError):
        return code


@router.get("/widget.js")
def widget_js() -> Response:
    """The one script a client's site embeds; the same file for every widget."""
    return FileResponse(
        LOADER,
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )
