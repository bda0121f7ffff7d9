"""Problem titles and messages of the action plans, in English and French."""

from __future__ import annotations

ERRORS: dict[str, dict[str, str]] = {
    "action_plan_exists": {
        "en": "This assessment already has an action plan",
        "fr": "Cette évaluation a déjà un plan d'action",
    },
    "not_a_priority": {
        "en": "An indicator named is not one of the assessment's priorities",
        "fr": "Un indicateur indiqué ne fait pas partie des priorités de l'évaluation",
    },
    "unknown_owner": {
        "en": "The owner is not a user of this administration",
        "fr": "Le responsable n'est pas un utilisateur de cette administration",
    },
    "unknown_reference": {
        "en": "The framework has no such indicator or recommendation",
        "fr": "Le référentiel ne contient pas cet indicateur ou cette recommandation",
    },
    "evidence_required": {
        "en": "An action is marked done only with evidence",
        "fr": "Une action n'est marquée comme réalisée qu'avec un élément de preuve",
    },
    "no_previous_assessment": {
        "en": "This assessment has no earlier assessment to compare with",
        "fr": "Cette évaluation n'a pas d'évaluation antérieure à laquelle se comparer",
    },
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
