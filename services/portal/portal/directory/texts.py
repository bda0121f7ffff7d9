"""Problem titles of the contact point directory (English, marked for the portal's gettext
catalog) and the English templates of its refusal messages (same catalog)."""

from __future__ import annotations

from shared.translations import N_

DOMAIN = "portal"

TITLES: dict[str, str] = {
    "unknown_contact_user": N_("The account named is not a user of this administration"),
    "unknown_region": N_("The region is not one of the portal's regions"),
}

# The English templates of this module's refusal messages (``shared.messages``), translated
# by the portal catalog.
MESSAGES: list[str] = [
    N_("only a coordinator keeps the contact points"),
    N_("a contact point corrects only their name, languages, e-mail and phone"),
]
