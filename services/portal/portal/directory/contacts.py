"""Use cases of the national contact point directory.

Signed-in members read and search it (by country, region, language, role, name); the public
never does. An administration's coordinator keeps its entries current; an operator keeps any;
a contact point with a portal account corrects their own entry. The administration's export
shows everything held about its people.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from portal.directory.models import ContactPoint
from portal.models import Administration, User
from shared.auth import Principal, Role
from shared.errors import ApiError, NotFound
from shared.paging import fetch_page
from shared.timestamps import to_rfc3339, utcnow

# What a contact point may change of their own entry (not which administration or role).
OWN_FIELDS = frozenset({"name", "languages", "email", "phone"})
OWN_ONLY = "a contact point corrects only their name, languages, e-mail and phone"


def _manages(principal: Principal, administration_id: str) -> bool:
    if principal.has_any(Role.OPERATOR):
        return True
    return principal.administration_id == administration_id and principal.has_any(Role.COORDINATOR)


def _administration(session: Session, principal: Principal, administration_id: str) -> Any:
    administration = session.get(Administration, administration_id)
    if administration is None or not (
        principal.has_any(Role.OPERATOR) or principal.administration_id == administration_id
    ):
        raise NotFound()
    return administration


def _check_user(session: Session, administration_id: str, user_id: str | None) -> None:
    if user_id is None:
        return
    user = session.get(User, user_id)
    if user is None or user.administration_id != administration_id:
        raise ApiError(
            422,
            "unknown_contact_user",
            errors={"user_id": ["not a user of this administration"]},
        )


def add_contact(
    *, session: Session, principal: Principal, administration_id: str, fields: dict[str, Any]
) -> ContactPoint:
    """Name a contact point of the administration (its coordinator, or an operator)."""
    with session.begin():
        _administration(session, principal, administration_id)
        if not _manages(principal, administration_id):
            raise ApiError(403, "forbidden", "only a coordinator keeps the contact points")
        _check_user(session, administration_id, fields.get("user_id"))
        contact = ContactPoint(
            administration_id=administration_id,
            user_id=fields.get("user_id"),
            name=fields["name"],
            role=fields["role"],
            languages=sorted(set(fields.get("languages", []))),
            email=fields["email"],
            phone=fields.get("phone"),
            created_by=principal.subject,
            updated_by=principal.subject,
        )
        session.add(contact)
        session.flush()
    return contact


def _visible(session: Session, principal: Principal, contact_id: str) -> ContactPoint:
    contact = session.get(ContactPoint, contact_id)
    if contact is None:
        raise NotFound()
    return contact


def update_contact(
    *, session: Session, principal: Principal, contact_id: str, changes: dict[str, Any]
) -> ContactPoint:
    """Change an entry: its administration's coordinator or an operator any field, the contact
    point themself their own name, languages, e-mail and phone."""
    with session.begin():
        contact = session.get(ContactPoint, contact_id, with_for_update=True)
        if contact is None:
            raise NotFound()
        own = contact.user_id is not None and contact.user_id == principal.subject
        if not _manages(principal, contact.administration_id):
            if not own and principal.administration_id != contact.administration_id:
                raise NotFound()
            if not own:
                raise ApiError(403, "forbidden", "only a coordinator keeps the contact points")
            if set(changes) - OWN_FIELDS:
                raise ApiError(403, "forbidden", OWN_ONLY)
        if "user_id" in changes:
            _check_user(session, contact.administration_id, changes["user_id"])
        for name, value in changes.items():
            setattr(contact, name, sorted(set(value)) if name == "languages" else value)
        contact.updated_by = principal.subject
        contact.updated_at = utcnow()
    return contact


def remove_contact(*, session: Session, principal: Principal, contact_id: str) -> None:
    """Remove an entry (its administration's coordinator, or an operator)."""
    with session.begin():
        contact = session.get(ContactPoint, contact_id)
        if contact is None or not (
            principal.has_any(Role.OPERATOR)
            or principal.administration_id == contact.administration_id
        ):
            raise NotFound()
        if not _manages(principal, contact.administration_id):
            raise ApiError(403, "forbidden", "only a coordinator keeps the contact points")
        session.delete(contact)


def get_contact(*, session: Session, principal: Principal, contact_id: str) -> ContactPoint:
    """Return one entry (any signed-in member)."""
    return _visible(session, principal, contact_id)


def _search_query(filters: dict[str, Any]) -> Select[Any]:
    query = (
        select(ContactPoint)
        .join(Administration, Administration.id == ContactPoint.administration_id)
        .order_by(Administration.name, ContactPoint.name, ContactPoint.id)
    )
    if filters.get("country"):
        query = query.where(Administration.country_code == filters["country"].upper())
    if filters.get("region"):
        query = query.where(Administration.region == filters["region"])
    if filters.get("role"):
        query = query.where(ContactPoint.role == filters["role"])
    if filters.get("administration_id"):
        query = query.where(ContactPoint.administration_id == filters["administration_id"])
    if filters.get("q"):
        pattern = f"%{filters['q'].lower()}%"
        query = query.where(
            or_(
                func.lower(ContactPoint.name).like(pattern),
                func.lower(Administration.name).like(pattern),
            )
        )
    return query


def search_contacts(
    *, session: Session, principal: Principal, filters: dict[str, Any], page: int, page_size: int
) -> tuple[list[ContactPoint], int]:
    """Return one page of the directory (signed-in members), by administration and name."""
    query = _search_query(filters)
    language = filters.get("language")
    if language:
        # Languages are a short JSON list: filtered here rather than by a dialect's operator.
        rows = [row for row in session.scalars(query) if language in (row.languages or [])]
        start = (page - 1) * page_size
        return rows[start : start + page_size], len(rows)
    items, total, _ = fetch_page(session, query, page=page, page_size=page_size)
    return items, total


def export_contacts(
    *, session: Session, principal: Principal, administration_id: str
) -> dict[str, Any]:
    """Return everything the directory holds about an administration's people (its coordinator
    or an operator), with who last changed each entry and when."""
    administration = _administration(session, principal, administration_id)
    if not _manages(principal, administration_id):
        raise ApiError(403, "forbidden", "only a coordinator keeps the contact points")
    rows = session.scalars(
        select(ContactPoint)
        .where(ContactPoint.administration_id == administration_id)
        .order_by(ContactPoint.name, ContactPoint.id)
    )
    return {
        "administration_id": administration.id,
        "administration_name": administration.name,
        "exported_at": to_rfc3339(utcnow()),
        "contact_points": list(rows),
    }
