"""English and French texts of peer learning: the reminder, refusals and page labels."""

from __future__ import annotations

REMINDER: dict[str, str] = {
    "en": "Not a benchmark: the regional distribution is there to inform your internal "
    "discussion. It ranks no one and shows no administration's scores.",
    "fr": "Ce n'est pas un classement de référence (benchmark) : la distribution régionale sert "
    "à éclairer votre discussion interne. Elle ne classe personne et ne montre les scores "
    "d'aucune administration.",
}
"""The reminder every comparison carries."""

ERRORS: dict[str, dict[str, str]] = {
    "peer_region_conflict": {
        "en": "Your administration already contributes to another region: opt that assessment "
        "out first",
        "fr": "Votre administration contribue déjà à une autre région : retirez d'abord "
        "l'autre évaluation",
    },
}
"""Refusals of the peer-learning API (with the service's own, e.g. assessment_not_submitted)."""

TEXTS: dict[str, dict[str, str]] = {
    "peers.title": {"en": "Peer learning", "fr": "Apprentissage entre pairs"},
    "peers.reminder": REMINDER,
    "peers.region": {"en": "Region", "fr": "Région"},
    "peers.own": {"en": "Your score", "fr": "Votre score"},
    "peers.q1": {"en": "First quartile", "fr": "Premier quartile"},
    "peers.median": {"en": "Regional median", "fr": "Médiane régionale"},
    "peers.q3": {"en": "Third quartile", "fr": "Troisième quartile"},
    "peers.participants": {"en": "Administrations", "fr": "Administrations"},
    "peers.not_enough": {
        "en": "Not enough participants yet",
        "fr": "Pas encore assez de participants",
    },
    "peers.opted_in": {
        "en": "This assessment contributes to the aggregate of {region}.",
        "fr": "Cette évaluation contribue à l'agrégat de la région {region}.",
    },
    "peers.not_opted_in": {
        "en": "This assessment does not contribute to any regional aggregate.",
        "fr": "Cette évaluation ne contribue à aucun agrégat régional.",
    },
    "peers.threshold": {
        "en": "A distribution is shown only once at least {threshold} administrations of the "
        "region have opted in with this framework version; individual scores are never shown.",
        "fr": "Une distribution n'est affichée qu'à partir de {threshold} administrations de la "
        "région ayant adhéré avec cette version du référentiel ; aucun score individuel "
        "n'est jamais affiché.",
    },
    "peers.opt_in": {"en": "Contribute to the aggregate", "fr": "Contribuer à l'agrégat"},
    "peers.opt_out": {"en": "Stop contributing", "fr": "Ne plus contribuer"},
}
"""Labels of the results page's peer section."""
