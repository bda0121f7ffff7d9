"""The action plan in the interchange file (an optional ``action_plan`` member, informative)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.actions import rules
from assessment.actions.documents import evidence_of
from assessment.actions.models import ActionPlan, PlanAction
from shared.auth import Principal
from shared.timestamps import to_rfc3339


def exported_plan(
    *, session: Session, principal: Principal, assessment_id: str
) -> dict[str, Any] | None:
    """Return the assessment's plan as the interchange file holds it (None: no plan).

    Managers export every action; anyone else only the actions they own.
    """
    plan = session.scalar(select(ActionPlan).where(ActionPlan.assessment_id == assessment_id))
    if plan is None:
        return None
    query = select(PlanAction).where(PlanAction.plan_id == plan.id)
    if not rules.is_manager(principal):
        query = query.where(PlanAction.owner_id == principal.subject)
    actions = session.scalars(query.order_by(PlanAction.position, PlanAction.id))
    return {
        "created_at": to_rfc3339(plan.created_at),
        "actions": [
            {
                "title": a.title,
                "description": a.description or "",
                "indicators": list(a.indicators or []),
                "recommendations": list(a.recommendations or []),
                "owner_id": a.owner_id,
                "owner_name": a.owner_name or "",
                "target_date": a.target_date.isoformat(),
                "target_level": a.target_level,
                "status": a.status,
                "evidence": evidence_of(a),
                "completed_at": to_rfc3339(a.completed_at) if a.completed_at else None,
            }
            for a in actions
        ],
    }
