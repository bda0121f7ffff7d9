"""The operators' status of a sent capacity-building request, from the portal's
``assistance_request.status_changed`` (the state after the change: status, note, matches)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assessment.assistance.models import DRAFT, AssistanceRequest
from shared.events import CloudEvent, load_payload


def apply_status_event(event: CloudEvent, *, session: Session) -> AssistanceRequest | None:
    """Record the status an operator gave a sent request (idempotent; older events ignored; an
    event about another administration's request, or an unknown one, changes nothing)."""
    data = load_payload(event)
    moment = event.moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    with session.begin():
        request = session.get(AssistanceRequest, data["request_id"], with_for_update=True)
        if request is None or request.administration_id != data["administration_id"]:
            return None
        if request.status == DRAFT or request.status_event_time > moment:
            return request
        request.status = data["status"]
        request.operator_note = data.get("note", "")
        request.matches = [dict(match) for match in data.get("matches", [])]
        request.status_event_time = moment
    return request
