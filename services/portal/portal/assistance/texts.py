"""Problem titles of the assistance queue and the expertise registry (English, marked for the
portal's gettext catalog) and the French versions of their refusal messages."""

from __future__ import annotations

from shared.translations import N_

DOMAIN = "portal"

TITLES: dict[str, str] = {
    "unknown_match": N_("A match is not a published resource or another administration"),
    "invalid_status": N_("The request needs a status"),
}

MESSAGES_FR: dict[str, str] = {
    "only the platform's operators see assistance requests": (
        "seuls les opérateurs de la plateforme voient les demandes d'assistance"
    ),
    "only a coordinator changes the administration's offer": (
        "seul un coordinateur modifie l'offre de l'administration"
    ),
}
