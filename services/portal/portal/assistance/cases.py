"""Use cases of the operators' assistance queue: list and read requests across administrations,
see who volunteered expertise in their areas, and move a request on (status, note, matches),
announcing it back to the requester as ``assistance_request.status_changed`` in the same
transaction.

Only operators see the queue: a request holds only what its administration chose to send.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal import events
from portal.assistance.models import AssistanceCase, ExpertiseOffer
from portal.models import Administration, ContentItem
from shared.auth import Principal, Role
from shared.errors import ApiError, NotFound
from shared.paging import fetch_page

SUGGESTIBLE = ("public", "members")


def _require_operator(principal: Principal) -> None:
    if not principal.has_any(Role.OPERATOR):
        raise ApiError(403, "forbidden", "only the platform's operators see assistance requests")


def list_cases(
    *,
    session: Session,
    principal: Principal,
    page: int,
    page_size: int,
    status: str | None = None,
    area: str | None = None,
) -> tuple[list[AssistanceCase], int]:
    """Return one page of the queue (oldest sent first), optionally by status, and the total;
    ``area`` keeps requests about that area."""
    _require_operator(principal)
    query = select(AssistanceCase).order_by(AssistanceCase.sent_at, AssistanceCase.request_id)
    if status:
        query = query.where(AssistanceCase.status == status)
    if area:
        # Areas are a short JSON list: filtered here rather than by a dialect's JSON operator.
        rows = [row for row in session.scalars(query) if area in (row.areas or [])]
        start = (page - 1) * page_size
        return rows[start : start + page_size], len(rows)
    items, total, _ = fetch_page(session, query, page=page, page_size=page_size)
    return items, total


def _case(session: Session, request_id: str) -> AssistanceCase:
    case = session.get(AssistanceCase, request_id)
    if case is None:
        raise NotFound()
    return case


def get_case(*, session: Session, principal: Principal, request_id: str) -> dict[str, Any]:
    """Return one request with the administrations that volunteered expertise in its areas."""
    _require_operator(principal)
    case = _case(session, request_id)
    return {"case": case, "suggestions": suggestions(session, case)}


def suggestions(session: Session, case: AssistanceCase) -> list[dict[str, Any]]:
    """Return the other administrations whose expertise covers one of the request's areas."""
    rows = session.execute(
        select(ExpertiseOffer, Administration.name)
        .join(Administration, Administration.id == ExpertiseOffer.administration_id)
        .where(ExpertiseOffer.administration_id != case.administration_id)
        .order_by(Administration.name)
    )
    wanted = set(case.areas or [])
    found = []
    for offer, name in rows:
        shared_areas = [area for area in offer.areas if area in wanted]
        if shared_areas:
            found.append(
                {
                    "administration_id": offer.administration_id,
                    "name": name,
                    "areas": shared_areas,
                    "languages": list(offer.languages),
                    "note": offer.note,
                }
            )
    return found


def _matches(session: Session, case: AssistanceCase, wanted: list[dict[str, Any]]) -> list[Any]:
    """Return the matches as announced (names from the portal's own records); 422 when one is
    not a published resource or another known administration."""
    matched: list[dict[str, Any]] = []
    unknown: list[str] = []
    for item in wanted:
        if item["kind"] == "administration":
            admin = session.get(Administration, item["id"])
            if admin is None or admin.id == case.administration_id:
                unknown.append(item["id"])
                continue
            matched.append({"kind": "administration", "id": admin.id, "name": admin.name})
        else:
            resource = session.get(ContentItem, item["id"])
            if (
                resource is None
                or resource.status != "published"
                or resource.visibility not in SUGGESTIBLE
            ):
                unknown.append(item["id"])
                continue
            matched.append(
                {
                    "kind": "resource",
                    "id": resource.id,
                    "name": item.get("name") or resource.slug,
                    "url": f"/catalogue/{resource.slug}",
                }
            )
    if unknown:
        raise ApiError(
            422,
            "unknown_match",
            errors={
                "matches": [
                    f"not a published resource or another administration: {x}" for x in unknown
                ]
            },
        )
    return matched


def update_case(
    *, session: Session, principal: Principal, request_id: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Move a request on (status, note, matches) and announce it to the requester."""
    _require_operator(principal)
    with session.begin():
        case = session.get(AssistanceCase, request_id, with_for_update=True)
        if case is None:
            raise NotFound()
        if "matches" in changes:
            case.matches = _matches(session, case, list(changes["matches"]))
        if "note" in changes:
            case.note = changes["note"]
        case.status = changes.get("status", case.status)
        if case.status == "received":
            raise ApiError(422, "invalid_status", errors={"status": ["give the request a status"]})
        case.updated_by = principal.subject
        events.stage(
            session,
            "assistance_request.status_changed",
            {
                "request_id": case.request_id,
                "administration_id": case.administration_id,
                "status": case.status,
                "note": case.note,
                "matches": [dict(match) for match in case.matches],
                "changed_by": principal.subject,
            },
            case.request_id,
        )
        suggested = suggestions(session, case)
    return {"case": case, "suggestions": suggested}
