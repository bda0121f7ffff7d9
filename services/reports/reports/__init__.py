"""The reports service: report jobs and files, notifications, and the Celery worker's tasks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

# tasks, deliveries: importing them registers the Celery tasks; digest_api adds its routes to
# the notifications blueprint.
from reports import (  # noqa: F401
    api,
    cli,
    deliveries,
    digest_api,
    metrics,
    pages,
    sse,
    tasks,
    webhook_api,
)
from reports.celery_app import celery_init_app
from reports.config import SERVICE, settings
from reports.migrations import SCHEMA
from reports.storage import store_from_config
from shared.errors import register_titles
from shared.messages import register_messages
from shared.migration_commands import upgrade_app
from shared.migrations import refuse_if_behind
from shared.pages import init_pages
from shared.translations import N_
from shared.web import create_service_app

ERRORS = {"administration_required": N_("Only members of an administration can do this")}

# The English templates of this module's refusal messages (``shared.messages``), translated
# by the reports catalog.
MESSAGES: list[str] = [
    N_("at most {count} endpoints"),
    N_("live notifications are unavailable"),
    N_("the URL must start with http:// or https://"),
    N_("the URL has no host"),
    N_("the URL must not hold credentials"),
    N_("the URL's port is invalid"),
    N_("host {host} does not resolve: {reason}"),
    N_("host {host} has no address"),
    N_("host {host} resolves to a non-public address {address}"),
]


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the reports service's Flask application and its Celery app."""
    app, rest = create_service_app(
        __name__,
        service=SERVICE,
        title="Smart Customs reports API",
        settings=settings(),
        test_config=test_config,
    )
    register_titles(ERRORS, domain="reports")
    register_messages("reports", MESSAGES)
    app.extensions["reports.store"] = store_from_config(app.config)
    celery_init_app(app)
    rest.register_blueprint(api.blp)
    rest.register_blueprint(api.notifications_blp)
    sse.register(app, rest)
    webhook_api.register(rest)
    init_pages(app, prefix="/reports", domain="reports")
    app.register_blueprint(pages.bp)
    metrics.register(app)
    cli.register(app)
    if app.config.get("TESTING"):
        upgrade_app(app, SCHEMA)  # the tests' database is the migrated schema, as deployed
    else:
        refuse_if_behind(app, SCHEMA)
    return app
