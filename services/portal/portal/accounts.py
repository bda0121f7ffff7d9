"""Use cases of administrations, their users and their API keys, with tenancy and role rules.

Another administration's records answer 404 (their existence is private); a caller of the same
administration without the needed role gets 403.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal import apikeys, events
from portal.catalogue.vocabulary import unknown_codes
from portal.issuing import normalize_email
from portal.models import Administration, ApiKey, User, join_roles
from portal.passwords import Passwords
from portal.revocations import RevocationWriter
from shared.auth import AuthError, Principal, Role
from shared.errors import ApiError, NotFound
from shared.paging import fetch_page
from shared.timestamps import utcnow

T = TypeVar("T")

# Roles each kind of manager may grant to an administration's users. Operators stay platform
# users (no administration), so the role is never granted here.
GRANTABLE: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset({Role.RESPONDENT, Role.COORDINATOR, Role.MEMBER}),
    Role.OPERATOR: frozenset({Role.RESPONDENT, Role.COORDINATOR, Role.MEMBER, Role.EDITOR}),
}


def _page(session: Session, query: Select[T], page: int, size: int) -> tuple[list[T], int]:
    items, total, _ = fetch_page(session, query, page=page, page_size=size)
    return items, total


def visible_administration(
    session: Session, principal: Principal, administration_id: str
) -> Administration:
    """Return an administration the caller may see (operators: any; others: their own) or 404."""
    administration = session.get(Administration, administration_id)
    if administration is None:
        raise NotFound()
    if not principal.has_any(Role.OPERATOR) and principal.administration_id != administration.id:
        raise NotFound()
    return administration


def managed_administration(
    session: Session, principal: Principal, administration_id: str
) -> Administration:
    """Return an administration the caller manages (operator, or its coordinator), else 404/403."""
    administration = visible_administration(session, principal, administration_id)
    if not principal.has_any(Role.OPERATOR, Role.COORDINATOR):
        raise ApiError(403, "forbidden")
    return administration


def grantable_roles(principal: Principal) -> frozenset[str]:
    """Return the roles the caller may give to an administration's users."""
    granted: frozenset[str] = frozenset()
    for role in principal.roles:
        granted |= GRANTABLE.get(role, frozenset())
    return granted


# -- administrations ---------------------------------------------------------------------------
def add_administration(
    session: Session, *, name: str, country_code: str | None, default_language: str
) -> Administration:
    """Add an administration and stage ``administration.created`` in the same transaction."""
    administration = Administration(
        name=name.strip(),
        country_code=country_code.upper() if country_code else None,
        default_language=default_language,
    )
    session.add(administration)
    session.flush()
    events.stage(
        session,
        "administration.created",
        events.administration_created_payload(administration),
        administration.id,
    )
    return administration


def create_administration(
    *, session: Session, name: str, country_code: str | None = None, default_language: str = "en"
) -> Administration:
    """Create an administration and announce it (``administration.created``)."""
    with session.begin():
        return add_administration(
            session, name=name, country_code=country_code, default_language=default_language
        )


EDITABLE = ("name", "country_code", "default_language", "region")


def update_administration(
    *,
    session: Session,
    principal: Principal,
    administration_id: str,
    changes: Mapping[str, Any],
) -> Administration:
    """Change an administration's name, country or language (an operator or its coordinator)
    and stage ``administration.renamed`` in the same transaction when anything changed."""
    with session.begin():
        administration = managed_administration(session, principal, administration_id)
        if changes.get("region") and unknown_codes(session, "region", [changes["region"]]):
            raise ApiError(422, "unknown_region", errors={"region": ["not a term of the regions"]})
        previous = administration.name
        changed = False
        for field in EDITABLE:
            if field not in changes:
                continue
            value = changes[field]
            if field == "name":
                value = str(value).strip()
            elif field == "country_code":
                value = str(value).upper() if value else None
            if getattr(administration, field) != value:
                setattr(administration, field, value)
                changed = True
        if changed:
            session.flush()
            events.stage(
                session,
                "administration.renamed",
                events.administration_renamed_payload(administration, previous),
                administration.id,
            )
    return administration


def republish_administrations(*, session: Session) -> int:
    """Stage ``administration.created`` again for every administration (to fill the read
    models of names on a platform that existed before them); return how many."""
    with session.begin():
        rows = list(session.scalars(select(Administration).order_by(Administration.id)))
        for administration in rows:
            events.stage(
                session,
                "administration.created",
                events.administration_created_payload(administration),
                administration.id,
            )
    return len(rows)


def list_administrations(
    *, session: Session, principal: Principal, page: int = 1, page_size: int = 20
) -> tuple[list[Administration], int]:
    """Return a page of the administrations the caller may see, and their total."""
    query = select(Administration).order_by(Administration.name, Administration.id)
    if not principal.has_any(Role.OPERATOR):
        query = query.where(Administration.id == (principal.administration_id or ""))
    return _page(session, query, page, page_size)


def get_administration(
    *, session: Session, principal: Principal, administration_id: str
) -> Administration:
    """Return one administration the caller may see (404 for any other)."""
    return visible_administration(session, principal, administration_id)


# -- users -------------------------------------------------------------------------------------
def create_user(
    *,
    session: Session,
    passwords: Passwords,
    principal: Principal,
    administration_id: str,
    email: str,
    display_name: str,
    password: str,
    roles: list[str],
    language: str | None = None,
) -> User:
    """Create a user of an administration, with roles the caller may grant."""
    with session.begin():
        administration = managed_administration(session, principal, administration_id)
        refused = sorted(set(roles) - grantable_roles(principal))
        if refused:
            raise ApiError(403, "role_not_allowed", errors={"roles": refused})
        address = normalize_email(email)
        if session.scalars(select(User.id).where(User.email == address)).first():
            raise ApiError(409, "email_taken")
        user = User(
            administration_id=administration.id,
            email=address,
            display_name=display_name.strip(),
            password_hash=passwords.hash(password),
            roles_text=join_roles(roles),
            language=language or administration.default_language,
        )
        session.add(user)
        try:
            session.flush()
        except IntegrityError as exc:  # a concurrent request took the address first
            raise ApiError(409, "email_taken") from exc
    return user


def list_users(
    *,
    session: Session,
    principal: Principal,
    administration_id: str,
    page: int = 1,
    page_size: int = 20,
) -> tuple[list[User], int]:
    """Return a page of an administration's users, and their total."""
    administration = managed_administration(session, principal, administration_id)
    query = (
        select(User)
        .where(User.administration_id == administration.id)
        .order_by(User.created_at, User.id)
    )
    return _page(session, query, page, page_size)


def set_user_active(
    *,
    session: Session,
    revocations: RevocationWriter,
    principal: Principal,
    administration_id: str,
    user_id: str,
    active: bool,
) -> User:
    """Deactivate or reactivate a user of an administration (idempotent).

    A deactivated user can no longer sign in, and every service refuses the tokens issued to
    them before (within the verifiers' refresh delay). A coordinator changes only accounts whose
    roles they could grant; nobody their own account.
    """
    with session.begin():
        administration = managed_administration(session, principal, administration_id)
        user = session.get(User, user_id)
        if user is None or user.administration_id != administration.id:
            raise NotFound()
        if user.id == principal.subject:
            raise ApiError(409, "own_account")
        beyond = sorted(set(user.roles) - grantable_roles(principal))
        if beyond:
            raise ApiError(403, "role_not_allowed", errors={"roles": beyond})
        user.active = active
        # Before the commit: if Redis refuses, nothing changes (the request fails whole).
        if active:
            revocations.restore(user.id)
        else:
            revocations.revoke(user.id)
    return user


# -- API keys ----------------------------------------------------------------------------------
def create_api_key(
    *,
    session: Session,
    principal: Principal,
    administration_id: str,
    name: str,
    roles: list[str] | None = None,
) -> tuple[ApiKey, str]:
    """Create an API key; return it and its secret, which is never available again."""
    new = apikeys.generate()
    with session.begin():
        administration = managed_administration(session, principal, administration_id)
        row = ApiKey(
            administration_id=administration.id,
            name=name.strip(),
            prefix=new.prefix,
            secret_hash=new.digest,
            roles_text=join_roles(roles or [Role.CLIENT]),
            created_by=principal.subject,
        )
        session.add(row)
        session.flush()
    return row, new.secret


def list_api_keys(
    *, session: Session, principal: Principal, administration_id: str
) -> list[ApiKey]:
    """Return an administration's API keys (never their secrets), newest first."""
    administration = managed_administration(session, principal, administration_id)
    query = (
        select(ApiKey)
        .where(ApiKey.administration_id == administration.id)
        .order_by(ApiKey.created_at.desc(), ApiKey.id)
    )
    return list(session.scalars(query))


def revoke_api_key(
    *,
    session: Session,
    revocations: RevocationWriter,
    principal: Principal,
    administration_id: str,
    key_id: str,
) -> ApiKey:
    """Revoke an API key: no new tokens, and the tokens it gave are refused (idempotent)."""
    with session.begin():
        administration = managed_administration(session, principal, administration_id)
        row = session.get(ApiKey, key_id)
        if row is None or row.administration_id != administration.id:
            raise NotFound()
        row.revoked_at = row.revoked_at or utcnow()
        revocations.revoke(f"apikey:{row.id}")
    return row


# -- the caller --------------------------------------------------------------------------------
def profile(*, session: Session, principal: Principal) -> dict[str, Any]:
    """Return the caller's profile: OpenID Connect userinfo claims, roles, administration."""
    administration = (
        session.get(Administration, principal.administration_id)
        if principal.administration_id
        else None
    )
    base: dict[str, Any] = {
        "sub": principal.subject,
        "administration_id": principal.administration_id,
        "administration_name": administration.name if administration else None,
    }
    if principal.subject.startswith("apikey:"):
        key = session.get(ApiKey, principal.subject.removeprefix("apikey:"))
        if key is None or key.revoked_at is not None:
            raise AuthError()
        return {
            **base,
            "kind": "client",
            "name": key.name,
            "email": None,
            "locale": principal.language,
            "roles": key.roles,
        }
    user = session.get(User, principal.subject)
    if user is None or not user.active:
        raise AuthError()
    return {
        **base,
        "kind": "user",
        "name": user.display_name,
        "email": user.email,
        "locale": user.language,
        "roles": user.roles,
    }
