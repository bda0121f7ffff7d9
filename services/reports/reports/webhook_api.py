"""HTTP API of webhooks (``/api/v1/reports/webhooks``): a coordinator's endpoints and deliveries."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Api, Blueprint
from marshmallow import Schema, ValidationError, fields, validate

from reports import webhooks
from reports.models import DeliveryStatus, WebhookEndpoint
from reports.sender import UnsafeTarget, check_url
from shared.auth import Role, current_principal, require
from shared.errors import ApiError, register_titles
from shared.paging import PAGE_HEADERS, PageQuerySchema, paged
from shared.text import InputSchema
from shared.timestamps import Timestamp
from shared.translations import N_

ERRORS = {
    "webhook_limit_reached": N_("This administration has as many webhook endpoints as allowed")
}
MAX_KEY_LENGTH = 128


blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/api/v1/reports/webhooks",
    description="Signed report and import events sent to an administration's own systems "
    "(Standard Webhooks)",
)


def _http_url(value: str) -> None:
    try:
        check_url(value)
    except UnsafeTarget as exc:
        raise ValidationError(str(exc)) from exc


class WebhookCreateSchema(InputSchema):
    """What a coordinator sends to register an endpoint."""

    url = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=2000), _http_url],
        metadata={
            "description": "http(s) URL that receives the POSTs (no credentials in it)",
            "format": "uri",
            # What the server checks, stated for clients: http(s), a host, no user info.
            "pattern": r"^https?://[A-Za-z0-9._~-]+(:[0-9]{1,4})?([/?#]\S*)?$",
        },
    )
    events = fields.List(
        fields.String(validate=validate.OneOf(webhooks.EVENTS)),
        load_default=lambda: list(webhooks.EVENTS),
        validate=validate.Length(min=1, max=len(webhooks.EVENTS)),
        metadata={"description": "Event types sent (default: all)"},
    )
    description = fields.String(load_default="", validate=validate.Length(max=200))


class WebhookSchema(Schema):
    """A registered endpoint (its secret is only shown when it is created)."""

    id = fields.String()
    url = fields.String()
    description = fields.String()
    events = fields.List(fields.String())
    created_by = fields.String()
    created_at = Timestamp()


class WebhookCreatedSchema(WebhookSchema):
    """A new endpoint with its signing secret, shown this once."""

    secret = fields.String(
        metadata={"description": "whsec_... signing secret (Standard Webhooks); shown only now"}
    )


class WebhookDeliverySchema(Schema):
    """One event sent to an endpoint, with every attempt summed up."""

    id = fields.String(metadata={"description": "The webhook-id header of every attempt"})
    event_id = fields.String()
    event_type = fields.String()
    status = fields.String(metadata={"enum": [status.value for status in DeliveryStatus]})
    attempts = fields.Integer()
    last_status_code = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    created_at = Timestamp()
    last_attempt_at = Timestamp(allow_none=True)
    finished_at = Timestamp(allow_none=True)


def _session(write: bool = False) -> Any:
    return current_app.extensions["db"].session(write=write)


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip() or None
    if key is not None and len(key) > MAX_KEY_LENGTH:
        raise ApiError(
            422,
            "validation_failed",
            errors={"Idempotency-Key": [f"at most {MAX_KEY_LENGTH} chars"]},
        )
    return key


@blp.route("")
class Webhooks(MethodView):
    """The administration's webhook endpoints."""

    @require(Role.COORDINATOR)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, WebhookSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List the administration's webhook endpoints, newest first."""
        with _session() as session:
            rows, total = webhooks.list_endpoints(
                session=session, principal=current_principal(), **query
            )
        return paged(rows, total=total, query=query)

    @require(Role.COORDINATOR)
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookCreatedSchema)
    def post(self, data: dict[str, Any]) -> WebhookEndpoint:
        """Register an endpoint; its secret is in this answer only (Idempotency-Key accepted)."""
        with _session(write=True) as session:
            endpoint, _created = webhooks.register_endpoint(
                session=session,
                principal=current_principal(),
                url=data["url"],
                events=data["events"],
                description=data["description"],
                idempotency_key=_idempotency_key(),
                max_endpoints=current_app.config["REPORTS_WEBHOOK_MAX_ENDPOINTS"],
            )
        return endpoint


@blp.route("/<endpoint_id>")
class WebhookItem(MethodView):
    """One webhook endpoint."""

    @require(Role.COORDINATOR)
    @blp.response(200, WebhookSchema)
    def get(self, endpoint_id: str) -> WebhookEndpoint:
        """Read one webhook endpoint."""
        with _session() as session:
            return webhooks.get_endpoint(
                session=session, principal=current_principal(), endpoint_id=endpoint_id
            )

    @require(Role.COORDINATOR)
    @blp.response(204)
    def delete(self, endpoint_id: str) -> None:
        """Delete a webhook endpoint and its delivery records (pending retries stop)."""
        with _session(write=True) as session:
            webhooks.delete_endpoint(
                session=session, principal=current_principal(), endpoint_id=endpoint_id
            )


@blp.route("/<endpoint_id>/deliveries")
class WebhookDeliveries(MethodView):
    """What was sent to one endpoint."""

    @require(Role.COORDINATOR)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, WebhookDeliverySchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any], endpoint_id: str) -> Any:
        """List an endpoint's deliveries, newest first: status, attempts, last answer."""
        with _session() as session:
            rows, total = webhooks.list_deliveries(
                session=session, principal=current_principal(), endpoint_id=endpoint_id, **query
            )
        return paged(rows, total=total, query=query)


def register(rest: Api) -> None:
    """Register the webhook API and its problem titles."""
    register_titles(ERRORS, domain="reports")
    rest.register_blueprint(blp)
