"""What can be wrong with an uploaded answer file, as codes with messages from the catalog.

A code is stable (stored with an import's problems, returned by the API); its message is the
English text (the assessment catalog's id) with ``%(name)s`` placeholders, written in the
language asked (an import's, a request's: the worker has no request). File-level codes refuse a
whole file; row-level codes refuse one answer and name its file, sheet, row and column.
"""

from __future__ import annotations

from typing import Any

from shared.i18n import DEFAULT, SUPPORTED
from shared.translations import N_, texts_for

MESSAGES: dict[str, str] = {
    # -- the whole file ------------------------------------------------------------------------
    "not_a_workbook": N_("This file is not a readable Excel workbook (.xlsx)."),
    "unsupported_format": N_(
        "This kind of file is not supported: upload the answer workbook (.xlsx), or a CSV or "
        "JSON file made from the templates."
    ),
    "file_too_large": N_("The file is larger than allowed."),
    "archive_too_large": N_(
        "The workbook expands to far more data than a real answer workbook holds; it was not "
        "opened."
    ),
    "not_our_workbook": N_(
        "This workbook was not produced by the tool (its description is missing or unreadable): "
        "download a new answer workbook."
    ),
    "tampered_workbook": N_(
        "The layout of the workbook was changed (protected cells, rows or sheets): copy your "
        "answers into a newly downloaded workbook."
    ),
    "sheet_missing": N_("The sheet “%(sheet)s” is missing: sheets must not be renamed or deleted."),
    "empty_file": N_("The file holds no answer rows."),
    "no_respondent": N_(
        "The workbook does not say who answered: type your e-mail or respondent id on its first "
        "sheet."
    ),
    "bad_encoding": N_("The text of the file is in an unknown encoding: save it as CSV UTF-8."),
    "bad_header": N_("The first line must name the columns; these are missing: %(columns)s."),
    "bad_json": N_("The file is not valid JSON for answers: %(detail)s."),
    "bad_csv": N_("The CSV file cannot be read from record %(line)s on: %(detail)s."),
    "import_crashed": N_("The import stopped on an unexpected error; nothing more was imported."),
    # -- one answer ----------------------------------------------------------------------------
    "unknown_assessment": N_("“%(assessment)s” is not an assessment of your administration."),
    "wrong_assessment": N_(
        "This row belongs to the assessment “%(assessment)s”, not to the one being imported."
    ),
    "assessment_submitted": N_(
        "The assessment “%(assessment)s” is submitted: its answers can no longer change."
    ),
    "unknown_respondent": N_(
        "“%(respondent)s” is not a respondent of this assessment: use the e-mail or id of one "
        "of its respondents."
    ),
    "unknown_indicator": N_("“%(indicator)s” is not an indicator of this framework version."),
    "level_out_of_range": N_(
        "“%(value)s” is not a level: answer with a whole number from 1 to 5, “Don't know” or "
        "“Not applicable”."
    ),
    "level_not_a_number": N_(
        "“%(value)s” is not an answer: answer with a level from 1 to 5, “Don't know” or “Not "
        "applicable”."
    ),
    "bad_confidence": N_("“%(value)s” is not a confidence: use low, medium or high."),
    "not_assigned": N_(
        "The indicator “%(indicator)s” is not in the areas assigned to “%(respondent)s”."
    ),
    "wrong_framework": N_(
        "The file was made for the framework %(found)s, the assessment uses %(expected)s."
    ),
    "duplicate_answer": N_(
        "“%(respondent)s” answers the indicator “%(indicator)s” more than once in the upload."
    ),
    "text_too_long": N_("The %(field)s is longer than %(max)s characters."),
    "unsafe_text": N_("The %(field)s holds control characters that cannot be stored."),
    "formula_without_value": N_(
        "This cell holds a formula without a computed value: type the value itself."
    ),
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
    """Return the message of ``code`` in ``language`` (English if unknown), filled with params.

    A placeholder without its parameter raises ``KeyError``, as with no parameters at all.
    """
    t = texts_for(language if language in SUPPORTED else DEFAULT, "assessment")
    return t.gettext(MESSAGES[code]) % params
