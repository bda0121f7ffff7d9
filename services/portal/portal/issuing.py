"""Use cases of the token issuer: user login and the client-credentials exchange of API keys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import apikeys, keys, tokens
from portal.attempts import SignInAttempts
from portal.models import Administration, ApiKey, User
from portal.passwords import Passwords
from portal.tokens import IssuedToken
from shared.errors import ApiError
from shared.timestamps import utcnow


@dataclass(frozen=True)
class IssuerSettings:
    """What the issuer writes into tokens and how long they live."""

    issuer: str
    audience: str
    user_ttl_s: int
    client_ttl_s: int
    external_pem: str = ""
    activation_s: int = 0

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> IssuerSettings:
        """Read the settings from the app's config."""
        return cls(
            issuer=str(config["AUTH_ISSUER"]),
            audience=str(config["AUTH_AUDIENCE"]),
            user_ttl_s=int(config["PORTAL_TOKEN_TTL_S"]),
            client_ttl_s=int(config["PORTAL_CLIENT_TOKEN_TTL_S"]),
            external_pem=str(config.get("PORTAL_SIGNING_KEY_PEM") or ""),
            activation_s=int(config["PORTAL_KEY_ACTIVATION_S"]),
        )


def normalize_email(email: str) -> str:
    """Return the stored form of an e-mail address (trimmed, lowercase)."""
    return email.strip().lower()


def _invalid_credentials() -> ApiError:
    return ApiError(401, "invalid_credentials", headers={"WWW-Authenticate": 'Bearer realm="api"'})


def _issue(
    session: Session,
    settings: IssuerSettings,
    *,
    subject: str,
    administration_id: str | None,
    roles: Iterable[str],
    name: str,
    locale: str,
    ttl_s: int,
) -> IssuedToken:
    kid, key = keys.signer(
        session=session, external_pem=settings.external_pem, activation_s=settings.activation_s
    )
    token_claims = tokens.claims(
        issuer=settings.issuer,
        audience=settings.audience,
        subject=subject,
        administration_id=administration_id,
        roles=roles,
        name=name,
        locale=locale,
        ttl_s=ttl_s,
    )
    return IssuedToken(access_token=tokens.sign(token_claims, key, kid), expires_in=ttl_s)


def login(
    *,
    session: Session,
    passwords: Passwords,
    settings: IssuerSettings,
    attempts: SignInAttempts,
    address: str,
    email: str,
    password: str,
) -> IssuedToken:
    """Return an access token for a user's e-mail and password; any failure is the same 401."""
    email = normalize_email(email)
    attempts.check(email, address)  # before the slow hash: guessing costs the guesser only
    with session.begin():
        user = session.scalars(select(User).where(User.email == email)).first()
    # The slow hash runs outside any transaction, so logins never queue on the write lock.
    if user is None:
        passwords.verify_nobody(password)
        attempts.failed(email, address)
        raise _invalid_credentials()
    if not passwords.verify(user.password_hash, password) or not user.active:
        attempts.failed(email, address)
        raise _invalid_credentials()
    attempts.succeeded(email, address)
    upgraded = passwords.hash(password) if passwords.needs_rehash(user.password_hash) else None
    with session.begin():
        if upgraded:
            session.merge(user).password_hash = upgraded
        return _issue(
            session,
            settings,
            subject=user.id,
            administration_id=user.administration_id,
            roles=user.roles,
            name=user.display_name,
            locale=user.language,
            ttl_s=settings.user_ttl_s,
        )


def exchange_api_key(*, session: Session, settings: IssuerSettings, api_key: str) -> IssuedToken:
    """Return a short-lived access token for a valid API key (client credentials)."""
    with session.begin():
        row = session.scalars(
            select(ApiKey).where(ApiKey.secret_hash == apikeys.digest(api_key))
        ).first()
        if row is None or row.revoked_at is not None:
            raise ApiError(401, "invalid_api_key", headers={"WWW-Authenticate": "ApiKey"})
        administration = session.get(Administration, row.administration_id)
        row.last_used_at = utcnow()
        return _issue(
            session,
            settings,
            subject=f"apikey:{row.id}",
            administration_id=row.administration_id,
            roles=row.roles,
            name=row.name,
            locale=administration.default_language if administration else "en",
            ttl_s=settings.client_ttl_s,
        )
