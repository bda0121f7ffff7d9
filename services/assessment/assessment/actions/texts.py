"""Problem titles of the action plans (for the catalog) and their messages' French versions."""

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

MESSAGES_FR: dict[str, str] = {
    "only a coordinator changes the action plan": ("seul un coordinateur modifie le plan d'action"),
    "respondents see the actions they own": (
        "les répondants voient les actions dont ils sont responsables"
    ),
    "an owner changes only the status and the evidence": (
        "un responsable ne modifie que le statut et les éléments de preuve"
    ),
    "this assessment has no action plan yet": "cette évaluation n'a pas encore de plan d'action",
    "not a user of this administration's assessments": (
        "pas un utilisateur des évaluations de cette administration"
    ),
    "unknown indicators: {keys}": "indicateurs inconnus : {keys}",
    "unknown recommendations: {keys}": "recommandations inconnues : {keys}",
    "not priorities: {keys}": "pas des priorités : {keys}",
    "must be a level from {low} to {high}": "doit être un niveau de {low} à {high}",
    "must be an http or https address (no spaces)": (
        "doit être une adresse http ou https (sans espace)"
    ),
    "a note, a link or a portal contribution is required": (
        "une note, un lien ou une contribution du portail est requis"
    ),
}
