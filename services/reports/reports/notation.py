"""How a report writes numbers, dates, levels and answers in its language (pure; Babel formats)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from reports import wording
from shared.i18n import SUPPORTED
from shared.timestamps import parse

LANGUAGES = SUPPORTED
_HORIZON = re.compile(r"^(\d+)-(\d+)$")
LEVEL_RANGE = (1.0, 5.0)
PERCENT_RANGE = (0.0, 100.0)
SHARE_RANGE = (0.0, 1.0)


class ReportDataError(ValueError):
    """The data cannot make an honest report; building again will not help."""


def number(value: Any, what: str) -> float | None:
    """Return ``value`` as a finite float (None stays None), or raise ``ReportDataError``."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ReportDataError(f"{what} is not a number: {value!r}")
    try:
        result = float(value)
    except (TypeError, ValueError) as exc:
        raise ReportDataError(f"{what} is not a number: {value!r}") from exc
    if not math.isfinite(result):
        raise ReportDataError(f"{what} is not a number: {value!r}")
    return result


def checked(value: Any, bounds: tuple[float, float], what: str) -> float | None:
    """Return ``value`` as a float within ``bounds`` (None stays None)."""
    result = number(value, what)
    low, high = bounds
    if result is not None and not low <= result <= high:
        raise ReportDataError(f"{what} {value} is outside {low:g}-{high:g}")
    return result


def format_number(value: float, language: str, *, digits: int = 1) -> str:
    """Return ``value`` with ``digits`` decimals and the marks of ``language`` (``2,6``)."""
    return wording.texts(language).format_decimal(value, digits=digits)


def format_signed(value: float, language: str) -> str:
    """Return a change with its sign (a minus sign for a decline, none for no change)."""
    rounded = round(value, 1)
    shown = format_number(abs(rounded), language)
    if rounded > 0:
        return f"+{shown}"
    return f"\u2212{shown}" if rounded < 0 else shown


def format_percent(share: float | None, language: str, *, of_one: bool = True) -> str:
    """Return a share (0-1, or 0-100 when ``of_one`` is false) as a percentage."""
    if share is None:
        return wording.labels(language)["not_recorded"]
    return wording.texts(language).format_percent(share if of_one else share / 100)


def format_level(value: float | None, language: str) -> str:
    """Return a level or score: one decimal, or none for a whole level answer."""
    if value is None:
        return wording.labels(language)["not_recorded"]
    return format_number(value, language)


def level_name(level: float, language: str) -> str:
    """Return the name of the level reached (a level is reached only when fully attained)."""
    names = wording.LEVEL_NAMES
    return wording.texts(language).gettext(names[min(len(names), max(1, math.floor(level))) - 1])


def reached(level: float) -> int:
    """Return the whole level reached by a score."""
    return min(5, max(1, math.floor(level)))


def answer_text(value: Any, language: str) -> str:
    """Return an answer as a reader sees it: ``3 — Operational``, ``Don't know``..."""
    text = wording.labels(language)
    if value is None:
        return text["answer.none"]
    if value in ("dont_know", "not_applicable"):
        return text[f"answer.{value}"]
    level = number(value, "answer")
    assert level is not None
    shown = str(int(level)) if level.is_integer() else format_number(level, language)
    return f"{shown} \u2014 {level_name(level, language)}"


def horizon_text(value: str | None, language: str) -> str:
    """Return a horizon such as ``6-18`` as a range of months with an en dash."""
    if not value:
        return ""
    match = _HORIZON.match(value.strip())
    if match:
        return wording.months(wording.texts(language), match.group(1), match.group(2))
    return value


def colon(language: str) -> str:
    """Return a colon as ``language`` writes it (French puts a no-break space before it)."""
    return wording.labels(language)["colon"]


def format_date(value: str, language: str) -> str:
    """Return an ISO 8601 date or timestamp as a long date in ``language``."""
    if not value:
        return wording.labels(language)["not_recorded"]
    return wording.texts(language).format_date(parse_moment(value))


def parse_moment(value: str) -> datetime:
    """Return an ISO 8601 timestamp as an aware UTC datetime (raises ``ReportDataError``)."""
    try:
        return parse(value)
    except ValueError as exc:
        raise ReportDataError(f"submitted_at is not an ISO 8601 date: {value!r}") from exc


def filename(data: Mapping[str, Any], language: str, extension: str) -> str:
    """Return a safe ASCII file name for the report (administration and title slugs, version,
    language)."""
    parts = [_slug(data.get("administration_name"), 40), _slug(data.get("title"), 60)]
    stem = "-".join(part for part in parts if part) or "report"
    return f"{stem}-v{data.get('version', 0)}-{language}.{extension}"


def _slug(value: object, limit: int) -> str:
    """Return ``value`` as lower-case ASCII words joined by hyphens, at most ``limit`` long."""
    ascii_text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.decode("ascii").lower()).strip("-")
    return slug[:limit].strip("-")
