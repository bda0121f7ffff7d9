"""Texts of the assessment pages, in English and French."""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "dash.title": {"en": "Readiness self-assessments", "fr": "Auto-évaluations de préparation"},
    "dash.intro": {
        "en": "Assess your administration's readiness for a technology, area by area, with one "
        "of the readiness tools below. Results are a starting point for internal discussion, "
        "not a benchmark.",
        "fr": "Évaluez, domaine par domaine, la préparation de votre administration à une "
        "technologie avec l'un des outils de préparation ci-dessous. Les résultats servent de "
        "point de départ à la discussion interne ; ce n'est pas un classement.",
    },
    "dash.none": {"en": "No assessment yet.", "fr": "Aucune évaluation pour le moment."},
    "dash.start": {"en": "Start an assessment", "fr": "Démarrer une évaluation"},
    "field.title": {"en": "Title", "fr": "Titre"},
    "field.tool": {"en": "Readiness tool", "fr": "Outil de préparation"},
    "field.language": {"en": "Report language", "fr": "Langue du rapport"},
    "field.name": {"en": "Name", "fr": "Nom"},
    "field.email": {"en": "E-mail (optional)", "fr": "Courriel (facultatif)"},
    "field.user_id": {"en": "User id", "fr": "Identifiant de l'utilisateur"},
    "field.areas": {"en": "Assigned areas", "fr": "Domaines attribués"},
    "field.confidence": {"en": "Confidence", "fr": "Degré de confiance"},
    "field.comment": {"en": "Comment", "fr": "Commentaire"},
    "field.evidence": {"en": "Evidence", "fr": "Éléments de preuve"},
    "field.reason": {"en": "Reason", "fr": "Motif"},
    "lang.en": {"en": "English", "fr": "Anglais"},
    "lang.fr": {"en": "French", "fr": "Français"},
    "status.in_progress": {"en": "In progress", "fr": "En cours"},
    "status.submitted": {"en": "Submitted", "fr": "Soumise"},
    "col.assessment": {"en": "Assessment", "fr": "Évaluation"},
    "col.status": {"en": "Status", "fr": "Statut"},
    "col.tool": {"en": "Tool", "fr": "Outil"},
    "col.created": {"en": "Started", "fr": "Démarrée le"},
    "col.area": {"en": "Area", "fr": "Domaine"},
    "col.level": {"en": "Level", "fr": "Niveau"},
    "col.score": {"en": "Score (1-5)", "fr": "Score (1-5)"},
    "col.target": {"en": "Target", "fr": "Cible"},
    "col.coverage": {"en": "Coverage", "fr": "Couverture"},
    "col.confidence": {"en": "Confidence", "fr": "Confiance"},
    "col.indicator": {"en": "Indicator", "fr": "Indicateur"},
    "col.answers": {"en": "Answers", "fr": "Réponses"},
    "col.spread": {"en": "Spread", "fr": "Écart"},
    "col.agreed": {"en": "Agreed answer", "fr": "Réponse retenue"},
    "col.use_case": {"en": "Use case", "fr": "Cas d'usage"},
    "col.missing": {"en": "What is missing", "fr": "Ce qui manque"},
    "col.answer": {"en": "Answer", "fr": "Réponse"},
    "col.weight": {"en": "Weight", "fr": "Pondération"},
    "col.note": {"en": "How it counts", "fr": "Prise en compte"},
    "overview.team": {"en": "Team", "fr": "Équipe"},
    "overview.progress": {"en": "Progress by area", "fr": "Avancement par domaine"},
    "overview.invite": {"en": "Invite a respondent", "fr": "Inviter un répondant"},
    "overview.pick": {
        "en": "Choose from your administration",
        "fr": "Choisir dans votre administration",
    },
    "overview.targets": {"en": "Target levels", "fr": "Niveaux cibles"},
    "overview.save_targets": {"en": "Save targets", "fr": "Enregistrer les cibles"},
    "overview.answer": {"en": "Answer", "fr": "Répondre"},
    "overview.all_areas": {"en": "all areas", "fr": "tous les domaines"},
    "action.consensus": {"en": "Disagreements", "fr": "Divergences"},
    "action.results": {"en": "Results", "fr": "Résultats"},
    "action.export": {"en": "Export (JSON)", "fr": "Exporter (JSON)"},
    "action.submit": {"en": "Submit the assessment", "fr": "Soumettre l'évaluation"},
    "action.reopen": {"en": "Reopen", "fr": "Rouvrir"},
    "action.save": {"en": "Save", "fr": "Enregistrer"},
    "action.invite": {"en": "Invite", "fr": "Inviter"},
    "action.record": {"en": "Record", "fr": "Retenir"},
    "submitted.readonly": {
        "en": "This assessment is submitted and read-only. Its report is being prepared.",
        "fr": "Cette évaluation est soumise et en lecture seule. Son rapport est en préparation.",
    },
    "q.progress": {"en": "{done} of {total} answered", "fr": "{done} sur {total} répondus"},
    "q.guidance": {"en": "Guidance", "fr": "Conseils"},
    "q.dont_know": {"en": "Don't know", "fr": "Je ne sais pas"},
    "q.not_applicable": {"en": "Not applicable", "fr": "Sans objet"},
    "q.critical": {"en": "Foundation", "fr": "Fondement"},
    "q.saved": {"en": "Saved", "fr": "Enregistré"},
    "q.saving": {"en": "Saving…", "fr": "Enregistrement…"},
    "q.save_failed": {"en": "Not saved: {reason}", "fr": "Non enregistré : {reason}"},
    "q.save_all": {"en": "Save this area", "fr": "Enregistrer ce domaine"},
    "q.back": {"en": "Back to the assessment", "fr": "Retour à l'évaluation"},
    "prefill.title": {"en": "Pre-filled answers", "fr": "Réponses préremplies"},
    "prefill.intro": {
        "en": "This area is shared with another readiness tool: {count} answers are pre-filled "
        "from the submitted assessment \u201c{title}\u201d. They do not count until the "
        "coordinator confirms them.",
        "fr": "Ce domaine est commun avec un autre outil de préparation : {count} réponses sont "
        "préremplies à partir de l'évaluation soumise « {title} ». Elles ne comptent qu'une "
        "fois confirmées par le coordinateur.",
    },
    "prefill.intro_one": {
        "en": "This area is shared with another readiness tool: 1 answer is pre-filled from "
        "the submitted assessment \u201c{title}\u201d. It does not count until the coordinator "
        "confirms it.",
        "fr": "Ce domaine est commun avec un autre outil de préparation : 1 réponse est "
        "préremplie à partir de l'évaluation soumise « {title} ». Elle ne compte qu'une fois "
        "confirmée par le coordinateur.",
    },
    "prefill.confirm": {
        "en": "Confirm the pre-filled answers",
        "fr": "Confirmer les réponses préremplies",
    },
    "prefill.coordinator": {
        "en": "The coordinator confirms pre-filled answers.",
        "fr": "Le coordinateur confirme les réponses préremplies.",
    },
    "prefill.offered": {
        "en": "Pre-filled: {value}, from \u201c{title}\u201d.",
        "fr": "Prérempli : {value}, d'après « {title} ».",
    },
    "prefill.unconfirmed": {"en": "Not confirmed", "fr": "Non confirmé"},
    "prefill.agreed": {"en": "Agreed answer: {value}", "fr": "Réponse retenue : {value}"},
    "confidence.none": {"en": "Not stated", "fr": "Non précisé"},
    "confidence.low": {"en": "Low", "fr": "Faible"},
    "confidence.medium": {"en": "Medium", "fr": "Moyen"},
    "confidence.high": {"en": "High", "fr": "Élevé"},
    "consensus.title": {"en": "Where respondents disagree", "fr": "Où les répondants divergent"},
    "consensus.intro": {
        "en": "Indicators whose answers spread by two levels or more are flagged: discuss them, "
        "then record the answer the team agrees on.",
        "fr": "Les indicateurs dont les réponses s'écartent de deux niveaux ou plus sont "
        "signalés : discutez-en, puis retenez la réponse sur laquelle l'équipe s'accorde.",
    },
    "consensus.flag": {"en": "Disagreement", "fr": "Divergence"},
    "consensus.none": {"en": "No answers yet.", "fr": "Aucune réponse pour le moment."},
    "results.title": {"en": "Results", "fr": "Résultats"},
    "results.disclaimer": {
        "en": "A self-assessment for internal planning, not a benchmark. The overall figure "
        "is indicative; the profile by area is the result.",
        "fr": "Une auto-évaluation pour la planification interne, et non un classement. Le "
        "chiffre global est indicatif ; le profil par domaine constitue le résultat.",
    },
    "results.profile": {"en": "Profile against targets", "fr": "Profil par rapport aux cibles"},
    "results.overall": {"en": "Overall (indicative)", "fr": "Global (indicatif)"},
    "results.why": {"en": "Why this level", "fr": "Pourquoi ce niveau"},
    "results.capped": {
        "en": "Capped at {limit} by the foundation indicator {indicator}.",
        "fr": "Plafonné à {limit} par l'indicateur fondamental {indicator}.",
    },
    "results.feasibility": {"en": "Use cases within reach", "fr": "Cas d'usage à portée"},
    "results.within_reach": {"en": "Within reach", "fr": "À portée"},
    "results.not_yet": {"en": "Not yet", "fr": "Pas encore"},
    "results.priorities": {"en": "Priorities", "fr": "Priorités"},
    "results.quick_win": {"en": "Quick win", "fr": "Gain rapide"},
    "results.roadmap": {"en": "Roadmap", "fr": "Feuille de route"},
    "results.phase": {"en": "{phase} months", "fr": "{phase} mois"},
    "results.progress": {
        "en": "Progress since the previous assessment",
        "fr": "Progrès depuis l'évaluation précédente",
    },
    "results.no_priorities": {"en": "No gap to the targets.", "fr": "Aucun écart aux cibles."},
    "results.value": {"en": "Level", "fr": "Niveau"},
    "results.dont_know": {"en": "Don't know: {count}", "fr": "Je ne sais pas : {count}"},
    "note.answered": {"en": "counted", "fr": "pris en compte"},
    "note.dont_know": {
        "en": "don't know: counted as level 1",
        "fr": "je ne sais pas : compté au niveau 1",
    },
    "note.not_applicable": {"en": "not applicable: excluded", "fr": "sans objet : exclu"},
    "note.unanswered": {"en": "not answered", "fr": "sans réponse"},
    "note.caps_area": {"en": "foundation: caps the area", "fr": "fondement : plafonne le domaine"},
    "effort.low": {"en": "low effort", "fr": "effort faible"},
    "effort.medium": {"en": "medium effort", "fr": "effort moyen"},
    "effort.high": {"en": "high effort", "fr": "effort important"},
}


# French versions of the messages the service's refusals carry (``shared.messages``).
MESSAGES_FR = {
    "only a coordinator starts an assessment": "seul un coordinateur lance une évaluation",
    "an administration is required": "une administration est requise",
    "unknown areas: {areas}": "domaines inconnus : {areas}",
    "the assessment changed meanwhile: save again": (
        "l'évaluation a changé entre-temps : enregistrez à nouveau"
    ),
    "Must be a level from 1 to 5, 'dont_know' or 'not_applicable'.": (
        "Doit être un niveau de 1 à 5, « dont_know » ou « not_applicable »."
    ),
    "must be an object": "doit être un objet",
    "use lower-case letters, digits, . _ -": "utilisez des minuscules, des chiffres, . _ -",
    "describe exactly the levels 1 to 5": "décrivez exactement les niveaux 1 à 5",
    "duplicate keys: {keys}": "clés en double : {keys}",
    "{case}: unknown areas {areas}": "{case} : domaines inconnus {areas}",
    "from {version}: unknown indicators {indicators}": (
        "depuis {version} : indicateurs inconnus {indicators}"
    ),
    "name exactly five levels, 1 to 5": "nommez exactement cinq niveaux, de 1 à 5",
    "unknown reference {reference}: no framework {framework} {version}": (
        "référence inconnue {reference} : aucun référentiel {framework} {version}"
    ),
    "unknown reference {reference}: {framework} {version} has no area {area}": (
        "référence inconnue {reference} : {framework} {version} n'a pas de domaine {area}"
    ),
    "malformed reference {reference}: write <framework>@<version>/<area>": (
        "référence mal formée {reference} : écrivez <référentiel>@<version>/<domaine>"
    ),
    "{reference}: a framework cannot reuse its own area": (
        "{reference} : un référentiel ne peut pas réutiliser son propre domaine"
    ),
    "{reference}: the module has no indicators {indicators}": (
        "{reference} : le module ne contient pas les indicateurs {indicators}"
    ),
    "{reference}: indicators must be a non-empty list of indicator keys": (
        "{reference} : indicators doit être une liste non vide de clés d'indicateurs"
    ),
    "{reference}: unknown fields {fields}": "{reference} : champs inconnus {fields}",
    "reference not resolved: publish the framework it points to first": (
        "référence non résolue : publiez d'abord le référentiel auquel elle renvoie"
    ),
    "reference cycle: {cycle}": "références circulaires : {cycle}",
    "not offered as pre-filled: {indicators}": "non proposées comme préremplies : {indicators}",
}
