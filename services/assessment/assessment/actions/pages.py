"""Browser pages of action plans under ``/assessment``: build a plan from the results' priorities,
the plan with its actions (coordinators and clients), and the actions a user owns.

Forms go through the API's input schemas, so a page accepts exactly what the API accepts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment.access import administration_of
from assessment.actions import plans, progress, rules
from assessment.actions import schemas as s
from assessment.actions.models import STATUSES, ActionPlan
from assessment.actions.page_texts import STATUSES as STATUS_LABELS
from assessment.endpoints import page_unit_of_work
from assessment.models import Assessment, Participant
from shared.auth import Principal
from shared.errors import ApiError, NotFound
from shared.pages import error_title

bp = Blueprint(
    "action_pages",
    __name__,
    url_prefix="/assessment",
    template_folder=str(Path(__file__).resolve().parent.parent / "templates"),
)


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    """Give every page of the service the action statuses' labels (the results page shows them)."""
    return {"action_statuses": STATUS_LABELS}


def _failure(exc: ApiError | ValidationError) -> str:
    """Return the problem code a refused form shows (a 404 is raised: nothing to show)."""
    if isinstance(exc, ApiError):
        if exc.status == 404:
            raise exc
        return exc.code
    return "validation_failed"


def section(assessment: Assessment, principal: Principal | None) -> dict[str, Any] | None:
    """Return what the results page shows of the plan (None: nothing for this caller)."""
    if principal is None or not rules.is_manager(principal):
        return None
    db = current_app.extensions["db"]
    with db.session() as session:
        plan_id = session.scalar(
            select(ActionPlan.id).where(ActionPlan.assessment_id == assessment.id)
        )
    return {
        "plan_id": plan_id,
        "since": _since(assessment, principal),
        "can_build": plan_id is None
        and assessment.status == "submitted"
        and rules.is_coordinator(principal),
        "error": error_title(request.args.get("plan_error")),
    }


def _since(assessment: Assessment, principal: Principal) -> dict[str, Any] | None:
    """Return the progress since the previous assessment, for the indicators it took action on."""
    if not assessment.previous_id:
        return None
    with current_app.extensions["db"].session() as session:
        document = progress.progress(
            session=session,
            principal=principal,
            cache=current_app.extensions["frameworks"],
            assessment_id=assessment.id,
        )
    rows = [row for row in document["indicators"] if row["actions"]]
    if document["previous"] is None or not rows:
        return None
    return {**document, "indicators": rows}


@bp.post("/<assessment_id>/action-plan")
def build(assessment_id: str) -> ResponseReturnValue:
    """Build the plan from the priorities chosen on the results page (coordinators)."""
    chosen = request.form.getlist("indicator")
    with page_unit_of_work() as (session, principal, cache):
        try:
            data = s.PlanCreateSchema().load({"indicators": chosen} if chosen else {})
            plans.create_plan(
                session=session,
                principal=principal,
                cache=cache,
                assessment_id=assessment_id,
                **data,
            )
        except (ApiError, ValidationError) as exc:
            code = _failure(exc)
            return redirect(
                url_for(
                    "pages.results_page",
                    assessment_id=assessment_id,
                    plan_error=code,
                    _anchor="plan",
                )
            )
    return redirect(url_for("action_pages.plan", assessment_id=assessment_id))


def _owners(session: Session, administration_id: str) -> list[tuple[str, str]]:
    """Return the users an action may be given to: the administration's participants."""
    rows = session.execute(
        select(Participant.user_id, Participant.name)
        .join(Assessment, Assessment.id == Participant.assessment_id)
        .where(Assessment.administration_id == administration_id)
        .order_by(Participant.id)
    )
    names: dict[str, str] = {}
    for user_id, name in rows:
        names[user_id] = name or user_id
    return sorted(names.items(), key=lambda item: item[1].lower())


@bp.get("/<assessment_id>/action-plan")
def plan(assessment_id: str) -> ResponseReturnValue:
    """The plan's actions (owner, target date, status, overdue) with the forms to change them."""
    with page_unit_of_work() as (session, principal, cache):
        try:
            document = plans.get_plan(
                session=session, principal=principal, cache=cache, assessment_id=assessment_id
            )
        except ApiError as exc:
            if exc.status != 403:
                raise
            raise NotFound() from None  # respondents find their actions under "My actions"
        session.rollback()
        assessment = session.get(Assessment, assessment_id)
        assert assessment is not None
        framework = cache.get(
            session=session, key=assessment.framework_key, version=assessment.framework_version
        )
        return render_template(
            "assessment/action_plan.html",
            a=assessment,
            plan=document,
            framework=framework,
            owners=_owners(session, administration_of(principal)),
            statuses=STATUSES,
            can_edit=rules.is_coordinator(principal),
            error=error_title(request.args.get("error")),
            saved=request.args.get("saved"),
        )


@bp.post("/action-plans/<plan_id>/actions")
def add(plan_id: str) -> ResponseReturnValue:
    """Add an action from the plan page (coordinators)."""
    form = request.form
    fields: dict[str, Any] = {
        "title": form.get("title", "").strip(),
        "owner_id": form.get("owner_id", ""),
        "target_date": form.get("target_date", ""),
        "indicators": [key for key in form.getlist("indicator") if key],
    }
    if form.get("target_level"):
        fields["target_level"] = form["target_level"]
    with page_unit_of_work() as (session, principal, cache):
        assessment_id = _assessment_of_plan(session, principal, plan_id)
        try:
            plans.add_action(
                session=session,
                principal=principal,
                cache=cache,
                plan_id=plan_id,
                **s.ActionInSchema().load(fields),
            )
        except (ApiError, ValidationError) as exc:
            return _to_plan(assessment_id, error=_failure(exc))
    return _to_plan(assessment_id, saved="1")


def _assessment_of_plan(session: Session, principal: Principal, plan_id: str) -> str:
    """Return the assessment of a plan of the caller's administration (else 404)."""
    with session.begin():
        return rules.plan_of(session=session, principal=principal, plan_id=plan_id).assessment_id


def _to_plan(assessment_id: str, **args: Any) -> ResponseReturnValue:
    return redirect(
        url_for("action_pages.plan", assessment_id=assessment_id, _anchor="actions", **args)
    )


@bp.post("/actions/<action_id>")
def change(action_id: str) -> ResponseReturnValue:
    """Change an action's status and evidence (its owner, or a coordinator), from either page."""
    form = request.form
    changes: dict[str, Any] = {}
    if form.get("status"):
        changes["status"] = form["status"]
    evidence = {
        name: form[f"evidence_{name}"].strip()
        for name in ("note", "link")
        if form.get(f"evidence_{name}", "").strip()
    }
    if evidence:
        changes["evidence"] = evidence
    back = form.get("back")
    with page_unit_of_work() as (session, principal, cache):
        try:
            document = plans.update_action(
                session=session,
                principal=principal,
                cache=cache,
                action_id=action_id,
                changes=s.ActionUpdateSchema().load(changes),
            )
        except (ApiError, ValidationError) as exc:
            code = _failure(exc)
            if back == "plan":
                return _to_plan(_assessment_of_action(session, principal, action_id), error=code)
            return redirect(url_for("action_pages.mine", error=code))
    if back == "plan":
        return _to_plan(document["assessment_id"], saved="1")
    return redirect(url_for("action_pages.mine", saved="1"))


def _assessment_of_action(session: Session, principal: Principal, action_id: str) -> str:
    """Return the assessment of an action the caller may see (else 404)."""
    with session.begin():
        action = rules.action_of(session=session, principal=principal, action_id=action_id)
        found = session.get(ActionPlan, action.plan_id)
        assert found is not None
        return found.assessment_id


@bp.get("/my-actions")
def mine() -> ResponseReturnValue:
    """The actions the caller owns, soonest due first, each with a form to report on it."""
    with page_unit_of_work() as (session, principal, _cache):
        rows, total = plans.my_actions(session=session, principal=principal)
        return render_template(
            "assessment/my_actions.html",
            actions=rows,
            total=total,
            statuses=STATUSES,
            error=error_title(request.args.get("error")),
            saved=request.args.get("saved"),
        )
