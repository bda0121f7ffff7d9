"""The report's "Progress since the previous assessment" by indicator (pure: no I/O).

Built from the optional ``progress`` of ``assessment.submitted``: per area (in the report's
order) and indicator (in the framework's order), the answer then and now, the change, and the
earlier plan's actions addressing it. A payload without ``progress`` (a first assessment, or an
older producer) gives no section at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reports import wording
from reports.notation import (
    ReportDataError,
    answer_text,
    format_date,
    format_number,
    format_signed,
    number,
)
from shared.i18n import pick

STATUSES = ("planned", "in_progress", "done", "dropped")
EVIDENCE = ("note", "link", "contribution")


@dataclass(frozen=True)
class ActionView:
    """One action of the earlier plan, as the report shows it."""

    title: str
    status: str
    status_shown: str
    owner: str
    target_date: str
    target_date_shown: str
    evidence_shown: str


@dataclass(frozen=True)
class IndicatorProgress:
    """One indicator's answer then and now, and what was done about it."""

    key: str
    question: str
    then_shown: str
    now_shown: str
    change: float | None
    change_shown: str
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class AreaProgress:
    """The indicators of one area, in the framework's order."""

    key: str
    name: str
    indicators: tuple[IndicatorProgress, ...]


@dataclass(frozen=True)
class ProgressSection:
    """Everything the progress section shows, with the counts of its summary line."""

    compared: str
    summary: str
    areas: tuple[AreaProgress, ...]
    moved_up: int
    stayed: int
    moved_down: int
    actions_planned: int
    actions_done: int


def compose_progress(
    data: Mapping[str, Any],
    language: str,
    area_names: Mapping[str, str],
) -> ProgressSection | None:
    """Return the progress section of ``data`` in ``language``, or None without ``progress``."""
    progress = data.get("progress")
    if progress is None:
        return None
    if not isinstance(progress, Mapping):
        raise ReportDataError("progress must be an object")
    rows = progress.get("indicators") or []
    if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
        raise ReportDataError("progress.indicators must be a list of objects")
    questions = _questions(data, language)
    by_area: dict[str, list[IndicatorProgress]] = {}
    for row in rows:
        by_area.setdefault(str(row.get("area", "")), []).append(
            _indicator(row, questions, language)
        )
    order = [key for key in area_names if key in by_area]
    order += [key for key in by_area if key not in area_names]
    changes = [view.change for views in by_area.values() for view in views]
    # An action addressing several indicators is counted once.
    statuses = {
        str(action.get("id") or id(action)): str(action.get("status"))
        for row in rows
        for action in row.get("actions") or ()
    }
    counts = {
        "up": sum(1 for change in changes if change is not None and change > 0),
        "stayed": sum(1 for change in changes if change == 0),
        "down": sum(1 for change in changes if change is not None and change < 0),
        "planned": len(statuses),
        "done": sum(1 for status in statuses.values() if status == "done"),
    }
    return ProgressSection(
        compared=_compared(progress.get("previous"), language),
        summary=wording.progress_summary(wording.texts(language), **counts),
        areas=tuple(
            AreaProgress(key, area_names.get(key, key), tuple(by_area[key])) for key in order
        ),
        moved_up=counts["up"],
        stayed=counts["stayed"],
        moved_down=counts["down"],
        actions_planned=counts["planned"],
        actions_done=counts["done"],
    )


def _questions(data: Mapping[str, Any], language: str) -> dict[str, str]:
    """Return each indicator's question in ``language``, from the payload's answers."""
    found = {}
    for item in data.get("answers") or ():
        if isinstance(item, Mapping) and isinstance(item.get("question"), Mapping):
            found[str(item.get("indicator"))] = pick(item["question"], language)
    return found


def _indicator(
    row: Mapping[str, Any], questions: Mapping[str, str], language: str
) -> IndicatorProgress:
    key = str(row.get("indicator", ""))
    change = number(row.get("change"), f"{key}: change")
    raw_actions = row.get("actions") or []
    if not isinstance(raw_actions, list) or not all(isinstance(a, Mapping) for a in raw_actions):
        raise ReportDataError(f"{key}: actions must be a list of objects")
    return IndicatorProgress(
        key=key,
        question=questions.get(key) or key,
        then_shown=_answer(row.get("level_then"), language),
        now_shown=_answer(row.get("level_now"), language),
        change=change,
        change_shown=_change(change, language),
        actions=tuple(_action(action, language) for action in raw_actions),
    )


def _answer(value: Any, language: str) -> str:
    if value is not None and value not in ("dont_know", "not_applicable"):
        number(value, "progress level")
    return answer_text(value, language)


def _change(change: float | None, language: str) -> str:
    """Return a change of level with its sign (whole changes without decimals)."""
    if change is None:
        return wording.labels(language)["not_comparable"]
    if float(change).is_integer():
        whole = int(change)
        return f"+{whole}" if whole > 0 else (f"\u2212{-whole}" if whole < 0 else "0")
    return format_signed(change, language) if round(change, 1) else format_number(0, language)


def _action(action: Mapping[str, Any], language: str) -> ActionView:
    text = wording.labels(language)
    status = str(action.get("status", ""))
    if status not in STATUSES:
        raise ReportDataError(f"unknown action status {status!r}")
    evidence = action.get("evidence")
    target = str(action.get("target_date") or "")
    return ActionView(
        title=str(action.get("title", "")),
        status=status,
        status_shown=text[f"status.{status}"],
        owner=str(action.get("owner_name") or "").strip() or text["not_recorded"],
        target_date=target,
        target_date_shown=format_date(target, language),
        evidence_shown=text[f"evidence.{evidence}"] if evidence in EVIDENCE else "",
    )


def _compared(previous: Any, language: str) -> str:
    """Return which assessment this one is compared with."""
    if not isinstance(previous, Mapping):
        return ""
    t = wording.texts(language)
    title = str(previous.get("title") or "").strip()
    moment = str(previous.get("submitted_at") or "")
    return wording.progress_compared(
        t, title=title, date=format_date(moment, language) if moment else ""
    )
