"""Problem titles of assistance requests (for the catalog) and their messages' French versions."""

from __future__ import annotations

from shared.translations import N_

ERRORS: dict[str, str] = {
    "not_a_gap": N_("An indicator named is not one of the assessment's gaps"),
    "assistance_request_sent": N_("The request is sent: only the operators change it now"),
}

MESSAGES_FR: dict[str, str] = {
    "only a coordinator drafts and sends assistance requests": (
        "seul un coordinateur rédige et envoie les demandes d'assistance"
    ),
}
