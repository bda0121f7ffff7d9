"""Use cases of action plans: create from priorities, add and change actions, owners' lists.

Every function checks the caller first: another administration's plan or action is "not found";
coordinators create and edit; an owner sees the actions they own and changes only their status
and evidence. Marking an action done needs evidence (a note, a link or a portal contribution).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assessment import access, results
from assessment.access import administration_of
from assessment.actions import rules
from assessment.actions.documents import (
    HORIZON_MONTHS,
    action_document,
    add_months,
    evidence_of,
    log_document,
    plan_document,
)
from assessment.actions.models import CLOSED, ActionLogEntry, ActionPlan, PlanAction
from assessment.framework import Framework
from assessment.frameworks import FrameworkCache
from shared.auth import Principal
from shared.errors import ApiError, NotFound
from shared.paging import MAX_PAGE_SIZE, fetch_page
from shared.timestamps import utcnow

DEFAULT_LIMIT = 10
TITLE_MAX = 200
EVIDENCE_COLUMNS = {
    "note": "evidence_note",
    "link": "evidence_link",
    "contribution_id": "evidence_contribution_id",
}


def _today(today: date | None) -> date:
    return today or utcnow().date()


def _log(session: Session, action: PlanAction, change: str, actor: str, **detail: Any) -> None:
    session.add(ActionLogEntry(action_id=action.id, change=change, actor=actor, detail=detail))


def _plan_actions(session: Session, plan_id: str) -> list[PlanAction]:
    return list(
        session.scalars(
            select(PlanAction)
            .where(PlanAction.plan_id == plan_id)
            .order_by(PlanAction.position, PlanAction.id)
        )
    )


def _from_priority(
    priority: dict[str, Any], framework: Framework, language: str, today: date
) -> dict[str, Any]:
    """Return the fields of an action addressing one priority of the results."""
    recommendation = priority["recommendation"]
    text = recommendation["text"]
    horizon = "0-6" if priority.get("quick_win") else recommendation["horizon"]
    scale = sorted(framework.level_names)
    level = min(max(math.ceil(priority["target"]), scale[0]), scale[-1])
    return {
        "title": (text.get(language) or text.get("en") or recommendation["key"])[:TITLE_MAX],
        "indicators": [priority["indicator"]],
        "recommendations": [recommendation["key"]],
        "target_date": add_months(today, HORIZON_MONTHS.get(horizon, 6)),
        "target_level": level,
    }


def create_plan(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    indicators: list[str] | None = None,
    limit: int = DEFAULT_LIMIT,
    today: date | None = None,
) -> dict[str, Any]:
    """Create an assessment's plan: one action per chosen priority, owned by the coordinator.

    ``indicators`` chooses the priorities (each must be one); without it, the first ``limit``
    in rank order. Each action is due at the end of its roadmap phase (quick wins: 6 months).
    """
    day = _today(today)
    with session.begin():
        seen = access.access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        rules.require_coordinator(principal)
        exists = session.scalar(
            select(ActionPlan.id).where(ActionPlan.assessment_id == assessment_id)
        )
        if exists is not None:
            raise ApiError(409, "action_plan_exists")
        priorities = results.current(session=session, seen=seen, cache=cache)["priorities"]
        if indicators is not None:
            ranked = {p["indicator"] for p in priorities}
            missing = sorted(set(indicators) - ranked)
            if missing:
                raise ApiError(
                    422,
                    "not_a_priority",
                    errors={"indicators": [f"not priorities: {', '.join(missing)}"]},
                )
            chosen = [p for p in priorities if p["indicator"] in set(indicators)]
        else:
            chosen = priorities[:limit]
        plan = ActionPlan(
            assessment_id=assessment_id,
            administration_id=seen.assessment.administration_id,
            created_by=principal.subject,
        )
        session.add(plan)
        session.flush()
        actions = []
        for position, priority in enumerate(chosen, start=1):
            fields = _from_priority(priority, seen.framework, seen.assessment.language, day)
            action = PlanAction(
                plan_id=plan.id,
                administration_id=plan.administration_id,
                position=position,
                owner_id=principal.subject,
                owner_name=principal.name,
                created_by=principal.subject,
                **fields,
            )
            session.add(action)
            actions.append(action)
        session.flush()
        for action in actions:
            _log(session, action, "created", principal.subject, source="priorities")
        try:
            session.flush()
        except IntegrityError:  # another coordinator created it meanwhile
            raise ApiError(409, "action_plan_exists") from None
        return plan_document(plan, actions, today=day)


def get_plan(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    today: date | None = None,
) -> dict[str, Any]:
    """Return an assessment's plan with its actions (404 when it has none)."""
    rules.require_manager(principal)
    with session.begin():
        access.access(
            session=session, principal=principal, assessment_id=assessment_id, cache=cache
        )
        plan = session.scalar(select(ActionPlan).where(ActionPlan.assessment_id == assessment_id))
        if plan is None:
            raise NotFound("this assessment has no action plan yet")
        return plan_document(plan, _plan_actions(session, plan.id), today=_today(today))


def list_actions(
    *,
    session: Session,
    principal: Principal,
    plan_id: str,
    page: int = 1,
    page_size: int = MAX_PAGE_SIZE,
    today: date | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Return a page of a plan's actions, in plan order."""
    rules.require_manager(principal)
    with session.begin():
        plan = rules.plan_of(session=session, principal=principal, plan_id=plan_id)
        query = (
            select(PlanAction)
            .where(PlanAction.plan_id == plan.id)
            .order_by(PlanAction.position, PlanAction.id)
        )
        rows, total, _ = fetch_page(session, query, page=page, page_size=page_size)
        day = _today(today)
        return [
            action_document(a, assessment_id=plan.assessment_id, today=day) for a in rows
        ], total


def add_action(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    plan_id: str,
    title: str,
    owner_id: str,
    target_date: date,
    description: str = "",
    indicators: list[str] | None = None,
    recommendations: list[str] | None = None,
    target_level: int | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Add an action to a plan (coordinators); its owner must be a user of the administration."""
    rules.require_coordinator(principal)
    with session.begin():
        plan = rules.plan_of(session=session, principal=principal, plan_id=plan_id, lock=True)
        framework = rules.framework_of_plan(session=session, plan=plan, cache=cache)
        rules.check_references(framework, indicators or [], recommendations or [])
        rules.check_level(framework, target_level)
        name = rules.owner_name(
            session=session, administration_id=plan.administration_id, user_id=owner_id
        )
        last = session.scalar(
            select(PlanAction.position)
            .where(PlanAction.plan_id == plan.id)
            .order_by(PlanAction.position.desc())
            .limit(1)
        )
        action = PlanAction(
            plan_id=plan.id,
            administration_id=plan.administration_id,
            position=(last or 0) + 1,
            title=title,
            description=description,
            indicators=sorted(set(indicators or [])),
            recommendations=sorted(set(recommendations or [])),
            owner_id=owner_id,
            owner_name=name,
            target_date=target_date,
            target_level=target_level,
            created_by=principal.subject,
        )
        session.add(action)
        plan.updated_at = utcnow()
        session.flush()
        _log(session, action, "created", principal.subject, source="coordinator")
        return action_document(action, assessment_id=plan.assessment_id, today=_today(today))


def get_action(
    *, session: Session, principal: Principal, action_id: str, today: date | None = None
) -> dict[str, Any]:
    """Return an action the caller may see, with its log of changes."""
    with session.begin():
        action = rules.action_of(session=session, principal=principal, action_id=action_id)
        return _detail(session, action, _today(today))


def _detail(session: Session, action: PlanAction, today: date) -> dict[str, Any]:
    plan = session.get(ActionPlan, action.plan_id)
    assert plan is not None
    log = session.scalars(
        select(ActionLogEntry)
        .where(ActionLogEntry.action_id == action.id)
        .order_by(ActionLogEntry.id)
    )
    return {
        **action_document(action, assessment_id=plan.assessment_id, today=today),
        "log": [log_document(entry) for entry in log],
    }


def update_action(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    action_id: str,
    changes: dict[str, Any],
    today: date | None = None,
) -> dict[str, Any]:
    """Change an action: coordinators any field, its owner only the status and the evidence.

    Done needs evidence (sent now or already recorded); every change is logged.
    """
    with session.begin():
        action = rules.action_of(
            session=session, principal=principal, action_id=action_id, lock=True
        )
        if not rules.is_coordinator(principal):
            if action.owner_id != principal.subject:
                raise ApiError(403, "forbidden", "only a coordinator changes the action plan")
            if set(changes) - rules.OWNER_FIELDS:
                raise ApiError(
                    403, "forbidden", "an owner changes only the status and the evidence"
                )
        if {"indicators", "recommendations", "target_level"} & set(changes):
            plan = session.get(ActionPlan, action.plan_id)
            assert plan is not None
            framework = rules.framework_of_plan(session=session, plan=plan, cache=cache)
            rules.check_references(
                framework, changes.get("indicators", []), changes.get("recommendations", [])
            )
            rules.check_level(framework, changes.get("target_level"))
        changed = _apply(session, action, changes)
        if changed:
            _log(session, action, _change_kind(changed), principal.subject, fields=changed)
            session.flush()
        return _detail(session, action, _today(today))


def _change_kind(changed: dict[str, Any]) -> str:
    return "status" if "status" in changed else "updated"


def _apply(session: Session, action: PlanAction, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply ``changes``; return each changed field as ``[before, after]``."""
    changed: dict[str, Any] = {}
    before_evidence = evidence_of(action)
    evidence = {**before_evidence, **changes.get("evidence", {})}
    status = changes.get("status", action.status)
    if status == "done" and not rules.has_evidence(evidence):
        raise ApiError(
            422,
            "evidence_required",
            errors={"evidence": ["a note, a link or a portal contribution is required"]},
        )
    if "owner_id" in changes and changes["owner_id"] != action.owner_id:
        action.owner_name = rules.owner_name(
            session=session, administration_id=action.administration_id, user_id=changes["owner_id"]
        )
    for name in ("title", "description", "owner_id", "target_date", "target_level", "status"):
        if name in changes and changes[name] != getattr(action, name):
            old = getattr(action, name)
            setattr(action, name, changes[name])
            changed[name] = [_plain(old), _plain(changes[name])]
    for name in ("indicators", "recommendations"):
        if name in changes and sorted(set(changes[name])) != list(getattr(action, name) or []):
            old = list(getattr(action, name) or [])
            setattr(action, name, sorted(set(changes[name])))
            changed[name] = [old, getattr(action, name)]
    if evidence != before_evidence:
        for key, column in EVIDENCE_COLUMNS.items():
            setattr(action, column, evidence[key] if key != "note" else evidence[key] or "")
        changed["evidence"] = [before_evidence, evidence_of(action)]
    if "status" in changed:
        action.completed_at = utcnow() if action.status == "done" else None
    return changed


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def my_actions(
    *,
    session: Session,
    principal: Principal,
    status: str | None = None,
    overdue: bool | None = None,
    page: int = 1,
    page_size: int = MAX_PAGE_SIZE,
    today: date | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """Return a page of the actions the caller owns, soonest due first."""
    day = _today(today)
    query = select(PlanAction).where(
        PlanAction.administration_id == administration_of(principal),
        PlanAction.owner_id == principal.subject,
    )
    if status:
        query = query.where(PlanAction.status == status)
    if overdue is not None:
        late = PlanAction.status.not_in(CLOSED) & (PlanAction.target_date < day)
        query = query.where(late if overdue else ~late)
    with session.begin():
        rows, total, _ = fetch_page(
            session,
            query.order_by(PlanAction.target_date, PlanAction.id),
            page=page,
            page_size=page_size,
        )
        assessments: dict[str, str] = {
            plan_id: assessment_id
            for plan_id, assessment_id in session.execute(
                select(ActionPlan.id, ActionPlan.assessment_id).where(
                    ActionPlan.id.in_({a.plan_id for a in rows})
                )
            )
        }
        return [
            action_document(a, assessment_id=assessments[a.plan_id], today=day) for a in rows
        ], total
