"""In-app notifications of action plan reminders (``action.due_soon``, ``action.overdue``).

The assessment service stages each reminder once per action and kind; this records one
notification per user it names (its owner), once per event however often it is delivered, and
pushes it live. The texts are rendered in the reader's language when read, as every
notification's are (``reports.notifications.render``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from reports import notifications
from reports.models import Notification
from shared.events import CloudEvent, load_payload

# event type -> notification code
REMINDER_CODES = {"action.due_soon": "action_due_soon", "action.overdue": "action_overdue"}


def record_reminder_event(
    event: CloudEvent, *, session: Session, publish: notifications.Publish
) -> list[Notification]:
    """Create one notification per user the reminder names (once per event); push them."""
    data = load_payload(event)
    return notifications._record(  # the one idempotent writer of notifications
        event,
        data,
        session=session,
        publish=publish,
        code=REMINDER_CODES[event.type],
        report_id=None,
        params=_params(data),
    )


def _params(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "action_id": data["action_id"],
        "assessment_id": data["assessment_id"],
        "title": data["title"],
        "target_date": str(data["target_date"]),
        "days_left": data["days_left"],
        "language": data.get("language", "en"),
    }
