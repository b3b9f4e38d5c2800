"""Rendering pages: one Jinja environment per language, with its catalog and formats."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel.support import NullTranslations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from headset.web.catalogs import js_message_ids
from headset.web.i18n import LANGUAGE_NAMES, LANGUAGES, Formats, js_messages, load_translations
from headset.web.resources import WEEKDAYS
from headset.web.visitor import Visitor

log = logging.getLogger("headset.web")

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
HTMX = STATIC_DIR / "vendor" / "htmx.min.js"


class Renderer:
    """Templates in every language; built once per process (catalogs compiled in memory)."""

    def __init__(self) -> None:
        self.has_htmx = HTMX.is_file()
        if not self.has_htmx:
            log.warning(
                "HTMX is missing from %s: pages work without it, but lists do not refresh "
                "in place; run scripts/fetch-assets",
                HTMX,
            )
        ids = js_message_ids()
        self.environments: dict[str, Environment] = {}
        self.js_catalogs: dict[str, Markup] = {}
        self.translations: dict[str, NullTranslations] = {}
        for language in LANGUAGES:
            translations = self.translations[language] = load_translations(language)
            env = Environment(
                loader=FileSystemLoader(WEB_DIR / "templates"),
                autoescape=select_autoescape(["html"]),
                extensions=["jinja2.ext.i18n"],
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.policies["ext.i18n.trimmed"] = True
            env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
            env.globals.update(
                fmt=Formats(language),
                language=language,
                language_names=LANGUAGE_NAMES,
                has_htmx=self.has_htmx,
                weekdays=WEEKDAYS,
            )
            self.environments[language] = env
            catalog = json.dumps(js_messages(translations, ids), ensure_ascii=False)
            # safe inside <script type="application/json">: no "</" can end the element early
            self.js_catalogs[language] = Markup(catalog.replace("</", "<\\/"))

    def translator(self, language: str) -> Callable[[str], str]:
        """gettext of `language`, for texts composed in Python."""
        return self.translations[language].gettext

    def render(
        self,
        request: Request,
        template: str,
        language: str,
        visitor: Visitor | None = None,
        status: int = 200,
        **context: Any,
    ) -> HTMLResponse:
        env = self.environments[language]
        html = env.get_template(template).render(
            request=request,
            visitor=visitor,
            js_catalog=self.js_catalogs[language],
            path=request.url.path,
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        # pages carry the CSRF token and personal data: never cached; never framed, by the
        # Content-Security-Policy every answer gets (api/security_headers.py)
        response.headers["Cache-Control"] = "no-store"
        return response
