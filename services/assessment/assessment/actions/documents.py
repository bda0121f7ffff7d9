"""What the API shows of plans and actions (plain dicts; ``overdue`` computed for a given day)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from assessment.actions.models import ActionLogEntry, ActionPlan, PlanAction
from assessment.actions.rules import is_overdue

# The last month of each roadmap phase: an action from a priority is due at its phase's end.
HORIZON_MONTHS = {"0-6": 6, "6-18": 18, "18-36": 36}


def add_months(day: date, months: int) -> date:
    """Return ``day`` moved ``months`` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def evidence_of(action: PlanAction) -> dict[str, Any]:
    """Return an action's evidence as the API shows it."""
    return {
        "note": action.evidence_note or "",
        "link": action.evidence_link,
        "contribution_id": action.evidence_contribution_id,
    }


def action_document(action: PlanAction, *, assessment_id: str, today: date) -> dict[str, Any]:
    """Return one action, with whether it is overdue on ``today``."""
    return {
        "id": action.id,
        "plan_id": action.plan_id,
        "assessment_id": assessment_id,
        "position": action.position,
        "title": action.title,
        "description": action.description or "",
        "indicators": list(action.indicators or []),
        "recommendations": list(action.recommendations or []),
        "owner_id": action.owner_id,
        "owner_name": action.owner_name or "",
        "target_date": action.target_date,
        "target_level": action.target_level,
        "status": action.status,
        "evidence": evidence_of(action),
        "overdue": is_overdue(action, today),
        "created_by": action.created_by,
        "created_at": action.created_at,
        "updated_at": action.updated_at,
        "completed_at": action.completed_at,
    }


def log_document(entry: ActionLogEntry) -> dict[str, Any]:
    """Return one change of an action's log."""
    return {"change": entry.change, "actor": entry.actor, "detail": entry.detail, "at": entry.at}


def plan_document(plan: ActionPlan, actions: list[PlanAction], *, today: date) -> dict[str, Any]:
    """Return a plan with its actions and how many are open, done, dropped and overdue."""
    shown = [action_document(a, assessment_id=plan.assessment_id, today=today) for a in actions]
    counts = {status: 0 for status in ("planned", "in_progress", "done", "dropped")}
    for action in actions:
        counts[action.status] = counts.get(action.status, 0) + 1
    return {
        "id": plan.id,
        "assessment_id": plan.assessment_id,
        "created_by": plan.created_by,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "counts": {**counts, "overdue": sum(1 for a in shown if a["overdue"])},
        "actions": shown,
    }
