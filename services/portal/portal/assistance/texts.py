"""Problem titles of the assistance queue and the expertise registry (English, marked for the
portal's gettext catalog) and the English templates of their refusal messages (same catalog)."""

from __future__ import annotations

from shared.translations import N_

DOMAIN = "portal"

TITLES: dict[str, str] = {
    "unknown_match": N_("A match is not a published resource or another administration"),
    "invalid_status": N_("The request needs a status"),
}

# The English templates of this module's refusal messages (``shared.messages``), translated
# by the portal catalog.
MESSAGES: list[str] = [
    N_("only the platform's operators see assistance requests"),
    N_("only a coordinator changes the administration's offer"),
]
