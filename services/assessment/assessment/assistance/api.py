"""HTTP API of capacity-building requests (``/api/v1/assessment``): thin views over
``assistance.requests``."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from assessment.assistance import requests as uc
from assessment.assistance import schemas as s
from assessment.endpoints import framework_cache, json_response, once_per_key, unit_of_work
from shared.auth import Role, require
from shared.paging import PAGE_HEADERS, PageQuerySchema, paged

blp = Blueprint(
    "assistance",
    __name__,
    url_prefix="/api/v1/assessment",
    description="Requests for technical assistance drawn from an assessment's gaps",
)
MEMBERS = (Role.COORDINATOR, Role.RESPONDENT, Role.CLIENT)


@blp.route("/assessments/<assessment_id>/assistance-requests")
class AssessmentRequests(MethodView):
    """Draft a request from one assessment's gaps."""

    @require(Role.COORDINATOR)
    @blp.arguments(s.RequestInSchema)
    @blp.response(201, s.RequestSchema)
    def post(self, data: dict[str, Any], assessment_id: str) -> Any:
        """Draft a request from chosen gaps of a submitted assessment (Idempotency-Key)."""

        def create() -> tuple[int, Any]:
            with unit_of_work() as (session, principal):
                made = uc.create_request(
                    session=session,
                    principal=principal,
                    cache=framework_cache(),
                    assessment_id=assessment_id,
                    fields=data,
                )
                return 201, s.RequestSchema().dump(made)

        return json_response(*once_per_key(s.RequestInSchema().dump(data), create))


@blp.route("/assistance-requests")
class Requests(MethodView):
    """The administration's capacity-building requests."""

    @require(*MEMBERS)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, s.RequestSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List the administration's requests, newest first, with their status."""
        with unit_of_work() as (session, principal):
            rows, total = uc.list_requests(session=session, principal=principal, **query)
        return paged(rows, total=total, query=query)


@blp.route("/assistance-requests/<request_id>")
class RequestItem(MethodView):
    """One capacity-building request."""

    @require(*MEMBERS)
    @blp.response(200, s.RequestSchema)
    def get(self, request_id: str) -> Any:
        """Read a request, its status and what the operators matched to it."""
        with unit_of_work() as (session, principal):
            return uc.get_request(session=session, principal=principal, request_id=request_id)

    @require(Role.COORDINATOR)
    @blp.arguments(s.RequestUpdateSchema)
    @blp.response(200, s.RequestSchema)
    def patch(self, data: dict[str, Any], request_id: str) -> Any:
        """Change a draft (a sent request is answered 409)."""
        with unit_of_work() as (session, principal):
            return uc.update_request(
                session=session,
                principal=principal,
                cache=framework_cache(),
                request_id=request_id,
                changes=data,
            )


@blp.route("/assistance-requests/<request_id>/send")
class RequestSend(MethodView):
    """Send a reviewed draft to the platform operators."""

    @require(Role.COORDINATOR)
    @blp.response(200, s.RequestSchema)
    def post(self, request_id: str) -> Any:
        """Send the draft to the operators' queue (sending again changes nothing)."""
        with unit_of_work() as (session, principal):
            return uc.send_request(
                session=session, principal=principal, cache=framework_cache(), request_id=request_id
            )
