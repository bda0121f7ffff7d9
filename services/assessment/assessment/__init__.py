"""The assessment service: frameworks, assessment sessions, answers and scoring."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from assessment import api, cli, pages, prefill_api
from assessment.actions import api as actions_api
from assessment.actions import pages as action_pages
from assessment.actions import texts as actions_texts
from assessment.assistance import api as assistance_api
from assessment.assistance import texts as assistance_texts
from assessment.autosave import AssessmentFacts
from assessment.bulk import api as bulk_api
from assessment.bulk import pages as bulk_pages
from assessment.config import GROUPS, SERVICE, settings, stored_workbook_secret
from assessment.frameworks import FrameworkCache, sync_repository_frameworks
from assessment.migrations import SCHEMA
from assessment.peers import api as peers_api
from assessment.texts import MESSAGES
from shared.errors import register_titles
from shared.messages import register_messages
from shared.metrics import register_event_gauges
from shared.migration_commands import upgrade_app
from shared.migrations import refuse_if_behind
from shared.pages import init_pages
from shared.translations import N_
from shared.web import create_service_app

# Problem codes of the service -> their titles (English, translated by the assessment catalog).
ERRORS = {
    "assessment_submitted": N_("The assessment is submitted and read-only"),
    "assessment_not_submitted": N_("The assessment is not submitted"),
    "unknown_indicator": N_("The framework has no such indicator"),
    "assessment_changed": N_("The assessment changed while you were saving: save again"),
    "area_not_assigned": N_("This area is not assigned to you"),
    "unknown_area": N_("The framework has no such area"),
    "unknown_framework": N_("No such framework is published"),
    "invalid_framework": N_("The framework document is invalid"),
    "framework_version_exists": N_("This framework version is already published"),
    "empty_upload": N_("An uploaded file is empty"),
    "not_prefilled": N_("These answers are not offered as pre-filled"),
    "invalid_interchange": N_("The interchange file is invalid"),
}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the assessment service's Flask application."""
    app, rest = create_service_app(
        __name__,
        service=SERVICE,
        title="Smart Customs assessment API",
        settings=settings(),
        test_config=test_config,
    )
    if not app.config.get("ASSESSMENT_WORKBOOK_SECRET"):
        app.config["ASSESSMENT_WORKBOOK_SECRET"] = stored_workbook_secret()
    register_titles(ERRORS, domain="assessment")
    register_messages("assessment", MESSAGES)
    register_titles(actions_texts.ERRORS, domain="assessment")
    register_messages("assessment", actions_texts.MESSAGES)
    register_titles(assistance_texts.ERRORS, domain="assessment")
    register_messages("assessment", assistance_texts.MESSAGES)
    app.extensions["frameworks"] = FrameworkCache()
    register_event_gauges(app.extensions["metrics"], app.extensions["redis"], SERVICE, GROUPS)
    app.extensions["assessment.facts"] = AssessmentFacts()
    rest.register_blueprint(api.blp)
    rest.register_blueprint(bulk_api.blp)
    rest.register_blueprint(prefill_api.blp)
    peers_api.register(app, rest)
    rest.register_blueprint(actions_api.blp)
    rest.register_blueprint(assistance_api.blp)
    init_pages(app, prefix="/assessment", domain="assessment")
    app.register_blueprint(pages.bp)
    app.register_blueprint(bulk_pages.bp)
    app.register_blueprint(action_pages.bp)
    cli.register(app)
    if app.config.get("TESTING"):
        upgrade_app(app, SCHEMA)  # the tests' database is the migrated schema, as deployed
        with app.extensions["db"].session(write=True) as session:
            sync_repository_frameworks(session=session)
    else:
        refuse_if_behind(app, SCHEMA)
    return app
