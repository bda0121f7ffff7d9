"""Validating bulk answers row by row (pure: the importer loads the facts, this judges them).

A value read from a file (``reading.RawAnswer``) becomes an answer to store or the problems
that refuse it, each naming its file, sheet, row and column. The rules are those of answering
in the browser: a known respondent of the assessment, an indicator of its framework version,
in an area assigned to that respondent, a level 1-5 (or "don't know", "not applicable").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from assessment.bulk.reading import RawAnswer, RowProblem, Where, map_answer, map_confidence
from assessment.framework import Framework
from shared.text import text_problem

MAX_TEXT = 4000  # as an answer typed in the browser


@dataclass(frozen=True, slots=True)
class Respondent:
    """A participant who may answer: their id and the areas assigned (None: all)."""

    user_id: str
    areas: frozenset[str] | None


@dataclass(frozen=True)
class Target:
    """What validating answers for one assessment needs to know."""

    assessment_id: str
    framework: Framework
    is_open: bool
    # Each participant under their id and, lower-cased, their e-mail.
    respondents: Mapping[str, Respondent]

    def respondent(self, written: str) -> Respondent | None:
        """Return the participant a file names (by id, or e-mail in any case)."""
        return self.respondents.get(written) or self.respondents.get(written.lower())


@dataclass(slots=True)
class ValidAnswer:
    """An answer ready to store."""

    assessment_id: str
    indicator: str
    respondent_id: str
    value: str
    confidence: str | None
    evidence: str
    comment: str


FindTarget = Callable[[str], "Target | None"]


class Checker:
    """Judges the rows of one import job (the targets it meets are looked up once each)."""

    def __init__(self, *, assessment_id: str | None, find_target: FindTarget) -> None:
        self.assessment_id = assessment_id
        self._find = find_target
        self._targets: dict[str, Target | None] = {}
        self._answers: dict[Any, str | ValueError | None] = {}
        self._confidences: dict[Any, str | ValueError | None] = {}
        # For rows valid the way most rows of a large file are (``_plainly_valid``): the job's
        # open assessment, its people and each indicator's area; the (answer, confidence)
        # pairs as written that were found valid, with what they mean.
        self._open: tuple[str, Mapping[str, Respondent], dict[str, str]] | None = None
        self._pairs: dict[tuple[Any, Any], tuple[str, str | None]] = {}

    def target(self, assessment_id: str) -> Target | None:
        """Return the facts of an assessment of the administration (None: not one of its own)."""
        if assessment_id not in self._targets:
            target = self._targets[assessment_id] = self._find(assessment_id)
            if target is not None and target.is_open and assessment_id == self.assessment_id:
                areas = {i.key: i.area for i in target.framework.indicators}
                self._open = (assessment_id, target.respondents, areas)
        return self._targets[assessment_id]

    def check(self, raw: RawAnswer) -> ValidAnswer | list[RowProblem]:
        """Return the answer a row gives, or every problem that refuses it."""
        return self._plainly_valid(raw) or self._judged(raw)

    def split(self, items: Iterable[Any]) -> tuple[list[ValidAnswer], list[RowProblem]]:
        """Return the answers that read items give, and the problems (read ones included)."""
        valid: list[ValidAnswer] = []
        problems: list[RowProblem] = []
        keep, refuse, refuse_all = valid.append, problems.append, problems.extend
        plainly_valid, judged = self._plainly_valid, self._judged
        for item in items:
            if type(item) is RawAnswer:
                verdict = plainly_valid(item) or judged(item)
                if type(verdict) is ValidAnswer:
                    keep(verdict)
                else:
                    refuse_all(verdict)  # type: ignore[arg-type]
            else:
                refuse(item)
        return valid, problems

    def _plainly_valid(self, raw: RawAnswer) -> ValidAnswer | None:
        """Return the answer of a row that is valid in the way most rows of a large file are
        (the job's assessment, a respondent named as recorded, no free text, values already
        met), else None: ``_judged`` decides, with the same rules and their problems."""
        known = self._open
        if known is None or raw.evidence or raw.comment:
            return None
        aid, respondents, areas = known
        if raw.assessment and raw.assessment != aid:
            return None
        respondent = respondents.get(raw.respondent)
        area = areas.get(raw.indicator)
        if respondent is None or area is None:
            return None
        if respondent.areas is not None and area not in respondent.areas:
            return None
        meant = self._pairs.get((raw.answer, raw.confidence))
        if meant is None:
            return None
        return ValidAnswer(aid, raw.indicator, respondent.user_id, meant[0], meant[1], "", "")

    def _judged(self, raw: RawAnswer) -> ValidAnswer | list[RowProblem]:
        chosen = self.assessment_id or raw.assessment
        if not chosen:
            return [_problem(raw, "assessment", "unknown_assessment", assessment="")]
        if self.assessment_id and raw.assessment and raw.assessment != self.assessment_id:
            return [_problem(raw, "assessment", "wrong_assessment", assessment=raw.assessment)]
        target = self.target(chosen)
        if target is None:
            return [_problem(raw, "assessment", "unknown_assessment", assessment=chosen)]
        if not target.is_open:
            return [_problem(raw, "assessment", "assessment_submitted", assessment=chosen)]
        problems: list[RowProblem] = []
        respondent = target.respondent(raw.respondent) if raw.respondent else None
        if respondent is None:
            problems.append(
                _problem(raw, "respondent", "unknown_respondent", respondent=raw.respondent)
            )
        indicator = target.framework.indicator(raw.indicator)
        if indicator is None:
            problems.append(
                _problem(raw, "indicator", "unknown_indicator", indicator=raw.indicator)
            )
        elif respondent is not None and not _assigned(respondent, indicator.area):
            problems.append(
                _problem(
                    raw,
                    "indicator",
                    "not_assigned",
                    indicator=raw.indicator,
                    respondent=raw.respondent,
                )
            )
        value = self._mapped(raw, problems)
        confidence = self._confidence(raw, problems)
        evidence = _text(raw, "evidence", raw.evidence, problems)
        comment = _text(raw, "comment", raw.comment, problems)
        if problems or respondent is None or value is None:
            return problems
        self._remember_pair(raw, value, confidence)
        return ValidAnswer(
            assessment_id=target.assessment_id,
            indicator=raw.indicator,
            respondent_id=respondent.user_id,
            value=value,
            confidence=confidence,
            evidence=evidence,
            comment=comment,
        )

    def _remember_pair(self, raw: RawAnswer, value: str, confidence: str | None) -> None:
        # Only text (or no confidence) as written: a number or a boolean equal to another
        # written value (True == 1) must not meet a pair learnt from it.
        written = (raw.answer, raw.confidence)
        if (
            type(raw.answer) is str
            and (raw.confidence is None or type(raw.confidence) is str)
            and written not in self._pairs
            and len(self._pairs) < _REMEMBERED
        ):
            self._pairs[written] = (value, confidence)

    def _mapped(self, raw: RawAnswer, problems: list[RowProblem]) -> str | None:
        value = _remembered(self._answers, map_answer, raw.answer)
        if isinstance(value, ValueError):
            problems.append(_at(raw.where, str(value), value=_shown(raw.answer)))
            return None
        if value is None:
            # Confidence or evidence without an answer: the answer is what is missing.
            problems.append(_at(raw.where, "level_not_a_number", value=""))
        return value

    def _confidence(self, raw: RawAnswer, problems: list[RowProblem]) -> str | None:
        value = _remembered(self._confidences, map_confidence, raw.confidence)
        if isinstance(value, ValueError):
            problems.append(
                _problem(raw, "confidence", "bad_confidence", value=raw.confidence or "")
            )
            return None
        return value


def _assigned(respondent: Respondent, area: str) -> bool:
    return respondent.areas is None or area in respondent.areas


_REMEMBERED = 1000  # distinct written values mapped once each (files repeat a handful)


def _memory_key(written: Any) -> Any:
    # Text as itself; other values with their type, as True == 1 but is no level.
    return written if type(written) is str else (type(written), written)


def _remembered(
    memory: dict[Any, str | ValueError | None],
    mapping: Callable[[Any], str | None],
    written: Any,
) -> str | ValueError | None:
    """Return ``mapping(written)``, or the ValueError it raises, mapped once per value."""
    key = _memory_key(written)
    if key in memory:
        return memory[key]
    try:
        found: str | ValueError | None = mapping(written)
    except ValueError as refused:
        found = refused
    if len(memory) < _REMEMBERED:
        memory[key] = found
    return found


def _text(raw: RawAnswer, field: str, value: str, problems: list[RowProblem]) -> str:
    if not value:  # most rows of a large file leave evidence and comment empty
        return value
    if len(value) > MAX_TEXT:
        problems.append(_problem(raw, field, "text_too_long", field=field, max=MAX_TEXT))
    elif text_problem(value, multiline=True) is not None:
        problems.append(_problem(raw, field, "unsafe_text", field=field))
    return value


def _problem(raw: RawAnswer, at: str, code: str, **params: Any) -> RowProblem:
    column = raw.columns.get(at, at)
    return _at(replace(raw.where, column=column), code, **params)


def _at(where: Where, code: str, **params: Any) -> RowProblem:
    return RowProblem(where=where, code=code, params=params)


def _shown(value: object) -> str:
    return "" if value is None else str(value)[:100]
