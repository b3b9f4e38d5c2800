"""The message ids the UI uses, extracted with Babel, and keeping the `.po` files in step.

Run `python -m headset.web.catalogs` after adding or changing UI text: it adds new ids to every
catalog (untranslated, for a translator to fill in) and marks ids no longer used as obsolete.
tests/web/test_catalogs.py fails while a catalog misses an id or a translation.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from headset.web.i18n import LANGUAGES, LOCALE_DIR, catalog_path

WEB_DIR = Path(__file__).parent
#: Python: N_() marks texts translated later (labels of admin resources); templates: _() and
#: {% trans %}; JavaScript: t().
#: (files, extractor, keywords): each language's own translation functions.
SOURCES = [
    ("**.py", "python", {"_": None, "N_": None, "gettext": None}),
    ("templates/**.html", "jinja2.ext:babel_extract", {"_": None, "gettext": None}),
    ("static/js/**.js", "javascript", {"t": None}),
]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}


def extract(directory: Path = WEB_DIR) -> Catalog:
    """Every message id of the UI's Python, templates and JavaScript, with where it is used."""
    catalog = Catalog(project="Headset", domain="messages")
    for pattern, method, keywords in SOURCES:
        for filename, lineno, message, comments, _context in extract_from_dir(
            str(directory), [(pattern, method)], OPTIONS, keywords, comment_tags=("TRANSLATORS:",)
        ):
            catalog.add(message, locations=[(filename, lineno)], auto_comments=comments)
    return catalog


def js_message_ids(directory: Path = WEB_DIR) -> list[str]:
    """The ids the JavaScript modules translate: the pages embed just these."""
    ids: list[str] = []
    for filename, _lineno, message, _c, _x in extract_from_dir(
        str(directory), [("static/js/**.js", "javascript")], {}, {"t": None}
    ):
        if isinstance(message, str) and filename.endswith(".js") and message not in ids:
            ids.append(message)
    return ids


def read(language: str, directory: Path = LOCALE_DIR) -> Catalog:
    with catalog_path(language, directory).open("rb") as po:
        return read_po(po, locale=language)


def update(directory: Path = LOCALE_DIR) -> Iterator[tuple[str, int]]:
    """Brings every catalog in step with the sources; yields (language, untranslated)."""
    template = extract()
    for language in LANGUAGES[1:]:
        path = catalog_path(language, directory)
        if path.exists():
            catalog = read(language, directory)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, domain="messages", project="Headset")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.fuzzy = False  # a fuzzy header would leave the compiled catalog without it
        with path.open("wb") as po:
            write_po(po, catalog, width=100, omit_header=False, sort_output=True)
        yield language, sum(1 for m in catalog if m.id and not m.string)


def main() -> None:
    for language, missing in update():
        print(f"{language}: {missing} untranslated", file=sys.stderr)


if __name__ == "__main__":
    main()
