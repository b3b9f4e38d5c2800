"""Languages of the UI: gettext catalogs compiled in memory, and Babel's localised formats.

English is the source language; nl, de and lv come from the committed `.po` files, read and
compiled to `.mo` in memory at start (no compiled catalog is committed or written to disk).
The same catalogs serve the templates (through Jinja's i18n extension) and the JavaScript
modules (the messages their source names are embedded in every page).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Final

from babel import Locale, numbers
from babel import dates as babel_dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

#: The languages a user may choose (users.language), English first: the source language.
LANGUAGES: Final = ("en", "nl", "de", "lv")
#: Each language's name in itself, for the language chooser.
LANGUAGE_NAMES: Final = {"en": "English", "nl": "Nederlands", "de": "Deutsch", "lv": "Latviešu"}
DEFAULT_LANGUAGE: Final = "en"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
DOMAIN: Final = "messages"


def catalog_path(language: str, directory: Path = LOCALE_DIR) -> Path:
    return directory / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(language: str, directory: Path = LOCALE_DIR) -> NullTranslations:
    """The compiled catalog of `language`; English (the source) translates to itself."""
    if language == DEFAULT_LANGUAGE:
        return NullTranslations()
    with catalog_path(language, directory).open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def negotiate(accept_language: str | None) -> str:
    """The best of LANGUAGES for an Accept-Language header (for visitors not signed in)."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    choice = Locale.negotiate(_preferences(accept_language), list(LANGUAGES), sep="-")
    return str(choice.language) if choice is not None else DEFAULT_LANGUAGE


def _preferences(header: str) -> list[str]:
    weighted: list[tuple[float, str]] = []
    for part in header.split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            weight = 0.0
        if tag and tag != "*":
            weighted.append((weight, tag.strip()))
    return [tag for _, tag in sorted(weighted, key=lambda w: -w[0])]


def is_language(value: str | None) -> bool:
    return value in LANGUAGES


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def placeholders(text: str) -> set[str]:
    """The named placeholders of a message: `%(name)s` (templates) or `{name}` (JavaScript)."""
    return {a or b for a, b in _PLACEHOLDER.findall(text)}


class Formats:
    """Numbers, dates and durations the way a language writes them (Babel's CLDR data)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def number(self, value: float, digits: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return numbers.format_decimal(value, format=pattern, locale=self.language)

    def percent(self, value: float) -> str:
        """`value` in percent, with its decimals (80.5 → "80,5 %" in German)."""
        return numbers.format_percent(value / 100, locale=self.language, decimal_quantization=False)

    def date(self, value: date | str) -> str:
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return babel_dates.format_date(day, format="medium", locale=self.language)

    def datetime(self, value: datetime) -> str:
        return babel_dates.format_datetime(value, format="medium", locale=self.language)

    def seconds(self, value: float) -> str:
        """A duration given in seconds, spelled short ("20 s", "2 min", "1 h")."""
        return babel_dates.format_timedelta(
            timedelta(seconds=value), threshold=2, format="short", locale=self.language
        )


def js_messages(translations: NullTranslations, ids: Iterable[str]) -> dict[str, str]:
    """The translations of the messages the JavaScript modules use, for embedding in a page."""
    return {i: translations.gettext(i) for i in ids}
