"""The texts of the answer workbook, marked for the assessment catalog (kept apart from its layout).

The workbook is built by the API or the worker in the language asked, never the request's:
``labels(language)`` gives its texts by key, ``steps(language)`` its numbered instructions.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from shared.translations import N_, NP_, Texts, texts_for

INSTRUCTIONS = N_("Instructions")
# Used when no framework is given; the workbook itself shows the framework's own level names.
LEVEL_NAMES = {
    1: N_("Initial"),
    2: N_("Developing"),
    3: N_("Operational"),
    4: N_("Advanced"),
    5: N_("Transformational"),
}

# Key -> English text (the catalog's id), or (context, text) where one English text has two
# translations.
TEXTS: dict[str, str | tuple[str, str]] = {
    "version": N_("Version"),
    "language": N_("Language:"),
    "privacy_label": N_("Private"),
    "privacy": N_(
        "Your answers belong to your administration alone: they serve its own self-assessment and "
        "internal discussion. They are not a benchmark and nothing is compared with other "
        "administrations."
    ),
    "who": N_("Who is answering"),
    "who_help": N_(
        "One workbook is filled in by one person. Type your e-mail address or your respondent id "
        "in the yellow cell below."
    ),
    "respondent_label": N_("Your e-mail or respondent id"),
    "respondent_title": N_("Respondent"),
    "respondent_prompt": NP_("workbook prompt", "Your e-mail or respondent id"),
    "respondent_error": N_("Choose yourself in the list of the assessment's respondents."),
    "how": N_("How to fill in this workbook"),
    "levels": N_("Answers"),
    "dont_know_means": N_(
        "You do not know the answer: it counts as level 1 in the score (a gap in knowledge is a "
        "gap)."
    ),
    "not_applicable_means": N_(
        "The question does not apply to your administration: it is left out of every score."
    ),
    "area_help": N_(
        "Answer in the yellow cells: pick the level that best describes your administration "
        "today. Leave a row empty if you do not answer it."
    ),
    "key": N_("Key"),
    "number": N_("No."),
    "question": N_("Question"),
    "guidance": N_("Guidance"),
    "answer": N_("Answer"),
    "confidence": N_("Confidence"),
    "evidence": NP_("workbook column", "Evidence"),
    "comment": N_("Comment"),
    "answer_error": N_(
        "Choose an answer from the list: a level from 1 to 5, Don't know or Not applicable."
    ),
    "confidence_error": N_("Choose a confidence from the list: low, medium or high."),
}

STEPS: tuple[str, ...] = (
    N_("Type your e-mail address or respondent id in the yellow cell above."),
    N_(
        "Each of the next sheets is one area. For each question, read the five level descriptions "
        "beside it and choose in the Answer column the level that best describes your "
        "administration today, or Don't know, or Not applicable."
    ),
    N_(
        "If you wish, give your confidence in the answer (low, medium, high), the evidence it "
        "rests on (documents, systems, people) and a comment."
    ),
    N_("Leave a question empty if you do not answer it: empty rows are not imported."),
    N_(
        "Do not rename, delete or move the sheets, rows or columns: the workbook is checked when "
        "it is uploaded."
    ),
    N_(
        "Save the workbook in the .xlsx format and upload it in the tool, or send it to the "
        "coordinator of the assessment."
    ),
)


def texts(language: str) -> Texts:
    """Return the assessment catalog in ``language`` (with the layout's as fallback)."""
    return texts_for(language, "assessment", "shared")


@functools.cache
def labels(language: str) -> Mapping[str, str]:
    """Return the workbook's texts by key, in ``language`` (read-only, kept)."""
    t = texts(language)
    return MappingProxyType(
        {
            key: t.pgettext(*text) if isinstance(text, tuple) else t.gettext(text)
            for key, text in TEXTS.items()
        }
    )


def steps(language: str) -> list[str]:
    """Return the numbered steps of the instructions sheet, in ``language``."""
    t = texts(language)
    return [t.gettext(step) for step in STEPS]
