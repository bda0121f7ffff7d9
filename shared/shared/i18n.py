"""Language negotiation: ``?lang=``, then the ``lang`` cookie, then ``Accept-Language`` (Babel).

``SUPPORTED`` is the one list of interface languages: adding a language is its code here and a
catalog per domain (``pybabel init``, see the README). English and French are complete everywhere
(``COMPLETE``); another language may translate part of the texts, the rest shows in English.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from babel import Locale

SUPPORTED = ("en", "fr", "pt")
# The languages every text must have (the keyed texts are checked when built, the catalogs by
# shared/tests/test_catalogs.py).
COMPLETE = ("en", "fr")
DEFAULT = "en"
# Content (framework texts, portal items, recommendations) lacking the reader's language is shown
# in the first of these it has, then in any: the platform's content is written in English and
# French, and a Portuguese reader gets the English first.
CONTENT_FALLBACK = ("en", "fr")


# Every request negotiates; the headers repeat, so the answers are kept (bounded: client input).
@functools.lru_cache(maxsize=1024)
def negotiate(
    query: str | None, cookie: str | None, accept_language: str | None, default: str = DEFAULT
) -> str:
    """Return the language to answer in, among the supported ones."""
    for explicit in (query, cookie):
        if explicit:
            chosen = _best([explicit.strip()])
            if chosen:
                return chosen
    return _best(_from_accept_language(accept_language)) or default


def _best(preferred: list[str]) -> str | None:
    """Return the first supported language of ``preferred`` (``fr-CA`` is ``fr``), if any."""
    tags = [tag.lower().replace("_", "-") for tag in preferred if tag and tag != "*"]
    try:
        chosen = Locale.negotiate(tags, SUPPORTED, sep="-")
    except (ValueError, TypeError):  # a tag Babel cannot parse names no language of ours
        return None
    return str(chosen) if chosen is not None else None


def _from_accept_language(header: str | None) -> list[str]:
    """Return the tags of an ``Accept-Language`` header, the preferred first (q=0 left out)."""
    if not header:
        return []
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip()
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag))
    return [tag for _quality, _position, tag in sorted(ranked)]


def pick(texts: Mapping[str, str], language: str) -> str:
    """Return the text in ``language``, else the first of ``CONTENT_FALLBACK`` it has, else any."""
    for candidate in (language, *CONTENT_FALLBACK):
        text = texts.get(candidate)
        if text:
            return text
    return next((text for text in texts.values() if text), "")
