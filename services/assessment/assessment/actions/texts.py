"""Problem titles of the action plans and the English templates of their messages (catalog)."""

from __future__ import annotations

from shared.translations import N_

ERRORS: dict[str, str] = {
    "action_plan_exists": N_("This assessment already has an action plan"),
    "not_a_priority": N_("An indicator named is not one of the assessment's priorities"),
    "unknown_owner": N_("The owner is not a user of this administration"),
    "unknown_reference": N_("The framework has no such indicator or recommendation"),
    "evidence_required": N_("An action is marked done only with evidence"),
    "no_previous_assessment": N_("This assessment has no earlier assessment to compare with"),
}

# The English templates of the messages the service's refusals carry (``shared.messages``), which
# the assessment catalog translates.
MESSAGES: list[str] = [
    N_("only a coordinator changes the action plan"),
    N_("respondents see the actions they own"),
    N_("an owner changes only the status and the evidence"),
    N_("this assessment has no action plan yet"),
    N_("not a user of this administration's assessments"),
    N_("unknown indicators: {keys}"),
    N_("unknown recommendations: {keys}"),
    N_("not priorities: {keys}"),
    N_("must be a level from {low} to {high}"),
    N_("must be an http or https address (no spaces)"),
    N_("a note, a link or a portal contribution is required"),
]
