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


class Catalog:
    """User-facing texts by key, each in English and French (checked when built)."""

    def __init__(self, *catalogs: Mapping[str, Mapping[str, str]]) -> None:
        self.texts: dict[str, Mapping[str, str]] = {}
        for catalog in catalogs:
            for key, texts in catalog.items():
                missing = [lang for lang in SUPPORTED if not texts.get(lang)]
                if missing:
                    raise ValueError(f"text {key!r} lacks {', '.join(missing)}")
                self.texts[key] = texts

    def text(self, key: str, language: str, **params: object) -> str:
        """Return the text ``key`` in ``language`` with ``params`` filled in."""
        texts = self.texts.get(key)
        if texts is None:
            return key
        return pick(texts, language).format(**params) if params else pick(texts, language)


LAYOUT_TEXTS: dict[str, dict[str, str]] = {
    "site.name": {"en": "Smart Customs", "fr": "Douane intelligente"},
    "site.tagline": {
        "en": "AI, data and new technologies in Customs",
        "fr": "IA, données et nouvelles technologies en douane",
    },
    "nav.home": {"en": "Home", "fr": "Accueil"},
    "nav.catalogue": {"en": "Catalogue", "fr": "Catalogue"},
    "nav.assessment": {"en": "Self-assessment", "fr": "Auto-évaluation"},
    "nav.reports": {"en": "Reports", "fr": "Rapports"},
    "nav.login": {"en": "Sign in", "fr": "Se connecter"},
    "nav.logout": {"en": "Sign out", "fr": "Se déconnecter"},
    "nav.skip": {"en": "Skip to content", "fr": "Aller au contenu"},
    "nav.language": {"en": "Language", "fr": "Langue"},
    "nav.main": {"en": "Main navigation", "fr": "Navigation principale"},
    "footer.private": {
        "en": "Self-assessment results are private to each administration. Not a benchmark.",
        "fr": "Les résultats d'auto-évaluation sont propres à chaque administration. "
        "Ce n'est pas un classement.",
    },
}
