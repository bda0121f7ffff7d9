"""Use cases of capacity-building requests: draft from an assessment's gaps, edit the draft,
send it (``assistance_request.sent`` in the same transaction), list and read them (the
operators' status is applied by ``assistance.status``).

Only a coordinator of the administration drafts, edits and sends; members of the administration
read; another administration's requests are "not found". A request is drawn from a submitted
assessment's priorities: each indicator it names is one of them, with its level then and its
target, and nothing else of the assessment is sent.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessment import access, events, results
from assessment.access import administration_of
from assessment.assistance.models import DRAFT, SENT, AssistanceRequest
from assessment.frameworks import FrameworkCache
from shared.auth import Principal, Role
from shared.errors import ApiError, NotFound
from shared.paging import fetch_page
from shared.timestamps import to_rfc3339, utcnow

EDITABLE = ("topic", "indicators", "horizon", "language", "formats", "notes")


def _require_coordinator(principal: Principal) -> None:
    if not principal.has_any(Role.COORDINATOR):
        raise ApiError(403, "forbidden", "only a coordinator drafts and sends assistance requests")


def _gaps(
    session: Session, principal: Principal, cache: FrameworkCache, assessment_id: str
) -> tuple[Any, list[dict[str, Any]]]:
    """Return the assessment (submitted, the caller's) and its priorities by rank."""
    seen = access.access(
        session=session, principal=principal, assessment_id=assessment_id, cache=cache
    )
    if seen.assessment.status != "submitted":
        raise ApiError(409, "assessment_not_submitted")
    return seen, list(results.current(session=session, seen=seen, cache=cache)["priorities"])


def _chosen(priorities: list[dict[str, Any]], indicators: list[str]) -> list[dict[str, Any]]:
    """Return the chosen priorities as the request holds them (422 for any other indicator)."""
    by_key = {p["indicator"]: p for p in priorities}
    unknown = sorted(set(indicators) - set(by_key))
    if unknown:
        raise ApiError(
            422,
            "not_a_gap",
            errors={"indicators": [f"not among the assessment's gaps: {', '.join(unknown)}"]},
        )
    ordered = sorted(dict.fromkeys(indicators), key=lambda key: by_key[key]["rank"])
    return [
        {
            "indicator": key,
            "area": by_key[key]["area"],
            "current": by_key[key]["level"],
            "target": by_key[key]["target"],
        }
        for key in ordered
    ]


def _areas(chosen: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(item["area"] for item in chosen))


def create_request(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    assessment_id: str,
    fields: dict[str, Any],
) -> AssistanceRequest:
    """Draft a request from chosen gaps of a submitted assessment (coordinators only)."""
    _require_coordinator(principal)
    with session.begin():
        seen, priorities = _gaps(session, principal, cache, assessment_id)
        chosen = _chosen(priorities, list(fields["indicators"]))
        request = AssistanceRequest(
            administration_id=seen.assessment.administration_id,
            assessment_id=seen.assessment.id,
            assessment_version=seen.assessment.version,
            topic=fields["topic"],
            areas=_areas(chosen),
            indicators=chosen,
            horizon=fields["horizon"],
            language=fields.get("language") or seen.assessment.language,
            formats=list(dict.fromkeys(fields["formats"])),
            notes=fields.get("notes", ""),
            status=DRAFT,
            created_by=principal.subject,
        )
        session.add(request)
        session.flush()
    return request


def _own(session: Session, principal: Principal, request_id: str) -> AssistanceRequest:
    request = session.get(AssistanceRequest, request_id)
    if request is None or request.administration_id != administration_of(principal):
        raise NotFound()
    return request


def update_request(
    *,
    session: Session,
    principal: Principal,
    cache: FrameworkCache,
    request_id: str,
    changes: dict[str, Any],
) -> AssistanceRequest:
    """Change a draft (coordinators only; a sent request is the operators' record)."""
    _require_coordinator(principal)
    with session.begin():
        request = _own(session, principal, request_id)
        if request.status != DRAFT:
            raise ApiError(409, "assistance_request_sent")
        if "indicators" in changes:
            _seen, priorities = _gaps(session, principal, cache, request.assessment_id)
            request.indicators = _chosen(priorities, list(changes["indicators"]))
            request.areas = _areas(request.indicators)
        for name in ("topic", "horizon", "language", "notes"):
            if name in changes:
                setattr(request, name, changes[name])
        if "formats" in changes:
            request.formats = list(dict.fromkeys(changes["formats"]))
    return request


def send_request(
    *, session: Session, principal: Principal, cache: FrameworkCache, request_id: str
) -> AssistanceRequest:
    """Send a draft to the operators' queue: mark it sent and stage ``assistance_request.sent``
    in the same transaction (a second send changes nothing)."""
    _require_coordinator(principal)
    with session.begin():
        request = _own(session, principal, request_id)
        if request.status != DRAFT:
            return request
        seen = access.access(
            session=session, principal=principal, assessment_id=request.assessment_id, cache=cache
        )
        request.status = SENT
        request.sent_by = principal.subject
        request.sent_at = utcnow()
        events.stage(
            session,
            "assistance_request.sent",
            sent_payload(
                request,
                framework=events.framework_ref(seen.assessment, None),
                administration_name=events.administration_name(session, request.administration_id),
            ),
            request.id,
        )
    return request


def sent_payload(
    request: AssistanceRequest, *, framework: dict[str, Any], administration_name: str
) -> dict[str, Any]:
    """Return the ``assistance_request.sent`` payload: the request's chosen content only."""
    return {
        "request_id": request.id,
        "administration_id": request.administration_id,
        "administration_name": administration_name,
        "topic": request.topic,
        "areas": list(request.areas),
        "indicators": [dict(item) for item in request.indicators],
        "horizon": request.horizon,
        "language": request.language,
        "formats": list(request.formats),
        "notes": request.notes,
        "framework": framework,
        "sent_by": request.sent_by or "",
        "sent_at": to_rfc3339(request.sent_at) if request.sent_at else "",
    }


def list_requests(
    *, session: Session, principal: Principal, page: int, page_size: int
) -> tuple[list[AssistanceRequest], int]:
    """Return one page of the administration's requests, newest first, and the total count."""
    query = (
        select(AssistanceRequest)
        .where(AssistanceRequest.administration_id == administration_of(principal))
        .order_by(AssistanceRequest.created_at.desc(), AssistanceRequest.id)
    )
    items, total, _ = fetch_page(session, query, page=page, page_size=page_size)
    return items, total


def get_request(*, session: Session, principal: Principal, request_id: str) -> AssistanceRequest:
    """Return one of the administration's requests (404 for any other)."""
    return _own(session, principal, request_id)
