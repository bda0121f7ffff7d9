"""The texts of peer learning the API gives in each language: the reminder and the problem title.

The page's labels are written in its template (``peers_section.html``, ``gettext``).
"""

from __future__ import annotations

from assessment.framework import LANGUAGES
from shared.translations import N_, texts_for

REMINDER = N_(
    "Not a benchmark: the regional distribution is there to inform your internal discussion. It "
    "ranks no one and shows no administration's scores."
)
"""The reminder every comparison carries."""

ERRORS: dict[str, str] = {
    "peer_region_conflict": N_(
        "Your administration already contributes to another region: opt that assessment out first"
    ),
}
"""Refusals of the peer-learning API (with the service's own, e.g. assessment_not_submitted)."""


def in_languages(text: str) -> dict[str, str]:
    """Return a marked text in each of the service's languages, as the API gives its texts."""
    return {language: texts_for(language, "assessment").gettext(text) for language in LANGUAGES}
