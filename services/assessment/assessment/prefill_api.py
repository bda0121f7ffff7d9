"""HTTP API of pre-filled answers: what another tool's shared modules offer, and confirming it."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from assessment import prefill
from assessment.schemas import AgreedSchema, AnswerValue
from shared.auth import Role, current_principal, require
from shared.text import InputSchema

blp = Blueprint(
    "prefill",
    __name__,
    url_prefix="/api/v1/assessment",
    description="Answers of modules shared between readiness tools, offered as pre-filled",
)
MEMBERS = (Role.COORDINATOR, Role.RESPONDENT, Role.CLIENT)


class SourceSchema(Schema):
    """The submitted assessment an offered answer comes from (same administration)."""

    assessment_id = fields.String()
    title = fields.String()
    framework = fields.Dict(keys=fields.String(), values=fields.String())
    submitted_at = fields.String(allow_none=True)


class OfferSchema(Schema):
    """An answer offered to an indicator of a shared module, not counted until confirmed."""

    indicator = fields.String()
    area = fields.String()
    value = AnswerValue()
    confidence = fields.String(allow_none=True)
    source = fields.Nested(SourceSchema)


class ConfirmSchema(InputSchema):
    """Which offered answers to confirm (none named: all of them)."""

    indicators = fields.List(fields.String(), load_default=None)


def _uow() -> Any:
    return current_app.extensions["db"].session(write=True)


@blp.route("/assessments/<assessment_id>/prefill")
class Offers(MethodView):
    """The answers offered to an assessment from the administration's other tools."""

    @require(*MEMBERS)
    @blp.response(200, OfferSchema(many=True))
    def get(self, assessment_id: str) -> Any:
        """List the pre-filled answers offered to the assessment's shared modules."""
        with _uow() as session:
            return prefill.list_offers(
                session=session,
                principal=current_principal(),
                cache=current_app.extensions["frameworks"],
                assessment_id=assessment_id,
            )


@blp.route("/assessments/<assessment_id>/prefill/confirm")
class Confirm(MethodView):
    """Confirming pre-filled answers."""

    @require(Role.COORDINATOR)
    @blp.arguments(ConfirmSchema, required=False)
    @blp.response(200, AgreedSchema(many=True))
    def post(self, data: dict[str, Any] | None, assessment_id: str) -> Any:
        """Confirm offered answers: they become the team's agreed answers and count."""
        with _uow() as session:
            return prefill.confirm_offers(
                session=session,
                principal=current_principal(),
                cache=current_app.extensions["frameworks"],
                assessment_id=assessment_id,
                indicators=(data or {}).get("indicators"),
            )
