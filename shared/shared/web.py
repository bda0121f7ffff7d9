"""The parts every service's Flask app shares: config, context, errors, API docs, health, metrics.

A service's ``create_app`` calls ``create_service_app`` and then registers its own blueprints;
everything a request needs lives in ``app.extensions`` (``db``, ``redis``, ``bus``, ``auth``,
``metrics``). Nothing is created at import time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import redis
import swagger_ui_bundle
from flask import (
    Blueprint,
    Flask,
    Request,
    Response,
    current_app,
    jsonify,
    send_from_directory,
)
from flask_smorest import Api

from shared.auth import JwksSource, Revocations, TokenVerifier, http_jwks_source
from shared.bus import EventBus
from shared.config import common_settings
from shared.context import this_g, this_request
from shared.db import Database
from shared.draining import draining_event, init_draining, refusal
from shared.errors import init_errors, problem_response
from shared.i18n import SUPPORTED, negotiate
from shared.logs import bind_context, clean_request_id, clean_traceparent, configure_logging
from shared.metrics import Metrics, init_metrics
from shared.openapi import ServiceApi, problems_plugin
from shared.text import unsafe_fields, unsafe_request_text
from shared.throttle import WriteLimiter

ReadinessCheck = Callable[[], None]
_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def create_service_app(
    import_name: str,
    *,
    service: str,
    title: str,
    settings: Mapping[str, Any] | None = None,
    test_config: Mapping[str, Any] | None = None,
    jwks_source: JwksSource | None = None,
) -> tuple[Flask, Api]:
    """Build a service's Flask app with the platform's shared behaviour; return it and its Api."""
    # No app-wide static folder: pages serve the shared stylesheet under their own prefix.
    app = Flask(import_name, static_folder=None)
    app.config.from_mapping(common_settings(service))
    app.config.from_mapping(settings or {})
    prefix = f"/api/v1/{service}"
    app.config.update(
        API_TITLE=title,
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=prefix,
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=f"{prefix}/docs/static/",
        API_SPEC_OPTIONS={
            "components": {
                "securitySchemes": {
                    "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
                }
            },
            "security": [{"bearerAuth": []}],
        },
    )
    app.config.update(test_config or {})
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    configure_logging(service, level=app.config["LOG_LEVEL"], fmt=app.config["LOG_FORMAT"])

    api = ServiceApi(app, spec_kwargs={"extra_plugins": [problems_plugin()]})
    init_errors(app)  # after Api: replaces its error handlers with problem details
    init_draining(app)  # set by shared.gunicorn_conf when the worker is asked to stop
    _init_request_hooks(app, init_metrics(app, service))
    _init_adapters(app, jwks_source)
    app.register_blueprint(_health_blueprint(service, prefix))
    return app, api


def _lang_choice(req: Request) -> str | None:
    """Return the ``?lang=`` of the request (no query string parsed when there is none)."""
    return req.args.get("lang") if req.environ.get("QUERY_STRING") else None


def _init_request_hooks(app: Flask, metrics: Metrics) -> None:
    # These run on every request, so they are one hook before and one after, and they work on
    # the request and ``g`` objects themselves: an attribute read through Flask's proxies
    # raises and catches an AttributeError before it finds the object. They read the WSGI
    # environ directly, as a missing header looked up through werkzeug's structures costs an
    # exception too.
    draining = draining_event(app)

    @app.before_request
    def _begin() -> Response | None:
        req, context = this_request(), this_g()
        context.started_at = time.perf_counter()
        environ = req.environ
        context.request_id = request_id = clean_request_id(environ.get("HTTP_X_REQUEST_ID"))
        context.traceparent = traceparent = clean_traceparent(environ.get("HTTP_TRACEPARENT"))
        bind_context(request_id, traceparent)
        context.language = negotiate(
            _lang_choice(req),
            req.cookies.get("lang") if environ.get("HTTP_COOKIE") else None,
            environ.get("HTTP_ACCEPT_LANGUAGE"),
        )
        if draining.is_set():  # stopping: running requests finish, new ones are refused
            refused = refusal(req)
            if refused is not None:
                return refused
        return _refuse_unsafe_text(req)

    @app.after_request
    def _finish(response: Response) -> Response:
        req, context = this_request(), this_g()
        _write_headers(req, response, context.get("request_id", ""), context.get("language"))
        started = context.get("started_at")
        if started is not None:
            rule = req.url_rule
            metrics.observe(
                req.method,
                rule.rule if rule is not None else "unmatched",
                response.status_code,
                time.perf_counter() - started,
            )
        return response


def _refuse_unsafe_text(req: Request) -> Response | None:
    # No resource is named with a control character, and none may reach a query: the
    # database (PostgreSQL refuses NUL) would answer 500 for what is the caller's mistake.
    bad_path, bad_args = unsafe_request_text(
        req.path, req.environ.get("QUERY_STRING", ""), req.args
    )
    if bad_path:
        return problem_response(404, "not_found")
    if bad_args:
        return problem_response(422, "validation_failed", None, bad_args)
    # The pages' forms (textareas: line breaks allowed); an API body has its schema's check.
    if req.mimetype in _FORM_TYPES and not req.path.startswith("/api/"):
        bad_form = unsafe_fields(req.form, multiline=True)
        if bad_form:
            return problem_response(422, "validation_failed", None, bad_form)
    return None


def _write_headers(req: Request, response: Response, request_id: str, language: str | None) -> None:
    """Add the request id, the content language, ``Vary`` and the chosen language's cookie."""
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}
    # ``add``, not ``set``: the header is known to be absent, so there is nothing to replace.
    if "x-request-id" not in present:
        headers.add("X-Request-ID", request_id)
    if "content-language" not in present:
        headers.add("Content-Language", language or "en")
    chosen = _lang_choice(req)
    if chosen in SUPPORTED and req.cookies.get("lang") != chosen:
        response.set_cookie("lang", chosen, max_age=365 * 86400, samesite="Lax")
    if "vary" not in present:
        headers.add("Vary", "Accept-Language")
    elif "accept-language" not in (vary := headers["Vary"]).lower():
        headers["Vary"] = f"{vary}, Accept-Language"


def _init_adapters(app: Flask, jwks_source: JwksSource | None) -> None:
    app.extensions["db"] = Database(app.config["DATABASE_URL"])
    client = redis.Redis.from_url(
        app.config["REDIS_URL"],
        socket_timeout=5,
        socket_connect_timeout=2,
        health_check_interval=30,
    )
    app.extensions["redis"] = client
    app.extensions["bus"] = EventBus(client, maxlen=app.config["EVENTS_STREAM_MAXLEN"])
    static_jwks = app.config.get("AUTH_JWKS")
    source = jwks_source or (
        (lambda: static_jwks) if static_jwks else http_jwks_source(app.config["AUTH_JWKS_URL"])
    )
    app.extensions["auth"] = TokenVerifier(
        issuer=app.config["AUTH_ISSUER"],
        audience=app.config["AUTH_AUDIENCE"],
        jwks_source=source,
        administration_claim=app.config["AUTH_ADMINISTRATION_CLAIM"],
        roles_claim=app.config["AUTH_ROLES_CLAIM"],
        revocations=Revocations(client, refresh_s=app.config["AUTH_REVOCATIONS_REFRESH_S"]),
    )
    app.extensions["writes"] = WriteLimiter(
        client,
        service=app.config["SERVICE_NAME"],
        limit=app.config["WRITES_PER_CALLER"],
        window_s=app.config["WRITES_WINDOW_S"],
    )


def readiness_problems() -> dict[str, str]:
    """Return the failing dependencies of the current app (empty when ready)."""
    problems: dict[str, str] = {}
    try:
        current_app.extensions["db"].ping()
    except Exception as exc:
        problems["database"] = type(exc).__name__
    try:
        current_app.extensions["redis"].ping()
    except Exception as exc:
        problems["redis"] = type(exc).__name__
    return problems


def _health_blueprint(service: str, prefix: str) -> Blueprint:
    blueprint = Blueprint("health", __name__)

    def healthz() -> Response:
        return jsonify(status="ok", service=service)

    def readyz() -> Response:
        problems = readiness_problems()
        if problems:
            return problem_response(503, "service_unavailable", None, {"checks": problems})
        return jsonify(status="ready", service=service, checks={"database": "ok", "redis": "ok"})

    def docs_static(filename: str) -> Response:
        return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)

    for base in ("", prefix):
        blueprint.add_url_rule(f"{base}/healthz", f"healthz{base}", healthz)
        blueprint.add_url_rule(f"{base}/readyz", f"readyz{base}", readyz)
    blueprint.add_url_rule(f"{prefix}/docs/static/<path:filename>", "docs_static", docs_static)
    return blueprint
