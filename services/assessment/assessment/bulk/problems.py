"""What can be wrong with an uploaded answer file, as codes with English and French messages.

A code is stable (stored with an import's problems, returned by the API); its message is a
``str.format`` template with the same placeholders in both languages. File-level codes refuse a
whole file; row-level codes refuse one answer and name its file, sheet, row and column.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    # -- the whole file ------------------------------------------------------------------------
    "not_a_workbook": {
        "en": "This file is not a readable Excel workbook (.xlsx).",
        "fr": "Ce fichier n'est pas un classeur Excel (.xlsx) lisible.",
    },
    "unsupported_format": {
        "en": "This kind of file is not supported: upload the answer workbook (.xlsx), or a CSV "
        "or JSON file made from the templates.",
        "fr": "Ce type de fichier n'est pas pris en charge : déposez le classeur de réponses "
        "(.xlsx), ou un fichier CSV ou JSON établi à partir des modèles.",
    },
    "file_too_large": {
        "en": "The file is larger than allowed.",
        "fr": "Le fichier dépasse la taille autorisée.",
    },
    "archive_too_large": {
        "en": "The workbook expands to far more data than a real answer workbook holds; it was "
        "not opened.",
        "fr": "Le classeur se décompresse en bien plus de données qu'un vrai classeur de "
        "réponses ; il n'a pas été ouvert.",
    },
    "not_our_workbook": {
        "en": "This workbook was not produced by the tool (its description is missing or "
        "unreadable): download a new answer workbook.",
        "fr": "Ce classeur n'a pas été produit par l'outil (sa description est absente ou "
        "illisible) : téléchargez un nouveau classeur de réponses.",
    },
    "tampered_workbook": {
        "en": "The layout of the workbook was changed (protected cells, rows or sheets): copy "
        "your answers into a newly downloaded workbook.",
        "fr": "La structure du classeur a été modifiée (cellules protégées, lignes ou feuilles) "
        ": recopiez vos réponses dans un classeur nouvellement téléchargé.",
    },
    "sheet_missing": {
        "en": "The sheet “{sheet}” is missing: sheets must not be renamed or deleted.",
        "fr": "La feuille « {sheet} » est absente : les feuilles ne doivent être ni renommées "
        "ni supprimées.",
    },
    "empty_file": {
        "en": "The file holds no answer rows.",
        "fr": "Le fichier ne contient aucune ligne de réponse.",
    },
    "no_respondent": {
        "en": "The workbook does not say who answered: type your e-mail or respondent id on "
        "its first sheet.",
        "fr": "Le classeur n'indique pas qui a répondu : saisissez votre adresse électronique "
        "ou votre identifiant de répondant sur sa première feuille.",
    },
    "bad_encoding": {
        "en": "The text of the file is in an unknown encoding: save it as CSV UTF-8.",
        "fr": "Le texte du fichier est dans un codage inconnu : enregistrez-le au format CSV "
        "UTF-8.",
    },
    "bad_header": {
        "en": "The first line must name the columns; these are missing: {columns}.",
        "fr": "La première ligne doit nommer les colonnes ; celles-ci manquent : {columns}.",
    },
    "bad_json": {
        "en": "The file is not valid JSON for answers: {detail}.",
        "fr": "Le fichier n'est pas un JSON de réponses valide : {detail}.",
    },
    "bad_csv": {
        "en": "The CSV file cannot be read from record {line} on: {detail}.",
        "fr": "Le fichier CSV est illisible à partir de l'enregistrement {line} : {detail}.",
    },
    "import_crashed": {
        "en": "The import stopped on an unexpected error; nothing more was imported.",
        "fr": "L'import s'est arrêté sur une erreur inattendue ; rien de plus n'a été importé.",
    },
    # -- one answer ----------------------------------------------------------------------------
    "unknown_assessment": {
        "en": "“{assessment}” is not an assessment of your administration.",
        "fr": "« {assessment} » n'est pas une évaluation de votre administration.",
    },
    "wrong_assessment": {
        "en": "This row belongs to the assessment “{assessment}”, not to the one being imported.",
        "fr": "Cette ligne relève de l'évaluation « {assessment} », et non de celle en cours "
        "d'import.",
    },
    "assessment_submitted": {
        "en": "The assessment “{assessment}” is submitted: its answers can no longer change.",
        "fr": "L'évaluation « {assessment} » est soumise : ses réponses ne peuvent plus changer.",
    },
    "unknown_respondent": {
        "en": "“{respondent}” is not a respondent of this assessment: use the e-mail or id of "
        "one of its respondents.",
        "fr": "« {respondent} » n'est pas un répondant de cette évaluation : utilisez l'adresse "
        "électronique ou l'identifiant de l'un de ses répondants.",
    },
    "unknown_indicator": {
        "en": "“{indicator}” is not an indicator of this framework version.",
        "fr": "« {indicator} » n'est pas un indicateur de cette version du référentiel.",
    },
    "level_out_of_range": {
        "en": "“{value}” is not a level: answer with a whole number from 1 to 5, “Don't know” "
        "or “Not applicable”.",
        "fr": "« {value} » n'est pas un niveau : répondez par un nombre entier de 1 à 5, « Je "
        "ne sais pas » ou « Sans objet ».",
    },
    "level_not_a_number": {
        "en": "“{value}” is not an answer: answer with a level from 1 to 5, “Don't know” or "
        "“Not applicable”.",
        "fr": "« {value} » n'est pas une réponse : répondez par un niveau de 1 à 5, « Je ne "
        "sais pas » ou « Sans objet ».",
    },
    "bad_confidence": {
        "en": "“{value}” is not a confidence: use low, medium or high.",
        "fr": "« {value} » n'est pas un degré de confiance : utilisez faible, moyenne ou élevée.",
    },
    "not_assigned": {
        "en": "The indicator “{indicator}” is not in the areas assigned to “{respondent}”.",
        "fr": "L'indicateur « {indicator} » n'est pas dans les domaines confiés à "
        "« {respondent} ».",
    },
    "wrong_framework": {
        "en": "The file was made for the framework {found}, the assessment uses {expected}.",
        "fr": "Le fichier a été établi pour le référentiel {found}, l'évaluation utilise "
        "{expected}.",
    },
    "duplicate_answer": {
        "en": "“{respondent}” answers the indicator “{indicator}” more than once in the upload.",
        "fr": "« {respondent} » répond plus d'une fois à l'indicateur « {indicator} » dans le "
        "dépôt.",
    },
    "text_too_long": {
        "en": "The {field} is longer than {max} characters.",
        "fr": "Le champ {field} dépasse {max} caractères.",
    },
    "unsafe_text": {
        "en": "The {field} holds control characters that cannot be stored.",
        "fr": "Le champ {field} contient des caractères de contrôle qui ne peuvent pas être "
        "enregistrés.",
    },
    "formula_without_value": {
        "en": "This cell holds a formula without a computed value: type the value itself.",
        "fr": "Cette cellule contient une formule sans valeur calculée : saisissez la valeur "
        "elle-même.",
    },
}

FILE_CODES = frozenset(
    (
        "not_a_workbook",
        "unsupported_format",
        "file_too_large",
        "archive_too_large",
        "not_our_workbook",
        "tampered_workbook",
        "sheet_missing",
        "empty_file",
        "no_respondent",
        "bad_encoding",
        "bad_header",
        "bad_json",
        "bad_csv",
        "import_crashed",
    )
)
ROW_CODES = frozenset(MESSAGES) - FILE_CODES


def message(code: str, language: str, **params: Any) -> str:
    """Return the message of ``code`` in ``language`` (English if unknown), filled with params."""
    texts = MESSAGES[code]
    return texts.get(language, texts["en"]).format(**params)
