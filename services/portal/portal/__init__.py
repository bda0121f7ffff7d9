"""The portal service: administrations, accounts, API keys and the token issuer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from portal import (
    api,
    assistance,
    catalogue,
    cli,
    contributions,
    directory,
    forums,
    keys,
    pages,
    wellknown,
)
from portal.attempts import AttemptLimits, SignInAttempts
from portal.config import GROUPS, SERVICE, settings
from portal.migrations import SCHEMA
from portal.passwords import Passwords
from portal.revocations import RevocationWriter
from shared.errors import register_titles
from shared.metrics import register_event_gauges
from shared.migration_commands import upgrade_app
from shared.migrations import refuse_if_behind
from shared.pages import init_pages
from shared.translations import N_
from shared.web import create_service_app

# code -> its problem title: the English text, translated by the portal's catalog
TITLES = {
    "invalid_credentials": N_("The e-mail address or password is incorrect"),
    "too_many_sign_in_attempts": N_(
        "Too many failed sign-ins for this account: wait a few minutes and try again"
    ),
    "invalid_api_key": N_("The API key is invalid or revoked"),
    "api_key_required": N_("Send the API key as Authorization: ApiKey <key> or X-API-Key"),
    "email_taken": N_("An account already uses this e-mail address"),
    "role_not_allowed": N_("You may not grant these roles"),
    "own_account": N_("You cannot deactivate your own account"),
}


class _OwnJwks:
    """The portal verifies its own tokens with the keys in its database, never over HTTP."""

    def __init__(self) -> None:
        self.app: Flask | None = None

    def __call__(self) -> dict[str, Any]:
        if self.app is None:
            raise RuntimeError("the portal app is not built yet")
        with self.app.extensions["db"].session() as session:
            return keys.published_jwks(
                session=session, external_pem=self.app.config["PORTAL_SIGNING_KEY_PEM"]
            )


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the portal service's Flask application."""
    own_jwks = _OwnJwks()
    app, rest = create_service_app(
        __name__,
        service=SERVICE,
        title="Smart Customs portal API",
        settings=settings(),
        test_config=test_config,
        jwks_source=own_jwks,
    )
    own_jwks.app = app
    register_titles(TITLES, domain="portal")
    app.extensions["portal.passwords"] = Passwords.from_config(app.config)
    app.extensions["portal.attempts"] = SignInAttempts(
        app.extensions["redis"], AttemptLimits.from_config(app.config)
    )
    app.extensions["portal.revocations"] = RevocationWriter(
        app.extensions["redis"],
        keep_s=max(app.config["PORTAL_TOKEN_TTL_S"], app.config["PORTAL_CLIENT_TOKEN_TTL_S"]) + 60,
    )
    rest.spec.components.security_scheme(
        "apiKey", {"type": "apiKey", "in": "header", "name": "X-API-Key"}
    )
    rest.register_blueprint(api.auth_blp)
    rest.register_blueprint(api.admin_blp)
    rest.register_blueprint(wellknown.blp)
    catalogue.init_app(app, rest)
    contributions.init_app(app, rest)
    assistance.init_app(app, rest)
    directory.init_app(app, rest)
    forums.init_app(app, rest)
    register_event_gauges(app.extensions["metrics"], app.extensions["redis"], SERVICE, GROUPS)
    # every page text is in the portal's catalog (domain): no keyed texts left
    init_pages(app, prefix="/", domain="portal")
    app.register_blueprint(pages.blp)
    cli.register(app)
    if app.config.get("TESTING"):
        upgrade_app(app, SCHEMA)  # the tests' database is the migrated schema, as deployed
        catalogue.ensure_schema(app)
    else:
        refuse_if_behind(app, SCHEMA)
    return app
