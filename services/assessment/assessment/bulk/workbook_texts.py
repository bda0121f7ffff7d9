"""The texts of the answer workbook, in English and French (kept apart from its layout code)."""

from __future__ import annotations

INSTRUCTIONS = {"en": "Instructions", "fr": "Consignes"}
LANGUAGE = {"en": "English", "fr": "français"}
# Used when no framework is given; the workbook itself shows the framework's own level names.
LEVEL_NAMES = {
    1: {"en": "Initial", "fr": "Initial"},
    2: {"en": "Developing", "fr": "En développement"},
    3: {"en": "Operational", "fr": "Opérationnel"},
    4: {"en": "Advanced", "fr": "Avancé"},
    5: {"en": "Transformational", "fr": "Transformationnel"},
}

TEXTS: dict[str, dict[str, str]] = {
    "version": {"en": "Version", "fr": "Version"},
    "language": {"en": "Language:", "fr": "Langue :"},
    "privacy_label": {"en": "Private", "fr": "Confidentiel"},
    "privacy": {
        "en": "Your answers belong to your administration alone: they serve its own "
        "self-assessment and internal discussion. They are not a benchmark and nothing is "
        "compared with other administrations.",
        "fr": "Vos réponses n'appartiennent qu'à votre administration : elles servent à sa "
        "propre auto-évaluation et à la discussion interne. Ce n'est pas un classement et rien "
        "n'est comparé avec d'autres administrations.",
    },
    "who": {"en": "Who is answering", "fr": "Qui répond"},
    "who_help": {
        "en": "One workbook is filled in by one person. Type your e-mail address or your "
        "respondent id in the yellow cell below.",
        "fr": "Un classeur est rempli par une seule personne. Saisissez votre adresse "
        "électronique ou votre identifiant de répondant dans la cellule jaune ci-dessous.",
    },
    "respondent_label": {
        "en": "Your e-mail or respondent id",
        "fr": "Votre adresse électronique ou identifiant",
    },
    "respondent_title": {"en": "Respondent", "fr": "Répondant"},
    "respondent_prompt": {
        "en": "Your e-mail or respondent id",
        "fr": "Votre adresse électronique ou votre identifiant de répondant",
    },
    "respondent_error": {
        "en": "Choose yourself in the list of the assessment's respondents.",
        "fr": "Choisissez votre nom dans la liste des répondants de l'évaluation.",
    },
    "how": {"en": "How to fill in this workbook", "fr": "Comment remplir ce classeur"},
    "levels": {"en": "Answers", "fr": "Réponses"},
    "dont_know_means": {
        "en": "You do not know the answer: it counts as level 1 in the score (a gap in "
        "knowledge is a gap).",
        "fr": "Vous ne connaissez pas la réponse : elle compte comme le niveau 1 dans le score "
        "(une lacune de connaissance est une lacune).",
    },
    "not_applicable_means": {
        "en": "The question does not apply to your administration: it is left out of every score.",
        "fr": "La question ne concerne pas votre administration : elle est exclue de tous les "
        "scores.",
    },
    "area_help": {
        "en": "Answer in the yellow cells: pick the level that best describes your "
        "administration today. Leave a row empty if you do not answer it.",
        "fr": "Répondez dans les cellules jaunes : choisissez le niveau qui décrit le mieux "
        "votre administration aujourd'hui. Laissez vide une ligne à laquelle vous ne répondez "
        "pas.",
    },
    "key": {"en": "Key", "fr": "Clé"},
    "number": {"en": "No.", "fr": "N°"},
    "question": {"en": "Question", "fr": "Question"},
    "guidance": {"en": "Guidance", "fr": "Conseils"},
    "answer": {"en": "Answer", "fr": "Réponse"},
    "confidence": {"en": "Confidence", "fr": "Confiance"},
    "evidence": {"en": "Evidence", "fr": "Justificatifs"},
    "comment": {"en": "Comment", "fr": "Commentaire"},
    "answer_error": {
        "en": "Choose an answer from the list: a level from 1 to 5, Don't know or Not applicable.",
        "fr": "Choisissez une réponse dans la liste : un niveau de 1 à 5, Je ne sais pas ou "
        "Sans objet.",
    },
    "confidence_error": {
        "en": "Choose a confidence from the list: low, medium or high.",
        "fr": "Choisissez un degré de confiance dans la liste : faible, moyenne ou élevée.",
    },
}

STEPS: tuple[dict[str, str], ...] = (
    {
        "en": "Type your e-mail address or respondent id in the yellow cell above.",
        "fr": "Saisissez votre adresse électronique ou votre identifiant dans la cellule jaune "
        "ci-dessus.",
    },
    {
        "en": "Each of the next sheets is one area. For each question, read the five level "
        "descriptions beside it and choose in the Answer column the level that best describes "
        "your administration today, or Don't know, or Not applicable.",
        "fr": "Chacune des feuilles suivantes est un domaine. Pour chaque question, lisez les "
        "cinq descriptions de niveau à côté et choisissez dans la colonne Réponse le niveau qui "
        "décrit le mieux votre administration aujourd'hui, ou Je ne sais pas, ou Sans objet.",
    },
    {
        "en": "If you wish, give your confidence in the answer (low, medium, high), the "
        "evidence it rests on (documents, systems, people) and a comment.",
        "fr": "Si vous le souhaitez, indiquez votre degré de confiance (faible, moyenne, "
        "élevée), les justificatifs sur lesquels repose la réponse (documents, systèmes, "
        "personnes) et un commentaire.",
    },
    {
        "en": "Leave a question empty if you do not answer it: empty rows are not imported.",
        "fr": "Laissez vide une question à laquelle vous ne répondez pas : les lignes vides ne "
        "sont pas importées.",
    },
    {
        "en": "Do not rename, delete or move the sheets, rows or columns: the workbook is "
        "checked when it is uploaded.",
        "fr": "Ne renommez, ne supprimez et ne déplacez ni les feuilles, ni les lignes, ni les "
        "colonnes : le classeur est vérifié lors du dépôt.",
    },
    {
        "en": "Save the workbook in the .xlsx format and upload it in the tool, or send it to "
        "the coordinator of the assessment.",
        "fr": "Enregistrez le classeur au format .xlsx et déposez-le dans l'outil, ou "
        "envoyez-le au coordinateur de l'évaluation.",
    },
)
