"""HTTP API of action plans (``/api/v1/assessment``): thin views over ``actions.plans``."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from assessment.actions import plans, progress
from assessment.actions import schemas as s
from assessment.endpoints import created_once, framework_cache, unit_of_work
from shared.auth import Role, require
from shared.paging import PAGE_HEADERS, PageQuerySchema, paged

blp = Blueprint(
    "actions",
    __name__,
    url_prefix="/api/v1/assessment",
    description="Action plans from an assessment's priorities, tracked to the next assessment",
)
MANAGERS = (Role.COORDINATOR, Role.CLIENT)
OWNERS = (Role.COORDINATOR, Role.RESPONDENT)
MEMBERS = (Role.COORDINATOR, Role.RESPONDENT, Role.CLIENT)


@blp.route("/assessments/<assessment_id>/action-plan")
class AssessmentPlan(MethodView):
    """An assessment's action plan."""

    @require(*MANAGERS)
    @blp.response(200, s.PlanSchema)
    def get(self, assessment_id: str) -> Any:
        """Read the assessment's action plan with its actions (overdue ones flagged)."""
        with unit_of_work() as (session, principal):
            return plans.get_plan(
                session=session,
                principal=principal,
                cache=framework_cache(),
                assessment_id=assessment_id,
            )

    @require(Role.COORDINATOR)
    @blp.arguments(s.PlanCreateSchema, required=False)
    @blp.response(201, s.PlanSchema)
    def post(self, data: dict[str, Any] | None, assessment_id: str) -> Any:
        """Create the plan from the assessment's priorities (accepts an Idempotency-Key)."""
        chosen = data or s.PlanCreateSchema().load({})

        def create() -> Any:
            with unit_of_work() as (session, principal):
                return plans.create_plan(
                    session=session,
                    principal=principal,
                    cache=framework_cache(),
                    assessment_id=assessment_id,
                    **chosen,
                )

        return created_once(chosen, s.PlanSchema(), create)


@blp.route("/assessments/<assessment_id>/progress")
class AssessmentProgress(MethodView):
    """What changed since the earlier assessment, and the actions taken."""

    @require(*MANAGERS)
    @blp.response(200, s.ProgressSchema)
    def get(self, assessment_id: str) -> Any:
        """Per indicator: the level then and now, and the earlier plan's actions addressing it."""
        with unit_of_work() as (session, principal):
            return progress.progress(
                session=session,
                principal=principal,
                cache=framework_cache(),
                assessment_id=assessment_id,
            )


@blp.route("/action-plans/<plan_id>/actions")
class PlanActions(MethodView):
    """The actions of a plan."""

    @require(*MANAGERS)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, s.ActionSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any], plan_id: str) -> Any:
        """List the plan's actions in plan order."""
        with unit_of_work() as (session, principal):
            rows, total = plans.list_actions(
                session=session, principal=principal, plan_id=plan_id, **query
            )
        return paged(rows, total=total, query=query)

    @require(Role.COORDINATOR)
    @blp.arguments(s.ActionInSchema)
    @blp.response(201, s.ActionSchema)
    def post(self, data: dict[str, Any], plan_id: str) -> Any:
        """Add an action owned by a user of the administration (accepts an Idempotency-Key)."""

        def create() -> Any:
            with unit_of_work() as (session, principal):
                return plans.add_action(
                    session=session,
                    principal=principal,
                    cache=framework_cache(),
                    plan_id=plan_id,
                    **data,
                )

        return created_once(s.ActionInSchema().dump(data), s.ActionSchema(), create)


@blp.route("/actions/<action_id>")
class ActionItem(MethodView):
    """One action."""

    @require(*MEMBERS)
    @blp.response(200, s.ActionDetailSchema)
    def get(self, action_id: str) -> Any:
        """Read an action with its log (respondents: only the actions they own)."""
        with unit_of_work() as (session, principal):
            return plans.get_action(session=session, principal=principal, action_id=action_id)

    @require(*OWNERS)
    @blp.arguments(s.ActionUpdateSchema)
    @blp.response(200, s.ActionDetailSchema)
    def patch(self, changes: dict[str, Any], action_id: str) -> Any:
        """Change an action (its owner: only the status and the evidence; done needs evidence)."""
        with unit_of_work() as (session, principal):
            return plans.update_action(
                session=session,
                principal=principal,
                cache=framework_cache(),
                action_id=action_id,
                changes=changes,
            )


@blp.route("/my-actions")
class MyActions(MethodView):
    """The actions the caller owns."""

    @require(*OWNERS)
    @blp.arguments(s.MyActionsQuerySchema, location="query")
    @blp.response(200, s.ActionSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List the actions the caller owns, soonest due first (filter: status, overdue)."""
        with unit_of_work() as (session, principal):
            rows, total = plans.my_actions(session=session, principal=principal, **query)
        return paged(rows, total=total, query=query)
