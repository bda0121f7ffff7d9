"""Problem titles and messages of the contact point directory, in English and French."""

from __future__ import annotations

ERRORS: dict[str, dict[str, str]] = {
    "unknown_contact_user": {
        "en": "The account named is not a user of this administration",
        "fr": "Le compte indiqué n'est pas un utilisateur de cette administration",
    },
    "unknown_region": {
        "en": "The region is not one of the portal's regions",
        "fr": "La région ne fait pas partie des régions du portail",
    },
}

MESSAGES_FR: dict[str, str] = {
    "only a coordinator keeps the contact points": (
        "seul un coordinateur tient à jour les points de contact"
    ),
    "a contact point corrects only their name, languages, e-mail and phone": (
        "un point de contact ne corrige que son nom, ses langues, son courriel et son téléphone"
    ),
}
