"""The page of each area in a report: level, coverage, strengths, gaps, "don't know" answers,
disagreements and why the area has its level (pure: from the event data alone)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reports import wording
from reports.notation import (
    LEVEL_RANGE,
    PERCENT_RANGE,
    SHARE_RANGE,
    answer_text,
    checked,
    colon,
    format_level,
    format_percent,
    format_signed,
    level_name,
    number,
    reached,
)
from shared.i18n import pick

MAX_STRENGTHS = 3
MAX_GAPS = 5
STRENGTH_LEVEL = 3.0
Answers = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Line:
    """One question of an area as a list shows it."""

    indicator: str
    question: str
    answer: str
    level_text: str
    critical: bool
    responses: tuple[str, ...]
    comments: tuple[str, ...]


@dataclass(frozen=True)
class AreaView:
    """One area of the report."""

    key: str
    name: str
    level: float | None
    level_shown: str
    level_name: str
    percentage: float | None
    percentage_shown: str
    target: float | None
    target_shown: str
    gap: float | None
    coverage: float | None
    coverage_shown: str
    confidence: float | None
    confidence_shown: str
    progress: float | None
    progress_shown: str
    previous_shown: str
    strengths: tuple[Line, ...]
    gaps: tuple[Line, ...]
    dont_know: tuple[Line, ...]
    disagreements: tuple[Line, ...]
    why: tuple[str, ...]


@dataclass(frozen=True)
class AnswerRow:
    """One question with the team's answer, how it counted, and every response (workbook)."""

    area: str
    indicator: str
    question: str
    answer: str
    value: float | str | None
    counted_as: float | None
    weight: float | None
    critical: bool
    note: str
    responses: str
    comments: str


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _detail(details: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    for item in details.get("areas") or ():
        if isinstance(item, Mapping) and item.get("area") == key:
            return item
    return {}


def _explanation(detail: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [row for row in detail.get("explanation") or () if isinstance(row, Mapping)]


def area_view(
    area: Mapping[str, Any], details: Mapping[str, Any], answers: Answers, language: str
) -> AreaView:
    """Return the view of one area (raises ``ReportDataError`` on impossible figures)."""
    key = str(area.get("area", ""))
    what = f"area {key!r}"
    level = checked(area.get("level"), LEVEL_RANGE, f"{what}: level")
    percentage = checked(area.get("percentage"), PERCENT_RANGE, f"{what}: percentage")
    target = checked(area.get("target"), LEVEL_RANGE, f"{what}: target")
    coverage = checked(area.get("coverage"), SHARE_RANGE, f"{what}: coverage")
    confidence = checked(area.get("confidence"), SHARE_RANGE, f"{what}: confidence")
    detail = _detail(details, key)
    progress_map = _mapping(details.get("progress"))
    progress = number(progress_map.get(key), f"{what}: progress")
    rows = _explanation(detail)
    keys = {str(row.get("indicator")) for row in rows} | {
        k for k, item in answers.items() if item.get("area") == key
    }
    named = pick(_mapping(detail.get("level_name")), language)
    return AreaView(
        key=key,
        name=pick(_mapping(area.get("name")), language) or key,
        level=level,
        level_shown=format_level(level, language),
        level_name="" if level is None else named or level_name(level, language),
        percentage=percentage,
        percentage_shown=format_percent(percentage, language, of_one=False),
        target=target,
        target_shown=format_level(target, language),
        gap=None if level is None or target is None else max(0.0, target - level),
        coverage=coverage,
        coverage_shown=format_percent(coverage, language),
        confidence=confidence,
        confidence_shown=_confidence(confidence, language),
        progress=progress,
        progress_shown=_signed(progress, language) if key in progress_map else "",
        previous_shown=""
        if level is None or progress is None
        else format_level(level - progress, language),
        strengths=_strengths(rows, answers, language),
        gaps=_gaps(rows, target, answers, language),
        dont_know=tuple(
            _line(str(k), answers, language, value="dont_know")
            for k in detail.get("dont_know") or ()
        ),
        disagreements=tuple(
            _line(str(k), answers, language)
            for k in details.get("disagreements") or ()
            if str(k) in keys
        ),
        why=_why(level, detail, answers, language),
    )


def _signed(value: float | None, language: str) -> str:
    return (
        wording.labels(language)["not_comparable"]
        if value is None
        else format_signed(value, language)
    )


def _confidence(value: float | None, language: str) -> str:
    if value is None:
        return wording.labels(language)["not_recorded"]
    band = "low" if value < 0.4 else "medium" if value < 0.7 else "high"
    return f"{format_percent(value, language)} ({wording.labels(language)[f'confidence.{band}']})"


def _question(key: str, answers: Answers, language: str) -> str:
    return pick(_mapping(answers.get(key, {}).get("question")), language) or key


def _line(key: str, answers: Answers, language: str, *, value: Any = ...) -> Line:
    item = answers.get(key, {})
    shown = item.get("value") if value is ... else value
    responses = [_mapping(r) for r in item.get("responses") or ()]
    comments = [str(r.get("comment") or "").strip() for r in responses]
    if item.get("agreed_comment"):
        agreed = wording.labels(language)["agreed"]
        comments.append(f"{agreed}{colon(language)} {item['agreed_comment']}")
    return Line(
        indicator=key,
        question=_question(key, answers, language),
        answer=answer_text(shown, language),
        level_text=pick(_mapping(item.get("level_text")), language),
        critical=bool(item.get("critical")),
        responses=tuple(answer_text(r.get("value"), language) for r in responses),
        comments=tuple(dict.fromkeys(comment for comment in comments if comment)),
    )


def _level_of(row: Mapping[str, Any]) -> float | None:
    """Return the level answered, None for any other answer (a critical "don't know" caps too)."""
    answer = row.get("answer")
    if row.get("note") not in ("answered", "caps_area") or isinstance(answer, str):
        return None
    return number(answer, f"answer to {row.get('indicator')!r}")


def _strengths(
    rows: Sequence[Mapping[str, Any]], answers: Answers, language: str
) -> tuple[Line, ...]:
    candidates = []
    for position, row in enumerate(rows):
        level = _level_of(row)
        if level is not None and level >= STRENGTH_LEVEL:
            weight = number(row.get("weight"), "weight") or 1.0
            candidates.append(((-level, -weight, position), row))
    candidates.sort(key=lambda item: item[0])
    return tuple(
        _line(str(row.get("indicator")), answers, language, value=row.get("answer"))
        for _, row in candidates[:MAX_STRENGTHS]
    )


def _gaps(
    rows: Sequence[Mapping[str, Any]], target: float | None, answers: Answers, language: str
) -> tuple[Line, ...]:
    if target is None:
        return ()
    candidates = []
    for position, row in enumerate(rows):
        level = _level_of(row)
        if level is not None and level < target:
            weight = number(row.get("weight"), "weight") or 1.0
            candidates.append(((level, not row.get("critical"), -weight, position), row))
    candidates.sort(key=lambda item: item[0])
    return tuple(
        _line(str(row.get("indicator")), answers, language, value=row.get("answer"))
        for _, row in candidates[:MAX_GAPS]
    )


def _why(
    level: float | None, detail: Mapping[str, Any], answers: Answers, language: str
) -> tuple[str, ...]:
    t = wording.texts(language)
    if level is None:
        return (wording.why_none(t),)
    lines = []
    if detail:
        lines.append(
            wording.why_score(
                t,
                score=format_level(level, language),
                answered=int(number(detail.get("answered"), "answered") or 0),
                applicable=int(number(detail.get("applicable"), "applicable") or 0),
            )
        )
    lines.append(
        wording.why_level(
            t,
            score=format_level(level, language),
            level=reached(level),
            name=level_name(level, language),
        )
    )
    cap = _mapping(detail.get("cap"))
    if cap:
        lines.append(
            wording.why_cap(
                t,
                limit=format_level(number(cap.get("limit"), "cap limit"), language),
                question=_question(str(cap.get("indicator")), answers, language),
                answer=answer_text(cap.get("answer"), language),
                raw=format_level(number(detail.get("raw_score"), "raw score"), language),
            )
        )
    unanswered = len(detail.get("unanswered") or ())
    not_applicable = len(detail.get("not_applicable") or ())
    if unanswered or not_applicable:
        lines.append(wording.why_missing(t, unanswered=unanswered, not_applicable=not_applicable))
    return tuple(lines)


def answer_rows(
    areas: Sequence[AreaView], details: Mapping[str, Any], answers: Answers, language: str
) -> tuple[AnswerRow, ...]:
    """Return every question of every area with its answer and how it counted (workbook)."""
    text = wording.labels(language)
    rows = []
    for area in areas:
        explained = _explanation(_detail(details, area.key))
        seen = {str(row.get("indicator")) for row in explained}
        extra = [
            {"indicator": key, "answer": item.get("value"), "critical": item.get("critical")}
            for key, item in answers.items()
            if item.get("area") == area.key and key not in seen
        ]
        for row in [*explained, *extra]:
            key = str(row.get("indicator"))
            item = answers.get(key, {})
            line = _line(key, answers, language, value=row.get("answer"))
            note = str(row.get("note") or "")
            rows.append(
                AnswerRow(
                    area=area.name,
                    indicator=key,
                    question=line.question,
                    answer=line.answer,
                    value=row.get("answer"),
                    counted_as=number(row.get("counted_as"), "counted_as"),
                    weight=number(row.get("weight"), "weight"),
                    critical=bool(row.get("critical", item.get("critical"))),
                    note=text.get(f"note.{note}", note),
                    responses="; ".join(line.responses),
                    comments=" | ".join(line.comments),
                )
            )
    return tuple(rows)
