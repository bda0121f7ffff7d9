"""HTTP API of the assessment service (``/api/v1/assessment``): thin views over use cases."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from assessment import sessions
from assessment.models import Assessment
from assessment.schemas import AssessmentCreateSchema, AssessmentQuerySchema, AssessmentSchema
from shared.auth import Role, current_principal, require

blp = Blueprint(
    "assessments", __name__, url_prefix="/api/v1/assessment/assessments",
    description="Self-assessment sessions of the caller's administration",
)
MEMBERS = (Role.COORDINATOR, Role.RESPONDENT)


def _session() -> Any:
    return current_app.extensions["db"].session(write=True)


@blp.route("")
class Assessments(MethodView):
    """The collection of the administration's assessments."""

    @require(*MEMBERS)
    @blp.arguments(AssessmentQuerySchema, location="query")
    @blp.response(200, AssessmentSchema(many=True))
    def get(self, query: dict[str, Any]) -> list[Assessment]:
        """List the administration's assessments."""
        with _session() as session:
            return sessions.list_assessments(
                session=session, principal=current_principal(), status=query.get("status")
            )

    @require(Role.COORDINATOR)
    @blp.arguments(AssessmentCreateSchema)
    @blp.response(201, AssessmentSchema)
    def post(self, data: dict[str, Any]) -> Assessment:
        """Start an assessment."""
        with _session() as session:
            return sessions.start_assessment(
                session=session, principal=current_principal(), **data
            )


@blp.route("/<assessment_id>")
class AssessmentItem(MethodView):
    """One assessment."""

    @require(*MEMBERS)
    @blp.response(200, AssessmentSchema)
    def get(self, assessment_id: str) -> Assessment:
        """Read one assessment."""
        with _session() as session:
            return sessions.get_assessment(
                session=session, principal=current_principal(), assessment_id=assessment_id
            )


@blp.route("/<assessment_id>/submit")
class AssessmentSubmit(MethodView):
    """Submitting an assessment."""

    @require(Role.COORDINATOR)
    @blp.response(200, AssessmentSchema)
    def post(self, assessment_id: str) -> Assessment:
        """Submit the assessment (it becomes read-only; a report is built)."""
        with _session() as session:
            return sessions.submit_assessment(
                session=session, principal=current_principal(), assessment_id=assessment_id
            )
