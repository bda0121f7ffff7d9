"""In-app notifications of forum replies (the portal's ``forum.post_replied``).

Each reply tells the members it concerns, once per event however often it is delivered: the
quoted post's author ("quoted your post"), the members it mentions ("mentioned you") and the
thread's author ("replied in your thread"), one notification each with the most specific
reason; never the replier. The forums belong to no administration, so these notifications are
stored with none and shown to their recipient only (``reports.notifications.mine``); they lead
to the thread's page in the portal. A member who chose an e-mail digest (``reports.digests``)
also gets each of them in the next digest, when the event carries their address.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from reports import digests, notifications
from reports.models import Notification
from shared.events import CloudEvent, load_payload

REPLIED = "forum.post_replied"
REPLIED_CODE = "forum_replied"
QUOTED_CODE = "forum_quoted"
MENTIONED_CODE = "forum_mentioned"


def recipients(data: Mapping[str, Any]) -> dict[str, str]:
    """Return whom a reply tells (user id -> notification code): the ids the event names to
    tell and mention, the replier never, each with the most specific reason."""
    quoted = data.get("quoted_author_id")
    mentioned = set(data.get("mentioned") or ())
    told: dict[str, str] = {}
    for user_id in {*(data.get("notify") or ()), *mentioned}:
        if not user_id or user_id == data["replier_id"]:
            continue
        if user_id == quoted:
            told[user_id] = QUOTED_CODE
        elif user_id in mentioned:
            told[user_id] = MENTIONED_CODE
        else:
            told[user_id] = REPLIED_CODE
    return told


def record_reply_event(
    event: CloudEvent, *, session: Session, publish: notifications.Publish
) -> list[Notification]:
    """Create one notification per member a reply tells (once per event); push them; keep
    those of members who chose a digest for it (``reports.digests``)."""
    data = load_payload(event)
    created = notifications.record(
        event,
        session=session,
        publish=publish,
        recipients=recipients(data),
        administration_id=notifications.NO_ADMINISTRATION,
        report_id=None,
        params=_params(data),
    )
    # Idempotent per notification, so a retried event completes what a crash left.
    digests.record_items(event, session=session)
    return created


def _params(data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "thread_id": data["thread_id"],
        "post_id": data["post_id"],
        "thread_title": data["thread_title"],
        "category": data["category"],
        "language": data.get("language", "en"),
        "replier_name": data.get("replier_name") or "",
    }
