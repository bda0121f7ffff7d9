"""Progress between two assessments: per indicator, the level then and now, and the actions
the administration took since (those of the earlier assessment's plan addressing it).

The earlier assessment is the one the assessment was started after (``previous_id``: the same
administration and framework). Its answers frozen at its last submission are re-keyed onto this
assessment's framework version when the versions differ, as the results' area deltas are.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment import access, planning, results, scoring
from assessment.actions import rules
from assessment.actions.models import ActionPlan, PlanAction
from assessment.framework import Framework
from assessment.frameworks import FrameworkCache
from assessment.models import Assessment
from shared.auth import Principal
from shared.timestamps import to_rfc3339, utcnow

TAKEN = ("in_progress", "done")


def _values(answers: dict[str, scoring.Answer]) -> dict[str, Any]:
    return {key: answer.value for key, answer in answers.items()}


def _now_answers(session: Session, seen: access.Access) -> dict[str, scoring.Answer]:
    """Return the assessment's answers: frozen at submission, the team's while open."""
    snapshot = (
        results.latest_snapshot(session, seen.assessment.id)
        if seen.assessment.status == "submitted"
        else None
    )
    if snapshot is not None:
        return results.deserialize_answers(snapshot.answers)
    answers, _ = results.combined_answers(session, seen.assessment, seen.framework)
    return answers


def _previous(session: Session, assessment: Assessment) -> Assessment | None:
    """Return the earlier assessment of the same administration and framework, if any."""
    if not assessment.previous_id:
        return None
    previous = session.get(Assessment, assessment.previous_id)
    if (
        previous is None
        or previous.administration_id != assessment.administration_id
        or previous.framework_key != assessment.framework_key
    ):
        return None
    return previous


def _then_answers(
    session: Session, previous: Assessment, framework: Framework
) -> dict[str, scoring.Answer]:
    snapshot = results.latest_snapshot(session, previous.id)
    if snapshot is None:
        return {}
    answers = results.deserialize_answers(snapshot.answers)
    if previous.framework_version != framework.version:
        mapping = framework.mappings.get(previous.framework_version, {})
        answers = planning.remap_answers(answers, mapping)
    return answers


def _plan_actions(session: Session, previous: Assessment) -> list[PlanAction]:
    """Return the actions of the earlier assessment's plan, in plan order."""
    return list(
        session.scalars(
            select(PlanAction)
            .join(ActionPlan, ActionPlan.id == PlanAction.plan_id)
            .where(ActionPlan.assessment_id == previous.id)
            .order_by(PlanAction.position, PlanAction.id)
        )
    )


def _rows(
    framework: Framework,
    then: dict[str, Any],
    now: dict[str, Any],
    actions: list[PlanAction],
    describe: Callable[[PlanAction], dict[str, Any]],
) -> list[dict[str, Any]]:
    """Return, in framework order, each indicator with a level then or now or an action."""
    indicators = []
    for indicator in framework.indicators:
        addressing = [a for a in actions if indicator.key in (a.indicators or [])]
        level_then, level_now = then.get(indicator.key), now.get(indicator.key)
        if level_then is None and level_now is None and not addressing:
            continue
        indicators.append(
            {
                "indicator": indicator.key,
                "area": indicator.area,
                "level_then": level_then,
                "level_now": level_now,
                "change": level_change(level_then, level_now),
                "actions": [describe(a) for a in addressing],
            }
        )
    return indicators


def level_change(then: Any, now: Any) -> float | None:
    """Return now minus then when both are levels (else None: nothing comparable)."""
    if scoring.is_level(then) and scoring.is_level(now):
        return round(float(now) - float(then), 2)
    return None


def _action(action: PlanAction, today: date) -> dict[str, Any]:
    return {
        "id": action.id,
        "title": action.title,
        "status": action.status,
        "target_date": action.target_date,
        "target_level": action.target_level,
        "completed_at": action.completed_at,
        "overdue": rules.is_overdue(action, today),
    }


def progress(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    today: date | None = None,
) -> dict[str, Any]:
    """Return, per indicator, the level then and now and the actions taken since.

    With no earlier submitted assessment, ``previous`` is null and every level then is null.
    """
    rules.require_manager(principal)
    day = today or utcnow().date()
    with session.begin():
        seen = access.access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        previous = _previous(session, seen.assessment)
        then = _values(_then_answers(session, previous, seen.framework)) if previous else {}
        now = _values(_now_answers(session, seen))
        actions = _plan_actions(session, previous) if previous is not None else []
        indicators = _rows(seen.framework, then, now, actions, lambda a: _action(a, day))
        return {
            "assessment_id": seen.assessment.id,
            "previous": None
            if previous is None
            else {
                "assessment_id": previous.id,
                "title": previous.title,
                "framework_version": previous.framework_version,
                "submitted_at": previous.submitted_at,
            },
            "indicators": indicators,
            "summary": summarize(indicators),
        }


def summarize(indicators: list[dict[str, Any]]) -> dict[str, int]:
    """Count indicators that moved, and those with actions taken that moved up."""
    changes = [row["change"] for row in indicators if row["change"] is not None]
    taken = [
        row
        for row in indicators
        if row["change"] is not None and any(a["status"] in TAKEN for a in row["actions"])
    ]
    return {
        "improved": sum(1 for c in changes if c > 0),
        "unchanged": sum(1 for c in changes if c == 0),
        "declined": sum(1 for c in changes if c < 0),
        "with_actions": sum(1 for row in indicators if row["actions"]),
        "improved_with_actions_taken": sum(1 for row in taken if row["change"] > 0),
    }


def evidence_kind(action: PlanAction) -> str | None:
    """Return which evidence an action records: a portal contribution, a link, a note, or None."""
    if action.evidence_contribution_id:
        return "contribution"
    if action.evidence_link:
        return "link"
    return "note" if (action.evidence_note or "").strip() else None


def _event_action(action: PlanAction) -> dict[str, Any]:
    """Return an action as ``assessment.submitted`` carries it (the owner's name, never an id)."""
    return {
        "id": action.id,
        "title": action.title,
        "status": action.status,
        "owner_name": action.owner_name or "",
        "target_date": action.target_date.isoformat(),
        "evidence": evidence_kind(action),
    }


def for_submission(
    session: Session,
    assessment: Assessment,
    framework: Framework,
    answers: dict[str, Any],
) -> dict[str, Any] | None:
    """Return the ``progress`` an assessment's submission carries, None for a first assessment.

    ``answers`` are the answers the submission freezes (serialized, as in its score snapshot).
    """
    previous = _previous(session, assessment)
    if previous is None:
        return None
    then = _values(_then_answers(session, previous, framework))
    now = _values(results.deserialize_answers(answers))
    actions = _plan_actions(session, previous)
    return {
        "previous": {
            "assessment_id": previous.id,
            "title": previous.title,
            "submitted_at": to_rfc3339(previous.submitted_at) if previous.submitted_at else "",
        },
        "indicators": _rows(framework, then, now, actions, _event_action),
    }
