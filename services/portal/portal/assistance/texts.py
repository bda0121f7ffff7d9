"""Problem titles and messages of the assistance queue and the expertise registry (EN/FR)."""

from __future__ import annotations

ERRORS: dict[str, dict[str, str]] = {
    "unknown_match": {
        "en": "A match is not a published resource or another administration",
        "fr": "Une correspondance n'est ni une ressource publiée ni une autre administration",
    },
    "invalid_status": {
        "en": "The request needs a status",
        "fr": "La demande doit recevoir un statut",
    },
}

MESSAGES_FR: dict[str, str] = {
    "only the platform's operators see assistance requests": (
        "seuls les opérateurs de la plateforme voient les demandes d'assistance"
    ),
    "only a coordinator changes the administration's offer": (
        "seul un coordinateur modifie l'offre de l'administration"
    ),
}
