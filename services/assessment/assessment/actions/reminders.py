"""Reminders of action plans: actions due within N days, and overdue ones, announced once.

``scan`` finds open actions (planned or in progress) due within ``days`` (``action.due_soon``)
or past their date (``action.overdue``), and for each writes a reminder row and stages the
event in the same transaction. The row is unique on (action, kind), so each reminder is staged
once however often or concurrently the scan runs: a scan losing the race to another skips it.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessment import events
from assessment.actions.models import CLOSED, ActionPlan, ActionReminder, PlanAction
from assessment.models import Assessment
from shared.timestamps import utcnow

DEFAULT_DAYS = 7
BATCH = 500
EVENT_OF = {"due_soon": "action.due_soon", "overdue": "action.overdue"}


def payload(
    action: PlanAction, plan: ActionPlan, language: str, kind: str, today: date
) -> dict[str, Any]:
    """Return the ``action.due_soon`` / ``action.overdue`` payload (``ActionReminderV1``)."""
    return {
        "action_id": action.id,
        "plan_id": plan.id,
        "assessment_id": plan.assessment_id,
        "administration_id": action.administration_id,
        "kind": kind,
        "title": action.title,
        "status": action.status,
        "owner_id": action.owner_id,
        "owner_name": action.owner_name or "",
        "target_date": action.target_date.isoformat(),
        "days_left": (action.target_date - today).days,
        "language": language,
        "notify": [action.owner_id],
    }


def _due(kind: str, today: date, days: int) -> Any:
    """Return the condition on an action's date for a reminder of ``kind``."""
    if kind == "overdue":
        return PlanAction.target_date < today
    return (PlanAction.target_date >= today) & (PlanAction.target_date <= today + timedelta(days))


def scan(
    *, session: Session, days: int = DEFAULT_DAYS, today: date | None = None, batch: int = BATCH
) -> dict[str, int]:
    """Stage the reminders due now; return how many of each kind were staged."""
    day = today or utcnow().date()
    staged = {kind: 0 for kind in EVENT_OF}
    with session.begin():
        for kind in EVENT_OF:
            reminded = exists().where(
                ActionReminder.action_id == PlanAction.id, ActionReminder.kind == kind
            )
            rows = session.execute(
                select(PlanAction, ActionPlan, Assessment.language)
                .join(ActionPlan, ActionPlan.id == PlanAction.plan_id)
                .join(Assessment, Assessment.id == ActionPlan.assessment_id)
                .where(PlanAction.status.not_in(CLOSED), _due(kind, day, days), ~reminded)
                .order_by(PlanAction.target_date, PlanAction.id)
                .limit(batch)
            ).all()
            for action, plan, language in rows:
                if _stage_once(session, action, plan, language, kind, day):
                    staged[kind] += 1
    return staged


def _stage_once(
    session: Session, action: PlanAction, plan: ActionPlan, language: str, kind: str, today: date
) -> bool:
    """Write the reminder row and its event together; False when another scan wrote it first."""
    try:
        with session.begin_nested():
            session.add(
                ActionReminder(action_id=action.id, kind=kind, target_date=action.target_date)
            )
            session.flush()
            events.stage(
                session, EVENT_OF[kind], payload(action, plan, language, kind, today), action.id
            )
    except IntegrityError:
        return False
    return True
