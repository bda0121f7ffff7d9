"""The operators' queue receives ``assistance_request.sent`` (from the assessment service)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from portal.assistance.models import RECEIVED, AssistanceCase
from shared.events import CloudEvent, load_payload


def apply_sent_event(event: CloudEvent, *, session: Session) -> AssistanceCase:
    """Queue a sent request for the operators (idempotent: a request is queued once)."""
    data = load_payload(event)
    with session.begin():
        case = session.get(AssistanceCase, data["request_id"])
        if case is not None:
            return case
        case = AssistanceCase(
            request_id=data["request_id"],
            administration_id=data["administration_id"],
            administration_name=data.get("administration_name", "")[:200],
            topic=data["topic"],
            areas=list(data["areas"]),
            indicators=[dict(item) for item in data["indicators"]],
            horizon=data["horizon"],
            language=data["language"],
            formats=list(data["formats"]),
            notes=data.get("notes", ""),
            framework=dict(data["framework"]),
            sent_by=data["sent_by"],
            sent_at=data["sent_at"],
            status=RECEIVED,
            event_id=event.id,
        )
        session.add(case)
    return case
