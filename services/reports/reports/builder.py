"""Turns the data of a submitted assessment into report files (pure: no Flask, Celery or IO).

Every text shown to a reader exists in English and French; every value that came from users
(titles, names, recommendation texts) is HTML-escaped. The output is deterministic for the same
data, so rebuilding a report gives the same bytes and the same checksum.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape as _html_escape
from typing import Any

from shared.i18n import pick

LANGUAGES = ("en", "fr")
HTML = "html"
HTML_MEDIA_TYPE = "text/html; charset=utf-8"


class ReportDataError(ValueError):
    """The data cannot make an honest report; building again will not help."""


@dataclass(frozen=True)
class RenderedFile:
    """One format of a report, ready to store."""

    format: str
    media_type: str
    filename: str
    content: bytes


TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Self-assessment report",
        "administration": "Administration",
        "submitted": "Submitted on",
        "framework": "Framework",
        "assessment_version": "Assessment version",
        "areas": "Scores by area",
        "area": "Area",
        "level": "Level",
        "score": "Score",
        "target": "Target level",
        "overall": "Overall (indicative)",
        "priorities": "Priorities",
        "horizon": "Horizon",
        "months": "months",
        "not_recorded": "not recorded",
        "disclaimer": (
            "This is a self-assessment for internal planning and discussion, not a benchmark: "
            "do not use it to rank or compare administrations."
        ),
    },
    "fr": {
        "heading": "Rapport d'auto-évaluation",
        "administration": "Administration",
        "submitted": "Soumis le",
        "framework": "Référentiel",
        "assessment_version": "Version de l'évaluation",
        "areas": "Résultats par domaine",
        "area": "Domaine",
        "level": "Niveau",
        "score": "Score",
        "target": "Niveau visé",
        "overall": "Ensemble (indicatif)",
        "priorities": "Priorités",
        "horizon": "Horizon",
        "months": "mois",
        "not_recorded": "non renseigné",
        "disclaimer": (
            "Il s'agit d'une auto-évaluation destinée à la planification et à la discussion "
            "internes, et non d'un référentiel de comparaison : ne l'utilisez pas pour classer "
            "ou comparer des administrations."
        ),
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

_STYLE = (
    "body{font-family:'DejaVu Sans',Arial,sans-serif;margin:2rem;color:#1a1a1a;line-height:1.4}"
    "h1{font-size:1.6rem;margin-bottom:.2rem}"
    "dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}"
    "dt{font-weight:bold}dd{margin:0}"
    "table{border-collapse:collapse;margin:1rem 0}"
    "th,td{border:1px solid #999;padding:.3rem .6rem;text-align:left}"
    "td.num{text-align:right}.disclaimer{border-left:4px solid #c60;padding-left:.8rem}"
)
_HORIZON = re.compile(r"^(\d+)-(\d+)$")
_LEVEL_RANGE = (1.0, 5.0)
_PERCENT_RANGE = (0.0, 100.0)


def build_files(data: Mapping[str, Any], language: str) -> list[RenderedFile]:
    """Return every format of the report for ``data`` in ``language``."""
    if language not in LANGUAGES:
        raise ReportDataError(f"unsupported report language {language!r}")
    return [renderer(data, language) for renderer in RENDERERS.values()]


def render_html(data: Mapping[str, Any], language: str) -> RenderedFile:
    """Return the HTML report for ``data`` in ``language``."""
    text = TEXTS[language]
    title = _required_text(data, "title")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{language}">',
        '<head><meta charset="utf-8">',
        f"<title>{escape(title)}</title>",
        f"<style>{_STYLE}</style></head>",
        "<body>",
        f"<header><p>{escape(text['heading'])}</p><h1>{escape(title)}</h1></header>",
        _facts(data, language),
        _areas_section(data.get("areas") or [], data.get("overall"), language),
        _priorities_section(data.get("priorities") or [], data.get("areas") or [], language),
        f'<p class="disclaimer">{escape(text["disclaimer"])}</p>',
        "</body></html>",
    ]
    content = "\n".join(part for part in parts if part).encode("utf-8")
    return RenderedFile(HTML, HTML_MEDIA_TYPE, filename(data, language, "html"), content)


RENDERERS: dict[str, Callable[[Mapping[str, Any], str], RenderedFile]] = {HTML: render_html}


def filename(data: Mapping[str, Any], language: str, extension: str) -> str:
    """Return a safe ASCII file name for the report (title slug, version, language)."""
    ascii_title = (
        unicodedata.normalize("NFKD", str(data.get("title", "")))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
    return f"{slug or 'report'}-v{data.get('version', 0)}-{language}.{extension}"


def format_date(value: str, language: str) -> str:
    """Return an ISO 8601 date or timestamp as a long date in ``language``."""
    if not value:
        return TEXTS[language]["not_recorded"]
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ReportDataError(f"submitted_at is not an ISO 8601 date: {value!r}") from exc
    month = MONTHS[language][moment.month - 1]
    return f"{moment.day} {month} {moment.year}"


def format_number(value: float, language: str, *, digits: int = 1) -> str:
    """Return ``value`` with the decimal mark of ``language``."""
    shown = f"{value:.{digits}f}"
    return shown.replace(".", ",") if language == "fr" else shown


def level_name(level: float, language: str) -> str:
    """Return the name of the level reached (a level is reached only when fully attained)."""
    names = LEVEL_NAMES[language]
    return names[min(len(names), max(1, math.floor(level))) - 1]


def escape(value: str) -> str:
    """Return ``value`` safe as element content (nothing is ever written into an attribute)."""
    return _html_escape(value, quote=False)


def _required_text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReportDataError(f"{key} is missing")
    return value


def _facts(data: Mapping[str, Any], language: str) -> str:
    text = TEXTS[language]
    framework = data.get("framework") or {}
    administration = data.get("administration_name") or data.get("administration_id") or ""
    rows = [
        (text["administration"], str(administration)),
        (text["submitted"], format_date(str(data.get("submitted_at") or ""), language)),
        (text["framework"], f"{framework.get('key', '')} {framework.get('version', '')}".strip()),
        (text["assessment_version"], str(data.get("version", ""))),
    ]
    items = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in rows)
    return f"<dl>{items}</dl>"


def _checked(value: Any, bounds: tuple[float, float], what: str) -> float | None:
    if value is None:
        return None
    number = float(value)
    low, high = bounds
    if math.isnan(number) or not low <= number <= high:
        raise ReportDataError(f"{what} {value} is outside {low:g}-{high:g}")
    return number


def _level_cell(level: float | None, language: str) -> str:
    if level is None:
        return f"<td>{escape(TEXTS[language]['not_recorded'])}</td>"
    shown = f"{format_number(level, language)} ({level_name(level, language)})"
    return f'<td class="num">{escape(shown)}</td>'


def _percent_cell(value: float | None, language: str) -> str:
    if value is None:
        return f"<td>{escape(TEXTS[language]['not_recorded'])}</td>"
    space = "\u202f" if language == "fr" else ""
    return f'<td class="num">{escape(format_number(value, language, digits=0))}{space}%</td>'


def _area_row(area: Mapping[str, Any], language: str) -> str:
    key = str(area.get("area", ""))
    name = pick(area.get("name") or {}, language) or key
    level = _checked(area.get("level"), _LEVEL_RANGE, f"area {key!r}: level")
    percentage = _checked(area.get("percentage"), _PERCENT_RANGE, f"area {key!r}: percentage")
    target = _checked(area.get("target"), _LEVEL_RANGE, f"area {key!r}: target")
    return (
        f"<tr><td>{escape(name)}</td>{_level_cell(level, language)}"
        f"{_percent_cell(percentage, language)}{_level_cell(target, language)}</tr>"
    )


def _areas_section(areas: Sequence[Mapping[str, Any]], overall: Any, language: str) -> str:
    if not areas:
        return ""
    text = TEXTS[language]
    head = "".join(f"<th>{escape(text[key])}</th>" for key in ("area", "level", "score", "target"))
    rows = "".join(_area_row(area, language) for area in areas)
    foot = ""
    overall_level = _checked(overall, _LEVEL_RANGE, "overall level")
    if overall_level is not None:
        foot = (
            f"<tfoot><tr><th>{escape(text['overall'])}</th>"
            f"{_level_cell(overall_level, language)}<td></td><td></td></tr></tfoot>"
        )
    return (
        f"<section><h2>{escape(text['areas'])}</h2><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{rows}</tbody>{foot}</table></section>"
    )


def _horizon(value: str | None, language: str) -> str:
    if not value:
        return ""
    match = _HORIZON.match(value.strip())
    if match:
        return f"{match.group(1)}\u2013{match.group(2)} {TEXTS[language]['months']}"
    return value


def _priority_item(
    priority: Mapping[str, Any], area_names: Mapping[str, str], language: str
) -> str:
    text = pick(priority.get("text") or {}, language)
    area_key = str(priority.get("area", ""))
    details = [area_names.get(area_key, area_key)]
    horizon = _horizon(priority.get("horizon"), language)
    if horizon:
        # French typography puts a no-break space before a colon.
        colon = "\u00a0:" if language == "fr" else ":"
        details.append(f"{TEXTS[language]['horizon']}{colon} {horizon}")
    meta = " \u00b7 ".join(escape(item) for item in details if item)
    return f"<li><p>{escape(text)}</p><p><small>{meta}</small></p></li>"


def _priorities_section(
    priorities: Sequence[Mapping[str, Any]], areas: Sequence[Mapping[str, Any]], language: str
) -> str:
    if not priorities:
        return ""
    area_names = {
        str(area.get("area", "")): pick(area.get("name") or {}, language) for area in areas
    }
    ordered = sorted(priorities, key=lambda item: int(item.get("rank", 0)))
    items = "".join(_priority_item(priority, area_names, language) for priority in ordered)
    return f"<section><h2>{escape(TEXTS[language]['priorities'])}</h2><ol>{items}</ol></section>"
