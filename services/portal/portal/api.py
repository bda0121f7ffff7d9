"""HTTP API of the portal service (``/api/v1/portal``): thin views over the use cases."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint

from portal import accounts, apikeys, issuing
from portal.attempts import client_address
from portal.issuing import IssuerSettings
from portal.models import Administration, ApiKey, User
from portal.passwords import Passwords
from portal.schemas import (
    AdministrationCreateSchema,
    AdministrationSchema,
    AdministrationUpdateSchema,
    ApiKeyCreatedSchema,
    ApiKeyCreateSchema,
    ApiKeySchema,
    ClientCredentialsSchema,
    LoginSchema,
    ProfileSchema,
    TokenSchema,
    UserCreateSchema,
    UserSchema,
    UserUpdateSchema,
)
from portal.tokens import IssuedToken
from shared.auth import Role, current_principal, require
from shared.errors import ApiError
from shared.paging import PAGE_HEADERS, PageQuerySchema, paged

PREFIX = "/api/v1/portal"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
MANAGERS = (Role.COORDINATOR, Role.OPERATOR)
CLIENT_CREDENTIALS_HELP = (
    "Machine clients of an administration send their API key as `Authorization: ApiKey <key>` or "
    "`X-API-Key: <key>` (or `client_secret` in the body) and receive a short-lived access token "
    "whose `sub` is `apikey:<id>`, with the key's administration and roles. Every service verifies "
    "it locally against the published JWKS (`/.well-known/jwks.json`), so no service calls the "
    "portal per request; clients request a new token when it expires."
)

auth_blp = Blueprint(
    "auth", __name__, url_prefix=PREFIX, description="Sign-in, machine-client tokens, the caller"
)
# The token endpoint takes OAuth's form encoding and JSON alike; document it as a form.
auth_blp.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {
    **Blueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
    "json_or_form": "application/x-www-form-urlencoded",
}
admin_blp = Blueprint(
    "administrations",
    __name__,
    url_prefix=f"{PREFIX}/administrations",
    description="Administrations, their users and their API keys",
)


def _session() -> Any:
    return current_app.extensions["db"].session(write=True)


def _reader() -> Any:
    return current_app.extensions["db"].session()


def _passwords() -> Passwords:
    passwords: Passwords = current_app.extensions["portal.passwords"]
    return passwords


def _issuer() -> IssuerSettings:
    return IssuerSettings.from_config(current_app.config)


@auth_blp.route("/auth/login")
class Login(MethodView):
    """Signing in with an e-mail address and a password."""

    @auth_blp.doc(security=[])
    @auth_blp.arguments(LoginSchema)
    @auth_blp.response(200, TokenSchema)
    @auth_blp.alt_response(401, response="UNAUTHORIZED", description="Wrong e-mail or password")
    @auth_blp.alt_response(
        429,
        response="TOO_MANY_REQUESTS",
        description="Too many failed sign-ins for this account lately (Retry-After: seconds)",
    )
    def post(self, data: dict[str, Any]) -> tuple[IssuedToken, int, dict[str, str]]:
        """Sign in: exchange an e-mail address and password for an access token."""
        with _session() as session:
            token = issuing.login(
                session=session,
                passwords=_passwords(),
                settings=_issuer(),
                attempts=current_app.extensions["portal.attempts"],
                address=client_address(request.environ),
                **data,
            )
        return token, 200, NO_STORE


@auth_blp.route("/auth/token")
class ClientToken(MethodView):
    """OAuth 2.0 client credentials for machine clients."""

    @auth_blp.doc(security=[{"apiKey": []}], description=CLIENT_CREDENTIALS_HELP)
    @auth_blp.arguments(ClientCredentialsSchema, location="json_or_form", required=False)
    @auth_blp.response(200, TokenSchema)
    def post(self, data: dict[str, Any]) -> tuple[IssuedToken, int, dict[str, str]]:
        """Exchange an API key for a short-lived access token (client credentials)."""
        key = apikeys.from_headers(
            request.headers.get("Authorization"), request.headers.get("X-API-Key")
        ) or data.get("client_secret")
        if not key:
            raise ApiError(401, "api_key_required", headers={"WWW-Authenticate": "ApiKey"})
        with _session() as session:
            token = issuing.exchange_api_key(session=session, settings=_issuer(), api_key=key)
        return token, 200, NO_STORE


@auth_blp.route("/me")
class Me(MethodView):
    """The caller."""

    @require()
    @auth_blp.response(200, ProfileSchema)
    def get(self) -> dict[str, Any]:
        """Read the caller's profile (OpenID Connect userinfo)."""
        with _reader() as session:
            return accounts.profile(session=session, principal=current_principal())


@admin_blp.route("")
class Administrations(MethodView):
    """The administrations."""

    @require()
    @admin_blp.arguments(PageQuerySchema, location="query")
    @admin_blp.response(200, AdministrationSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any]) -> Any:
        """List administrations (operators: all; others: their own)."""
        with _reader() as session:
            items, total = accounts.list_administrations(
                session=session, principal=current_principal(), **query
            )
        return paged(items, total=total, query=query)

    @require(Role.OPERATOR)
    @admin_blp.arguments(AdministrationCreateSchema)
    @admin_blp.response(201, AdministrationSchema)
    def post(self, data: dict[str, Any]) -> Administration:
        """Create an administration (operators only)."""
        with _session() as session:
            return accounts.create_administration(session=session, **data)


@admin_blp.route("/<administration_id>")
class AdministrationItem(MethodView):
    """One administration."""

    @require()
    @admin_blp.response(200, AdministrationSchema)
    def get(self, administration_id: str) -> Administration:
        """Read one administration."""
        with _reader() as session:
            return accounts.get_administration(
                session=session,
                principal=current_principal(),
                administration_id=administration_id,
            )

    @require(*MANAGERS)
    @admin_blp.arguments(AdministrationUpdateSchema)
    @admin_blp.response(200, AdministrationSchema)
    def patch(self, data: dict[str, Any], administration_id: str) -> Administration:
        """Rename an administration or change its country or language (an operator, or its
        coordinator); announced as ``administration.renamed``."""
        with _session() as session:
            return accounts.update_administration(
                session=session,
                principal=current_principal(),
                administration_id=administration_id,
                changes=data,
            )


@admin_blp.route("/<administration_id>/users")
class Users(MethodView):
    """An administration's users."""

    @require(*MANAGERS)
    @admin_blp.arguments(PageQuerySchema, location="query")
    @admin_blp.response(200, UserSchema(many=True), headers=PAGE_HEADERS)
    def get(self, query: dict[str, Any], administration_id: str) -> Any:
        """List the administration's users (its coordinators, operators)."""
        with _reader() as session:
            items, total = accounts.list_users(
                session=session,
                principal=current_principal(),
                administration_id=administration_id,
                **query,
            )
        return paged(items, total=total, query=query)

    @require(*MANAGERS)
    @admin_blp.arguments(UserCreateSchema)
    @admin_blp.response(201, UserSchema)
    def post(self, data: dict[str, Any], administration_id: str) -> User:
        """Create a user of the administration, with roles the caller may grant."""
        with _session() as session:
            return accounts.create_user(
                session=session,
                passwords=_passwords(),
                principal=current_principal(),
                administration_id=administration_id,
                **data,
            )


@admin_blp.route("/<administration_id>/users/<user_id>")
class UserItem(MethodView):
    """One user of an administration."""

    @require(*MANAGERS)
    @admin_blp.arguments(UserUpdateSchema)
    @admin_blp.response(200, UserSchema)
    def patch(self, data: dict[str, Any], administration_id: str, user_id: str) -> User:
        """Deactivate or reactivate a user (while inactive: no sign-in, earlier tokens refused)."""
        with _session() as session:
            return accounts.set_user_active(
                session=session,
                revocations=current_app.extensions["portal.revocations"],
                principal=current_principal(),
                administration_id=administration_id,
                user_id=user_id,
                **data,
            )


@admin_blp.route("/<administration_id>/api-keys")
class ApiKeys(MethodView):
    """An administration's API keys."""

    @require(*MANAGERS)
    @admin_blp.response(200, ApiKeySchema(many=True))
    def get(self, administration_id: str) -> list[ApiKey]:
        """List the administration's API keys (prefixes only, never secrets)."""
        with _reader() as session:
            return accounts.list_api_keys(
                session=session,
                principal=current_principal(),
                administration_id=administration_id,
            )

    @require(*MANAGERS)
    @admin_blp.arguments(ApiKeyCreateSchema)
    @admin_blp.response(201, ApiKeyCreatedSchema)
    def post(
        self, data: dict[str, Any], administration_id: str
    ) -> tuple[dict[str, Any], int, dict[str, str]]:
        """Create an API key; its secret is in this response only."""
        with _session() as session:
            row, secret = accounts.create_api_key(
                session=session,
                principal=current_principal(),
                administration_id=administration_id,
                **data,
            )
        shown = {name: getattr(row, name) for name in ApiKeySchema().fields} | {"key": secret}
        return shown, 201, NO_STORE


@admin_blp.route("/<administration_id>/api-keys/<key_id>")
class ApiKeyItem(MethodView):
    """One API key."""

    @require(*MANAGERS)
    @admin_blp.response(204)
    def delete(self, administration_id: str, key_id: str) -> None:
        """Revoke an API key (no new tokens; those it gave are refused everywhere)."""
        with _session() as session:
            accounts.revoke_api_key(
                session=session,
                revocations=current_app.extensions["portal.revocations"],
                principal=current_principal(),
                administration_id=administration_id,
                key_id=key_id,
            )
