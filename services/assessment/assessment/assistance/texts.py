"""Problem titles and messages of capacity-building requests, in English and French."""

from __future__ import annotations

ERRORS: dict[str, dict[str, str]] = {
    "not_a_gap": {
        "en": "An indicator named is not one of the assessment's gaps",
        "fr": "Un indicateur indiqué ne fait pas partie des écarts de l'évaluation",
    },
    "assistance_request_sent": {
        "en": "The request is sent: only the operators change it now",
        "fr": "La demande est envoyée : seuls les opérateurs la modifient désormais",
    },
}

MESSAGES_FR: dict[str, str] = {
    "only a coordinator drafts and sends assistance requests": (
        "seul un coordinateur rédige et envoie les demandes d'assistance"
    ),
}
