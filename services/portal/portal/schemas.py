"""Request and response schemas of the portal API."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

from portal.passwords import MIN_LENGTH
from shared.text import InputSchema
from shared.timestamps import Timestamp

LANGUAGES = ["en", "fr"]
USER_ROLES = ["respondent", "coordinator", "editor", "operator", "member"]


class EmailAddress(fields.Email):
    """An e-mail address, trimmed and lowercased before it is validated."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower()
        return super()._deserialize(value, attr, data, **kwargs)


class LoginSchema(InputSchema):
    """A user's credentials."""

    email = EmailAddress(required=True, validate=validate.Length(max=320))
    password = fields.String(required=True, load_only=True, validate=validate.Length(max=1024))


class ClientCredentialsSchema(InputSchema):
    """The OAuth 2.0 client-credentials request (the API key travels in a header)."""

    class Meta:
        # OAuth client libraries add parameters of their own (client_id, scope...).
        unknown = EXCLUDE

    grant_type = fields.String(
        load_default="client_credentials", validate=validate.OneOf(["client_credentials"])
    )
    client_secret = fields.String(
        load_only=True, metadata={"description": "The API key, for clients that cannot set headers"}
    )


class TokenSchema(Schema):
    """An access token (OAuth 2.0 token response)."""

    access_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"example": "Bearer"})
    expires_in = fields.Integer(required=True, metadata={"description": "Lifetime in seconds"})


class ProfileSchema(Schema):
    """The caller: OpenID Connect userinfo claims plus roles and administration."""

    sub = fields.String()
    kind = fields.String(metadata={"description": "user or client"})
    name = fields.String()
    email = fields.String(allow_none=True)
    locale = fields.String()
    roles = fields.List(fields.String())
    administration_id = fields.String(allow_none=True)
    administration_name = fields.String(allow_none=True)


class AdministrationCreateSchema(InputSchema):
    """What an operator sends to create an administration."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    country_code = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^[A-Za-z]{2}$"),
        metadata={"description": "ISO 3166-1 alpha-2 code"},
    )
    default_language = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))


class AdministrationUpdateSchema(InputSchema):
    """What an operator or the administration's coordinator changes (only the fields sent)."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    country_code = fields.String(
        allow_none=True,
        validate=validate.Regexp(r"^[A-Za-z]{2}$"),
        metadata={"description": "ISO 3166-1 alpha-2 code; null removes it"},
    )
    default_language = fields.String(validate=validate.OneOf(LANGUAGES))
    region = fields.String(
        allow_none=True,
        validate=validate.Length(min=1, max=60),
        metadata={"description": "A term of the region vocabulary; null removes it"},
    )


class AdministrationSchema(Schema):
    """An administration as the API shows it."""

    id = fields.String(dump_only=True)
    name = fields.String()
    country_code = fields.String(allow_none=True)
    default_language = fields.String()
    region = fields.String(allow_none=True)
    created_at = Timestamp()


class UserCreateSchema(InputSchema):
    """What a coordinator or operator sends to create a user of an administration."""

    email = EmailAddress(required=True, validate=validate.Length(max=320))
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=MIN_LENGTH, max=1024)
    )
    roles = fields.List(
        fields.String(validate=validate.OneOf(USER_ROLES)),
        required=True,
        validate=validate.Length(min=1),
    )
    language = fields.String(load_default=None, validate=validate.OneOf(LANGUAGES))


class UserUpdateSchema(InputSchema):
    """What a coordinator or operator changes of a user: whether the account is active."""

    active = fields.Boolean(required=True)


class UserSchema(Schema):
    """A user as the API shows it (never the password hash)."""

    id = fields.String(dump_only=True)
    administration_id = fields.String(allow_none=True)
    email = fields.String()
    display_name = fields.String()
    roles = fields.List(fields.String())
    language = fields.String()
    active = fields.Boolean()
    created_at = Timestamp()


class ApiKeyCreateSchema(InputSchema):
    """What a coordinator or operator sends to create an API key."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    roles = fields.List(
        fields.String(validate=validate.OneOf(["client"])),
        load_default=lambda: ["client"],
        validate=validate.Length(min=1),
    )


class ApiKeySchema(Schema):
    """An API key as lists show it: its prefix, never its secret."""

    id = fields.String(dump_only=True)
    administration_id = fields.String()
    name = fields.String()
    prefix = fields.String()
    roles = fields.List(fields.String())
    created_by = fields.String()
    created_at = Timestamp()
    last_used_at = Timestamp(allow_none=True)
    revoked_at = Timestamp(allow_none=True)


class ApiKeyCreatedSchema(ApiKeySchema):
    """A new API key with its secret: shown this once, store it now."""

    key = fields.String(metadata={"description": "The secret (sck_...); never shown again"})


class JwksSchema(Schema):
    """A JSON Web Key Set (RFC 7517)."""

    keys = fields.List(fields.Dict())


class OpenIdConfigurationSchema(Schema):
    """OpenID Connect discovery metadata of the issuer."""

    issuer = fields.String()
    jwks_uri = fields.String()
    token_endpoint = fields.String()
    userinfo_endpoint = fields.String()
    grant_types_supported = fields.List(fields.String())
    response_types_supported = fields.List(fields.String())
    subject_types_supported = fields.List(fields.String())
    id_token_signing_alg_values_supported = fields.List(fields.String())
    token_endpoint_auth_methods_supported = fields.List(fields.String())
    claims_supported = fields.List(fields.String())
    ui_locales_supported = fields.List(fields.String())
    service_documentation = fields.String()
