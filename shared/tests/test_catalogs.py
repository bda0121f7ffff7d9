"""Every gettext catalog of the platform is complete, clean and consistent with the code.

A catalog is ``<package>/translations/<lang>/LC_MESSAGES/messages.po`` (see shared.translations).
These tests fail when a marked string is missing from a catalog or lacks its French text, when a
catalog has fuzzy or obsolete entries, when a placeholder (``%(name)s`` or ``{name}``) differs
between the English and the translation, and when a plural message does not render for 0, 1, 2
and 5. A language beyond English and French (``COMPLETE``) may leave a text untranslated: it
shows in English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from shared.i18n import COMPLETE, SUPPORTED
from shared.translations import Texts

ROOT = Path(__file__).resolve().parents[2]
# The packages holding catalogs, by domain name (the package's import name).
PACKAGES = {
    path.parent.name: path.parent
    for path in [
        *ROOT.glob("shared/shared/translations"),
        *ROOT.glob("services/*/*/translations"),
    ]
    if path.is_dir()
}
# The same keywords as ``make i18n`` (Makefile I18N_KEYWORDS): not ``_``, the keyed texts.
KEYWORDS = {
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "N_": None,
    "NP_": ((1, "c"), 2),
}
# French must translate everything; another language may leave texts to English.
TRANSLATED = [lang for lang in COMPLETE if lang != "en"]
# ``%(name)s`` (gettext) and ``{name}`` (the refusal messages of shared.messages, marked
# python-brace-format); ``{input!r}`` and ``{input}`` are the same placeholder.
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{(\w+)(?:![rsa])?(?::[^{}]*)?\}")
COUNTS = (0, 1, 2, 5)


def _catalog(domain: str, language: str) -> Catalog:
    path = PACKAGES[domain] / "translations" / language / "LC_MESSAGES" / "messages.po"
    assert path.is_file(), f"{domain} has no {language} catalog ({path})"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _key(message: Message) -> tuple[str | None, str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return message.context, msgid


def _placeholders(text: str) -> list[str]:
    found = PLACEHOLDER.finditer(text)
    return sorted(f"{{{m[2]}}}" if m[2] else (m[1] or m[0]) for m in found)


def _extracted(domain: str) -> set[tuple[str | None, str]]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(PACKAGES[domain]), method_map, options_map, keywords=KEYWORDS
    ):
        found.add((context, message if isinstance(message, str) else message[0]))
    return found


def test_the_layout_and_the_service_catalogs_are_found_with_plural_messages():
    assert {"shared", "portal", "assessment", "reports"} <= set(PACKAGES)
    assert _plural_messages("reports") and _plural_messages("assessment")


@pytest.mark.parametrize("domain", sorted(PACKAGES))
def test_every_supported_language_has_a_catalog_in_every_domain(domain):
    for language in SUPPORTED:
        assert _messages(_catalog(domain, language))


@pytest.mark.parametrize("domain", sorted(PACKAGES))
def test_every_string_marked_in_the_code_is_in_each_catalog(domain):
    marked = _extracted(domain)
    assert marked, f"nothing marked for translation in {domain}"
    for language in SUPPORTED:
        present = {_key(message) for message in _messages(_catalog(domain, language))}
        assert marked - present == set(), f"{domain}/{language}: run make i18n"
        assert present - marked == set(), f"{domain}/{language}: no longer in the code"


@pytest.mark.parametrize("domain", sorted(PACKAGES))
@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(domain, language):
    untranslated = [
        _key(message)
        for message in _messages(_catalog(domain, language))
        if not (all(message.string) if message.pluralizable else message.string)
    ]
    assert untranslated == [], f"{domain}/{language}: untranslated"


@pytest.mark.parametrize("domain", sorted(PACKAGES))
@pytest.mark.parametrize("language", SUPPORTED)
def test_no_catalog_has_fuzzy_or_obsolete_entries(domain, language):
    catalog = _catalog(domain, language)
    assert not catalog.obsolete, f"{domain}/{language}: obsolete {list(catalog.obsolete)}"
    fuzzy = [_key(message) for message in _messages(catalog) if message.fuzzy]
    assert fuzzy == [], f"{domain}/{language}: fuzzy, to review"


@pytest.mark.parametrize("domain", sorted(PACKAGES))
@pytest.mark.parametrize("language", SUPPORTED)
def test_placeholders_are_the_same_in_english_and_in_the_translation(domain, language):
    for message in _messages(_catalog(domain, language)):
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = _placeholders(ids[-1])
        assert all(_placeholders(msgid) == wanted for msgid in ids), _key(message)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        for string in strings:
            if string:  # an English catalog leaves them empty: the id is the text
                assert _placeholders(string) == wanted, (language, _key(message), string)


def _plural_messages(domain: str) -> list[Message]:
    return [m for m in _messages(_catalog(domain, "fr")) if m.pluralizable]


@pytest.mark.parametrize("domain", sorted(PACKAGES))
def test_plural_messages_render_for_0_1_2_and_5_in_every_language(domain):
    for message in _plural_messages(domain):
        singular, plural = message.id
        # The number is %(count)s in Python (Texts.ngettext), %(num)s in templates (Jinja).
        number = "num" if "%(num)" in plural else "count"
        names = {name for name in re.findall(r"%\((\w+)\)", plural) if name != number}
        params = {name: f"<{name}>" for name in names}
        for language in SUPPORTED:
            catalog, texts = _catalog(domain, language), Texts(language, domain)
            found = catalog.get(message.id, context=message.context)
            forms = found.string if language != "en" and found is not None else ("", "")
            for count in COUNTS:
                values = {**params, number: count}
                extra = params if number == "count" else values  # count is always set
                shown = (
                    texts.npgettext(message.context, singular, plural, count, **extra)
                    if message.context
                    else texts.ngettext(singular, plural, count, **extra)
                )
                assert str(count) in shown and "%(" not in shown, (language, count, shown)
                assert all(value in shown for value in params.values()), (language, shown)
                # French (and Portuguese) put 0 and 1 in the singular, English only 1.
                one = count == 1 or (count == 0 and language != "en")
                form = forms[0] if one else forms[-1]
                if not form:  # untranslated: the English form of the language's category
                    form = singular if one else plural
                assert shown == form % values, (language, count, shown)
