"""The assessment service: frameworks, assessment sessions, answers and scoring."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from assessment import api, cli, pages, prefill_api
from assessment.actions import api as actions_api
from assessment.actions import pages as action_pages
from assessment.actions import texts as actions_texts
from assessment.actions.page_texts import TEXTS as ACTION_TEXTS
from assessment.assistance import api as assistance_api
from assessment.assistance import texts as assistance_texts
from assessment.autosave import AssessmentFacts
from assessment.bulk import api as bulk_api
from assessment.bulk import pages as bulk_pages
from assessment.bulk.texts import TEXTS as BULK_TEXTS
from assessment.config import GROUPS, SERVICE, settings, stored_workbook_secret
from assessment.frameworks import FrameworkCache, sync_repository_frameworks
from assessment.migrations import SCHEMA
from assessment.peers import api as peers_api
from assessment.texts import MESSAGES_FR, TEXTS
from shared.errors import register_messages
from shared.messages import register_translations
from shared.metrics import register_event_gauges
from shared.migration_commands import upgrade_app
from shared.migrations import refuse_if_behind
from shared.pages import init_pages
from shared.web import create_service_app

ERRORS = {
    "assessment_submitted": {
        "en": "The assessment is submitted and read-only",
        "fr": "L'évaluation est soumise et en lecture seule",
    },
    "assessment_not_submitted": {
        "en": "The assessment is not submitted",
        "fr": "L'évaluation n'est pas soumise",
    },
    "unknown_indicator": {
        "en": "The framework has no such indicator",
        "fr": "Le référentiel ne contient pas cet indicateur",
    },
    "assessment_changed": {
        "en": "The assessment changed while you were saving: save again",
        "fr": "L'évaluation a changé pendant l'enregistrement : enregistrez à nouveau",
    },
    "area_not_assigned": {
        "en": "This area is not assigned to you",
        "fr": "Ce domaine ne vous est pas attribué",
    },
    "unknown_area": {
        "en": "The framework has no such area",
        "fr": "Le référentiel ne contient pas ce domaine",
    },
    "unknown_framework": {
        "en": "No such framework is published",
        "fr": "Aucun référentiel de ce nom n'est publié",
    },
    "invalid_framework": {
        "en": "The framework document is invalid",
        "fr": "Le document du référentiel est invalide",
    },
    "framework_version_exists": {
        "en": "This framework version is already published",
        "fr": "Cette version du référentiel est déjà publiée",
    },
    "empty_upload": {
        "en": "An uploaded file is empty",
        "fr": "Un fichier envoyé est vide",
    },
    "not_prefilled": {
        "en": "These answers are not offered as pre-filled",
        "fr": "Ces réponses ne sont pas proposées comme préremplies",
    },
    "invalid_interchange": {
        "en": "The interchange file is invalid",
        "fr": "Le fichier d'échange est invalide",
    },
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
    register_messages(ERRORS)
    register_translations(MESSAGES_FR)
    register_messages(actions_texts.ERRORS)
    register_translations(actions_texts.MESSAGES_FR)
    register_messages(assistance_texts.ERRORS)
    register_translations(assistance_texts.MESSAGES_FR)
    app.extensions["frameworks"] = FrameworkCache()
    register_event_gauges(app.extensions["metrics"], app.extensions["redis"], SERVICE, GROUPS)
    app.extensions["assessment.facts"] = AssessmentFacts()
    rest.register_blueprint(api.blp)
    rest.register_blueprint(bulk_api.blp)
    rest.register_blueprint(prefill_api.blp)
    peers_api.register(app, rest)
    rest.register_blueprint(actions_api.blp)
    rest.register_blueprint(assistance_api.blp)
    init_pages(app, prefix="/assessment", texts={**TEXTS, **BULK_TEXTS, **ACTION_TEXTS})
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
