"""The offline answer workbook (one respondent each) and the CSV and JSON templates.

The workbook is protected so that officers can only type in the answer cells; what the reader
relies on (sheet titles, the indicator of each row, where the respondent is named) is recorded
in the very hidden ``_meta`` sheet with an HMAC checksum, so a changed layout is recognised on
upload rather than imported as wrong answers. Protection has no password: it keeps honest users
from breaking the layout by accident, the checksum catches the rest. The drop-down lists
(answer labels, confidence labels, respondents) sit in columns D, E and F of ``_meta``, beside
its key/value rows (columns A and B).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import math
from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from assessment.bulk import workbook_texts as texts
from assessment.framework import LANGUAGES, Area, Framework
from assessment.scoring import DONT_KNOW, NOT_APPLICABLE
from assessment.texts import LABELS
from shared.text import FORMULA_START
from shared.translations import NP_, language_name

LAYOUT = "smartcustoms-answers/1"
META_SHEET = "_meta"
RESPONDENT_CELL = "B8"
FIRST_ROW = 5  # the first indicator row of an area sheet (rows 1-4: title, texts, header)
DASH = "\u2013"  # the en dash between a level and its name
CSV_COLUMNS = (
    "respondent",
    "indicator",
    "answer",
    "confidence",
    "evidence",
    "comment",
    "area",
    "question",
    "level_1",
    "level_2",
    "level_3",
    "level_4",
    "level_5",
)
# Columns of an area sheet: A key (hidden), B number, C question, D guidance, E-I levels 1-5,
# then the four cells officers fill in.
COLUMNS = {"key": "A", "answer": "J", "confidence": "K", "evidence": "L", "comment": "M"}
LAST_COLUMN = 13
# The workbook's drop-down words, in each of its languages (the reader accepts them all).
_CONFIDENCE_WORDS = (
    NP_("workbook confidence", "low"),
    NP_("workbook confidence", "medium"),
    NP_("workbook confidence", "high"),
)
CONFIDENCE_LABELS: dict[str, list[str]] = {
    language: [texts.texts(language).pgettext(*word) for word in _CONFIDENCE_WORDS]
    for language in LANGUAGES
}
ANSWER_WORDS: dict[str, dict[str, str]] = {
    key: {language: texts.texts(language).gettext(word) for language in LANGUAGES}
    for key, word in LABELS["answer"].items()
}
_WIDTHS = {"A": 12, "B": 6, "C": 48, "D": 40, "J": 22, "K": 14, "L": 36, "M": 36}
_LEVEL_WIDTH = 30
_NOT_IN_TITLES = str.maketrans("", "", "[]:*?/\\")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")
_INPUT = PatternFill("solid", start_color="FFF2CC")
_HEADER = PatternFill("solid", start_color="D9D9D9")
_UNLOCKED = Protection(locked=False)


def answer_labels(language: str, framework: Framework | None = None) -> list[str]:
    """Return the drop-down labels, in order 1..5, don't know, not applicable."""
    _check(language)
    t = texts.texts(language)
    names = {
        n: framework.level_names[n][language] if framework else t.gettext(texts.LEVEL_NAMES[n])
        for n in range(1, 6)
    }
    # A comma would split an entry of an Excel list; the reader only needs the number anyway.
    levels = [f"{n} {DASH} {names[n].replace(',', ';')}" for n in range(1, 6)]
    return [*levels, ANSWER_WORDS[DONT_KNOW][language], ANSWER_WORDS[NOT_APPLICABLE][language]]


def layout_checksum(meta: Mapping[str, Any], secret: bytes) -> str:
    """Return the HMAC-SHA256 (hex) of the canonical JSON of ``meta`` without its checksum."""
    described = {key: value for key, value in meta.items() if key != "checksum"}
    canonical = json.dumps(described, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hmac.new(secret, canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def build_workbook(
    framework: Framework,
    language: str,
    *,
    secret: bytes,
    assessment_id: str | None = None,
    respondents: Sequence[str] = (),
) -> bytes:
    """Return the .xlsx answer workbook of ``framework`` in ``language`` (one respondent)."""
    _check(language)
    book = Workbook()
    instructions = book.active
    assert instructions is not None
    instructions.title = texts.texts(language).gettext(texts.INSTRUCTIONS)
    meta_sheet = book.create_sheet(META_SHEET)
    lists = _write_lists(meta_sheet, framework, language, respondents)
    _instructions(instructions, framework, language, lists.get("respondents"))
    used = {instructions.title.casefold(), META_SHEET.casefold()}
    sheets = []
    for number, area in enumerate(framework.areas, start=1):
        title = sheet_title(area.name[language], used, fallback=area.key)
        used.add(title.casefold())
        sheet = book.create_sheet(title, index=len(book.sheetnames) - 1)
        _area_sheet(sheet, area, number, framework, language, lists)
        indicators = [i.key for i in area.indicators]
        sheets.append(
            {"title": title, "area": area.key, "first_row": FIRST_ROW, "indicators": indicators}
        )
    meta: dict[str, Any] = {
        "layout": LAYOUT,
        "framework_key": framework.key,
        "framework_version": framework.version,
        "language": language,
        "assessment_id": assessment_id or "",
        "respondent_cell": f"{instructions.title}!{RESPONDENT_CELL}",
        "sheets": sheets,
    }
    meta["checksum"] = layout_checksum(meta, secret)
    for row, (key, value) in enumerate(meta.items(), start=1):
        _text(meta_sheet.cell(row, 1), key)
        _text(meta_sheet.cell(row, 2), json.dumps(value, ensure_ascii=False))
    meta_sheet.sheet_state = "veryHidden"
    meta_sheet.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    book.properties.creator = "Smart Customs"
    book.properties.title = framework.title[language]
    book.properties.language = language
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_title(name: str, used: set[str], *, fallback: str) -> str:
    """Return an Excel sheet title for ``name``: 31 characters, no []:*?/\\, not in ``used``."""
    cleaned = " ".join(name.translate(_NOT_IN_TITLES).split()).strip("'")
    base = cleaned[:31]
    if len(cleaned) > 31 and " " in base[10:]:
        base = base[: base.rindex(" ")]  # "Technical capacity", not "Technical capacity (infr"
    base = base.rstrip(" -(,;") or fallback
    title, n = base, 1
    while title.casefold() in used:
        n += 1
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)].rstrip() + suffix
    return title


def build_csv(framework: Framework, language: str) -> str:
    """Return the CSV template: one row per indicator with an empty respondent (no BOM)."""
    _check(language)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for area in framework.areas:
        for indicator in area.indicators:
            levels = [_inert(indicator.levels[n][language]) for n in range(1, 6)]
            writer.writerow(
                [
                    "",
                    indicator.key,
                    "",
                    "",
                    "",
                    "",
                    _inert(area.name[language]),
                    _inert(indicator.question[language]),
                    *levels,
                ]
            )
    return out.getvalue()


def build_json(framework: Framework, language: str) -> dict[str, Any]:
    """Return the JSON template: the indicators and one respondent with every answer empty."""
    _check(language)
    indicators = [
        {
            "key": indicator.key,
            "area": area.name[language],
            "question": indicator.question[language],
            "guidance": indicator.guidance[language],
            "levels": {str(n): indicator.levels[n][language] for n in range(1, 6)},
        }
        for area in framework.areas
        for indicator in area.indicators
    ]
    answers = [
        {"indicator": i["key"], "answer": None, "confidence": None, "evidence": "", "comment": ""}
        for i in indicators
    ]
    return {
        "format": LAYOUT,
        "framework": {"key": framework.key, "version": framework.version},
        "language": language,
        "indicators": indicators,
        "respondents": [{"respondent": "", "answers": answers}],
    }


# -- the sheets --------------------------------------------------------------------------------
def _check(language: str) -> None:
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")


def _write_lists(
    sheet: Worksheet, framework: Framework, language: str, respondents: Sequence[str]
) -> dict[str, str]:
    """Write the drop-down lists beside the meta rows; return each list's range reference."""
    # Ranges rather than inline lists: an inline list is limited to 255 characters in all,
    # which a long list of respondents (or long level names) would exceed.
    columns = {
        "answers": ("D", answer_labels(language, framework)),
        "confidence": ("E", CONFIDENCE_LABELS[language]),
        "respondents": ("F", list(respondents)),
    }
    found = {}
    for name, (column, values) in columns.items():
        for row, value in enumerate(values, start=1):
            _text(sheet[f"{column}{row}"], value)
        if values:
            reference = f"${column}$1:${column}${len(values)}"
            found[name] = f"{quote_sheetname(META_SHEET)}!{reference}"
    return found


def _instructions(
    sheet: Worksheet, framework: Framework, language: str, respondents: str | None
) -> None:
    t = texts.labels(language)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 90
    _text(sheet["A1"], framework.title[language]).font = Font(bold=True, size=14)
    version = (
        f"{t['version']} {framework.version} · {t['language']} {language_name(language, language)}"
    )
    _text(sheet["A2"], version)
    _line(sheet, 3, t["privacy_label"], t["privacy"])
    _text(sheet["A5"], t["who"]).font = Font(bold=True, size=12)
    _line(sheet, 6, "", t["who_help"])
    cell = sheet[RESPONDENT_CELL]
    _text(sheet[f"A{cell.row}"], t["respondent_label"]).font = _BOLD
    cell.protection = _UNLOCKED
    cell.fill = _INPUT
    validation = DataValidation(
        type="list" if respondents else None,
        formula1=respondents,
        allow_blank=True,
        showInputMessage=True,
        promptTitle=t["respondent_title"][:32],
        prompt=t["respondent_prompt"],
        showErrorMessage=bool(respondents),
        errorTitle=t["respondent_title"][:32],
        error=t["respondent_error"],
    )
    validation.add(RESPONDENT_CELL)
    sheet.add_data_validation(validation)
    row = 10
    _text(sheet.cell(row, 1), t["how"]).font = Font(bold=True, size=12)
    steps = texts.steps(language)
    for number, step in enumerate(steps, start=1):
        _line(sheet, row + number, str(number), step)
    row += len(steps) + 2
    _text(sheet.cell(row, 1), t["levels"]).font = Font(bold=True, size=12)
    labels = answer_labels(language, framework)
    explained = [""] * 5 + [t["dont_know_means"], t["not_applicable_means"]]
    for offset, (label, meaning) in enumerate(zip(labels, explained, strict=True), start=1):
        _line(sheet, row + offset, label, meaning)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _area_sheet(
    sheet: Worksheet,
    area: Area,
    number: int,
    framework: Framework,
    language: str,
    lists: Mapping[str, str],
) -> None:
    t = texts.labels(language)
    _text(sheet["B1"], area.name[language]).font = Font(bold=True, size=13)
    for row, text in ((2, area.description[language]), (3, t["area_help"])):
        _text(sheet.cell(row, 2), text).alignment = _WRAP
        sheet.merge_cells(start_row=row, start_column=2, end_row=row, end_column=LAST_COLUMN)
        sheet.row_dimensions[row].height = _height(text, 300)
    level_names = framework.level_names
    header = [t["key"], t["number"], t["question"], t["guidance"]]
    header += [f"{n} {DASH} {level_names[n][language]}" for n in range(1, 6)]
    header += [t["answer"], t["confidence"], t["evidence"], t["comment"]]
    for column, title in enumerate(header, start=1):
        cell = _text(sheet.cell(FIRST_ROW - 1, column), title)
        cell.font, cell.fill, cell.alignment = _BOLD, _HEADER, _WRAP
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = _WIDTHS.get(letter, _LEVEL_WIDTH)
    for offset, indicator in enumerate(area.indicators):
        row = FIRST_ROW + offset
        values = [
            indicator.key,
            f"{number}.{offset + 1}",
            indicator.question[language],
            indicator.guidance[language],
            *(indicator.levels[n][language] for n in range(1, 6)),
        ]
        for column, value in enumerate(values, start=1):
            _text(sheet.cell(row, column), value).alignment = _WRAP
        for column in range(len(values) + 1, LAST_COLUMN + 1):
            cell = sheet.cell(row, column)
            cell.protection, cell.fill, cell.alignment = _UNLOCKED, _INPUT, _WRAP
    last = FIRST_ROW + len(area.indicators) - 1
    for field, list_name, error in (
        ("answer", "answers", "answer_error"),
        ("confidence", "confidence", "confidence_error"),
    ):
        validation = DataValidation(
            type="list",
            formula1=lists[list_name],
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=t[field][:32],
            error=t[error],
        )
        validation.add(f"{COLUMNS[field]}{FIRST_ROW}:{COLUMNS[field]}{last}")
        sheet.add_data_validation(validation)
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = f"D{FIRST_ROW}"
    sheet.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False


def _line(sheet: Worksheet, row: int, label: str, text: str) -> None:
    if label:
        _text(sheet.cell(row, 1), label).alignment = _WRAP
    if text:
        _text(sheet.cell(row, 2), text).alignment = _WRAP
        sheet.row_dimensions[row].height = _height(text, 90)


def _height(text: str, width: int) -> float:
    # Excel does not grow a row for wrapped text in merged cells (nor on opening a file):
    # estimate the lines from the column width in characters.
    return 15.0 * max(1, math.ceil(len(text) / max(1, width - 4)))


def _text(cell: Any, value: str) -> Any:
    # Always text: a typed value starting with "=" must stay data, never become a formula.
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True
    return cell


def _inert(value: str) -> str:
    # The CSV template is opened in spreadsheets too: informative text must not run as a formula.
    return f"'{value}" if value.startswith(FORMULA_START) else value
