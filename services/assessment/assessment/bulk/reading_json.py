"""Reading answers from JSON, streamed with ijson: one respondent object in memory at a time.

A first pass over the parse events (nothing is built but the small top-level values) checks
the syntax of the whole document, reads what it says about itself wherever its keys come, and
counts each respondent's answers (at most ``MAX_ANSWERS``: a framework has far fewer
indicators). The second pass builds one respondent object at a time (ijson's C backend builds
it) and hands out its answers: a respondent's ``respondent`` and ``assessment`` keys may come
after its ``answers`` (``json.dumps(sort_keys=True)`` writes them so), so the object is read
whole; bounded by the first pass, it stays small.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ijson

from assessment.bulk.reading_types import (
    FileFacts,
    FileProblem,
    RawAnswer,
    RowProblem,
    Where,
    cell_text,
    is_blank,
)
from assessment.bulk.workbook import LAYOUT
from assessment.framework import LANGUAGES

MAX_ANSWERS = 10_000  # per respondent object: a framework has far fewer indicators
_STARTS = ("start_map", "start_array")
_ENDS = ("end_map", "end_array")
Events = Iterator[tuple[str, str, Any]]


@dataclass(frozen=True)
class _Survey:
    """What the first pass learnt."""

    facts: FileFacts
    base: str  # the path of the respondents list: "respondents", or "" for a top-level list


def open_json(path: Path, *, name: str) -> tuple[FileFacts, Iterator[RawAnswer | RowProblem]]:
    """Return what the JSON document says about itself and its answers."""
    survey = _survey(path)
    return survey.facts, _rows(path, name, survey)


@contextmanager
def _events(path: Path) -> Iterator[Events]:
    with path.open("rb") as raw:
        if raw.read(3) != codecs.BOM_UTF8:
            raw.seek(0)
        try:
            yield ijson.parse(raw, use_float=True)
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            raise FileProblem("bad_json", detail=_detail(exc)) from exc


def _detail(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__


def _survey(path: Path) -> _Survey:
    found: dict[str, Any] = {}
    respondents = -1  # how many respondent items (-1: no respondents list)
    with _events(path) as events:
        first = next(events, None)
        if first is None:
            raise FileProblem("empty_file")
        _, event, _ = first
        if event == "start_array":
            base, respondents = "", _count_respondents(events)
        elif event == "start_map":
            base, respondents = "respondents", _top_level(events, found)
        else:
            raise FileProblem("bad_json", detail="the document must be an object")
        for _ in events:  # anything after the document is a syntax error, raised here
            pass
    if found.get("format", LAYOUT) != LAYOUT:
        raise FileProblem("unsupported_format")
    if respondents <= 0:
        raise FileProblem("empty_file")
    return _Survey(_facts(found), base)


def _top_level(events: Events, found: dict[str, Any]) -> int:
    """Read the top-level keys into ``found``; return how many respondents are listed (or -1)."""
    respondents = -1
    for _, kind, key in events:
        if kind == "end_map":
            break
        _, event, value = next(events)
        if key == "respondents":
            if event != "start_array":
                raise FileProblem("bad_json", detail="“respondents” must be a list")
            respondents = _count_respondents(events)
        elif key in ("format", "framework", "language", "assessment"):
            found[key] = _build(events, event, value)
        else:
            _skip(events, event)
    return respondents


def _facts(found: dict[str, Any]) -> FileFacts:
    framework = found.get("framework")
    key = version = None
    if framework is not None:
        if not isinstance(framework, dict) or not all(
            isinstance(framework.get(k), str) for k in ("key", "version")
        ):
            raise FileProblem("bad_json", detail="“framework” must be {“key”, “version”}")
        key, version = framework["key"], framework["version"]
    language = found.get("language")
    assessment = found.get("assessment")
    return FileFacts(
        format="json",
        framework_key=key,
        framework_version=version,
        language=language if language in LANGUAGES else None,
        assessment_id=(assessment.strip() or None) if isinstance(assessment, str) else None,
    )


def _count_respondents(events: Events) -> int:
    """Skip the respondents list, refusing a respondent with too many answers; count them."""
    count = 0
    for _, event, _ in events:
        if event == "end_array":
            break
        if event == "start_map":
            _bounded_respondent(events, count)
        else:
            _skip(events, event)
        count += 1
    return count


def _bounded_respondent(events: Events, index: int) -> None:
    for _, kind, key in events:
        if kind == "end_map":
            return
        _, event, _ = next(events)
        if key != "answers" or event != "start_array":
            _skip(events, event)
            continue
        for answers, (_, item_event, _) in enumerate(events, start=1):
            if item_event == "end_array":
                break
            if answers > MAX_ANSWERS:
                detail = f"respondents[{index}] holds more than {MAX_ANSWERS} answers"
                raise FileProblem("bad_json", detail=detail)
            _skip(events, item_event)


def _skip(events: Events, event: str) -> None:
    if event not in _STARTS:
        return
    depth = 1
    for _, kind, _ in events:
        if kind in _STARTS:
            depth += 1
        elif kind in _ENDS:
            depth -= 1
            if depth == 0:
                return


def _build(events: Events, event: str, value: Any) -> Any:
    if event not in _STARTS:
        return value
    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    depth = 1
    for _, kind, item in events:
        builder.event(kind, item)
        if kind in _STARTS:
            depth += 1
        elif kind in _ENDS:
            depth -= 1
            if depth == 0:
                break
    return builder.value


def _rows(path: Path, name: str, survey: _Survey) -> Iterator[RawAnswer | RowProblem]:
    # Opened on the first row asked for, so a reader never used leaves no file open.
    prefix = f"{survey.base}.item" if survey.base else "item"
    with path.open("rb") as raw:
        if raw.read(3) != codecs.BOM_UTF8:
            raw.seek(0)
        try:
            for index, item in enumerate(ijson.items(raw, prefix, use_float=True)):
                yield from _respondent(item, index, name, survey)
        except (ijson.JSONError, UnicodeDecodeError) as exc:  # changed since the first pass
            raise FileProblem("bad_json", detail=_detail(exc)) from exc


def _respondent(
    item: Any, index: int, name: str, survey: _Survey
) -> Iterator[RawAnswer | RowProblem]:
    path = f"{survey.base}[{index}]"
    if not isinstance(item, dict):
        yield _problem(name, index, path, f"{path} is not an object")
        return
    answers = item.get("answers", [])
    if not isinstance(answers, list):
        yield _problem(name, index, f"{path}.answers", f"{path}.answers is not a list")
        return
    respondent = cell_text(_plain(item.get("respondent")))
    assessment = cell_text(_plain(item.get("assessment"))) or survey.facts.assessment_id
    row = index + 1
    for number, answer in enumerate(answers):
        at = f"{path}.answers[{number}]"
        if not isinstance(answer, dict):
            yield _problem(name, index, at, f"{at} is not an object")
            continue
        get = answer.get
        value, confidence = get("answer"), get("confidence")
        evidence, comment = get("evidence"), get("comment")
        if is_blank(value, confidence, evidence, comment):
            continue  # not answered
        if isinstance(value, str):
            value = value.strip() or None
        elif value is not None and not isinstance(value, int | float):
            value = _plain(value)  # a list or an object: refused later as not a level
        yield RawAnswer(
            respondent=respondent,
            indicator=cell_text(_plain(get("indicator"))),
            answer=value,
            confidence=cell_text(_plain(confidence)) or None,
            evidence=cell_text(_plain(evidence)),
            comment=cell_text(_plain(comment)),
            assessment=assessment,
            where=Where(name, "", row, f"{at}.answer"),
            columns=_Columns(path, at),
        )


class _Columns(Mapping[str, str]):
    """The path of each field of one answer, worked out only when a problem names it."""

    __slots__ = ("_answer", "_respondent")
    _OF_RESPONDENT = ("respondent", "assessment")
    _OF_ANSWER = ("indicator", "answer", "confidence", "evidence", "comment")

    def __init__(self, respondent: str, answer: str) -> None:
        self._respondent, self._answer = respondent, answer

    def __getitem__(self, field: str) -> str:
        if field in self._OF_RESPONDENT:
            return f"{self._respondent}.{field}"
        if field in self._OF_ANSWER:
            return f"{self._answer}.{field}"
        raise KeyError(field)

    def __iter__(self) -> Iterator[str]:
        return iter((*self._OF_RESPONDENT, *self._OF_ANSWER))

    def __len__(self) -> int:
        return len(self._OF_RESPONDENT) + len(self._OF_ANSWER)

    def __repr__(self) -> str:
        return repr(dict(self))


def _plain(value: Any) -> Any:
    # A nested value where text is expected is kept as its JSON text, to be shown and refused.
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value


def _problem(name: str, index: int, column: str, detail: str) -> RowProblem:
    return RowProblem(Where(name, "", index + 1, column), "bad_json", {"detail": detail})
