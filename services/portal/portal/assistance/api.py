"""HTTP API of the operators' assistance queue and the expertise registry
(``/api/v1/portal``): thin views over ``assistance.cases`` and ``assistance.expertise``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy.orm import Session

from portal.assistance import cases, expertise
from portal.assistance import schemas as s
from shared.auth import Principal, Role, current_principal, require
from shared.paging import PAGE_HEADERS, paged

blp = Blueprint(
    "assistance",
    __name__,
    url_prefix="/api/v1/portal",
    description="Capacity-building requests for the operators, and the expertise registry",
)
MEMBERS = (Role.COORDINATOR, Role.RESPONDENT, Role.MEMBER, Role.OPERATOR)


@contextmanager
def _uow() -> Iterator[tuple[Session, Principal]]:
    with current_app.extensions["db"].session(write=True) as session:
        yield session, current_principal()


@blp.route("/assistance-requests")
class Cases(MethodView):
    """The operators' queue of capacity-building requests."""

    @require(Role.OPERATOR)
    @blp.arguments(s.CaseQuerySchema, location="query")
    @blp.response(200, s.CaseSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List the requests of every administration, oldest sent first."""
        paging = {"page": query["page"], "page_size": query["page_size"]}
        with _uow() as (session, principal):
            rows, total = cases.list_cases(
                session=session,
                principal=principal,
                status=query.get("status"),
                area=query.get("area"),
                **paging,
            )
        return paged(rows, total=total, query=paging)


@blp.route("/assistance-requests/<request_id>")
class Case(MethodView):
    """One request in the queue."""

    @require(Role.OPERATOR)
    @blp.response(200, s.CaseDetailSchema)
    def get(self, request_id: str) -> Any:
        """Read a request and the administrations that volunteered expertise in its areas."""
        with _uow() as (session, principal):
            return cases.get_case(session=session, principal=principal, request_id=request_id)

    @require(Role.OPERATOR)
    @blp.arguments(s.CaseUpdateSchema)
    @blp.response(200, s.CaseDetailSchema)
    def patch(self, data: dict[str, Any], request_id: str) -> Any:
        """Move a request on (status, note, matches); the requester is told."""
        with _uow() as (session, principal):
            return cases.update_case(
                session=session, principal=principal, request_id=request_id, changes=data
            )


@blp.route("/administrations/<administration_id>/expertise")
class Offer(MethodView):
    """The areas in which an administration volunteers expertise."""

    @require(*MEMBERS)
    @blp.response(200, s.OfferSchema)
    def get(self, administration_id: str) -> Any:
        """Read the administration's offer (an empty one when it made none)."""
        with _uow() as (session, principal):
            offer = expertise.get_offer(
                session=session, principal=principal, administration_id=administration_id
            )
        return offer or {"administration_id": administration_id, "areas": [], "languages": []}

    @require(Role.COORDINATOR, Role.OPERATOR)
    @blp.arguments(s.OfferInSchema)
    @blp.response(200, s.OfferSchema)
    def put(self, data: dict[str, Any], administration_id: str) -> Any:
        """Set the areas, languages and note of the administration's offer."""
        with _uow() as (session, principal):
            return expertise.put_offer(
                session=session,
                principal=principal,
                administration_id=administration_id,
                offer=data,
            )

    @require(Role.COORDINATOR, Role.OPERATOR)
    @blp.response(204)
    def delete(self, administration_id: str) -> None:
        """Withdraw the administration's offer."""
        with _uow() as (session, principal):
            expertise.withdraw_offer(
                session=session, principal=principal, administration_id=administration_id
            )


@blp.route("/expertise")
class Offers(MethodView):
    """Every administration's offer of expertise (for the operators' matching)."""

    @require(Role.OPERATOR)
    @blp.response(200, s.OfferSchema(many=True))
    def get(self) -> Any:
        """List every offer, by administration."""
        with _uow() as (session, principal):
            return expertise.list_offers(session=session, principal=principal)
