"""Who may see and change a plan or an action, and what a valid action holds.

Another administration's plan or action is "not found"; a respondent sees only the actions they
own (others are "not found" to them too) and may change only their status and evidence.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.access import administration_of
from assessment.actions.models import CLOSED, ActionPlan, PlanAction
from assessment.framework import Framework
from assessment.frameworks import FrameworkCache
from assessment.models import Assessment, Participant
from shared.auth import Principal, Role
from shared.errors import ApiError, NotFound

# What an owner who does not coordinate may change on their own action.
OWNER_FIELDS = frozenset({"status", "evidence"})


def is_coordinator(principal: Principal) -> bool:
    """Return whether the caller coordinates (creates and edits) its administration's plans."""
    return principal.has_any(Role.COORDINATOR)


def is_manager(principal: Principal) -> bool:
    """Return whether the caller sees all of its administration's plans (coordinators, clients)."""
    return principal.has_any(Role.COORDINATOR, Role.CLIENT)


def require_coordinator(principal: Principal) -> None:
    """Refuse callers who do not coordinate."""
    if not is_coordinator(principal):
        raise ApiError(403, "forbidden", "only a coordinator changes the action plan")


def require_manager(principal: Principal) -> None:
    """Refuse callers who do not see whole plans (respondents see the actions they own)."""
    if not is_manager(principal):
        raise ApiError(403, "forbidden", "respondents see the actions they own")


def plan_of(
    *, session: Session, principal: Principal, plan_id: str, lock: bool = False
) -> ActionPlan:
    """Return a plan of the caller's administration, or 404."""
    administration = administration_of(principal)
    query = select(ActionPlan).where(
        ActionPlan.id == plan_id, ActionPlan.administration_id == administration
    )
    plan = session.scalar(query.with_for_update() if lock else query)
    if plan is None:
        raise NotFound()
    return plan


def action_of(
    *, session: Session, principal: Principal, action_id: str, lock: bool = False
) -> PlanAction:
    """Return an action the caller may see (managers: any of theirs; others: their own), or 404."""
    administration = administration_of(principal)
    query = select(PlanAction).where(
        PlanAction.id == action_id, PlanAction.administration_id == administration
    )
    if not is_manager(principal):
        query = query.where(PlanAction.owner_id == principal.subject)
    action = session.scalar(query.with_for_update() if lock else query)
    if action is None:
        raise NotFound()
    return action


def framework_of_plan(*, session: Session, plan: ActionPlan, cache: FrameworkCache) -> Framework:
    """Return the framework version the plan's assessment is pinned to."""
    assessment = session.get(Assessment, plan.assessment_id)
    assert assessment is not None  # the plan is deleted with its assessment
    return cache.get(
        session=session, key=assessment.framework_key, version=assessment.framework_version
    )


def owner_name(*, session: Session, administration_id: str, user_id: str) -> str:
    """Return the name of a user of the administration, or refuse one it does not know (422).

    The users this service knows are the participants of the administration's assessments (the
    portal owns accounts, and no request waits on another service).
    """
    names = session.scalars(
        select(Participant.name)
        .join(Assessment, Assessment.id == Participant.assessment_id)
        .where(Assessment.administration_id == administration_id, Participant.user_id == user_id)
        .order_by(Participant.id.desc())
        .limit(1)
    ).all()
    if not names:
        raise ApiError(
            422,
            "unknown_owner",
            errors={"owner_id": ["not a user of this administration's assessments"]},
        )
    return names[0]


def check_references(
    framework: Framework, indicators: list[str], recommendations: list[str]
) -> None:
    """Refuse indicator or recommendation keys the framework does not hold (422)."""
    errors: dict[str, list[str]] = {}
    unknown = sorted({key for key in indicators if framework.indicator(key) is None})
    if unknown:
        errors["indicators"] = [f"unknown indicators: {', '.join(unknown)}"]
    known = {r.key for i in framework.indicators for r in i.recommendations}
    missing = sorted(set(recommendations) - known)
    if missing:
        errors["recommendations"] = [f"unknown recommendations: {', '.join(missing)}"]
    if errors:
        raise ApiError(422, "unknown_reference", errors=errors)


def check_level(framework: Framework, level: int | None) -> None:
    """Refuse a target level outside the framework's scale (422)."""
    if level is not None and level not in framework.level_names:
        scale = sorted(framework.level_names)
        raise ApiError(
            422,
            "validation_failed",
            errors={"target_level": [f"must be a level from {scale[0]} to {scale[-1]}"]},
        )


def has_evidence(evidence: dict[str, Any]) -> bool:
    """Return whether evidence holds a note, a link or a portal contribution."""
    return any((evidence.get(name) or "").strip() for name in ("note", "link", "contribution_id"))


def is_overdue(action: PlanAction, today: date) -> bool:
    """Return whether the action's target date has passed while it is neither done nor dropped."""
    return action.status not in CLOSED and action.target_date < today
