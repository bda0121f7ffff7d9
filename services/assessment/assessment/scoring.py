"""Scoring of a readiness assessment: plain functions, no I/O.

Formulas (documented for users in the report and the API):

* An answer is a level 1-5, ``dont_know`` or ``not_applicable``; unanswered indicators are
  simply missing.
* Applicable indicators are those not marked ``not_applicable``. ``not_applicable`` is excluded
  everywhere: it never moves a score.
* Area score (1.0-5.0) = weighted mean of the answered applicable indicators, where
  ``dont_know`` counts as level 1 (a gap in knowledge is a gap) and is listed separately.
* Critical indicators cap the area: the score is at most the critical answer + 1, so a high
  average cannot hide a missing foundation.
* Area level = the integer part of the score (1 Initial ... 5 Transformational);
  percentage = (score - 1) / 4 x 100.
* Coverage = answered (including ``dont_know``) / applicable.
* Confidence (0-1) = known share (answered, not ``dont_know``, / applicable) x the mean declared
  confidence of those answers (low 0.5, medium 0.75, high 1.0; medium when not declared).
* Overall = the area-weighted mean of area scores. It is indicative only: the six-area profile is
  the result; nothing is ranked or compared with other administrations.
* Several respondents: per indicator, the coordinator's agreed answer if recorded, else the
  median of the respondents' levels; an interquartile range of 2 or more flags a disagreement.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from assessment.framework import Area, Framework

DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
CONFIDENCE = {"low": 0.5, "medium": 0.75, "high": 1.0}
DEFAULT_CONFIDENCE = "medium"
DISAGREEMENT_IQR = 2.0
_WORDS = frozenset((DONT_KNOW, NOT_APPLICABLE))
# An undeclared confidence (None or empty) counts as the default.
_CONFIDENCE_OF: dict[str | None, float] = {
    key: CONFIDENCE[key or DEFAULT_CONFIDENCE] for key in (*CONFIDENCE, None, "")
}

Value = int | float | str


@dataclass(frozen=True, slots=True)
class Answer:
    """An answer to one indicator: a level 1-5, ``dont_know`` or ``not_applicable``."""

    value: Value
    confidence: str | None = None


class Cap(NamedTuple):
    """A critical indicator that limited an area's score."""

    indicator: str
    answer: Value
    limit: float


class AreaScore(NamedTuple):
    """The result of one area (a named tuple: built six times per scoring, and cheaply)."""

    area: str
    score: float | None
    level: int | None
    percentage: float | None
    raw_score: float | None
    cap: Cap | None
    coverage: float
    confidence: float
    applicable: int
    answered: int
    dont_know: tuple[str, ...]
    not_applicable: tuple[str, ...]
    unanswered: tuple[str, ...]


class Result(NamedTuple):
    """The scores of an assessment: the six-area profile and an indicative overall figure."""

    areas: dict[str, AreaScore]
    overall: float | None
    overall_percentage: float | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    """How one indicator entered its area's score (the "why this level" view)."""

    indicator: str
    answer: Value | None
    counted_as: float | None
    weight: float
    critical: bool
    note: str


def is_level(value: object) -> bool:
    """Return whether ``value`` is a level answer (a number from 1 to 5)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value <= 5


def score_area(area: Area, answers: Mapping[str, Answer]) -> AreaScore:
    """Score one area from the answers (keyed by indicator)."""
    total = weights = confidence_sum = 0.0
    limit = math.inf
    capped_by: str | None = None
    capped_at: Value = 0
    dont_know: list[str] = []
    not_applicable: list[str] = []
    unanswered: list[str] = []
    find = answers.get
    for key, weight, critical in area.plan:
        answer = find(key)
        if answer is None:
            unanswered.append(key)
            continue
        value = answer.value
        if value in _WORDS:  # a set lookup spares levels two failing str comparisons
            if value == NOT_APPLICABLE:
                not_applicable.append(key)
                continue
            dont_know.append(key)
            level = 1.0
        else:
            level = float(value)
            confidence_sum += _CONFIDENCE_OF[answer.confidence]
        total += weight * level
        weights += weight
        if critical and level + 1 < limit:
            limit = level + 1
            capped_by, capped_at = key, value
    applicable = len(area.plan) - len(not_applicable)
    answered = applicable - len(unanswered)
    known = answered - len(dont_know)  # answered with a level
    if not weights:
        return AreaScore(
            area.key, None, None, None, None, None, answered / applicable if applicable else 0.0,
            0.0, applicable, answered, (), tuple(not_applicable), tuple(unanswered),
        )  # fmt: skip
    raw = total / weights
    score = raw if raw <= limit else limit
    cap = None if capped_by is None or score >= raw else Cap(capped_by, capped_at, limit)
    return AreaScore(
        area.key,
        score,
        min(5, max(1, int(score))),
        (score - 1.0) / 4.0 * 100.0,
        raw,
        cap,
        answered / applicable if applicable else 0.0,
        (known / applicable) * (confidence_sum / known) if known else 0.0,
        applicable,
        answered,
        tuple(dont_know),
        tuple(not_applicable),
        tuple(unanswered),
    )


def score_assessment(framework: Framework, answers: Mapping[str, Answer]) -> Result:
    """Score every area of ``framework`` and the indicative overall figure."""
    areas: dict[str, AreaScore] = {}
    total = weights = 0.0
    for area in framework.areas:
        areas[area.key] = scored = score_area(area, answers)
        score = scored.score
        if score is not None:
            total += area.weight * score
            weights += area.weight
    if not weights:
        return Result(areas, None, None)
    overall = total / weights
    return Result(areas, overall, (overall - 1.0) / 4.0 * 100.0)


def explain_area(area: Area, answers: Mapping[str, Answer]) -> list[Contribution]:
    """Return, indicator by indicator, what decided the area's score."""
    result = score_area(area, answers)
    rows = []
    for indicator in area.indicators:
        answer = answers.get(indicator.key)
        value = None if answer is None else answer.value
        if answer is None:
            counted, note = None, "unanswered"
        elif value == NOT_APPLICABLE:
            counted, note = None, "not_applicable"
        elif value == DONT_KNOW:
            counted, note = 1.0, "dont_know"
        else:
            counted, note = float(answer.value), "answered"
        if result.cap is not None and result.cap.indicator == indicator.key:
            note = "caps_area"
        rows.append(
            Contribution(indicator.key, value, counted, indicator.weight, indicator.critical, note)
        )
    return rows


@dataclass(frozen=True, slots=True)
class Consensus:
    """The team's combined answer to one indicator and how far respondents disagree."""

    indicator: str
    answer: Answer | None
    levels: tuple[float, ...]
    spread: float
    disagreement: bool
    agreed: bool
    respondents: int


def consolidate(
    indicator: str, responses: Iterable[Answer], agreed: Answer | None = None
) -> Consensus:
    """Combine the respondents' answers to one indicator (agreed answer first, else median)."""
    responses = list(responses)
    levels = tuple(sorted(float(r.value) for r in responses if is_level(r.value)))
    spread = _iqr(levels)
    if agreed is not None:
        answer: Answer | None = agreed
    elif levels:
        confidences = [r.confidence or DEFAULT_CONFIDENCE for r in responses if is_level(r.value)]
        answer = Answer(statistics.median(levels), statistics.mode(sorted(confidences)))
    elif responses:
        values = [r.value for r in responses]
        answer = Answer(
            NOT_APPLICABLE if values.count(NOT_APPLICABLE) * 2 > len(values) else DONT_KNOW
        )
    else:
        answer = None
    return Consensus(
        indicator,
        answer,
        levels,
        spread,
        spread >= DISAGREEMENT_IQR,
        agreed is not None,
        len(responses),
    )


def _iqr(levels: tuple[float, ...]) -> float:
    if len(levels) < 2:
        return 0.0
    if len(levels) < 4:
        return levels[-1] - levels[0]
    quartiles = statistics.quantiles(levels, n=4, method="inclusive")
    return quartiles[2] - quartiles[0]
