"""Turns the data of a submitted assessment into report files (pure: no Flask, Celery or I/O).

``build_files(data, language, resources=...)`` gives the HTML, PDF and XLSX of one report:
``reports.content`` works out what the report says (checking the data: an impossible figure is a
``ReportDataError``, never a misleading report), ``reports.renderers`` lays it out. The PDF is
rendered from the very HTML of the HTML file. ``reports.peer_section`` adds the scores beside
the regional distribution when the data carries one (the job looks it up at build time). The
output depends only on the data, the language and the resources, so a rebuild gives the same
files and the same checksums.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reports import renderers
from reports.content import compose
from reports.notation import (
    LANGUAGES,
    ReportDataError,
    filename,
    format_date,
    format_number,
    level_name,
    parse_moment,
)
from reports.peer_section import compose_peer_section
from shared.text import printable

__all__ = [
    "FORMATS",
    "LANGUAGES",
    "RenderedFile",
    "ReportDataError",
    "build_files",
    "filename",
    "format_date",
    "format_number",
    "level_name",
    "render_html",
]

HTML, PDF, XLSX = "html", "pdf", "xlsx"
MEDIA_TYPES = {
    HTML: "text/html; charset=utf-8",
    PDF: "application/pdf",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = (HTML, PDF, XLSX)


@dataclass(frozen=True)
class RenderedFile:
    """One format of a report, ready to store."""

    format: str
    media_type: str
    filename: str
    content: bytes


def build_files(
    data: Mapping[str, Any],
    language: str,
    *,
    resources: Sequence[Mapping[str, Any]] = (),
    public_url: str = "",
    formats: Sequence[str] = FORMATS,
) -> list[RenderedFile]:
    """Return the report of ``data`` in ``language`` in each of ``formats`` (HTML, PDF, XLSX)."""
    # Text stored before the text rule, or sent by an older version, must not break a format.
    data, resources = _printable(data), _printable(resources)
    report = compose(data, language, resources=resources, public_url=public_url)
    peers = compose_peer_section(data, language, report.areas)
    page = renderers.html(report, peers=peers)
    made: dict[str, Callable[[], bytes]] = {
        HTML: lambda: page,
        PDF: lambda: renderers.pdf(page),  # the very HTML of the HTML file
        XLSX: lambda: renderers.xlsx(report, _moment(data), peers=peers),
    }
    return [_file(data, language, fmt, made[fmt]()) for fmt in formats]


def _printable(value: Any) -> Any:
    """Return ``value`` with every string in it (keys included) made printable."""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, Mapping):
        return {_printable(key): _printable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_printable(item) for item in value]
    return value


def render_html(data: Mapping[str, Any], language: str) -> RenderedFile:
    """Return only the HTML report (what the PDF is rendered from)."""
    return build_files(data, language, formats=(HTML,))[0]


def _file(data: Mapping[str, Any], language: str, fmt: str, content: bytes) -> RenderedFile:
    return RenderedFile(fmt, MEDIA_TYPES[fmt], filename(data, language, fmt), content)


def _moment(data: Mapping[str, Any]) -> datetime:
    """Return when the assessment was submitted: the workbook's date, so rebuilds are identical."""
    value = str(data.get("submitted_at") or "")
    return parse_moment(value) if value else datetime(2000, 1, 1, tzinfo=UTC)
