"""Problem titles of the contact point directory (English, marked for the portal's gettext
catalog) and the French versions of its refusal messages."""

from __future__ import annotations

from shared.translations import N_

DOMAIN = "portal"

TITLES: dict[str, str] = {
    "unknown_contact_user": N_("The account named is not a user of this administration"),
    "unknown_region": N_("The region is not one of the portal's regions"),
}

MESSAGES_FR: dict[str, str] = {
    "only a coordinator keeps the contact points": (
        "seul un coordinateur tient à jour les points de contact"
    ),
    "a contact point corrects only their name, languages, e-mail and phone": (
        "un point de contact ne corrige que son nom, ses langues, son courriel et son téléphone"
    ),
}
