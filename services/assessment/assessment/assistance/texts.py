"""Problem titles of assistance requests and the English templates of their messages (catalog)."""

from __future__ import annotations

from shared.translations import N_

ERRORS: dict[str, str] = {
    "not_a_gap": N_("An indicator named is not one of the assessment's gaps"),
    "assistance_request_sent": N_("The request is sent: only the operators change it now"),
}

# The English templates of the messages the service's refusals carry (``shared.messages``), which
# the assessment catalog translates.
MESSAGES: list[str] = [
    N_("only a coordinator drafts and sends assistance requests"),
]
