"""Lay a composed report out as bytes: HTML (Jinja2), PDF (WeasyPrint) and XLSX (openpyxl).

Pure in the builder's sense: a ``Report`` in, bytes out, nothing read or written outside memory
but the package's own templates. What is costly to set up and the same for every report (the
Jinja environment with its compiled template, WeasyPrint's font configuration) is made once per
process on first use, never at import time, and reused by every build.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import jinja2
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from reports.content import Report
from reports.notation import colon
from reports.peer_section import PeerSection
from shared.text import FORMULA_START

_CORE_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>[^<]*</dcterms:modified>")


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("reports", "templates/report"),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


def html(report: Report, *, peers: PeerSection | None = None) -> bytes:
    """Return the report as one self-contained HTML page (styles and chart inline)."""
    template = _environment().get_template("report.html")
    page = template.render(r=report, t=report.texts, colon=colon(report.language), peers=peers)
    return page.encode("utf-8")


@functools.cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    # WeasyPrint logs each step and page at INFO: thirty lines a report, none useful here.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    return FontConfiguration()


def pdf(page: bytes) -> bytes:
    """Return the PDF WeasyPrint renders from the report's HTML (the same bytes as the file)."""
    import weasyprint  # imported on first use: the web process never renders a PDF

    document = weasyprint.HTML(string=page.decode("utf-8"), base_url=None)
    rendered: bytes = document.write_pdf(font_config=_font_config())
    return rendered


# -- workbook ----------------------------------------------------------------------------------
def xlsx(report: Report, moment: datetime, *, peers: PeerSection | None = None) -> bytes:
    """Return the workbook: scores per area, answers, priorities, roadmap, after an earlier
    assessment progress by indicator and, when published, the regional distribution."""
    t = report.texts
    book = Workbook()
    scores = book.active
    assert scores is not None
    scores.title = t["sheet.scores"]
    _scores(scores, report)
    _table(book.create_sheet(t["sheet.answers"]), *_answers(report))
    _table(book.create_sheet(t["sheet.priorities"]), *_priorities(report))
    _table(book.create_sheet(t["sheet.roadmap"]), *_roadmap(report))
    if report.since is not None:
        _since(book.create_sheet(t["sheet.progress"]), report)
    if peers is not None:
        _peers(book.create_sheet(peers.texts["sheet"]), report, peers)
    book.properties.creator = "Smart Customs"
    book.properties.title = report.title
    book.properties.language = report.language
    naive = moment.replace(tzinfo=None)
    book.properties.created = naive
    buffer = io.BytesIO()
    book.save(buffer)
    return _stable_zip(buffer.getvalue(), naive)


def _scores(sheet: Worksheet, report: Report) -> None:
    t = report.texts
    header = [
        t["area"],
        t["score"],
        t["level_name"],
        t["percentage"],
        t["target"],
        t["gap"],
        t["coverage"],
        t["confidence"],
    ]
    if report.has_progress:
        header.append(t["change"])
    rows: list[list[Any]] = []
    for area in report.areas:
        row: list[Any] = [
            area.name,
            _round(area.level),
            area.level_name,
            _round(None if area.percentage is None else area.percentage / 100, 3),
            _round(area.target),
            _round(area.gap),
            _round(area.coverage, 3),
            _round(area.confidence, 3),
        ]
        if report.has_progress:
            row.append(_round(area.progress))
        rows.append(row)
    formats = {4: "0%", 7: "0%", 8: "0%"}
    _table(sheet, header, rows, widths=(28, 10, 20, 11, 12, 14, 12, 12, 12), formats=formats)
    end = len(rows) + 1
    if report.overall is not None:
        end += 1
        sheet.cell(end, 1, t["overall"]).font = Font(italic=True)
        sheet.cell(end, 2, _round(report.overall))
    notes = [report.title, f"{report.administration} · {report.date}", t["disclaimer"]]
    for offset, note in enumerate(notes, start=2):
        cell = sheet.cell(end + offset, 1)
        _text(cell, note)
        cell.font = Font(bold=offset == 2, italic=offset == 4)


def _answers(report: Report) -> tuple[list[str], list[list[Any]]]:
    t = report.texts
    header = [
        t["area"],
        t["indicator"],
        t["question"],
        t["team_answer"],
        t["counted_as"],
        t["weight"],
        t["critical"],
        t["note"],
        t["respondents"],
        t["comments"],
    ]
    rows = [
        [
            row.area,
            row.indicator,
            row.question,
            row.answer,
            row.counted_as,
            row.weight,
            t["yes"] if row.critical else t["no"],
            row.note,
            row.responses,
            row.comments,
        ]
        for row in report.answers
    ]
    return header, rows


def _priorities(report: Report) -> tuple[list[str], list[list[Any]]]:
    t = report.texts
    header = [
        t["rank"],
        t["area"],
        t["recommendation"],
        t["horizon"],
        t["effort"],
        t["quick_win"],
        t["tags"],
        t["resources"],
    ]
    rows = [
        [
            p.rank,
            p.area,
            p.text,
            p.horizon_shown,
            p.effort,
            t["yes"] if p.quick_win else t["no"],
            ", ".join(p.tags),
            "\n".join(f"{link.title} {link.url}".strip() for link in p.resources),
        ]
        for p in report.priorities
    ]
    return header, rows


def _roadmap(report: Report) -> tuple[list[str], list[list[Any]]]:
    t = report.texts
    header = [t["phase"], t["rank"], t["recommendation"], t["area"], t["effort"]]
    rows = [
        [f"{phase.title} · {phase.subtitle}", p.rank, p.text, p.area, p.effort]
        for phase in report.phases
        for p in phase.items
    ]
    return header, rows


def _since(sheet: Worksheet, report: Report) -> None:
    """Fill the progress sheet: one row per action (or per indicator without one)."""
    t = report.texts
    since = report.since
    assert since is not None
    header = [
        t["area"],
        t["indicator"],
        t["question"],
        t["level_then"],
        t["level_now"],
        t["change"],
        t["action"],
        t["status"],
        t["owner"],
        t["target_date"],
        t["evidence"],
    ]
    rows: list[list[Any]] = []
    for area in since.areas:
        for row in area.indicators:
            start = [area.name, row.key, row.question, row.then_shown, row.now_shown, row.change]
            if not row.actions:
                rows.append([*start, t["no_action"], "", "", None, ""])
            for action in row.actions:
                day = date.fromisoformat(action.target_date) if action.target_date else None
                rows.append(
                    [
                        *start,
                        action.title,
                        action.status_shown,
                        action.owner,
                        day,
                        action.evidence_shown,
                    ]
                )
    widths = (22, 18, 50, 22, 22, 9, 40, 12, 20, 12, 16)
    _table(sheet, header, rows, widths=widths, formats={6: "+0.0;-0.0;0", 10: "yyyy-mm-dd"})
    end = len(rows) + 1
    for offset, note in enumerate((since.compared, since.summary), start=2):
        if note:
            _text(sheet.cell(end + offset, 1), note)


def _peers(sheet: Worksheet, report: Report, peers: PeerSection) -> None:
    """Fill the regional distribution sheet: per area the own score beside the cut points."""
    t = peers.texts
    header = [
        report.texts["area"],
        t["your_score"],
        t["first_quartile"],
        t["median"],
        t["third_quartile"],
    ]
    rows: list[list[Any]] = [
        [
            area.name,
            _round(area.own),
            *(
                [area.first_quartile, area.median, area.third_quartile]
                if area.published
                else [t["not_enough"], None, None]
            ),
        ]
        for area in peers.areas
    ]
    _table(sheet, header, rows, widths=(28, 12, 14, 16, 14))
    end = len(rows) + 1
    region = f"{t['region']}{colon(report.language)} {peers.region_shown}"
    notes = (t["heading"], region, peers.computed_shown, t["reminder"])
    for offset, note in enumerate(notes, start=2):
        _text(sheet.cell(end + offset, 1), note)


def _table(
    sheet: Worksheet,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    widths: Sequence[int] = (),
    formats: dict[int, str] | None = None,
) -> None:
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, title in enumerate(header, start=1):
        sheet.cell(1, column, title).font = bold
        width = widths[column - 1] if column <= len(widths) else _width(title)
        sheet.column_dimensions[get_column_letter(column)].width = width
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row_number, column)
            if isinstance(value, str):
                _text(cell, value)
                if len(value) > 40:
                    cell.alignment = wrap
            else:
                cell.value = value
                if formats and column in formats:
                    cell.number_format = formats[column]
    sheet.freeze_panes = "A2"


def _width(title: str) -> int:
    return 60 if len(title) > 12 else 18


def _text(cell: Any, value: str) -> None:
    # Always text: a comment starting with "=" must never become a formula, neither as stored
    # (type "s") nor once someone edits the cell (the quote prefix, shown as nothing).
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_START):
        cell.quotePrefix = True


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _stable_zip(raw: bytes, moment: datetime) -> bytes:
    """Return the workbook with fixed dates, so the same report gives the same bytes."""
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    date_time = (max(moment.year, 1980), moment.month, moment.day, 0, 0, 0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_MODIFIED.sub(
                    b'<dcterms:modified xsi:type="dcterms:W3CDTF">'
                    + stamp
                    + b"</dcterms:modified>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
