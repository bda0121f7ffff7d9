"""Texts of the action plan pages, in English and French."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "plan.title": {"en": "Action plan", "fr": "Plan d'action"},
    "plan.build": {"en": "Build an action plan", "fr": "Établir un plan d'action"},
    "plan.build_intro": {
        "en": "Choose the priorities the plan addresses: each becomes an action, due at the end "
        "of its roadmap phase, that you can then assign to an owner.",
        "fr": "Choisissez les priorités que le plan traite : chacune devient une action, à "
        "échéance de la fin de sa phase de la feuille de route, que vous pouvez ensuite confier "
        "à un responsable.",
    },
    "plan.open": {"en": "Open the action plan", "fr": "Ouvrir le plan d'action"},
    "plan.none": {
        "en": "No action plan yet for this assessment.",
        "fr": "Pas encore de plan d'action pour cette évaluation.",
    },
    "plan.counts": {
        "en": "{planned} planned, {in_progress} in progress, {done} done, {dropped} dropped; "
        "{overdue} overdue.",
        "fr": "{planned} prévues, {in_progress} en cours, {done} réalisées, {dropped} "
        "abandonnées ; {overdue} en retard.",
    },
    "plan.add": {"en": "Add an action", "fr": "Ajouter une action"},
    "plan.change": {"en": "Change", "fr": "Modifier"},
    "plan.empty": {"en": "The plan has no action.", "fr": "Le plan ne contient aucune action."},
    "plan.back": {"en": "Back to the results", "fr": "Retour aux résultats"},
    "plan.overdue": {"en": "Overdue", "fr": "En retard"},
    "plan.mark_done": {"en": "Mark done", "fr": "Marquer comme réalisée"},
    "plan.update": {"en": "Update", "fr": "Mettre à jour"},
    "plan.evidence_hint": {
        "en": "Done needs evidence: a note or a link.",
        "fr": "Une action réalisée demande un élément de preuve : une note ou un lien.",
    },
    "plan.saved": {"en": "Saved.", "fr": "Enregistré."},
    "mine.title": {"en": "My actions", "fr": "Mes actions"},
    "mine.intro": {
        "en": "The actions of your administration's plans that you own, soonest due first.",
        "fr": "Les actions des plans de votre administration dont vous êtes responsable, "
        "les plus proches de leur échéance d'abord.",
    },
    "mine.none": {
        "en": "You own no action yet.",
        "fr": "Vous n'êtes responsable d'aucune action pour le moment.",
    },
    "col.action": {"en": "Action", "fr": "Action"},
    "col.owner": {"en": "Owner", "fr": "Responsable"},
    "col.target_date": {"en": "Target date", "fr": "Échéance"},
    "col.target_level": {"en": "Target level", "fr": "Niveau visé"},
    "col.evidence": {"en": "Evidence", "fr": "Élément de preuve"},
    "field.action_title": {"en": "Action", "fr": "Action"},
    "field.owner": {"en": "Owner", "fr": "Responsable"},
    "field.target_date": {"en": "Target date", "fr": "Échéance"},
    "field.target_level": {"en": "Target level", "fr": "Niveau visé"},
    "field.indicator": {"en": "Indicator addressed", "fr": "Indicateur traité"},
    "field.evidence_note": {"en": "Evidence: note", "fr": "Preuve : note"},
    "field.evidence_link": {"en": "Evidence: link", "fr": "Preuve : lien"},
    "field.action_status": {"en": "Status", "fr": "Statut"},
    "field.none": {"en": "(none)", "fr": "(aucun)"},
    "action_status.planned": {"en": "Planned", "fr": "Prévue"},
    "action_status.in_progress": {"en": "In progress", "fr": "En cours"},
    "action_status.done": {"en": "Done", "fr": "Réalisée"},
    "action_status.dropped": {"en": "Dropped", "fr": "Abandonnée"},
    "since.title": {
        "en": "Actions since the previous assessment",
        "fr": "Actions depuis l'évaluation précédente",
    },
    "since.intro": {
        "en": "The indicators the plan of “{title}” addressed: the level then and now, "
        "and what was done.",
        "fr": "Les indicateurs traités par le plan de « {title} » : le niveau d'alors et "
        "d'aujourd'hui, et ce qui a été fait.",
    },
    "since.summary": {
        "en": "{improved} improved, {unchanged} unchanged, {declined} declined; {taken} improved "
        "with actions taken.",
        "fr": "{improved} en progrès, {unchanged} stables, {declined} en recul ; {taken} en "
        "progrès avec des actions menées.",
    },
    "col.then": {"en": "Level then", "fr": "Niveau alors"},
    "col.now": {"en": "Level now", "fr": "Niveau actuel"},
    "col.change": {"en": "Change", "fr": "Évolution"},
    "dash.my_actions": {"en": "My actions", "fr": "Mes actions"},
}
