"""Every language has every message of the UI, translated, with the same placeholders."""

from __future__ import annotations

import pytest

from headset.web.catalogs import extract, js_message_ids, read
from headset.web.i18n import LANGUAGES, Formats, load_translations, negotiate, placeholders

SOURCE_IDS = sorted(str(m.id) for m in extract() if m.id)


def test_extraction_finds_messages_of_python_templates_and_javascript() -> None:
    assert "Routing strategy" in SOURCE_IDS  # resources.py, N_()
    assert "Sign in to Headset" in SOURCE_IDS  # templates, _()
    assert "Wrong username or password." in SOURCE_IDS  # sign-in.js, t()
    assert "Wrong username or password." in js_message_ids()
    assert "Sign in to Headset" not in js_message_ids()


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_catalog_translates_every_message(language: str) -> None:
    catalog = read(language)
    translated = {str(m.id): str(m.string) for m in catalog if m.id and m.string}
    missing = [i for i in SOURCE_IDS if i not in translated]
    assert missing == [], f"{language} lacks: {missing}; run python -m headset.web.catalogs"
    fuzzy = [str(m.id) for m in catalog if m.id and m.fuzzy]
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_translations_keep_the_placeholders(language: str) -> None:
    wrong = [
        (str(m.id), str(m.string))
        for m in read(language)
        if m.id and m.string and placeholders(str(m.id)) != placeholders(str(m.string))
    ]
    assert wrong == []


def test_catalogs_compile_in_memory_and_translate() -> None:
    assert load_translations("de").gettext("Sign out") == "Abmelden"
    assert load_translations("nl").gettext("Sign out") == "Afmelden"
    assert load_translations("lv").gettext("Sign out") == "Iziet"
    assert load_translations("en").gettext("Sign out") == "Sign out"


def test_placeholders_of_both_styles() -> None:
    assert placeholders("Edit %(name)s in {tenant}") == {"name", "tenant"}


def test_browser_language_is_negotiated_among_the_four() -> None:
    assert negotiate("lv-LV,lv;q=0.9,en;q=0.5") == "lv"
    assert negotiate("fr-FR,de;q=0.7") == "de"
    assert negotiate("fr") == "en"
    assert negotiate(None) == "en"


def test_formats_follow_the_language() -> None:
    assert Formats("en").number(1234.5, 1) == "1,234.5"
    assert Formats("de").number(1234.5, 1) == "1.234,5"
    assert Formats("de").percent(80) == "80\xa0%"  # a no-break space, as CLDR writes it
    assert Formats("de").percent(80.5) == "80,5\xa0%"
    assert Formats("nl").date("2026-12-25") == "25 dec 2026"
    assert Formats("lv").seconds(20) == "20 sek."
