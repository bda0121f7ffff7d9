"""The error report of an import job, as CSV or XLSX (pure: rows in, a file out).

Every cell is text a spreadsheet must not run: a value starting with ``=``, ``+``, ``-``,
``@`` (or a tab or carriage return) is prefixed with an apostrophe, so a hostile answer copied
into the report cannot become a formula (CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from assessment.bulk.problems import message
from shared.i18n import DEFAULT, SUPPORTED
from shared.text import FORMULA_START, printable
from shared.translations import N_, Texts, texts_for

# The report's column headings and sheet title (English, the catalog's ids), in its language.
HEADERS = (N_("File"), N_("Sheet"), N_("Row"), N_("Column"), N_("Code"), N_("Reason"))
TITLE = N_("Problems")


class ProblemLike(Protocol):
    """What a stored problem offers."""

    file: str
    sheet: str
    row: int
    column: str
    code: str
    params: dict[str, Any]


def neutral(value: object) -> str:
    """Return ``value`` as text a spreadsheet shows as written, never as a formula."""
    text = printable("" if value is None else str(value), multiline=False)
    return "'" + text if text.startswith(FORMULA_START) else text


def _texts(language: str) -> Texts:
    return texts_for(language if language in SUPPORTED else DEFAULT, "assessment")


def rows_of(problems: Iterable[ProblemLike], language: str) -> Iterator[list[str]]:
    """Yield the report's header then one row per problem, every cell neutralised."""
    t = _texts(language)
    yield [t.gettext(heading) for heading in HEADERS]
    for p in problems:
        yield [
            neutral(p.file),
            neutral(p.sheet),
            str(p.row) if p.row else "",
            neutral(p.column),
            p.code,
            neutral(message(p.code, language, **(p.params or {}))),
        ]


def csv_chunks(problems: Iterable[ProblemLike], language: str) -> Iterator[str]:
    """Yield the CSV report piece by piece (UTF-8 BOM first, so spreadsheets read accents)."""
    yield "\ufeff"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for n, row in enumerate(rows_of(problems, language), start=1):
        writer.writerow(row)
        if n % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(problems: Iterable[ProblemLike], language: str, path: Path) -> None:
    """Write the XLSX report to ``path`` in write-only mode (rows never all in memory)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_texts(language).gettext(TITLE))
    for width, letter in zip((28, 18, 8, 14, 22, 80), "ABCDEF", strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    rows = rows_of(problems, language)
    header = []
    for text in next(rows):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for text in row:
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # text, even if it looks like a number or a formula
            cells.append(cell)
        sheet.append(cells)
    book.save(path)
