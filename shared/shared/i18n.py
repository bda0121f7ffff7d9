"""Language negotiation: ``?lang=``, then the ``lang`` cookie, then ``Accept-Language``."""

from __future__ import annotations

from collections.abc import Mapping

SUPPORTED = ("en", "fr")
DEFAULT = "en"


def negotiate(
    query: str | None, cookie: str | None, accept_language: str | None, default: str = DEFAULT
) -> str:
    """Return the language to answer in, among the supported ones."""
    for explicit in (query, cookie):
        if explicit and explicit.lower()[:2] in SUPPORTED:
            return explicit.lower()[:2]
    return _from_accept_language(accept_language) or default


def _from_accept_language(header: str | None) -> str | None:
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        tag = pieces[0].strip().lower()[:2]
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag in SUPPORTED and quality > 0:
            ranked.append((-quality, position, tag))
    return min(ranked)[2] if ranked else None


def pick(texts: Mapping[str, str], language: str) -> str:
    """Return the text in ``language``, falling back to English, then to any text."""
    return texts.get(language) or texts.get(DEFAULT) or next(iter(texts.values()), "")
