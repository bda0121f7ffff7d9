"""Texts read a package's gettext catalogs (compiled in memory when needed) and format the
locale's way; pages take the layout's texts from the shared catalog."""

from __future__ import annotations

import datetime
import os
import textwrap

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from shared import translations
from shared.i18n import negotiate
from shared.translations import Texts

PROBE_PO = textwrap.dedent(
    """\
    msgid ""
    msgstr ""
    "Language: fr\\n"
    "Plural-Forms: nplurals=2; plural=(n > 1);\\n"
    "Content-Type: text/plain; charset=utf-8\\n"

    msgid "Hello %(name)s"
    msgstr "Bonjour %(name)s"

    msgid "%(count)s area"
    msgid_plural "%(count)s areas"
    msgstr[0] "%(count)s domaine"
    msgstr[1] "%(count)s domaines"

    msgctxt "answer"
    msgid "No"
    msgstr "Non"

    #, fuzzy
    msgid "Unsure"
    msgstr "Peut-être"
    """
)


@pytest.fixture
def probe_domain(tmp_path, monkeypatch):
    """Return the name of a throw-away package with a French catalog and no compiled one."""
    folder = tmp_path / "i18n_probe"
    (folder / "translations" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "translations" / "fr" / "LC_MESSAGES" / "messages.po").write_text(PROBE_PO)
    monkeypatch.syspath_prepend(str(tmp_path))
    translations.compiled.cache_clear()
    translations._chain.cache_clear()
    yield "i18n_probe"
    translations.compiled.cache_clear()
    translations._chain.cache_clear()


def test_a_catalog_without_its_mo_is_compiled_in_memory_and_fuzzy_entries_are_left_out(
    probe_domain,
):
    texts = Texts("fr", probe_domain)
    assert texts.gettext("Hello %(name)s", name="Awa") == "Bonjour Awa"
    assert texts.pgettext("answer", "No") == "Non"
    assert texts.gettext("Unsure") == "Unsure"  # fuzzy: not a translation yet
    assert texts.gettext("Not in the catalog") == "Not in the catalog"


def test_ngettext_follows_the_language_plural_rule(probe_domain):
    french, english = Texts("fr", probe_domain), Texts("en", probe_domain)
    shown = [french.ngettext("%(count)s area", "%(count)s areas", n) for n in (0, 1, 2, 5)]
    assert shown == ["0 domaine", "1 domaine", "2 domaines", "5 domaines"]
    shown = [english.ngettext("%(count)s area", "%(count)s areas", n) for n in (0, 1, 2, 5)]
    assert shown == ["0 areas", "1 area", "2 areas", "5 areas"]


def test_a_current_mo_is_read_and_a_stale_one_ignored(probe_domain, tmp_path):
    po = tmp_path / "i18n_probe" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="fr")
    catalog["Hello %(name)s"].string = "Salut %(name)s"
    mo = po.with_suffix(".mo")
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    assert Texts("fr", probe_domain).gettext("Hello %(name)s", name="Awa") == "Salut Awa"
    translations.compiled.cache_clear()
    translations._chain.cache_clear()
    stat = po.stat()
    os.utime(mo, (stat.st_atime, stat.st_mtime - 60))  # the .po was edited after compiling
    assert Texts("fr", probe_domain).gettext("Hello %(name)s", name="Awa") == "Bonjour Awa"


def test_a_domain_falls_back_to_the_next_then_to_english(probe_domain):
    texts = Texts("fr", probe_domain, "shared")
    assert texts.gettext("Hello %(name)s", name="Awa") == "Bonjour Awa"
    assert texts.gettext("Sign in") == "Se connecter"  # the shared catalog
    assert Texts("en", probe_domain, "shared").gettext("Sign in") == "Sign in"


def test_numbers_percentages_and_dates_are_written_the_locale_way():
    french, english = Texts("fr"), Texts("en")
    assert french.format_decimal(2.6) == "2,6"
    assert english.format_decimal(2.6) == "2.6"
    assert french.format_decimal(3) == "3,0"
    assert english.format_decimal(2.45) == "2.5"  # the float's exact value, as f"{2.45:.1f}"
    assert french.format_percent(0.52) == "52\u202f%"
    assert english.format_percent(0.52) == "52%"
    day = datetime.date(2026, 12, 6)
    assert french.format_date(day) == "6 décembre 2026"
    assert english.format_date(datetime.datetime(2026, 12, 6, 23, 0)) == "6 December 2026"


def test_languages_are_named_in_themselves():
    assert Texts("fr").display_name == "Français"
    assert Texts("en").display_name == "English"


def test_negotiation_keeps_its_order_and_reads_regional_tags():
    assert negotiate("fr-CA", "en", None) == "fr"
    assert negotiate(None, "FR", "en") == "fr"
    assert negotiate(None, None, "fr-CH, en;q=0.9") == "fr"
    assert negotiate(None, None, "de-DE, en-GB;q=0.7, fr;q=0.8") == "fr"
    assert negotiate(None, None, "*") == "en"
    assert negotiate("not a tag!", None, "fr") == "fr"


def test_the_layout_is_translated_from_the_shared_catalog(probe_app):
    client = probe_app.test_client()
    probe_app.add_url_rule(
        "/probe-page",
        "probe_page",
        lambda: __import__("flask").render_template_string(
            '{% extends "layout.html" %}{% block main %}'
            '{{ ngettext("%(num)s item", "%(num)s items", 2) }}{% endblock %}'
        ),
    )
    from shared.pages import init_pages

    init_pages(probe_app, prefix="/probe")
    french = client.get("/probe-page?lang=fr").get_data(as_text=True)
    assert "Se connecter" in french and "Douane intelligente" in french
    assert 'hreflang="en"' in french and ">English</a>" in french
    english = client.get("/probe-page?lang=en").get_data(as_text=True)
    assert "Sign in" in english and "2 items" in english
    assert "Language: Français" in english


def test_content_without_the_reader_language_falls_back_in_the_configured_order():
    from shared.i18n import CONTENT_FALLBACK, pick

    assert CONTENT_FALLBACK == ("en", "fr")
    assert pick({"en": "Data", "fr": "Données"}, "pt") == "Data"
    assert pick({"fr": "Données"}, "pt") == "Données"
    assert pick({"fr": "Données", "en": ""}, "en") == "Données"
    assert pick({"pt": "Dados", "en": "Data"}, "pt") == "Dados"
    assert pick({"es": "Datos"}, "fr") == "Datos"
    assert pick({}, "fr") == ""
