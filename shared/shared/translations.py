"""Interface texts from gettext catalogs, and numbers and dates written the locale's way (Babel).

A domain is a package holding ``translations/<lang>/LC_MESSAGES/messages.po`` (``shared`` for the
layout, one per service). The catalog is read from its compiled ``messages.mo`` when that is
current (``make i18n``, the images), else compiled from the ``.po`` in memory, so a fresh clone
needs no build step. Catalogs are cached per process. Message ids are the English texts: a string
a catalog lacks (or leaves untranslated) is shown in English.
"""

from __future__ import annotations

import functools
import importlib.util
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as babel_format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal as babel_format_decimal
from babel.numbers import format_percent as babel_format_percent
from babel.support import NullTranslations, Translations

CATALOG_FILE = "messages"
# CLDR separates the French percent sign with a no-break space; French typography (and the
# platform's texts) use the narrow one (U+202F), as the thousands separator already does.
_PERCENT_PATTERNS = {"fr": "#,##0\u202f%"}
# The locale whose formats a language's texts use: the platform's English is British (the
# "Catalogue", "6 December 2026"), its Portuguese that of Cabo Verde, Guinea-Bissau and São Tomé
# (European); a language not listed uses its own.
FORMAT_LOCALES = {"en": "en_GB", "pt": "pt_PT"}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for a deferred message
    """Mark ``message`` for extraction, to be translated later by ``Texts.gettext``."""
    return message


def NP_(context: str, message: str) -> tuple[str, str]:  # noqa: N802 - as N_
    """Mark ``message`` in ``context`` for extraction, for ``Texts.pgettext`` later."""
    return context, message


def counted(count: int, singular: str, plural: str) -> str:
    """Return ``count`` and its noun for an operator's English-only text (a CLI): ``1 job``."""
    return f"{count} {singular if count == 1 else plural}"


def language_name(code: str, language: str) -> str:
    """Return the name of the language ``code`` as ``language`` writes it (``portugais``)."""
    try:
        return Locale.parse(code).get_display_name(Locale.parse(language)) or code
    except (UnknownLocaleError, ValueError, TypeError):  # not a language code Babel knows
        return code


def translations_dir(domain: str) -> Path:
    """Return the ``translations`` directory of the package ``domain``."""
    spec = importlib.util.find_spec(domain)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"no package {domain!r} to read translations from")
    return Path(next(iter(spec.submodule_search_locations))) / "translations"


def po_path(domain: str, language: str) -> Path:
    """Return the path of the ``.po`` catalog of ``domain`` in ``language``."""
    return translations_dir(domain) / language / "LC_MESSAGES" / f"{CATALOG_FILE}.po"


@functools.cache
def compiled(domain: str, language: str) -> bytes | None:
    """Return the compiled catalog of ``domain`` in ``language`` (None when it has none)."""
    po = po_path(domain, language)
    if not po.is_file():
        return None
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo.read_bytes()
    with po.open("rb") as handle:
        parsed = read_po(handle, locale=language, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, parsed)  # fuzzy entries are left out, as ``pybabel compile`` does
    return buffer.getvalue()


@functools.cache
def _chain(language: str, domains: tuple[str, ...]) -> NullTranslations:
    """Return the translations of ``domains`` in ``language``, each falling back to the next."""
    chained: NullTranslations = NullTranslations()
    for domain in reversed(domains):
        data = compiled(domain, language)
        if data is None:
            continue
        layer = Translations(io.BytesIO(data), domain=domain)
        layer.add_fallback(chained)
        chained = layer
    return chained


@functools.cache
def texts_for(language: str, *domains: str) -> Texts:
    """Return the (shared, immutable) ``Texts`` of ``domains`` in ``language``."""
    return Texts(language, *domains)


class Texts:
    """The interface texts of ``domains`` (first found wins) and Babel formats, in one language."""

    def __init__(self, language: str, *domains: str) -> None:
        self.language = language
        self.locale = Locale.parse(FORMAT_LOCALES.get(language, language))
        self.domains = domains
        self.translations = _chain(language, tuple(domains))

    @property
    def display_name(self) -> str:
        """Return the language's name in itself (``Français``), as a language switch shows it."""
        own = Locale.parse(self.language)
        name = own.get_display_name(own) or self.language
        return name[:1].upper() + name[1:]

    def gettext(self, message: str, **params: Any) -> str:
        """Return ``message`` translated, with ``%(name)s`` placeholders filled from ``params``."""
        text = self.translations.gettext(message)
        return text % params if params else text

    def ngettext(self, singular: str, plural: str, count: int, **params: Any) -> str:
        """Return the form for ``count`` in this language's plural rule; ``%(count)s`` is set."""
        text = self.translations.ngettext(singular, plural, count)
        return text % {"count": count, **params}

    def pgettext(self, context: str, message: str, **params: Any) -> str:
        """Return ``message`` as translated in ``context`` (the same English, other meanings)."""
        text = str(self.translations.pgettext(context, message))
        return text % params if params else text

    def npgettext(self, context: str, singular: str, plural: str, count: int, **params: Any) -> str:
        """Return the plural form for ``count`` of a message in ``context``."""
        text = str(self.translations.npgettext(context, singular, plural, count))
        return text % {"count": count, **params}

    def format_decimal(self, value: float, *, digits: int = 1) -> str:
        """Return ``value`` with exactly ``digits`` decimals, the locale's marks (``2,6``)."""
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        # ``Decimal(value)`` is the float's exact value: rounding then matches Python's own.
        return babel_format_decimal(Decimal(value), format=pattern, locale=self.locale)

    def format_percent(self, share: float) -> str:
        """Return a share of one as a whole percentage the locale's way (``52 %`` in French)."""
        pattern = _PERCENT_PATTERNS.get(self.language)
        return babel_format_percent(Decimal(share), format=pattern, locale=self.locale)

    def format_date(self, moment: date | datetime, *, form: str = "long") -> str:
        """Return a date in the locale's ``form`` (long: ``6 décembre 2026``)."""
        day = moment.date() if isinstance(moment, datetime) else moment
        return babel_format_date(day, format=form, locale=self.locale)
