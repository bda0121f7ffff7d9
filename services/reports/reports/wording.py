"""Every text of a report, in English and French (the report is in its job's language).

Sentences with values use ``str.format`` fields; ``reports.content`` fills them with numbers
already written the way the language writes them.
"""

from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Self-assessment report",
        "subtitle": "Readiness self-assessment of a customs administration",
        "administration": "Administration",
        "submitted": "Submitted on",
        "framework": "Framework",
        "assessment_version": "Assessment version",
        "about": "About this report",
        "quote.open": "\u201c",
        "quote.close": "\u201d",
        "summary": "Executive summary",
        "profile": "Profile by area against targets",
        "areas": "Scores by area",
        "area": "Area",
        "level": "Level",
        "level_name": "Level name",
        "score": "Score",
        "percentage": "Score (%)",
        "target": "Target level",
        "gap": "Gap to target",
        "coverage": "Coverage",
        "confidence": "Confidence",
        "overall": "Overall (indicative)",
        "current_level": "Current level",
        "priorities": "Prioritized recommendations and roadmap",
        "rank": "Rank",
        "recommendation": "Recommendation",
        "effort": "Effort",
        "horizon": "Horizon",
        "quick_win": "Quick win",
        "tags": "Tags",
        "resources": "Resources on the portal",
        "resources_intro": (
            "Under a recommendation: the portal's resources whose tags match it (sign in to "
            "open those of the members' area)."
        ),
        "no_resources": "No portal resource matches these recommendations yet.",
        "members_only": "members' area",
        "roadmap": "Roadmap",
        "roadmap_intro": (
            "The recommendations in priority order (the rank), in three phases; quick wins "
            "always start in the first phase."
        ),
        "phase.0-6": "First steps and quick wins",
        "phase.6-18": "Consolidation",
        "phase.18-36": "Transformation",
        "phase_empty": "Nothing planned in this phase.",
        "progress": "Progress since the previous assessment",
        "previous": "Previous score",
        "change": "Change",
        "not_comparable": "not comparable",
        "strengths": "Strengths",
        "strengths_intro": "The highest answers of the area (level 3 or above).",
        "no_strengths": "No question of this area reached level 3 yet.",
        "gaps": "Gaps",
        "gaps_intro": "Answers below the target level, the widest first.",
        "no_gaps": "No answer is below the target level.",
        "dont_know": "“Don't know” answers",
        "dont_know_intro": "Questions nobody could answer: each counts as level 1 until known.",
        "no_dont_know": "None.",
        "disagreements": "Where respondents disagreed",
        "disagreements_intro": "Answers spread widely: worth a discussion before acting.",
        "no_disagreements": "No wide disagreement.",
        "why": "Why this level",
        "answers_given": "Answers given",
        "comments": "Comments",
        "agreed": "Agreed answer",
        "question": "Question",
        "team_answer": "Team answer",
        "counted_as": "Counted as",
        "weight": "Weight",
        "critical": "Critical",
        "note": "Note",
        "respondents": "Respondents' answers",
        "indicator": "Indicator",
        "yes": "yes",
        "no": "no",
        "months": "months",
        "not_recorded": "not recorded",
        "answer.dont_know": "Don't know",
        "answer.not_applicable": "Not applicable",
        "answer.none": "Not answered",
        "note.answered": "answered",
        "note.dont_know": "don't know: counted as level 1",
        "note.not_applicable": "not applicable: excluded",
        "note.unanswered": "not answered",
        "note.caps_area": "caps the area's score",
        "effort.low": "low",
        "effort.medium": "medium",
        "effort.high": "high",
        "confidence.low": "low",
        "confidence.medium": "medium",
        "confidence.high": "high",
        "why.score": (
            "The score of {score} is the weighted mean of the {answered} answered questions "
            "out of {applicable} applicable; a “don't know” counts as level 1."
        ),
        "why.level": (
            "A level is reached only when fully attained: {score} is level {level} ({name})."
        ),
        "why.cap": (
            "The score is capped at {limit}: the critical question “{question}” was answered "
            "{answer}, and a high average must not hide a missing foundation. Without the cap "
            "the score would be {raw}."
        ),
        "why.missing": (
            "{unanswered} question(s) were not answered and {not_applicable} marked not "
            "applicable (excluded from the score)."
        ),
        "why.none": "No question of this area was answered: no level can be given.",
        "summary.overall": (
            "Taken together, the {count} areas give an indicative level of {level} ({name}). The "
            "profile by area below is the result; the overall figure only summarizes it."
        ),
        "summary.strongest": "The strongest area is {area} (level {level}).",
        "summary.weakest": (
            "The area furthest from its target is {area}: level {level} for a target of {target}."
        ),
        "summary.below_target": "{count} of {total} areas are below their target level.",
        "summary.all_reached": "Every area has reached its target level.",
        "summary.priorities": (
            "{count} recommendations are prioritized, {quick} of them quick wins. The first three:"
        ),
        "summary.no_priorities": "No recommendation: every answer meets its target.",
        "summary.coverage": (
            "The answers cover {coverage} of the applicable questions, with {dont_know} "
            "“don't know” answer(s)."
        ),
        "summary.disagreements": (
            "Respondents disagreed widely on {count} question(s): see the area pages."
        ),
        "summary.progress": (
            "Since the previous assessment, {improved} area(s) improved and {declined} declined."
        ),
        "disclaimer": (
            "This is a self-assessment for internal planning and discussion, not a benchmark: "
            "do not use it to rank or compare administrations."
        ),
        "method": (
            "How to read it: each answer is a level from 1 (Initial) to 5 (Transformational). An "
            "area's score is the weighted mean of its answers; a critical question caps the area "
            "at one level above its own answer. Coverage is the share of applicable questions "
            "answered; confidence combines the known answers with the confidence respondents "
            "declared."
        ),
        "sheet.scores": "Scores",
        "sheet.answers": "Answers",
        "sheet.priorities": "Priorities",
        "sheet.roadmap": "Roadmap",
        "phase": "Phase",
    },
    "fr": {
        "heading": "Rapport d'auto-évaluation",
        "subtitle": "Auto-évaluation de la préparation d'une administration des douanes",
        "administration": "Administration",
        "submitted": "Soumis le",
        "framework": "Référentiel",
        "assessment_version": "Version de l'évaluation",
        "about": "À propos de ce rapport",
        "quote.open": "\u00ab\u00a0",
        "quote.close": "\u00a0\u00bb",
        "summary": "Synthèse",
        "profile": "Profil par domaine au regard des niveaux visés",
        "areas": "Résultats par domaine",
        "area": "Domaine",
        "level": "Niveau",
        "level_name": "Nom du niveau",
        "score": "Score",
        "percentage": "Score (%)",
        "target": "Niveau visé",
        "gap": "Écart au niveau visé",
        "coverage": "Couverture",
        "confidence": "Fiabilité",
        "overall": "Ensemble (indicatif)",
        "current_level": "Niveau actuel",
        "priorities": "Recommandations prioritaires et feuille de route",
        "rank": "Rang",
        "recommendation": "Recommandation",
        "effort": "Effort",
        "horizon": "Horizon",
        "quick_win": "Gain rapide",
        "tags": "Étiquettes",
        "resources": "Ressources du portail",
        "resources_intro": (
            "Sous chaque recommandation\u00a0: les ressources du portail dont les étiquettes "
            "correspondent (connectez-vous pour ouvrir celles de l'espace membres)."
        ),
        "no_resources": ("Aucune ressource du portail ne correspond encore à ces recommandations."),
        "members_only": "espace membres",
        "roadmap": "Feuille de route",
        "roadmap_intro": (
            "Les recommandations par ordre de priorité (le rang), en trois phases\u202f; les gains "
            "rapides commencent toujours dans la première."
        ),
        "phase.0-6": "Premiers pas et gains rapides",
        "phase.6-18": "Consolidation",
        "phase.18-36": "Transformation",
        "phase_empty": "Rien de prévu dans cette phase.",
        "progress": "Évolution depuis l'évaluation précédente",
        "previous": "Score précédent",
        "change": "Évolution",
        "not_comparable": "non comparable",
        "strengths": "Points forts",
        "strengths_intro": "Les réponses les plus élevées du domaine (niveau 3 ou plus).",
        "no_strengths": "Aucune question de ce domaine n'atteint encore le niveau 3.",
        "gaps": "Écarts",
        "gaps_intro": "Les réponses en dessous du niveau visé, les plus éloignées d'abord.",
        "no_gaps": "Aucune réponse n'est en dessous du niveau visé.",
        "dont_know": "Réponses «\u00a0ne sait pas\u00a0»",
        "dont_know_intro": (
            "Les questions auxquelles personne n'a pu répondre\u00a0: chacune compte comme "
            "le niveau "
            "1 tant que la réponse n'est pas connue."
        ),
        "no_dont_know": "Aucune.",
        "disagreements": "Divergences entre répondants",
        "disagreements_intro": ("Des réponses très dispersées\u00a0: à discuter avant d'agir."),
        "no_disagreements": "Aucune divergence importante.",
        "why": "Pourquoi ce niveau",
        "answers_given": "Réponses données",
        "comments": "Commentaires",
        "agreed": "Réponse retenue",
        "question": "Question",
        "team_answer": "Réponse de l'équipe",
        "counted_as": "Prise en compte",
        "weight": "Poids",
        "critical": "Critique",
        "note": "Remarque",
        "respondents": "Réponses des répondants",
        "indicator": "Indicateur",
        "yes": "oui",
        "no": "non",
        "months": "mois",
        "not_recorded": "non renseigné",
        "answer.dont_know": "Ne sait pas",
        "answer.not_applicable": "Sans objet",
        "answer.none": "Sans réponse",
        "note.answered": "renseignée",
        "note.dont_know": "ne sait pas\u00a0: compte comme le niveau 1",
        "note.not_applicable": "sans objet\u00a0: exclue",
        "note.unanswered": "sans réponse",
        "note.caps_area": "plafonne le score du domaine",
        "effort.low": "faible",
        "effort.medium": "moyen",
        "effort.high": "élevé",
        "confidence.low": "faible",
        "confidence.medium": "moyenne",
        "confidence.high": "élevée",
        "why.score": (
            "Le score de {score} est la moyenne pondérée des {answered} questions renseignées "
            "sur {applicable} applicables\u202f; une réponse «\u00a0ne sait pas\u00a0» "
            "compte comme le niveau 1."
        ),
        "why.level": (
            "Un niveau n'est atteint que lorsqu'il l'est entièrement\u00a0: {score} correspond au "
            "niveau {level} ({name})."
        ),
        "why.cap": (
            "Le score est plafonné à {limit}\u00a0: la question critique "
            "«\u00a0{question}\u00a0» a reçu la "
            "réponse {answer}, et une moyenne élevée ne doit pas masquer une fondation "
            "manquante. Sans ce plafond, le score serait de {raw}."
        ),
        "why.missing": (
            "{unanswered} question(s) sans réponse et {not_applicable} jugée(s) sans objet "
            "(exclue(s) du score)."
        ),
        "why.none": (
            "Aucune question de ce domaine n'a reçu de réponse\u00a0: aucun niveau ne peut "
            "être donné."
        ),
        "summary.overall": (
            "Pris ensemble, les {count} domaines donnent un niveau indicatif de {level} ({name}). "
            "C'est le profil par domaine ci-dessous qui constitue le résultat\u202f; le chiffre "
            "d'ensemble ne fait que le résumer."
        ),
        "summary.strongest": "Le domaine le plus avancé est\u00a0: {area} (niveau {level}).",
        "summary.weakest": (
            "Le domaine le plus éloigné de son niveau visé est\u00a0: {area}, au niveau "
            "{level} pour "
            "un niveau visé de {target}."
        ),
        "summary.below_target": (
            "{count} domaine(s) sur {total} sont en dessous de leur niveau visé."
        ),
        "summary.all_reached": "Tous les domaines ont atteint leur niveau visé.",
        "summary.priorities": (
            "{count} recommandations sont classées par priorité, dont {quick} gain(s) "
            "rapide(s). Les trois premières\u00a0:"
        ),
        "summary.no_priorities": (
            "Aucune recommandation\u00a0: toutes les réponses atteignent leur niveau visé."
        ),
        "summary.coverage": (
            "Les réponses couvrent {coverage} des questions applicables, dont {dont_know} "
            "réponse(s) «\u00a0ne sait pas\u00a0»."
        ),
        "summary.disagreements": (
            "Les répondants divergent fortement sur {count} question(s)\u00a0: voir les pages des "
            "domaines."
        ),
        "summary.progress": (
            "Depuis l'évaluation précédente, {improved} domaine(s) ont progressé et {declined} "
            "ont reculé."
        ),
        "disclaimer": (
            "Il s'agit d'une auto-évaluation destinée à la planification et à la discussion "
            "internes, et non d'un référentiel de comparaison\u00a0: ne l'utilisez pas pour "
            "classer "
            "ou comparer des administrations."
        ),
        "method": (
            "Comment le lire\u00a0: chaque réponse est un niveau de 1 (Initial) à 5 "
            "(Transformationnel). Le score d'un domaine est la moyenne pondérée de ses "
            "réponses\u202f; "
            "une question critique plafonne le domaine à un niveau au-dessus de sa propre "
            "réponse. La couverture est la part des questions applicables renseignées\u202f; la "
            "fiabilité combine les réponses connues et la confiance déclarée par les répondants."
        ),
        "sheet.scores": "Résultats",
        "sheet.answers": "Réponses",
        "sheet.priorities": "Priorités",
        "sheet.roadmap": "Feuille de route",
        "phase": "Phase",
    },
}

LEVEL_NAMES: dict[str, tuple[str, ...]] = {
    "en": ("Initial", "Developing", "Operational", "Advanced", "Transformational"),
    "fr": ("Initial", "En développement", "Opérationnel", "Avancé", "Transformationnel"),
}

MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
}
