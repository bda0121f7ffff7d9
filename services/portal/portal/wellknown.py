"""The issuer's public documents: the JWKS and OpenID Connect discovery (``/.well-known``)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint

from portal import keys
from portal.api import PREFIX
from portal.schemas import JwksSchema, OpenIdConfigurationSchema
from shared.i18n import SUPPORTED

CACHEABLE = {"Cache-Control": "public, max-age=300"}
CLAIMS = ["iss", "aud", "sub", "iat", "exp", "jti", "name", "locale", "administration_id", "roles"]

blp = Blueprint(
    "wellknown",
    __name__,
    url_prefix="/.well-known",
    description="Public keys and OpenID Connect discovery of the token issuer",
)


def discovery(issuer: str) -> dict[str, Any]:
    """Return the OpenID Connect discovery document of ``issuer``."""
    base = issuer.rstrip("/")
    return {
        "issuer": issuer,
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "token_endpoint": f"{base}{PREFIX}/auth/token",
        "userinfo_endpoint": f"{base}{PREFIX}/me",
        "grant_types_supported": ["client_credentials"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
        "claims_supported": CLAIMS,
        "ui_locales_supported": list(SUPPORTED),
        "service_documentation": f"{base}{PREFIX}/docs",
    }


@blp.route("/jwks.json")
class Jwks(MethodView):
    """The issuer's public keys."""

    @blp.doc(security=[])
    @blp.response(200, JwksSchema)
    def get(self) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Read the JSON Web Key Set that verifies the portal's access tokens."""
        with current_app.extensions["db"].session() as session:
            document = keys.published_jwks(
                session=session, external_pem=current_app.config["PORTAL_SIGNING_KEY_PEM"]
            )
        return document, 200, CACHEABLE


@blp.route("/openid-configuration")
class OpenIdConfiguration(MethodView):
    """OpenID Connect discovery."""

    @blp.doc(security=[])
    @blp.response(200, OpenIdConfigurationSchema)
    def get(self) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Read the issuer's OpenID Connect discovery document."""
        return discovery(current_app.config["AUTH_ISSUER"]), 200, CACHEABLE
