"""Use cases of the expertise registry: an administration's coordinator says in which areas it
volunteers to help others; operators read every offer when they match requests."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.assistance.models import ExpertiseOffer
from portal.models import Administration
from shared.auth import Principal, Role
from shared.errors import ApiError, NotFound


def _allowed(principal: Principal, administration_id: str, *, change: bool) -> None:
    """Operators: every administration; its own members read, its coordinators change; others
    find nothing."""
    if principal.has_any(Role.OPERATOR):
        return
    if principal.administration_id != administration_id:
        raise NotFound()
    if change and not principal.has_any(Role.COORDINATOR):
        raise ApiError(403, "forbidden", "only a coordinator changes the administration's offer")


def get_offer(
    *, session: Session, principal: Principal, administration_id: str
) -> ExpertiseOffer | None:
    """Return the administration's offer of expertise, or None if it made none."""
    _allowed(principal, administration_id, change=False)
    if session.get(Administration, administration_id) is None:
        raise NotFound()
    return session.get(ExpertiseOffer, administration_id)


def put_offer(
    *, session: Session, principal: Principal, administration_id: str, offer: dict[str, Any]
) -> ExpertiseOffer:
    """Set the areas (and languages, note) in which the administration volunteers expertise."""
    _allowed(principal, administration_id, change=True)
    with session.begin():
        if session.get(Administration, administration_id) is None:
            raise NotFound()
        row = session.get(ExpertiseOffer, administration_id, with_for_update=True)
        if row is None:
            row = ExpertiseOffer(administration_id=administration_id)
            session.add(row)
        row.areas = sorted(set(offer["areas"]))
        row.languages = sorted(set(offer.get("languages", [])))
        row.note = offer.get("note", "")
        row.updated_by = principal.subject
    return row


def withdraw_offer(*, session: Session, principal: Principal, administration_id: str) -> None:
    """Withdraw the administration's offer (nothing happens if it made none)."""
    _allowed(principal, administration_id, change=True)
    with session.begin():
        row = session.get(ExpertiseOffer, administration_id)
        if row is not None:
            session.delete(row)


def list_offers(*, session: Session, principal: Principal) -> list[ExpertiseOffer]:
    """Return every administration's offer (operators only), by administration."""
    if not principal.has_any(Role.OPERATOR):
        raise ApiError(403, "forbidden", "only the platform's operators see assistance requests")
    return list(session.scalars(select(ExpertiseOffer).order_by(ExpertiseOffer.administration_id)))
