"""The assessment service: frameworks, assessment sessions, answers and scoring."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from assessment import api, cli
from assessment.config import SERVICE, settings
from assessment.models import Base
from shared.errors import register_messages
from shared.web import create_service_app

ERRORS = {
    "already_submitted": {
        "en": "The assessment is already submitted",
        "fr": "L'évaluation est déjà soumise",
    },
}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the assessment service's Flask application."""
    app, rest = create_service_app(
        __name__, service=SERVICE, title="Smart Customs assessment API",
        settings=settings(), test_config=test_config,
    )
    register_messages(ERRORS)
    rest.register_blueprint(api.blp)
    cli.register(app)
    if app.config.get("TESTING"):
        app.extensions["db"].create_all(Base)
    return app
