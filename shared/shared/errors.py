"""One error format for every service: RFC 9457 problem details with a machine code.

Validation errors (marshmallow/webargs), HTTP errors and unexpected exceptions all become
``application/problem+json`` with ``type``, ``title``, ``status``, ``detail``, ``code`` and, for
validation, ``errors`` (field -> messages). Stack traces never reach clients. A database that
cannot be reached gives 503 ``service_unavailable``, not a 500; every 503 has ``Retry-After``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, g, json, render_template, request
from marshmallow import Schema, fields
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from shared.messages import translate, translate_errors
from shared.translations import N_, texts_for

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Seconds a 503 tells the client to wait when it names no wait of its own (as documented).
RETRY_AFTER_S = 5
_log = logging.getLogger(__name__)

# code -> its title: the English text, translated by the shared catalog
_TITLES: dict[str, str] = {
    "bad_request": N_("Bad request"),
    "invalid_json": N_("The request body is not valid JSON"),
    "validation_failed": N_("The request has invalid fields"),
    "unauthenticated": N_("Authentication required"),
    "invalid_token": N_("The access token is invalid or expired"),
    "token_revoked": N_("This access token was revoked: sign in again"),
    "forbidden": N_("You are not allowed to do this"),
    "not_found": N_("Not found"),
    "csrf_failed": N_("The form expired or came from another site; reload the page"),
    "method_not_allowed": N_("Method not allowed"),
    "conflict": N_("Conflict with the current state"),
    "payload_too_large": N_("The request body is too large"),
    "unsupported_media_type": N_("Unsupported media type"),
    "precondition_failed": N_("Precondition failed"),
    "rate_limited": N_("Too many requests"),
    "idempotency_key_reused": N_("This Idempotency-Key was used with another request"),
    "idempotency_in_progress": N_("A request with this Idempotency-Key is in progress"),
    "internal_error": N_("An unexpected error occurred"),
    "service_unavailable": N_("The service is unavailable"),
}
# Codes a service registers with an English title marked N_ in its own catalog (register_titles):
# code -> (the title, the service's gettext domain).
_DOMAIN_TITLES: dict[str, tuple[str, str]] = {}

_CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "service_unavailable",
}


class ApiError(Exception):
    """An error a use case raises on purpose; becomes a problem response."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str | None = None,
        *,
        errors: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or code)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = dict(errors) if errors else None
        self.headers = dict(headers) if headers else {}


class NotFound(ApiError):
    """The resource does not exist or belongs to another administration."""

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(404, "not_found", detail)


class ProblemSchema(Schema):
    """RFC 9457 problem details as documented in OpenAPI."""

    type = fields.String(metadata={"description": "URI reference naming the problem type"})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    code = fields.String(metadata={"description": "Stable machine-readable code"})
    errors = fields.Dict(metadata={"description": "Field name -> list of messages"})
    request_id = fields.String()


def problem_body(
    status: int,
    code: str,
    detail: str | None = None,
    errors: Mapping[str, Any] | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """Return the problem document for ``code`` in ``language`` (detail and field errors too)."""
    title = _title(code, language)
    body: dict[str, Any] = {
        "type": f"/problems/{code.replace('_', '-')}",
        "title": title,
        "status": status,
        "detail": translate(detail, language) if detail else title,
        "code": code,
    }
    if errors:
        body["errors"] = translate_errors(dict(errors), language)
    return body


def register_titles(titles: Mapping[str, str], *, domain: str) -> None:
    """Add a service's error codes with English titles its ``domain`` catalog translates."""
    for code, title in titles.items():
        if not title.strip():
            raise ValueError(f"error code {code!r} needs a title")
        _DOMAIN_TITLES[code] = (title, domain)


def _title(code: str, language: str) -> str:
    """Return the title of ``code`` in ``language`` (a service's own, else the shared catalog's)."""
    if code in _DOMAIN_TITLES:
        title, domain = _DOMAIN_TITLES[code]
        return texts_for(language, domain, "shared").gettext(title)
    return texts_for(language, "shared").gettext(_TITLES.get(code, _TITLES["internal_error"]))


def problem_response(
    status: int,
    code: str,
    detail: str | None = None,
    errors: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Return a Flask problem response in the request's language."""
    language = getattr(g, "language", "en") if _has_request() else "en"
    body = problem_body(status, code, detail, errors, language)
    rid = getattr(g, "request_id", None) if _has_request() else None
    if rid:
        body["request_id"] = rid
    if _wants_page():
        html = render_template("error.html", problem=body)
        response = Response(html, status=status, mimetype="text/html")
    else:
        response = Response(json.dumps(body), status=status, mimetype=PROBLEM_MEDIA_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 503 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _has_request() -> bool:
    return bool(request)


def _wants_page() -> bool:
    """Return whether a browser asked for a page (not an API) that can render the layout."""
    if not _has_request() or request.path.startswith(("/api/", "/.well-known/")):
        return False
    if "text_domains" not in current_app.extensions:  # no layout: init_pages was not called
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def _flatten_webargs(messages: Any) -> tuple[str, dict[str, Any]]:
    """Turn webargs' ``{location: {field: [msgs]}}`` into a code and field errors."""
    if not isinstance(messages, Mapping):
        return "validation_failed", {"_schema": [str(messages)]}
    if set(messages) == {"json"} and messages["json"] == ["Invalid JSON body."]:
        return "invalid_json", {}
    flat: dict[str, Any] = {}
    for location, errors in messages.items():
        if isinstance(errors, Mapping):
            flat.update(errors)
        else:
            flat[location] = errors
    return "validation_failed", flat


def handle_http_exception(error: HTTPException) -> Response:
    """Render any HTTP exception (including smorest's validation aborts) as a problem."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages") if isinstance(data, Mapping) else None
    if messages is not None:
        code, field_errors = _flatten_webargs(messages)
        status = 400 if code == "invalid_json" else status
        return problem_response(status, code, None, field_errors or None)
    code = _CODE_BY_STATUS.get(status, "bad_request" if status < 500 else "internal_error")
    headers: dict[str, str] = {}
    valid_methods = getattr(error, "valid_methods", None)
    if status == 405 and valid_methods:
        headers["Allow"] = ", ".join(valid_methods)
    # werkzeug's descriptions are English-only prose: the localized title is the detail.
    return problem_response(status, code, None, None, headers)


def handle_api_error(error: ApiError) -> Response:
    """Render an ``ApiError`` as a problem."""
    return problem_response(error.status, error.code, error.detail, error.errors, error.headers)


def handle_unexpected(error: Exception) -> Response:
    """Log an unexpected exception and answer 500 without leaking details."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    _log.exception("unhandled error", extra={"path": request.path if request else None})
    return problem_response(500, "internal_error")


def handle_database_unavailable(error: Exception) -> Response:
    """Answer 503: the database is unreachable (stopped, restarting), the request may be retried."""
    _log.warning(
        "database unavailable",
        extra={"path": request.path if request else None, "error": type(error).__name__},
    )
    return problem_response(503, "service_unavailable")


def init_errors(app: Flask) -> None:
    """Register the problem handlers on ``app`` (after flask-smorest's, to replace them)."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(InterfaceError, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected)
